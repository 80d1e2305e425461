"""The fault-and-kill matrix of ``provision``.

Each API method a run calls × 429, 500, 503, 403 (``userRateLimitExceeded``), a dropped
connection, a lost answer (``drop-after``), once (the retries absorb it) or seven times in a
row (the run stops); and ``kill -9`` of the real ``guongmau provision`` process at a call held
before or after its effect. Two scenarios: a first run on an empty shared drive, and a change
(a unit renamed, one added) on a provisioned one where a head has typed in a people's column.
Each case is followed by clean runs; every case must converge to the state a run without
faults leaves: the first clean run finishes, no twin file, no lost or doubled row of the Sở
overview, the typed cell unchanged, and one more run writes nothing.

Sampled by default: seeded (``GUONGMAU_MATRIX_SEED``, else the day's date, shown in each
case's id and in the summary), one case per fault kind and two kills, about a minute.
``GUONGMAU_FULL_MATRIX=1`` runs every method × fault × burst and kills at three points of
every method. The summary line (cases, runs, converged, twins) ends the module's output.
"""

from __future__ import annotations

import os
import random
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from emulator.core import Config
from emulator.server import start
from functions.adapters.errors import GoogleApiError
from functions.blueprints.cells import column_letter
from functions.services.preflight import PreflightError
from tests.e2e import test_provision_helpers as helpers
from tests.e2e.test_provision_helpers import Province, edit_units

provisioned_snapshot = helpers.provisioned_snapshot  # fixture

FULL = os.environ.get("GUONGMAU_FULL_MATRIX") == "1"
SEED = int(os.environ.get("GUONGMAU_MATRIX_SEED") or date.today().toordinal())
SCENARIOS = ("new", "change")
FAULTS: tuple[int | str, ...] = (429, 500, 503, 403, "drop", "drop-after")
KILLS = ("hang", "hang-after")  # killed while the call is held, before or after its effect
BURSTS = (1, 7)  # once; more in a row than the retries (six tries) absorb
# Every method each scenario's run calls (checked against a clean run below).
METHODS = {
    "new": (
        "drive.drives.get", "drive.files.copy", "drive.files.create", "drive.files.generateIds",
        "drive.files.get", "drive.files.list", "drive.permissions.create",
        "drive.permissions.list", "forms.forms.batchUpdate", "forms.forms.get",
        "forms.forms.setPublishSettings", "forms.forms.watches.create",
        "forms.forms.watches.list", "sheets.spreadsheets.batchUpdate", "storage.objects.get",
        "storage.objects.insert"),
    "change": (
        "drive.drives.get", "drive.files.create", "drive.files.generateIds", "drive.files.get",
        "drive.files.list", "drive.files.update", "drive.permissions.create",
        "drive.permissions.list", "forms.forms.batchUpdate", "forms.forms.get",
        "sheets.spreadsheets.batchUpdate", "storage.objects.get", "storage.objects.insert"),
}
HEAD = "ngochtt@sgddt-demo.edu.vn"  # head of SO-VP: types a note in the people's column
NOTE = ("Kế hoạch", "Ghi chú", "Thủ trưởng ghi: họp chi bộ ngày 12")
NEW_UNIT = {"Mã đơn vị": "THPT-NT", "Tên đơn vị": "Trường THPT Nguyễn Trãi",
            "Email thủ trưởng": "hieutruong.nt@sgddt-demo.edu.vn", "Email theo dõi": "",
            "Loại đơn vị": "Trường THPT", "Trạng thái": ""}
GUONGMAU = str(Path(sys.executable).parent / "guongmau")


@dataclass(frozen=True)
class Case:
    scenario: str
    method: str
    fault: int | str
    burst: int  # faults in a row (kills: 1)
    at: float  # where in the method's calls of a clean run: 0 = the first, 0.99 = the last

    @property
    def kill(self) -> bool:
        return self.fault in KILLS

    def __str__(self) -> str:
        return f"{self.scenario}-{self.method}-{self.fault}x{self.burst}@{self.at:.2f}-s{SEED}"


def all_cases() -> list[Case]:
    rng = random.Random(SEED)
    if FULL:
        faults = [Case(s, m, f, b, rng.random()) for s in SCENARIOS for m in METHODS[s]
                  for f in FAULTS for b in BURSTS]
        kills = [Case(s, m, k, 1, at) for s in SCENARIOS for m in METHODS[s] for k in KILLS
                 for at in (0.0, 0.5, 0.99)]
        return faults + kills
    cases = []
    for fault in [*rng.sample(FAULTS, 4), *KILLS]:
        scenario = rng.choice(SCENARIOS)
        burst = 1 if fault in KILLS else rng.choice(BURSTS)
        cases.append(Case(scenario, rng.choice(METHODS[scenario]), fault, burst, rng.random()))
    return cases


@dataclass
class Tally:
    cases: int = 0
    runs: int = 0
    converged: int = 0
    twins: int = 0
    kills: int = 0
    failures: list[str] = field(default_factory=list)  # faulty runs that stopped, by error


@dataclass
class Reference:
    state: dict[str, Any]
    calls: dict[str, int]


@pytest.fixture(scope="module")
def tally(request: pytest.FixtureRequest) -> Iterator[Tally]:
    found = Tally()
    yield found
    line = (f"Ma trận lỗi của provision / provision fault matrix (seed {SEED}, "
            f"{'full' if FULL else 'sampled'}): {found.cases} cases, {found.runs} runs, "
            f"{found.kills} kill -9, {found.converged} converged, {found.twins} twins; "
            f"faulty runs stopped: {len(found.failures)}")
    plugins = request.config.pluginmanager
    reporter, capture = plugins.getplugin("terminalreporter"), plugins.getplugin("capturemanager")
    if reporter is not None and capture is not None:
        with capture.global_and_fixture_disabled():  # shown even when output is captured
            reporter.write_line(line)


@pytest.fixture(scope="module")
def references(provisioned_snapshot: Path,
               tmp_path_factory: pytest.TempPathFactory) -> dict[str, Reference]:
    """What a run without faults leaves, and the calls it makes, per scenario."""
    found = {}
    for scenario in SCENARIOS:
        province = open_province(scenario, provisioned_snapshot,
                                 tmp_path_factory.mktemp(f"reference-{scenario}"))
        try:
            province.fresh_calls()
            province.provision()
            calls = province.methods()
            found[scenario] = Reference(helpers.state_of(province), calls)
        finally:
            province.emulator.stop()
    return found


def open_province(scenario: str, snapshot: Path, root: Path) -> Province:
    """The scenario's starting point, on an emulator of its own."""
    if scenario == "new":
        province = helpers.fresh_province(root)
    else:
        shutil.copytree(snapshot, root / "province")
        province = Province(start(root / "province" / "emulator",
                                  config=Config(quotas_enabled=False)),
                            root / "province" / "config")
        write_note(province)
        edit_units(province, change_units)
    helpers.with_quick_backoff(province)
    return province


def change_units(rows: list[dict[str, str]]) -> None:
    rows[0]["Tên đơn vị"] = "Văn phòng Sở Giáo dục và Đào tạo"
    rows.append(dict(NEW_UNIT))


def note_cell(province: Province) -> str:
    tab, header, _ = NOTE
    headers = province.ws.sheets.read(province.unit_sheet("SO-VP"), [f"'{tab}'!1:1"])[0][0]
    return f"'{tab}'!{column_letter(headers.index(header))}2"


def write_note(province: Province) -> None:
    """The head types a note, as themself, in the people's column of their plan tab."""
    sheets = province.clients(HEAD).service("sheets")
    sheets.spreadsheets().values().update(
        spreadsheetId=province.unit_sheet("SO-VP"), range=note_cell(province),
        valueInputOption="USER_ENTERED", body={"values": [[NOTE[2]]]}).execute()


def read_note(province: Province) -> Any:
    return province.ws.sheets.read(province.unit_sheet("SO-VP"), [note_cell(province)])[0]


def place(case: Case, reference: Reference) -> dict[str, Any]:
    """The emulator's fault rule for ``case``: at its share of the method's calls."""
    calls = reference.calls.get(case.method, 1)
    rule: dict[str, Any] = {"method": case.method, "status": case.fault, "count": case.burst,
                            "after": int(case.at * calls)}
    return rule


def kill_at_hold(province: Province) -> bool:
    """``guongmau provision`` as a process; killed (SIGKILL, by its pid) once a call is held.
    False when it ended before reaching the held call."""
    config = province.config_dir / "guongmau.yaml"
    env = {**os.environ, "GUONGMAU_EMULATOR": province.url}
    process = subprocess.Popen(
        [GUONGMAU, "--config", str(config), "provision", "--hom-nay", helpers.TODAY.isoformat()],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 120
        while process.poll() is None and time.monotonic() < deadline:
            if province.control.get("faults")["hanging"]:
                process.kill()
                process.wait(timeout=30)
                return True
            time.sleep(0.02)
        return False
    finally:
        if process.poll() is None:
            process.kill()
            process.wait(timeout=30)


@pytest.mark.parametrize("case", all_cases(), ids=str)
def test_provision_converges_after_the_fault_or_the_kill(
    case: Case, references: dict[str, Reference], tally: Tally, provisioned_snapshot: Path,
    tmp_path: Path,
) -> None:
    reference = references[case.scenario]
    province = open_province(case.scenario, provisioned_snapshot, tmp_path)
    tally.cases += 1
    try:
        province.control.post("faults", place(case, reference))
        tally.runs += 1
        if case.kill:
            tally.kills += kill_at_hold(province)
        else:
            try:
                province.provision()
            except (GoogleApiError, PreflightError) as error:
                tally.failures.append(type(error).__name__)
        province.control.delete("faults")  # lets a held call go: its client is dead
        province.reload()
        helpers.with_quick_backoff(province)
        tally.runs += 1
        province.provision()  # the first clean run must finish
        tally.runs += 1
        province.fresh_calls()
        assert province.provision().actions == [], "one more run has nothing left to do"
        assert province.writes() == {}, "one more run writes nothing"
        state = helpers.state_of(province)
        twins = {key: names for key, names in state["files"].items() if len(names) > 1}
        tally.twins += len(twins)
        assert twins == {}
        assert state == reference.state
        if case.scenario == "change":
            assert read_note(province) == [[NOTE[2]]], "a people's cell changed"
        tally.converged += 1
    finally:
        province.emulator.stop()


def test_the_matrix_covers_every_method_a_provisioning_run_calls(
    references: dict[str, Reference],
) -> None:
    for scenario, found in references.items():
        assert sorted(found.calls) == sorted(METHODS[scenario]), scenario
