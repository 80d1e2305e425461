"""Failures change nothing in the end: with calls failing, a run crashing between two unit
writes, a run stopped at its time limit, or two runs started together, running again brings
every Sheet to the same projection, with no response lost and none shown twice."""

from __future__ import annotations

import threading
import time
from dataclasses import replace
from typing import Any

import pytest
import requests

from functions.adapters.errors import GoogleApiError, TransportError
from functions.adapters.sheets import Sheets
from functions.services.collect import SyncOutcome
from functions.services.runner import MARGIN
from tests.e2e import collect_helpers as helpers
from tests.e2e.collect_helpers import (
    Province,
    assert_projection,
)

collect_snapshot = helpers.collect_snapshot  # fixture
province = helpers.province  # fixture

UNITS_AND_PEOPLE = (
    ("ke-hoach-nhom-2", "binhnd@sgddt-demo.edu.vn", None),  # SO-VP
    ("ke-hoach-nhom-1", "tuannq@sgddt-demo.edu.vn", None),  # SO-GDPT
    ("ke-hoach-nhom-2", "hoalt@sgddt-demo.edu.vn", None),  # SO-TCCB
    ("ke-hoach-nhom-2", "khach.cva@example.com", "THPT-CVA"),  # not in the roster
    ("ke-hoach-nhom-2", "khach.lqd@example.com", "THPT-LQD"),
    ("ke-hoach-nhom-1", "khach.dtnt@example.com", "DTNT-MS"),
)


def submit_spread(province: Province, tag: str) -> None:
    """Responses in six units, a second submission and an edit."""
    for form, email, unit in UNITS_AND_PEOPLE:
        province.submit_as(form, email, tag, unit_code=unit)
    first = next(iter(province.responses))
    province.edit(first, f"{tag}-sua")
    province.submit_as("ke-hoach-nhom-2", "binhnd@sgddt-demo.edu.vn", f"{tag}-lan2")


def unit_writes(province: Province) -> int:
    return province.calls().get("sheets.spreadsheets.batchUpdate", 0)


def run_until_complete(province: Province, full: bool, tries: int = 12) -> list[str]:
    """Runs again after every failure, as Pub/Sub redelivery and the schedule would."""
    failures = []
    for _ in range(tries):
        try:
            outcome = province.collect(full=full)
        except (GoogleApiError, requests.RequestException, ConnectionError) as error:
            failures.append(type(error).__name__)
            continue
        if outcome.complete and not outcome.busy:
            return failures
    raise AssertionError(f"no run completed in {tries} tries: {failures}")


# Every failed call costs the clients' back-off (about a second): on "*" (ledgers, lease and
# Forms calls fail too) one round of runs keeps the test short.
@pytest.mark.parametrize(("methods", "status", "rounds"), [("*", 503, 1), ("sheets.*", 429, 2)])
def test_with_a_fifth_of_calls_failing_runs_converge_to_the_projection(
        province: Province, methods: str, status: int, rounds: int) -> None:
    submit_spread(province, "a")
    province.control.post("faults", {"method": methods, "status": status, "rate": 0.2,
                                     "seed": 7})
    if rounds > 1:
        run_until_complete(province, full=False)
        submit_spread(province, "b")
    run_until_complete(province, full=True)
    province.control.delete("faults")
    assert_projection(province)
    assert province.calls().get("sheets.spreadsheets.batchUpdate", 0) > 0


class CrashingSheets:
    """The Sheets port, crashing the run at its ``crash_at``-th batchUpdate: before the write
    (a run killed between two unit writes) or after it landed (the answer lost)."""

    def __init__(self, inner: Sheets, crash_at: int, after_landing: bool) -> None:
        self.inner = inner
        self.crash_at = crash_at
        self.after_landing = after_landing
        self.writes = 0

    def batch_update(self, spreadsheet_id: str, requests: list[dict[str, Any]]) -> Any:
        self.writes += 1
        if self.writes == self.crash_at:
            if self.after_landing:
                self.inner.batch_update(spreadsheet_id, requests)
            raise ConnectionError("the run was killed here (injected)")
        return self.inner.batch_update(spreadsheet_id, requests)

    def read_grid(self, spreadsheet_id: str, ranges: list[str]) -> Any:
        return self.inner.read_grid(spreadsheet_id, ranges)

    def read(self, spreadsheet_id: str, ranges: list[str]) -> Any:
        return self.inner.read(spreadsheet_id, ranges)

    def metadata(self, spreadsheet_id: str, fields: str) -> Any:
        return self.inner.metadata(spreadsheet_id, fields)


@pytest.mark.parametrize("after_landing", [False, True], ids=["before-write", "answer-lost"])
@pytest.mark.parametrize("full", [False, True], ids=["fast", "reconcile"])
def test_a_run_crashing_between_two_unit_writes_is_completed_by_the_next_run(
        province: Province, after_landing: bool, full: bool) -> None:
    submit_spread(province, "a")
    crashing = CrashingSheets(province.ws.sheets, crash_at=2, after_landing=after_landing)
    with pytest.raises(ConnectionError):
        province.collect(full=full, ws=replace(province.ws, sheets=crashing))  # type: ignore[arg-type]
    assert crashing.writes == 2, "the crash came after exactly one unit write"
    outcome = province.collect(full=False)  # a later notification, not only the reconcile
    assert outcome.complete
    assert_projection(province)


def test_a_dropped_connection_on_a_unit_write_is_completed_by_the_next_run(
        province: Province) -> None:
    submit_spread(province, "a")
    province.collect()
    submit_spread(province, "b")
    province.control.post("faults", {"method": "sheets.spreadsheets.batchUpdate",
                                     "status": "drop", "count": 1})
    with pytest.raises(TransportError):  # our error (exit 4 in the CLI), not the library's
        province.collect()
    province.collect()
    assert_projection(province)


def test_a_unit_write_that_lands_but_loses_its_answer_is_not_written_twice(
        province: Province) -> None:
    submit_spread(province, "a")
    province.collect()
    submit_spread(province, "b")
    province.control.post("faults", {"method": "sheets.spreadsheets.batchUpdate",
                                     "status": "drop-after", "rate": 0.5, "seed": 3})
    for _ in range(20):
        try:
            province.collect()
            break
        except TransportError:
            continue
    province.control.delete("faults")
    province.collect()
    assert_projection(province)  # every response once, none twice


class SteppingClock:
    """A clock that moves ``step`` seconds each time it is read."""

    def __init__(self, step: float) -> None:
        self.now = 1000.0
        self.step = step

    def __call__(self) -> float:
        self.now += self.step
        return self.now


def test_a_run_stopped_at_its_time_limit_keeps_its_progress_and_the_next_run_finishes(
        province: Province) -> None:
    submit_spread(province, "a")
    province.control.reset_calls()
    stopped = province.collect(budget=MARGIN + 4, clock=SteppingClock(1.0))
    assert not stopped.complete, "the fake clock should have run out before the last unit"
    assert 0 < stopped.units_written < 6, stopped
    assert "Dừng vì sắp hết thời gian" in " ".join(stopped.notes)
    first_writes = unit_writes(province)
    province.control.reset_calls()
    resumed = province.collect()
    assert resumed.complete
    assert resumed.units_written == 6 - stopped.units_written, (
        "the units written before the stop are not written again")
    assert unit_writes(province) == resumed.units_written + 1  # + the Sở overview
    assert first_writes == stopped.units_written + 1
    assert_projection(province)


class SlowSheets(CrashingSheets):
    """Reads slowly, so two runs started together surely overlap."""

    def read_grid(self, spreadsheet_id: str, ranges: list[str]) -> Any:
        time.sleep(0.3)
        return self.inner.read_grid(spreadsheet_id, ranges)


def test_two_collects_started_together_end_in_the_same_projection(province: Province) -> None:
    submit_spread(province, "a")
    start = threading.Barrier(2)
    outcomes: list[SyncOutcome] = []
    errors: list[BaseException] = []

    def one_run() -> None:
        # Each run its own clients, as two function instances would have.
        own = province.reload_workspace()
        slow = SlowSheets(own.sheets, crash_at=0, after_landing=False)
        start.wait()
        try:
            outcomes.append(province.collect(full=True, ws=replace(own, sheets=slow)))  # type: ignore[arg-type]
        except BaseException as error:  # reported below
            errors.append(error)

    threads = [threading.Thread(target=one_run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    assert not errors, errors
    assert sorted(o.busy for o in outcomes) == [False, True], "one run holds the lease"
    assert_projection(province)
    province.collect()
    assert_projection(province)


def test_a_notified_run_that_crashes_leaves_its_form_for_the_next_run_whatever_starts_it(
        province: Province) -> None:
    binh = province.submit_as("ke-hoach-nhom-2", "binhnd@sgddt-demo.edu.vn", "a")
    crashing = CrashingSheets(province.ws.sheets, crash_at=1, after_landing=False)
    with pytest.raises(ConnectionError):
        province.collect(form_keys=["ke-hoach-nhom-2"],
                         ws=replace(province.ws, sheets=crashing))  # type: ignore[arg-type]
    province.submit_as("ke-hoach-nhom-1", "ngochtt@sgddt-demo.edu.vn", "b")
    province.collect(form_keys=["ke-hoach-nhom-1"])  # another form's notification
    assert binh.response_id in {str(r[0]) for r in province.values(
        province.unit_sheet("SO-VP"), ["'Kế hoạch'!A2:A"])[0] if r}
    assert_projection(province)


class KilledState:
    """The state store of a process killed by ``kill -9``: once ``killed``, nothing it would
    write (not even a ``finally``'s save) reaches Cloud Storage."""

    def __init__(self, inner: Any) -> None:
        self.inner = inner
        self.killed = False

    def read(self, name: str) -> Any:
        return self.inner.read(name)

    def names(self, prefix: str) -> list[str]:
        return list(self.inner.names(prefix))

    def write(self, name: str, value: object, if_generation: int | None = None) -> int:
        if self.killed:
            raise ConnectionError("the process is gone (injected)")
        return int(self.inner.write(name, value, if_generation))

    def delete(self, name: str, if_generation: int | None = None) -> None:
        if not self.killed:
            self.inner.delete(name, if_generation)


class KillingSheets(CrashingSheets):
    """Kills the run (its state store dies with it) at its ``crash_at``-th batchUpdate."""

    def __init__(self, inner: Sheets, crash_at: int, state: KilledState) -> None:
        super().__init__(inner, crash_at, after_landing=False)
        self.state = state

    def batch_update(self, spreadsheet_id: str, requests: list[dict[str, Any]]) -> Any:
        if self.writes + 1 == self.crash_at:
            self.state.killed = True
        return super().batch_update(spreadsheet_id, requests)


def test_a_failed_run_keeps_the_units_it_wrote_and_the_next_run_reads_only_the_rest(
        province: Province) -> None:
    submit_spread(province, "a")  # six units
    crashing = CrashingSheets(province.ws.sheets, crash_at=4, after_landing=False)
    with pytest.raises(ConnectionError):
        province.collect(ws=replace(province.ws, sheets=crashing))  # type: ignore[arg-type]
    province.control.reset_calls()
    province.collect()
    calls = province.calls()
    assert calls.get("sheets.spreadsheets.get", 0) == 3, "only the three units left are read"
    assert unit_writes(province) == 3 + 1  # + the Sở overview, owed for all six
    assert_projection(province)


def test_a_killed_run_keeps_every_unit_that_landed_before_the_kill(province: Province) -> None:
    submit_spread(province, "a")
    state = KilledState(province.ws.state)
    killing = KillingSheets(province.ws.sheets, crash_at=5, state=state)
    with pytest.raises(ConnectionError):
        province.collect(ws=replace(province.ws, sheets=killing, state=state))  # type: ignore[arg-type]
    province.control.reset_calls()
    lease = province.ws.state.read(f"years/{province.deployment.settings.year}/lease.json")
    assert lease.value["expires"] <= time.time() + 120, "a killed run's lease expires soon"
    assert province.collect().busy, "until then, the killed run's lease holds"
    province.collect(wall_clock=lambda: time.time() + 121)  # two minutes later
    assert province.calls().get("sheets.spreadsheets.get", 0) == 2, "the four landed are kept"
    assert_projection(province)


def test_a_resumed_run_lists_only_the_responses_not_yet_recorded(province: Province) -> None:
    # One form, one response per unit, ten minutes apart, in the order the units are written.
    for email, unit in (("khach.dtnt@example.com", "DTNT-MS"), ("tungmm@sgddt-demo.edu.vn", None),
                        ("hoalt@sgddt-demo.edu.vn", None), ("binhnd@sgddt-demo.edu.vn", None),
                        ("khach.cva@example.com", "THPT-CVA"),
                        ("khach.lqd@example.com", "THPT-LQD")):
        province.submit_as("ke-hoach-nhom-2", email, "a", unit_code=unit)
        province.control.post("clock", {"advance": 600})
    stopped = province.collect(budget=MARGIN + 4, clock=SteppingClock(1.0))
    assert not stopped.complete and 0 < stopped.units_written < 6, stopped
    resumed = province.collect()
    assert resumed.complete
    assert resumed.listed == 6 - stopped.units_written, "what is recorded is not listed again"
    assert_projection(province)


class KilledAtSave(KilledState):
    """Killed as it saves the progress of its first unit write (the overview row it owes)."""

    def write(self, name: str, value: object, if_generation: int | None = None) -> int:
        if "/journal/" in name and (value or {}).get("views/due"):  # type: ignore[union-attr]
            self.killed = True
        return super().write(name, value, if_generation)


class KilledWhileFolding(KilledState):
    """Killed as it folds its journal into the ledger's shards, once ``after`` shards landed."""

    def __init__(self, inner: Any, after: int) -> None:
        super().__init__(inner)
        self.after = after

    def write(self, name: str, value: object, if_generation: int | None = None) -> int:
        if "/ledger/" in name and not name.endswith("head.json"):
            self.killed = self.killed or self.after == 0
            self.after -= 1
        return super().write(name, value, if_generation)


def test_a_run_killed_while_saving_its_progress_still_updates_the_overview(
        province: Province) -> None:
    for form, email, _ in UNITS_AND_PEOPLE[:3]:  # roster people: the overview counts them
        province.submit_as(form, email, "a")
    state = KilledAtSave(province.ws.state)
    with pytest.raises(ConnectionError):
        province.collect(ws=replace(province.ws, state=state))  # type: ignore[arg-type]
    province.collect(wall_clock=lambda: time.time() + 121)
    assert_projection(province)  # the Sở overview shows the unit written before the kill


def test_a_run_killed_while_folding_its_progress_is_replayed_without_reading_a_unit_again(
        province: Province) -> None:
    submit_spread(province, "a")  # six units
    state = KilledWhileFolding(province.ws.state, after=1)
    with pytest.raises(ConnectionError):
        province.collect(ws=replace(province.ws, state=state))  # type: ignore[arg-type]
    year = province.deployment.settings.year
    assert province.ws.state.names(f"years/{year}/journal/"), "the journal outlives the kill"
    province.control.reset_calls()
    resumed = province.collect(wall_clock=lambda: time.time() + 121)
    assert resumed.complete and resumed.changed == 0, resumed
    assert province.calls().get("sheets.spreadsheets.get", 0) == 0, "all six were recorded"
    assert unit_writes(province) == 0
    assert province.ws.state.names(f"years/{year}/journal/") == [], "folded, then dropped"
    assert_projection(province)
