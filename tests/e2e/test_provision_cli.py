"""The real commands: `guongmau emulator` in its own process on a free port, `guongmau provision`
in another, as the README tells the admin to run them; and `--dry-run`, which writes nothing."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests
from click.testing import CliRunner

from functions.cli import main
from functions.clock import ENV_TODAY
from tests.e2e import test_provision_helpers as helpers
from tests.e2e.test_provision_helpers import Province, edit_units

province = helpers.province  # fixtures
provisioned_snapshot = helpers.provisioned_snapshot
empty_province = helpers.empty_province

GUONGMAU = [str(Path(sys.executable).parent / "guongmau")]  # the installed command


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def emulator_process(tmp_path: Path) -> Iterator[str]:
    """`guongmau emulator` with an empty data folder, stopped (by its own pid) at the end."""
    port = free_port()
    process = subprocess.Popen(
        [*GUONGMAU, "emulator", "--port", str(port), "--data", str(tmp_path / "emulator")],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                requests.get(f"{url}/_emulator/health", timeout=1).raise_for_status()
                break
            except requests.RequestException:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"the emulator did not start: {process.stderr!r}") from None
                time.sleep(0.1)
        yield url
    finally:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


def guongmau(cwd: Path, url: str, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "GUONGMAU_EMULATOR": url, "PYTHONPATH": str(Path.cwd())}
    return subprocess.run([*GUONGMAU, *args], cwd=cwd, env=env, capture_output=True,
                          text=True, timeout=120, check=False)


def test_the_sample_from_init_provisions_on_a_fresh_emulator_with_no_other_step(
    emulator_process: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(ENV_TODAY, "2025-01-10")  # init writes the school year of that day
    work = tmp_path / "so"
    init = guongmau(tmp_path, emulator_process, "init", str(work))
    assert init.returncode == 0, init.stderr
    first = guongmau(work, emulator_process, "provision", "--hom-nay", "2025-01-10")
    assert first.returncode == 0, first.stderr
    assert "Đã tạo biểu mẫu «Kế hoạch cá nhân năm 2025 – Nhóm 1" in first.stdout
    assert "Đã tạo thư mục và bảng theo dõi của «Trường THPT Chu Văn An»" in first.stdout
    assert "Đã tạo bảng tổng hợp của Sở" in first.stdout
    assert "Đơn vị: 9/9" in first.stdout  # progress
    second = guongmau(work, emulator_process, "provision", "--hom-nay", "2025-01-10")
    assert second.returncode == 0, second.stderr
    assert second.stdout.strip().endswith("Không có gì thay đổi: mọi thứ đã đúng như cấu hình.")


def dry_run(province: Province) -> str:
    env = {**os.environ, "GUONGMAU_EMULATOR": province.url}
    result = CliRunner().invoke(main, ["--config", str(province.config_dir / "guongmau.yaml"),
                                       "provision", "--dry-run", "--hom-nay", "2025-01-10"],
                                env=env)
    assert result.exit_code == 0, result.output
    return result.output


def test_a_dry_run_on_an_empty_drive_lists_what_it_would_create_and_writes_nothing(
    empty_province: Province,
) -> None:
    shown = dry_run(empty_province)
    assert "Sẽ tạo thư mục «Năm 2025»" in shown
    assert "Sẽ tạo biểu mẫu «Báo cáo cả năm – Nhóm 2 “Tích cực làm theo” – năm 2025»" in shown
    assert "Sẽ tạo thư mục và bảng theo dõi của «Văn phòng Sở»" in shown
    assert "Sẽ tạo bảng tổng hợp của Sở" in shown
    assert "Đã " not in shown
    assert empty_province.writes() == {}
    assert empty_province.find("form") == []


def test_a_dry_run_after_a_rename_says_what_would_change_and_writes_nothing(
    province: Province,
) -> None:
    def rename(rows: list[dict[str, str]]) -> None:
        rows[0]["Tên đơn vị"] = "Văn phòng Sở Giáo dục và Đào tạo"

    edit_units(province, rename)
    province.fresh_calls()
    shown = dry_run(province)
    assert "Sẽ đổi tên «Văn phòng Sở» thành «Văn phòng Sở Giáo dục và Đào tạo»" in shown
    assert "Sẽ cập nhật nội dung biểu mẫu" in shown  # the unit list of every form
    assert province.writes() == {}


def test_a_legacy_template_stops_provisioning_naming_the_template_and_leaves_no_copy(
    empty_province: Province,
) -> None:
    template = empty_province.deployment.settings.storage.form_template_id
    empty_province.control.post(f"forms/{template}/legacy")
    env = {**os.environ, "GUONGMAU_EMULATOR": empty_province.url}
    result = CliRunner().invoke(main, ["--config", str(empty_province.config_dir / "guongmau.yaml"),
                                       "provision", "--hom-nay", "2025-01-10"], env=env)
    assert result.exit_code == 3, result.output
    assert f"Biểu mẫu mẫu «{template}» là biểu mẫu kiểu cũ" in result.output
    assert "Traceback" not in result.output
    assert empty_province.find("form") == []  # the legacy copy is in the bin


def test_provision_warns_in_one_line_when_the_configured_year_is_over(
    empty_province: Province,
) -> None:
    env = {**os.environ, "GUONGMAU_EMULATOR": empty_province.url}
    result = CliRunner().invoke(main, ["--config", str(empty_province.config_dir / "guongmau.yaml"),
                                       "provision", "--dry-run", "--hom-nay", "2026-12-01"],
                                env=env)
    assert result.exit_code == 0, result.output
    first = result.output.splitlines()[0]
    assert first.startswith("Lưu ý: năm 2025 đã kết thúc (hạn nộp cuối cùng 10/12/2025, hôm nay "
                            "01/12/2026) nên mọi biểu mẫu sẽ đóng")
    assert "đã kết thúc" not in dry_run(empty_province)


def invoke(province: Province, *args: str) -> Any:
    env = {**os.environ, "GUONGMAU_EMULATOR": province.url}
    return CliRunner().invoke(main, ["--config", str(province.config_dir / "guongmau.yaml"),
                                     *args], env=env)


def test_collect_before_any_provision_says_what_to_run(empty_province: Province) -> None:
    result = invoke(empty_province, "collect")
    assert result.exit_code == 0, result.output
    assert result.output.strip() == (
        "Chưa có biểu mẫu nào của năm 2025 để thu thập: hãy chạy «guongmau --config "
        f"{empty_province.config_dir / 'guongmau.yaml'} provision» trước.")


def test_renew_watches_prints_expiry_in_the_units_local_time(province: Province) -> None:
    result = invoke(province, "renew-watches")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert len(lines) == 10
    for line in lines:  # «Đã gia hạn ke-hoach-nhom-1: đến 08:15 17/01/2025», not UTC ISO
        assert re.fullmatch(r"Đã gia hạn [a-z0-9-]+: đến \d\d:\d\d \d\d/\d\d/\d{4}", line), line


def test_provision_on_a_budget_says_it_is_not_done_and_when_to_resume_then_finishes(
        empty_province: Province, province: Province) -> None:
    # One Sheets write a minute: the second unit Sheet's build is a minute away, past the budget.
    empty_province.control.post("quotas", {"enabled": True, "windowSeconds": 60,
                                           "limits": {"sheets.write": [300, 1]}})
    stopped = invoke(empty_province, "provision", "--hom-nay", "2025-01-10", "--gioi-han", "40")
    assert stopped.exit_code == 0, stopped.output
    assert "lần chạy sau (từ " in stopped.output
    assert stopped.output.strip().endswith("Chưa xong: chạy lại lệnh này để làm tiếp phần còn lại.")
    assert empty_province.control.get("quotas")["refused"] == 0

    empty_province.control.post("quotas", {"enabled": False})
    finished = invoke(empty_province, "provision", "--hom-nay", "2025-01-10")
    assert finished.exit_code == 0, finished.output
    assert "Chưa xong" not in finished.output
    assert helpers.state_of(empty_province) == helpers.state_of(province)
