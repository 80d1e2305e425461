"""Units and roster files are read alike from CSV (with or without BOM) and XLSX."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest
from openpyxl import Workbook

from functions.config import ConfigError, load
from functions.config.encoding import NotUtf8, decode
from functions.config.errors import Problems
from functions.config.tables import read_table
from tests.unit.config_helpers import GOOD_ROSTER, ROSTER_HEADER, to_cp1258, write_config

COLUMNS = ("Họ và tên", "Email", "Chức vụ", "Mã đơn vị")


def roster_csv(path: Path, content: bytes) -> Path:
    path.write_bytes(content)
    return path


def use_xlsx_roster(settings: Path) -> None:
    text = settings.read_text(encoding="utf-8")
    settings.write_text(text.replace("roster: nhan_su.csv", "roster: nhan_su.xlsx"), "utf-8")


def read(path: Path) -> tuple[list[dict[str, str]], Problems]:
    problems = Problems()
    table = read_table(path, path.name, COLUMNS, ("Nhóm", "Email khác"), problems)
    return ([row.cells for row in table.rows] if table else []), problems


@pytest.mark.parametrize("bom", [b"", b"\xef\xbb\xbf"], ids=["without BOM", "with BOM"])
def test_a_utf8_csv_reads_the_same_with_or_without_bom(tmp_path: Path, bom: bytes) -> None:
    text = "\n".join([ROSTER_HEADER, *GOOD_ROSTER])
    rows, problems = read(roster_csv(tmp_path / "r.csv", bom + text.encode("utf-8")))
    assert not problems
    assert rows[0]["Họ và tên"] == "Nguyễn Văn An"
    assert rows[1]["Email khác"] == "binh@gmail.com"


def test_headers_match_whatever_their_case_and_spacing(tmp_path: Path) -> None:
    content = "HỌ VÀ TÊN ; email;Chức  vụ;mã đơn vị\nAn;an@x.vn;Giáo viên;A\n"
    rows, problems = read(roster_csv(tmp_path / "r.csv", content.encode("utf-8")))
    assert not problems, problems.items
    assert rows == [
        {"Họ và tên": "An", "Email": "an@x.vn", "Chức vụ": "Giáo viên", "Mã đơn vị": "A"}
    ]


def test_decomposed_text_is_normalised_to_nfc(tmp_path: Path) -> None:
    text = unicodedata.normalize("NFD", "\n".join([ROSTER_HEADER, *GOOD_ROSTER]))
    rows, problems = read(roster_csv(tmp_path / "r.csv", text.encode("utf-8")))
    assert not problems
    assert rows[0]["Họ và tên"] == unicodedata.normalize("NFC", "Nguyễn Văn An")


def test_blank_rows_are_skipped_but_still_counted(tmp_path: Path) -> None:
    content = "\n".join([ROSTER_HEADER, GOOD_ROSTER[0], ",,,,,", GOOD_ROSTER[1]])
    problems = Problems()
    path = roster_csv(tmp_path / "r.csv", content.encode())
    table = read_table(path, "r.csv", COLUMNS, (), problems)
    assert table is not None
    assert [row.number for row in table.rows] == [2, 4]


def test_an_xlsx_roster_with_numeric_cells_loads(tmp_path: Path) -> None:
    settings = write_config(tmp_path)
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(ROSTER_HEADER.split(","))
    sheet.append(["Nguyễn Văn An", "AnNV@Demo.edu.vn ", "Giáo viên", "THPT-A", 1, None])
    sheet.append(["Trần Thị Bình", "binhtt@demo.edu.vn", "Phó Hiệu trưởng", "THPT-A", None, None])
    workbook.save(tmp_path / "nhan_su.xlsx")
    use_xlsx_roster(settings)
    deployment = load(settings)
    first, second = deployment.staff
    assert first.email == "annv@demo.edu.vn"
    assert first.group == 1 and first.group_explicit
    assert second.group == 1 and not second.group_explicit


def test_an_xlsx_error_names_the_row_as_excel_shows_it(tmp_path: Path) -> None:
    settings = write_config(tmp_path)
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(ROSTER_HEADER.split(","))
    sheet.append(["Nguyễn Văn An", "an@", "Giáo viên", "THPT-A"])
    workbook.save(tmp_path / "nhan_su.xlsx")
    use_xlsx_roster(settings)
    with pytest.raises(ConfigError) as caught:
        load(settings)
    assert [(p.row, p.column) for p in caught.value.problems] == [(2, "Email")]


def test_an_old_xls_file_is_refused_with_advice(tmp_path: Path) -> None:
    _, problems = read(roster_csv(tmp_path / "r.xls", b"\xd0\xcf\x11\xe0"))
    assert "(.xls) không được hỗ trợ" in str(problems.items[0])


def test_a_semicolon_separated_csv_is_understood(tmp_path: Path) -> None:
    content = "Họ và tên;Email;Chức vụ;Mã đơn vị\nAn;an@x.vn;Giáo viên, Bí thư Đoàn;A\n"
    rows, problems = read(roster_csv(tmp_path / "r.csv", content.encode()))
    assert not problems
    assert rows[0]["Chức vụ"] == "Giáo viên, Bí thư Đoàn"


def test_windows_1258_bytes_are_named_as_such() -> None:
    with pytest.raises(NotUtf8, match="Windows-1258"):
        decode(to_cp1258("Họ và tên,Trường THPT Lê Quý Đôn,Phó Hiệu trưởng"))


def test_windows_1252_bytes_are_named_as_such() -> None:
    with pytest.raises(NotUtf8, match="Windows-1252"):
        decode("Nom,Prénom,Café crème".encode("cp1252"))


def test_utf16_text_is_named_as_such() -> None:
    with pytest.raises(NotUtf8, match="UTF-16"):
        decode("Họ và tên,Email".encode("utf-16"))
