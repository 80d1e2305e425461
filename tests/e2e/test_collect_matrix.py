"""The fault-and-kill matrix of `collect` (issue 9, collection half).

Each case makes news (two new responses, an edit), runs `collect` with one fault on one API
method (429, 500, 503, 403 rate limit, a dropped connection, an answer lost after the call was
handled) or kills a `guongmau collect` process (`kill -9`) at a point of its run, then runs
clean until a run completes, and a reconcile. After every case the Sheets must equal the
independent projection of every response submitted (`collect_helpers.expected`, the state a
run without faults reaches), with no row lost or shown twice, every cell a head typed unchanged
and no file made.

By default a seeded sample runs (about a minute); ``GUONGMAU_FULL_MATRIX=1`` runs every case,
``GUONGMAU_MATRIX_SEED`` picks another sample. The figures are printed (``pytest -s``):
cases, runs, converged, lost, duplicated.
"""

from __future__ import annotations

import os
import random
import time
from dataclasses import dataclass
from typing import Any

import pytest
import requests

from functions.adapters.clients import Clients, Target
from functions.adapters.errors import GoogleApiError
from tests.e2e import collect_helpers as helpers
from tests.e2e.collect_helpers import (
    Province,
    differences,
    expected,
    kill_when,
    shown,
    start_collect,
)
from tests.e2e.test_collect_people_columns import head_types, people_values

collect_snapshot = helpers.collect_snapshot  # fixture
province = helpers.province  # fixture

FULL = os.environ.get("GUONGMAU_FULL_MATRIX") == "1"
SEED = int(os.environ.get("GUONGMAU_MATRIX_SEED", "9"))
SAMPLED_FAULTS, SAMPLED_KILLS = 6, 2

# Every method a collection calls (checked against a clean run below).
METHODS = ("forms.forms.responses.list", "sheets.spreadsheets.get",
           "sheets.spreadsheets.batchUpdate", "storage.objects.get", "storage.objects.insert",
           "storage.objects.delete", "storage.objects.list")
RATE_LIMIT_403: dict[str, Any] = {"status": 403, "reason": "userRateLimitExceeded"}
FAULTS: tuple[dict[str, Any], ...] = ({"status": 429}, {"status": 500}, {"status": 503},
                                      RATE_LIMIT_403, {"status": "drop"},
                                      {"status": "drop-after"})
# (method, calls counted when the process is killed): while listing, while reading a unit,
# after the first unit write, near the end (the overview write), while saving progress.
KILLS = (("forms.forms.responses.list", 3), ("sheets.spreadsheets.get", 2),
         ("sheets.spreadsheets.batchUpdate", 1), ("sheets.spreadsheets.batchUpdate", 4),
         ("storage.objects.insert", 6))
PEOPLE = (("ke-hoach-nhom-2", "binhnd@sgddt-demo.edu.vn"), ("ke-hoach-nhom-1",
                                                            "tuannq@sgddt-demo.edu.vn"),
          ("ke-hoach-nhom-2", "hoalt@sgddt-demo.edu.vn"), ("quy-1-nhom-2",
                                                          "tungmm@sgddt-demo.edu.vn"),
          ("ke-hoach-nhom-2", "khach.lqd@example.com"))
HEAD = "ngochtt@sgddt-demo.edu.vn"  # types into SO-VP's people's columns


@dataclass
class Tally:
    cases: int = 0
    runs: int = 0
    converged: int = 0
    lost: int = 0
    duplicated: int = 0

    def line(self) -> str:
        return (f"collect matrix: cases {self.cases}, runs {self.runs}, converged "
                f"{self.converged}, lost {self.lost}, duplicated {self.duplicated}")


def supported(province: Province, fault: dict[str, Any]) -> bool:
    """Whether the emulator can inject ``fault`` (the 403 rate limit came later)."""
    try:
        province.control.post("faults", {"method": "none.such", "count": 1, **fault})
    except requests.HTTPError:
        return False
    province.control.delete("faults")
    return True


def cases(province: Province) -> list[tuple[str, Any]]:
    faults = [f for f in FAULTS if supported(province, f)]
    every = [("fault", (m, f)) for m in METHODS for f in faults]
    kills = [("kill", k) for k in KILLS]
    if FULL:
        return every + kills
    chooser = random.Random(SEED)
    return chooser.sample(every, SAMPLED_FAULTS) + chooser.sample(kills, SAMPLED_KILLS)


def make_news(province: Province, number: int, keep: str = "") -> None:
    """Two new responses and an edit (never of ``keep``, whose plan the head confirmed: its
    edit would reset the confirmation, the one documented change of a typed cell)."""
    chooser = random.Random(SEED * 1000 + number)
    for form, email in chooser.sample(PEOPLE, 2):
        province.submit_as(form, email, f"c{number}",
                           unit_code="THPT-LQD" if "example" in email else None)
    ids = sorted(set(province.responses) - {keep})
    province.edit(ids[chooser.randrange(len(ids))], f"c{number}-sua")


def files(province: Province) -> int:
    drive = Clients(Target(emulator_url=province.url)).service("drive")
    answer = drive.files().list(q="trashed = false", corpora="allDrives", pageSize=1000,
                                includeItemsFromAllDrives=True, supportsAllDrives=True,
                                fields="files(id)").execute()
    return len(answer.get("files", []))


def run_once(province: Province, tally: Tally, **options: Any) -> bool:
    tally.runs += 1
    try:
        outcome = province.collect(**options)
    except (GoogleApiError, requests.RequestException, ConnectionError):
        return False
    return outcome.complete and not outcome.busy


def play(province: Province, kind: str, what: Any, tally: Tally) -> None:
    if kind == "fault":
        method, fault = what
        province.control.post("faults", {"method": method, "count": 2, **fault})
        run_once(province, tally, full=method == "forms.forms.responses.list")
        province.control.delete("faults")
        later = time.time
    else:
        method, count = what
        province.control.reset_calls()
        process = start_collect(province)
        tally.runs += 1
        kill_when(province, process, method, count)

        def later() -> float:  # two minutes on: the killed run's lease has expired
            return time.time() + 121
    for _ in range(5):  # clean runs, as the next notifications start them
        if run_once(province, tally, wall_clock=later):
            break
    run_once(province, tally, full=True, wall_clock=later)  # and the schedule's reconcile


@pytest.mark.timeout(3600 if FULL else 300)  # the full matrix: several minutes
def test_collect_converges_after_every_fault_and_kill(province: Province) -> None:
    province.control.post("forms-config", {"filterCompares": "lastSubmittedTime"})
    binh = province.submit_as("ke-hoach-nhom-2", "binhnd@sgddt-demo.edu.vn", "c0")
    make_news(province, 0, keep=binh.response_id)
    province.control.reset_calls()
    province.collect(full=True)
    assert set(province.calls()) == set(METHODS), "the matrix covers every method called"
    typed: list[tuple[str, str, str, object]] = [
        ("Kế hoạch", binh.response_id, "Xác nhận", True),
        ("Kế hoạch", binh.response_id, "Ghi chú", "Đã xem"),
    ]
    head_types(province, typed)
    before_cells, before_files = people_values(province, typed), files(province)
    tally, problems = Tally(), []
    for number, (kind, what) in enumerate(cases(province), start=1):
        make_news(province, number, keep=binh.response_id)
        play(province, kind, what, tally)
        tally.cases += 1
        found = differences(expected(province), shown(province))
        tally.lost += sum("rows missing" in p for p in found)
        tally.duplicated += sum("shown twice" in p or "unexpected row" in p for p in found)
        if people_values(province, typed) != before_cells:
            found.append(f"people's cells changed: {people_values(province, typed)}")
        if files(province) != before_files:
            found.append(f"files: {files(province)}, expected {before_files}")
        if found:
            problems.append(f"{kind} {what}: " + "; ".join(found))
        else:
            tally.converged += 1
    print(f"\n{tally.line()}")
    assert not problems, tally.line() + "\n" + "\n".join(problems)
    assert tally.lost == tally.duplicated == 0
