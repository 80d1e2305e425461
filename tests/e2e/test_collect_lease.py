"""One writer at a time, never stuck: a killed run's lease expires within two minutes; a long
run keeps its lease by a heartbeat; a run refused by the lease says until when, exits 5, and a
full pass asked for meanwhile is not dropped. A run without ``--full`` says when edits the
timestamp filter may hide will arrive."""

from __future__ import annotations

import os
import threading
import time
from dataclasses import replace
from typing import Any

from click.testing import CliRunner, Result

from functions.cli import main
from functions.services.collect import SyncOutcome
from functions.services.lease import Lease
from tests.e2e import collect_helpers as helpers
from tests.e2e.collect_helpers import (
    TODAY,
    Province,
    assert_projection,
    kill_when,
    start_collect,
)
from tests.e2e.test_collect_faults import SlowSheets, submit_spread

collect_snapshot = helpers.collect_snapshot  # fixture
province = helpers.province  # fixture

EXIT_BUSY = 7
BINH, TUNG = "binhnd@sgddt-demo.edu.vn", "tungmm@sgddt-demo.edu.vn"


def lease_of(province: Province) -> Lease:
    return Lease(province.ws.state, name=f"years/{province.deployment.settings.year}/lease.json")


def cli_collect(province: Province, *args: str) -> Result:
    env = {**os.environ, "GUONGMAU_EMULATOR": province.url}
    return CliRunner().invoke(main, ["--config", str(province.config_dir / "guongmau.yaml"),
                                     "collect", "--hom-nay", TODAY.isoformat(), *args], env=env)


def edit_the_filter_hides(province: Province) -> None:
    """An edit of a response created well before the form's cursor: a filter comparing
    creation times (the emulator's default) does not list it."""
    binh = province.submit_as("ke-hoach-nhom-2", BINH, "a")
    province.control.post("clock", {"advance": 600})
    province.submit_as("ke-hoach-nhom-2", TUNG, "a")  # the cursor moves past Bình's
    province.collect()
    province.edit(binh.response_id, "a-sua")


def test_a_run_finding_the_lease_held_says_until_when_and_exits_with_its_own_code(
        province: Province) -> None:
    other = lease_of(province)
    assert other.acquire()
    result = cli_collect(province)
    assert result.exit_code == EXIT_BUSY, result.output
    expires = time.strftime("%H:%M:%S", time.gmtime(other.clock() + other.ttl_seconds
                                                      + 7 * 3600))[:5]
    assert "Một lần đồng bộ khác đang chạy (khóa của lần đó hết hạn lúc " in result.output
    assert expires in result.output, "the expiry, in the units' time (UTC+7)"
    other.release()
    assert cli_collect(province).exit_code == 0


def test_a_full_pass_asked_for_while_the_lease_is_held_is_made_by_the_next_run(
        province: Province) -> None:
    binh = province.submit_as("ke-hoach-nhom-2", BINH, "a")
    province.collect()
    province.control.post("clock", {"advance": 600})
    province.edit(binh.response_id, "a-sua")  # the fast path's filter does not see it
    other = lease_of(province)
    assert other.acquire()
    refused = cli_collect(province, "--full")
    assert refused.exit_code == EXIT_BUSY
    assert "yêu cầu đối soát toàn bộ đã được ghi lại" in refused.output
    other.release()
    province.collect()  # a notification's run, not a reconcile
    assert_projection(province)


def test_a_long_run_keeps_its_lease_by_a_heartbeat_and_a_run_meanwhile_waits(
        province: Province) -> None:
    submit_spread(province, "a")  # six units, each read slowly: about two seconds in all
    own = province.reload_workspace()
    slow = SlowSheets(own.sheets, crash_at=0, after_landing=False)
    outcomes: list[SyncOutcome] = []
    holder = threading.Thread(target=lambda: outcomes.append(province.collect(
        ws=replace(own, sheets=slow), lease_seconds=0.9)))  # type: ignore[arg-type]
    holder.start()
    time.sleep(1.5)  # past the lease's first life: only its renewals keep it
    meanwhile = province.collect(lease_seconds=0.9)
    holder.join(60)
    assert meanwhile.busy, "the holder's lease was renewed while it worked"
    assert outcomes and outcomes[0].complete and not outcomes[0].busy
    assert_projection(province)


def test_a_killed_collect_blocks_other_runs_for_at_most_two_minutes(
        province: Province) -> None:
    submit_spread(province, "a")
    province.control.reset_calls()
    process = start_collect(province)
    assert kill_when(province, process, "sheets.spreadsheets.batchUpdate", 2)
    killed_at = time.time()
    held: dict[str, Any] = province.ws.state.read(
        f"years/{province.deployment.settings.year}/lease.json").value
    assert held and held["expires"] <= killed_at + 120
    refused = cli_collect(province)
    assert refused.exit_code == EXIT_BUSY
    resumed = province.collect(wall_clock=lambda: killed_at + 121)
    assert resumed.complete and not resumed.busy
    assert_projection(province)


def test_a_run_without_full_says_edits_may_wait_and_when_the_reconcile_comes(
        province: Province) -> None:
    edit_the_filter_hides(province)
    result = cli_collect(province)
    assert result.exit_code == 0, result.output
    assert "0 câu trả lời mới hoặc đã sửa" in result.output
    assert ("câu trả lời được sửa có thể chưa vào bảng" in result.output
            and "theo lịch: lúc " in result.output), result.output
    full = cli_collect(province, "--full")
    assert "1 câu trả lời mới hoặc đã sửa" in full.output
    assert "câu trả lời được sửa có thể chưa vào bảng" not in full.output
    assert_projection(province)


def test_no_such_warning_once_the_filter_is_seen_to_compare_edit_times(
        province: Province) -> None:
    province.control.post("forms-config", {"filterCompares": "lastSubmittedTime"})
    edit_the_filter_hides(province)
    result = cli_collect(province)
    assert "1 câu trả lời mới hoặc đã sửa" in result.output
    assert "câu trả lời được sửa có thể chưa vào bảng" not in result.output, result.output
