"""Every configuration mistake is reported through the real CLI, located, and nothing is written."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.unit.config_helpers import (
    GOOD_ROSTER,
    GOOD_UNITS,
    run_cli,
    snapshot,
    to_cp1258,
    write_config,
)


def check_fails(settings: Path) -> str:
    before = snapshot(settings.parent)
    result = run_cli("--config", str(settings), "check")
    assert result.exit_code == 2, result.output
    assert snapshot(settings.parent) == before, "a failed check must not write anything"
    return result.stderr


def test_a_missing_column_is_reported_on_the_header_row(tmp_path: Path) -> None:
    settings = write_config(tmp_path, roster_header="Họ và tên,Email,Mã đơn vị")
    errors = check_fails(settings)
    assert "nhan_su.csv, dòng 1, cột «Chức vụ»: thiếu cột bắt buộc" in errors


def test_an_empty_cell_names_its_row_and_column(tmp_path: Path) -> None:
    roster = [*GOOD_ROSTER, ",dungpv@demo.edu.vn,Giáo viên,THPT-A,,"]
    settings = write_config(tmp_path, roster=roster)
    assert "nhan_su.csv, dòng 5, cột «Họ và tên»: ô trống" in check_fails(settings)


def test_a_malformed_email_is_quoted_back(tmp_path: Path) -> None:
    roster = [*GOOD_ROSTER, "Phạm Văn Dũng,dungpv@,Giáo viên,THPT-A,,"]
    errors = check_fails(write_config(tmp_path, roster=roster))
    assert "nhan_su.csv, dòng 5, cột «Email»: địa chỉ email không hợp lệ: «dungpv@»" in errors


def test_a_malformed_head_email_in_the_units_file_is_reported(tmp_path: Path) -> None:
    units = [*GOOD_UNITS, "THPT-B,Trường THPT B,hieutruong-at-demo.edu.vn,,,"]
    errors = check_fails(write_config(tmp_path, units=units))
    assert "don_vi.csv, dòng 5, cột «Email thủ trưởng»: địa chỉ email không hợp lệ" in errors


def test_a_duplicate_email_is_found_across_email_and_other_email_ignoring_case(
    tmp_path: Path,
) -> None:
    roster = [*GOOD_ROSTER, "Phạm Thị Dung,BINH@gmail.com,Giáo viên,THPT-A,,"]
    errors = check_fails(write_config(tmp_path, roster=roster))
    assert (
        "nhan_su.csv, dòng 5, cột «Email»: email «binh@gmail.com» trùng với email đã có ở dòng 3 "
        "(cột «Email khác»)"
    ) in errors


def test_a_duplicate_unit_code_is_reported_with_the_first_row(tmp_path: Path) -> None:
    units = [*GOOD_UNITS, "thpt-a,Trường THPT A mới,htm@demo.edu.vn,,,"]
    errors = check_fails(write_config(tmp_path, units=units))
    assert "don_vi.csv, dòng 5, cột «Mã đơn vị»: mã đơn vị «thpt-a» trùng với dòng 3" in errors


def test_an_unknown_unit_code_in_the_roster_is_reported(tmp_path: Path) -> None:
    roster = [*GOOD_ROSTER, "Phạm Văn Dũng,dungpv@demo.edu.vn,Giáo viên,THPT-XYZ,,"]
    errors = check_fails(write_config(tmp_path, roster=roster))
    assert (
        "nhan_su.csv, dòng 5, cột «Mã đơn vị»: mã đơn vị «THPT-XYZ» không có trong danh sách"
        in errors
    )


def test_staff_of_a_retired_unit_is_reported(tmp_path: Path) -> None:
    roster = [*GOOD_ROSTER, "Phạm Văn Dũng,dungpv@demo.edu.vn,Giáo viên,THPT-CU,,"]
    assert "đã ngừng hoạt động" in check_fails(write_config(tmp_path, roster=roster))


@pytest.mark.parametrize("value", ["3", "Nhóm ba", "0"])
def test_a_group_other_than_1_or_2_is_refused(tmp_path: Path, value: str) -> None:
    roster = [*GOOD_ROSTER, f"Phạm Văn Dũng,dungpv@demo.edu.vn,Giáo viên,THPT-A,{value},"]
    errors = check_fails(write_config(tmp_path, roster=roster))
    assert f"nhan_su.csv, dòng 5, cột «Nhóm»: giá trị «{value}» không hợp lệ" in errors


def test_an_unknown_unit_status_is_refused(tmp_path: Path) -> None:
    units = [*GOOD_UNITS, "THPT-B,Trường THPT B,htb@demo.edu.vn,,,tạm dừng"]
    errors = check_fails(write_config(tmp_path, units=units))
    assert "don_vi.csv, dòng 5, cột «Trạng thái»: giá trị «tạm dừng» không hợp lệ" in errors


def test_a_windows_1258_roster_is_refused_with_the_encoding_it_looks_like(tmp_path: Path) -> None:
    settings = write_config(tmp_path)
    roster = tmp_path / "nhan_su.csv"
    text = roster.read_text(encoding="utf-8")
    roster.write_bytes(to_cp1258(text))
    errors = check_fails(settings)
    assert "nhan_su.csv: tệp không phải UTF-8 (có vẻ là bảng mã Windows-1258" in errors
    assert "CSV UTF-8" in errors


def test_every_problem_is_reported_in_one_run_each_on_its_own_line(tmp_path: Path) -> None:
    units = [*GOOD_UNITS, "SO-VP,Trùng mã,a@demo.edu.vn,,,"]
    roster = [*GOOD_ROSTER, "X,x@,Giáo viên,NOPE,5,", ",,,,,y@gmail.com"]
    errors = check_fails(write_config(tmp_path, units=units, roster=roster))
    lines = [line for line in errors.splitlines() if ", dòng " in line]
    assert len(lines) >= 6, errors
    assert "Cấu hình có" in errors and "chưa thực hiện gì" in errors


def test_settings_mistakes_name_the_key(tmp_path: Path) -> None:
    settings = write_config(tmp_path)
    text = settings.read_text(encoding="utf-8")
    text = text.replace("deadline: 2025-04-05", "deadline: 2025-13-05")
    text = text.replace("responders: domain:sgddt-demo.edu.vn", "responders: ai cũng được")
    text = text.replace("retention_years: 5", "retention_years: 5\nretension: 3")
    text = text.replace("unlisted_sharing: report", "unlisted_sharing: xoa")
    settings.write_text(text, encoding="utf-8")
    errors = check_fails(settings)
    assert "mục «periods.quy-1.deadline»: ngày «2025-13-05» không hợp lệ" in errors
    assert "mục «storage.responders»: «ai cũng được» không hợp lệ" in errors
    assert "mục «retension»: mục không được hỗ trợ" in errors
    assert "mục «storage.unlisted_sharing»: «xoa» không hợp lệ" in errors


def test_a_google_group_may_be_the_responders_and_check_says_so(tmp_path: Path) -> None:
    settings = write_config(tmp_path)
    text = settings.read_text(encoding="utf-8")
    settings.write_text(text.replace("responders: domain:sgddt-demo.edu.vn",
                                     "responders: group:CanBo@sgddt-demo.edu.vn"),
                        encoding="utf-8")
    result = run_cli("--config", str(settings), "check")
    assert result.exit_code == 0, result.output
    assert ("Người được trả lời biểu mẫu: thành viên nhóm Google canbo@sgddt-demo.edu.vn."
            in result.output)
    settings.write_text(text.replace("responders: domain:sgddt-demo.edu.vn",
                                     "responders: group:canbo"), encoding="utf-8")
    assert "mục «storage.responders»: «group:canbo» không hợp lệ" in check_fails(settings)


def test_check_warns_when_one_unit_name_carries_two_codes(tmp_path: Path) -> None:
    units = [*GOOD_UNITS[:2], "THPT-A2,Trường THPT A,hta@demo.edu.vn,,Trường THPT,"]
    result = run_cli("--config", str(write_config(tmp_path, units=units)), "check")
    assert result.exit_code == 0, result.output
    assert ("Lưu ý: «Trường THPT A» có 2 mã (THPT-A, THPT-A2). Mã đơn vị là định danh: nếu chỉ "
            "đổi mã, hãy giữ mã cũ và chỉ đổi tên") in result.output


def test_a_deadline_before_the_opening_date_is_refused(tmp_path: Path) -> None:
    settings = write_config(tmp_path)
    text = settings.read_text(encoding="utf-8").replace("opens: 2025-06-10", "opens: 2025-07-10")
    settings.write_text(text, encoding="utf-8")
    assert "periods.6-thang.deadline" in check_fails(settings)


def test_a_missing_settings_file_is_reported(tmp_path: Path) -> None:
    result = run_cli("--config", str(tmp_path / "khong-co.yaml"), "check")
    assert result.exit_code == 2
    assert "khong-co.yaml: không tìm thấy tệp" in result.stderr


def test_a_row_wider_than_the_header_hints_at_a_missing_quote(tmp_path: Path) -> None:
    shifted = "Phạm Văn Dũng,dungpv@demo.edu.vn,Giáo viên, Bí thư Đoàn,THPT-A,,d@x.vn"
    roster = [*GOOD_ROSTER, shifted]
    errors = check_fails(write_config(tmp_path, roster=roster))
    assert "nhan_su.csv, dòng 5: dòng có 7 ô, nhiều hơn 6 cột" in errors
    assert "dấu ngoặc kép" in errors


def edit_settings(settings: Path, old: str, new: str) -> Path:
    text = settings.read_text(encoding="utf-8")
    assert old in text, old
    settings.write_text(text.replace(old, new), encoding="utf-8")
    return settings


def test_a_key_written_twice_is_refused_with_both_lines(tmp_path: Path) -> None:
    settings = edit_settings(write_config(tmp_path), "retention_years: 5",
                             "retention_years: 5\nretention_years: 2")
    errors = check_fails(settings)
    assert ("guongmau.yaml, dòng 35: khóa «retention_years» được ghi hai lần (lần đầu ở dòng 34)"
            in errors)


def test_a_key_written_twice_inside_a_section_is_refused(tmp_path: Path) -> None:
    settings = edit_settings(write_config(tmp_path), "opens: 2025-03-20, deadline: 2025-04-05",
                             "opens: 2025-03-20, deadline: 2025-04-05, opens: 2025-03-01")
    assert "dòng 28: khóa «opens» được ghi hai lần (lần đầu ở dòng 28)" in check_fails(settings)


def test_a_key_written_twice_in_shipped_data_is_an_error(tmp_path: Path) -> None:
    from functions.config.yamlread import strict_load

    data = tmp_path / "so.yaml"
    data.write_text("progress:\n  title: A\n  title: B\n", encoding="utf-8")
    with pytest.raises(ValueError, match="dòng 3: khóa «title» được ghi hai lần"):
        strict_load(data)


@pytest.mark.parametrize("value", ["-3", "0", "1000"])
def test_a_retention_period_out_of_range_is_refused(tmp_path: Path, value: str) -> None:
    settings = edit_settings(write_config(tmp_path), "retention_years: 5",
                             f"retention_years: {value}")
    assert (f"mục «retention_years»: giá trị {value} không hợp lệ; phải từ 1 đến 100"
            in check_fails(settings))


def test_periods_out_of_the_plans_order_are_refused_once(tmp_path: Path) -> None:
    settings = write_config(tmp_path)
    edit_settings(settings, "opens: 2025-09-20, deadline: 2025-10-05",
                  "opens: 2025-05-20, deadline: 2025-06-05")  # quý III before 6 tháng
    errors = check_fails(settings)
    assert ("mục «periods.quy-3.opens»: ngày mở 20/05/2025 của «Báo cáo quý III» phải sau ngày "
            "mở 10/06/2025 của kỳ liền trước «Báo cáo 6 tháng»") in errors
    assert "Cấu hình có 1 lỗi" in errors


def test_an_unknown_time_zone_is_refused_by_check(tmp_path: Path) -> None:
    settings = edit_settings(write_config(tmp_path), "time_zone: Asia/Ho_Chi_Minh",
                             "time_zone: Asia/Hanoi")
    assert ("mục «schedule.time_zone»: múi giờ «Asia/Hanoi» không có; ghi tên múi giờ IANA"
            in check_fails(settings))


def test_a_settings_path_that_is_a_folder_is_a_configuration_error(tmp_path: Path) -> None:
    result = run_cli("--config", str(tmp_path), "check")
    assert result.exit_code == 2, result.output
    assert result.stderr.splitlines()[0].endswith(
        ": đây là một thư mục; hãy ghi đường dẫn tới tệp guongmau.yaml trong thư mục đó")
