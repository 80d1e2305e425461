"""`guongmau data record`: the Sở's processing record as a Doc in the reports' official format,
made from the settings (a changed setting changes the Doc), updated in place on a rerun; the
test reads the Doc back through the Docs API."""

from __future__ import annotations

import unicodedata
from pathlib import Path
from typing import Any

from click.testing import CliRunner, Result

from functions.cli import main
from tests.e2e import collect_helpers as helpers
from tests.e2e.collect_helpers import Province
from tests.e2e.test_reports import _doc, _folder_files, _tables, _text

collect_snapshot = helpers.collect_snapshot  # fixture
province = helpers.province  # fixture

TITLE = "Năm 2025 – Hồ sơ xử lý dữ liệu cá nhân – Sở Giáo dục và Đào tạo tỉnh Minh Sơn"


def run(province: Province, *args: str) -> Result:
    config = str(province.config_dir / "guongmau.yaml")
    return CliRunner().invoke(main, ["--config", config, "data", "record", *args],
                              env={"GUONGMAU_EMULATOR": province.url})


def doc_of(province: Province, result: Result) -> dict[str, Any]:
    assert result.exit_code == 0, result.output
    last = result.output.strip().splitlines()[-1]
    assert last.startswith(f"Đã làm «{TITLE}»: https://docs.google.com/document/d/"), last
    return _doc(province, last.rsplit("/d/", 1)[1].split("/")[0])


def rows(doc: dict[str, Any]) -> dict[str, str]:
    """The record's table: topic → what it says (the letterhead and signature are tables too)."""
    table = next(t for t in _tables(doc) if t[0][:2] == ["TT", "Nội dung"])
    return {row[1]: row[2] for row in table[1:]}


def edit_settings(config_dir: Path, old: str, new: str) -> None:
    path = config_dir / "guongmau.yaml"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def test_the_record_states_the_settings_in_the_reports_format_and_follows_a_change(
        province: Province) -> None:
    first = doc_of(province, run(province, "--hom-nay", "2025-03-02"))
    text = _text(first["body"]["content"])
    assert unicodedata.is_normalized("NFC", text)
    for words in ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc",
                  "HỒ SƠ", "Số: …/HS-SGDĐT", "Minh Sơn, ngày 02 tháng 03 năm 2025",
                  "Hoạt động xử lý dữ liệu cá nhân trong thực hiện mô hình",
                  "Nơi nhận:", "GIÁM ĐỐC"):
        assert words in text, words
    said = rows(first)
    assert list(said) == ["Bên kiểm soát dữ liệu cá nhân", "Bên xử lý dữ liệu cá nhân",
                          "Mục đích xử lý", "Loại dữ liệu cá nhân", "Chủ thể dữ liệu",
                          "Nơi lưu trữ", "Người được xem", "Thời hạn lưu trữ",
                          "Thông báo và đồng ý", "Căn cứ pháp lý", "Quyền của chủ thể dữ liệu"]
    assert "vanphong@sgddt-demo.edu.vn" in said["Bên kiểm soát dữ liệu cá nhân"]
    assert "Google" in said["Bên xử lý dữ liệu cá nhân"]
    data = said["Loại dữ liệu cá nhân"]
    for field in ("Họ và tên, Email, Chức vụ, Mã đơn vị", "Nội dung đăng ký thực hiện",
                  "Tự xếp loại mức độ hoàn thành nhiệm vụ năm 2025", "Kết quả thực hiện"):
        assert field in data, field
    assert "{" not in data and "tiêu chí;" not in data  # placeholders of the criteria left out
    assert "không chỉ định vùng" in said["Nơi lưu trữ"]
    assert "theodoi-mohinh@sgddt-demo.edu.vn" in said["Người được xem"]
    assert "5 năm" in said["Thời hạn lưu trữ"] and "10/12/2030" in said["Thời hạn lưu trữ"]
    assert "Luật Bảo vệ dữ liệu cá nhân số 91/2025/QH15" in said["Căn cứ pháp lý"]
    assert "Nghị định số 13/2023/NĐ-CP" in said["Căn cứ pháp lý"]

    folder = province.registry["folders"]["reports"]
    files = _folder_files(province, folder)
    edit_settings(province.config_dir, "retention_years: 5", "retention_years: 7")
    edit_settings(province.config_dir, "data_region: any", "data_region: europe")
    second = doc_of(province, run(province, "--hom-nay", "2025-03-02"))
    assert second["documentId"] == first["documentId"]  # updated in place
    assert _folder_files(province, folder) == files  # no twin: Doc, DOCX, the day's PDF
    said = rows(second)
    assert "7 năm" in said["Thời hạn lưu trữ"] and "10/12/2032" in said["Thời hạn lưu trữ"]
    assert "châu Âu" in said["Nơi lưu trữ"]


def test_a_data_region_the_settings_cannot_mean_is_named_with_its_file_and_key(
        province: Province) -> None:
    edit_settings(province.config_dir, "data_region: any", "data_region: asia")
    result = run(province)
    assert result.exit_code == 2, result.output
    assert "guongmau.yaml" in result.output and "storage.data_region" in result.output
    assert "«asia» không hợp lệ" in result.output
