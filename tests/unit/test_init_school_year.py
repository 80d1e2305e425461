"""`init` writes the school year of today, and `check` says so when a configured year is over."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from functions.clock import ENV_TODAY
from functions.config import load
from tests.unit.config_helpers import run_cli

# (today, the year init must write): before the plan opens, mid-year, on and after the last
# deadline (10 December), and the last day of the calendar year.
DAYS = [("2026-01-01", 2026), ("2026-06-15", 2026), ("2026-12-01", 2026),
        ("2026-12-10", 2026), ("2026-12-11", 2027), ("2030-12-31", 2031)]


@pytest.mark.parametrize(("today", "year"), DAYS)
def test_init_writes_the_current_school_year_with_its_dates(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, today: str, year: int
) -> None:
    monkeypatch.setenv(ENV_TODAY, today)
    created = run_cli("init", str(tmp_path))
    assert created.exit_code == 0, created.output
    assert f"(năm {year})" in created.output
    settings = load(tmp_path / "guongmau.yaml").settings
    assert settings.year == year
    assert all(period.opens.year == period.deadline.year == year for period in settings.periods)
    assert date.fromisoformat(today) <= settings.periods[-1].deadline
    checked = run_cli("--config", str(tmp_path / "guongmau.yaml"), "check")
    assert checked.exit_code == 0, checked.output
    assert "đã kết thúc" not in checked.output


def test_check_warns_in_one_line_when_the_configured_year_is_over(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(ENV_TODAY, "2025-06-01")
    run_cli("init", str(tmp_path))
    monkeypatch.setenv(ENV_TODAY, "2026-12-01")
    checked = run_cli("--config", str(tmp_path / "guongmau.yaml"), "check")
    assert checked.exit_code == 0, checked.output
    warnings = [line for line in checked.output.splitlines() if "đã kết thúc" in line]
    assert warnings == [
        "Lưu ý: năm 2025 đã kết thúc (hạn nộp cuối cùng 10/12/2025, hôm nay 01/12/2026) nên mọi "
        "biểu mẫu sẽ đóng; hãy sửa «year» và ngày các kỳ trong guongmau.yaml, hoặc tạo cấu hình "
        "mới bằng «guongmau init THƯ_MỤC»."]


def test_a_malformed_pinned_day_is_a_configuration_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(ENV_TODAY, "01/12/2026")
    refused = run_cli("init", str(tmp_path))
    assert refused.exit_code == 2
    assert f"biến môi trường {ENV_TODAY}: ngày «01/12/2026» không hợp lệ" in refused.stderr
    assert not (tmp_path / "guongmau.yaml").exists()


def test_init_keeps_edited_files_and_writes_only_the_missing_ones(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(ENV_TODAY, "2026-03-01")
    run_cli("init", str(tmp_path))
    edited = (tmp_path / "guongmau.yaml").read_text(encoding="utf-8") + "# sửa của tôi\n"
    (tmp_path / "guongmau.yaml").write_text(edited, encoding="utf-8")
    (tmp_path / "nhan_su.csv").unlink()
    again = run_cli("init", str(tmp_path), "--giu-tep-da-co")
    assert again.exit_code == 0, again.output
    assert (tmp_path / "guongmau.yaml").read_text(encoding="utf-8") == edited
    assert f"Giữ nguyên {tmp_path / 'guongmau.yaml'} (tệp đã có" in again.output
    assert f"Đã tạo {tmp_path / 'nhan_su.csv'}" in again.output
    assert (tmp_path / "nhan_su.csv").stat().st_size > 0
