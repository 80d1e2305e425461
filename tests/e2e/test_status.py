"""`guongmau status` on a provisioned province: it shows the forms and their watches, the unit
Sheets, the reports and each function's last success, and flags what looks wrong (a job that
has never run, an expired watch) with exit code 6; after the scheduled runs, nothing."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from click.testing import CliRunner, Result

from functions.cli import main
from functions.deploy.table import FUNCTIONS
from functions.services.registry import RegistryStore
from functions.services.status import expected_interval
from tests.e2e import collect_helpers as helpers
from tests.e2e import entry_helpers
from tests.e2e.collect_helpers import Province
from tests.e2e.entry_helpers import http_client
from tests.e2e.test_entry_logs import scheduler_request

collect_snapshot = helpers.collect_snapshot  # fixture
province = helpers.province  # fixture
entry_points = entry_helpers.entry_points  # fixture


def status(province: Province, *args: str) -> Result:
    return CliRunner().invoke(main, ["--config", str(province.config_dir / "guongmau.yaml"),
                                     "status", *args], env={"GUONGMAU_EMULATOR": province.url})


def test_status_flags_scheduled_jobs_that_never_ran_then_is_clean_once_they_have(
        entry_points: Province) -> None:
    before = status(entry_points)
    assert before.exit_code == 6, before.output
    assert "Năm 2025:" in before.output
    assert f"Biểu mẫu: {len(entry_points.registry['forms'])}" in before.output
    assert "ke-hoach-nhom-2: đang nhận trả lời; theo dõi đến 20" in before.output
    units = len(entry_points.deployment.active_units)
    assert f"Bảng theo dõi đơn vị: {units}/{units}" in before.output
    scheduled = [f.entry_point for f in FUNCTIONS if f.schedule is not None]
    for name in scheduled:
        assert f"Lịch {name} (" in before.output and "chưa chạy thành công lần nào" in \
            before.output
    for name in scheduled:
        ran = http_client(name).post("/", headers=scheduler_request(name.replace("_", "-")))
        assert ran.status_code == 200, ran.get_data(as_text=True)
    after = status(entry_points)
    assert after.exit_code == 0, after.output
    assert "Không thấy gì bất thường." in after.output
    assert "chưa bao giờ" in after.output  # collect: no notification yet, and that is fine


def test_an_expired_watch_is_flagged(province: Province) -> None:
    store = RegistryStore(province.ws.state, 2025)
    registry = store.load()
    past = (datetime.now(UTC) - timedelta(hours=3)).isoformat().replace("+00:00", "Z")
    registry.forms["ke-hoach-nhom-1"]["watch"]["expireTime"] = past
    registry.changed()
    store.save(registry, force=True)
    found = status(province)
    assert found.exit_code == 6
    assert "Theo dõi biểu mẫu ke-hoach-nhom-1 đã hết hạn" in found.output


def test_a_year_with_nothing_says_to_provision_first(province: Province) -> None:
    found = status(province, "--year", "2031")
    assert found.exit_code == 6
    assert "Năm 2031 chưa có gì" in found.output


@pytest.mark.parametrize(("cron", "hours"), [("*/15 * * * *", 2), ("0 1 * * *", 48),
                                             ("0 6 * * 1", 192), ("0 7 * * 1-5", 192)])
def test_how_long_a_job_may_go_without_success_follows_its_schedule(cron: str,
                                                                    hours: int) -> None:
    assert expected_interval(cron) == timedelta(hours=hours)
