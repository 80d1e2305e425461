"""`guongmau init` then `guongmau check`: the round trip every later command relies on."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import click
import pytest

from functions.cli import PERIOD, main
from functions.clock import ENV_TODAY
from functions.config import load
from functions.domain import Group, PeriodKind
from tests.unit.config_helpers import run_cli


@pytest.fixture(autouse=True)
def sample_day(monkeypatch: pytest.MonkeyPatch) -> None:
    """The sample on disk is for 2025: a day of that year keeps these tests' figures fixed."""
    monkeypatch.setenv(ENV_TODAY, "2025-01-10")


def test_init_writes_a_sample_that_check_accepts(tmp_path: Path) -> None:
    created = run_cli("init", str(tmp_path / "demo"))
    assert created.exit_code == 0, created.output
    assert "Đã tạo" in created.output
    checked = run_cli("--config", str(tmp_path / "demo" / "guongmau.yaml"), "check")
    assert checked.exit_code == 0, checked.output
    assert "Cấu hình hợp lệ" in checked.output
    for expected in ("ĐƠN VỊ: 8 đang hoạt động, 1 ngừng hoạt động", "Trường THPT (3)",
                     "Nhóm 1 “Làm gương mẫu mực”", "BIỂU MẪU SẼ TẠO (10)", "ke-hoach-nhom-1",
                     "BẢNG TÍNH SẼ TẠO (9)", "quy-3", "hạn nộp 10/12/2025"):
        assert expected in checked.output


def test_the_sample_province_is_realistic(tmp_path: Path) -> None:
    run_cli("init", str(tmp_path))
    deployment = load(tmp_path / "guongmau.yaml")
    kinds = {unit.kind for unit in deployment.active_units}
    assert {"Phòng thuộc Sở", "Trường THPT", "Trường PT DTNT", "Trung tâm GDNN-GDTX"} <= kinds
    assert 100 <= len(deployment.staff) <= 140
    assert any(person.other_emails for person in deployment.staff)
    assert any(person.group_explicit for person in deployment.staff)
    assert any(email.endswith("@gmail.com") for unit in deployment.units
               for email in unit.head_emails)
    by_position = {person.position: person.group for person in deployment.staff}
    assert by_position["Tổ trưởng chuyên môn tổ Toán"] is Group.TWO
    assert by_position["Phó Trưởng phòng"] is Group.ONE


def test_init_is_deterministic(tmp_path: Path) -> None:
    run_cli("init", str(tmp_path / "a"))
    run_cli("init", str(tmp_path / "b"))
    for name in ("guongmau.yaml", "don_vi.csv", "nhan_su.csv"):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()


def test_init_refuses_to_overwrite_a_configuration_without_force(tmp_path: Path) -> None:
    settings = tmp_path / "guongmau.yaml"
    settings.write_text("year: 2030\n", encoding="utf-8")
    refused = run_cli("init", str(tmp_path))
    assert refused.exit_code == 1
    assert "Tệp đã có, không ghi đè" in refused.stderr and "--force" in refused.stderr
    assert settings.read_text(encoding="utf-8") == "year: 2030\n"
    forced = run_cli("init", str(tmp_path), "--force")
    assert forced.exit_code == 0
    assert "year: 2025" in settings.read_text(encoding="utf-8")


def test_init_writes_into_an_existing_empty_directory(tmp_path: Path) -> None:
    (tmp_path / "guongmau.yaml").write_text("", encoding="utf-8")
    assert run_cli("init", str(tmp_path)).exit_code == 0


def test_config_defaults_to_guongmau_yaml_in_the_current_directory(tmp_path: Path) -> None:
    run_cli("init", str(tmp_path))
    script = Path(sys.executable).with_name("guongmau")
    command = [str(script)] if script.exists() else [sys.executable, "-m", "functions.cli"]
    result = subprocess.run(
        [*command, "check"], cwd=tmp_path, capture_output=True, text=True, check=False,
        env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])},
        stdin=subprocess.DEVNULL,
    )
    assert result.returncode == 0, result.stderr
    assert "Cấu hình hợp lệ: guongmau.yaml" in result.stdout


def test_help_lists_the_commands_in_vietnamese() -> None:
    result = run_cli("--help")
    assert result.exit_code == 0
    for expected in ("Cách dùng:", "Tùy chọn:", "Lệnh:", "init", "check", "--config",
                     "Hiện hướng dẫn này rồi thoát."):
        assert expected in result.output
    for english in ("Usage:", "Options:", "Commands:", "Show this message"):
        assert english not in result.output


def test_an_unknown_command_is_explained_in_vietnamese() -> None:
    result = run_cli("khong-co")
    assert result.exit_code == 2
    assert "Lỗi: không có lệnh «khong-co»" in result.stderr


@pytest.mark.parametrize("text", [kind.value for kind in PeriodKind])
def test_period_ids_are_accepted_on_the_command_line(text: str) -> None:
    assert PERIOD.convert(text, None, None) is PeriodKind(text)


def test_an_unknown_period_id_is_refused_with_the_valid_ones() -> None:
    with pytest.raises(click.BadParameter, match="ke-hoach, quy-1, 6-thang, quy-3, ca-nam"):
        PERIOD.convert("quy-2", None, None)


def test_the_group_is_easy_to_extend() -> None:
    assert isinstance(main, click.Group)
    assert {"init", "check"} <= set(main.commands)


def test_init_into_a_path_it_cannot_create_says_so_in_one_line(tmp_path: Path) -> None:
    (tmp_path / "tep").write_text("", encoding="utf-8")
    result = run_cli("init", str(tmp_path / "tep" / "so"))
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"Không ghi được vào {tmp_path / 'tep' / 'so'} (một phần của đường dẫn là tệp, không "
        "phải thư mục); hãy chọn thư mục khác."]
