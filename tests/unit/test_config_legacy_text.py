"""Vietnamese typed in TCVN3 or VNI and saved as UTF-8 is refused through `guongmau check`, named
by file, row and column with its likely reading; correct Vietnamese is never refused."""

from __future__ import annotations

import csv
import doctest
import unicodedata
from pathlib import Path

import pytest

from functions.config import legacy_text
from functions.config.sample import write_sample
from tests.unit.config_helpers import GOOD_ROSTER, GOOD_UNITS, run_cli, write_config
from tests.unit.test_config_validation import check_fails

SEED = Path(__file__).resolve().parents[3] / "shared" / "seed" / "000_fcfe714d0a83d7f8.txt"
_FROM_TCVN3 = {letter: bytes([code]).decode("cp1252")
               for code, letter in legacy_text._TCVN3.items()}


def to_tcvn3(text: str) -> str:
    """What a TCVN3 (.VnTime) document holds once saved as UTF-8: capitals with tone marks had
    no code of their own (an all-capitals font was used), so they take the small letter's."""
    out = []
    for char in unicodedata.normalize("NFC", text):
        found = _FROM_TCVN3.get(char) or _FROM_TCVN3.get(char.lower())
        out.append(found if found is not None and not char.isascii() else char)
    return "".join(out)


def test_the_modules_examples_hold() -> None:
    assert doctest.testmod(legacy_text).failed == 0


def test_a_position_typed_in_tcvn3_is_refused_with_its_row_column_and_reading(
    tmp_path: Path,
) -> None:
    roster = [*GOOD_ROSTER, "Phạm Văn Dũng,dungpv@demo.edu.vn,HiÖu tr\u00adëng,THPT-A,,"]
    errors = check_fails(write_config(tmp_path, roster=roster))
    assert ("nhan_su.csv, dòng 5, cột «Chức vụ»: «HiÖu tr\u00adëng» không phải chữ Unicode (có "
            "lẽ là «Hiệu trưởng»): chữ được gõ bằng bảng mã cũ TCVN3 (ABC)") in errors
    assert "Unikey" in errors and "đích Unicode" in errors


def test_a_name_typed_in_vni_is_refused(tmp_path: Path) -> None:
    roster = [*GOOD_ROSTER, "Nguyeãn Thò Hoa,hoant@demo.edu.vn,Giaùo vieân,THPT-A,,"]
    errors = check_fails(write_config(tmp_path, roster=roster))
    assert "dòng 5, cột «Họ và tên»: «Nguyeãn Thò Hoa» không phải chữ Unicode (có lẽ là «Nguyễn " \
        "Thị Hoa»): chữ được gõ bằng bảng mã cũ VNI Windows" in errors
    assert "dòng 5, cột «Chức vụ»: «Giaùo vieân»" in errors


def test_a_unit_name_in_tcvn3_is_refused(tmp_path: Path) -> None:
    units = [*GOOD_UNITS, "SO-TC,Phßng KÕ ho¹ch - Tµi chÝnh,kh@demo.edu.vn,,Phòng thuộc Sở,"]
    errors = check_fails(write_config(tmp_path, units=units))
    assert ("don_vi.csv, dòng 5, cột «Tên đơn vị»: «Phßng KÕ ho¹ch - Tµi chÝnh» không phải chữ "
            "Unicode (có lẽ là «Phòng Kế hoạch - Tài chính»)") in errors


def test_utf8_opened_as_windows_1252_and_saved_again_is_refused(tmp_path: Path) -> None:
    garbled = "Hiệu trưởng".encode().decode("cp1252", errors="replace")
    roster = [*GOOD_ROSTER, f"Phạm Văn Dũng,dungpv@demo.edu.vn,{garbled},THPT-A,,"]
    errors = check_fails(write_config(tmp_path, roster=roster))
    assert "(có lẽ là «Hiệu trưởng»): tệp UTF-8 đã bị mở nhầm bằng bảng mã Windows-1252" in errors


def test_a_legacy_phrase_in_the_settings_is_refused(tmp_path: Path) -> None:
    settings = write_config(tmp_path)
    text = settings.read_text(encoding="utf-8")
    settings.write_text(text.replace("signer_title: GIÁM ĐỐC", "signer: NguyÔn V¨n Minh\n"
                                     "  signer_title: GIÁM ĐỐC", 1).replace(
        "  signer: ", "  # signer: ", 1), encoding="utf-8")
    assert "mục «agency.signer»: «NguyÔn V¨n Minh» không phải chữ Unicode" in check_fails(settings)


def test_the_whole_sample_roster_in_tcvn3_names_five_cells_and_counts_the_rest(
    tmp_path: Path,
) -> None:
    """The issue's case: Nhóm 1 fell from 33 to 16 and leaders got the wrong forms. Now
    nothing is loaded at all."""
    write_sample(tmp_path)
    roster = tmp_path / "nhan_su.csv"
    with roster.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    converted = [rows[0]] + [[to_tcvn3(cell) for cell in row] for row in rows[1:]]
    with roster.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(converted)
    errors = check_fails(tmp_path / "guongmau.yaml").splitlines()
    named = [line for line in errors if "không phải chữ Unicode (có lẽ là" in line]
    assert len(named) == 5, errors
    cells = sum(1 for row in rows[1:] for cell in row if not cell.isascii())
    assert f"nhan_su.csv: còn {cells - 5} ô khác cũng không phải chữ Unicode" in "\n".join(errors)


def test_the_sample_files_and_the_plan_text_are_never_taken_for_legacy_text(
    tmp_path: Path,
) -> None:
    write_sample(tmp_path)
    texts = [cell for name in ("nhan_su.csv", "don_vi.csv")
             for row in csv.reader((tmp_path / name).open(encoding="utf-8-sig"))
             for cell in row]
    if SEED.is_file():
        texts += SEED.read_text(encoding="utf-8").splitlines()
    assert [text for text in texts if legacy_text.detect(text) is not None] == []
    assert run_cli("--config", str(tmp_path / "guongmau.yaml"), "check").exit_code == 0


@pytest.mark.parametrize("text", [
    "Anna Müller", "José Núñez", "Ksor H'Hen", "Kpă Nguyệt", "Y Moan Ênuôl", "Đắk Lắk",
    "Trường THPT «Chu Văn An»", "Nguyễn Thị Ngọc Hoà", "ThS. Lê Văn Quyết", "Thuở", "giữa giờ",
    "Bí thư Đoàn trường – Tổ trưởng", "Lênin",
])
def test_foreign_and_unusual_but_correct_names_pass(text: str) -> None:
    assert legacy_text.detect(text) is None


def test_an_xlsx_roster_with_a_tcvn3_cell_is_refused_the_same_way(tmp_path: Path) -> None:
    from openpyxl import Workbook

    settings = write_config(tmp_path)
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(["Họ và tên", "Email", "Chức vụ", "Mã đơn vị"])
    sheet.append(["Lª ThÞ Thu", "thult@demo.edu.vn", "Phã HiÖu tr\u00adëng", "THPT-A"])
    workbook.save(tmp_path / "nhan_su.xlsx")
    text = settings.read_text(encoding="utf-8")
    settings.write_text(text.replace("roster: nhan_su.csv", "roster: nhan_su.xlsx"), "utf-8")
    errors = check_fails(settings)
    assert "nhan_su.xlsx, dòng 2, cột «Họ và tên»: «Lª ThÞ Thu» không phải chữ Unicode (có lẽ " \
        "là «Lê Thị Thu»)" in errors
    assert "dòng 2, cột «Chức vụ»: «Phã HiÖu tr\u00adëng» không phải chữ Unicode (có lẽ là «Phó " \
        "Hiệu trưởng»)" in errors
