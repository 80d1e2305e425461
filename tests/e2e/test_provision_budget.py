"""Provisioning on a time budget (a function run has 3 600 s): a run stops before a quota wait
would outlast its budget, or between two units once its budget is spent, keeps what it made,
says when to resume; the next runs finish it with the state one clean run leaves, no twin."""

from __future__ import annotations

import time
from dataclasses import dataclass

from functions.adapters.retry import Gate
from functions.services.budget import MARGIN, TIME_UP_NOTE
from functions.services.provision import Outcome
from functions.services.workspace import connect
from tests.e2e import test_provision_helpers as helpers
from tests.e2e.test_pacing import TIGHT
from tests.e2e.test_provision_helpers import Province, state_of

province = helpers.province  # fixtures
provisioned_snapshot = helpers.provisioned_snapshot
empty_province = helpers.empty_province
MAX_RUNS = 8


@dataclass
class Latency:
    """A pacer that never waits for quota but makes every Workspace call take ``seconds``
    longer, as a slow Google would (the state store is left quick): the deadline it is given is
    the quota's, so it never raises."""

    seconds: float = 0.05

    def admit(self, api: str, bucket: str, count: int = 1,
              deadline: float | None = None) -> None:
        if api != "storage":
            time.sleep(self.seconds * count)

    def throttled(self, api: str, bucket: str) -> None:
        """Nothing: no quota here."""


def runs_until_complete(province: Province, budget: float) -> list[Outcome]:
    runs = []
    for _ in range(MAX_RUNS):
        runs.append(province.provision(budget=budget))
        if runs[-1].complete:
            return runs
    raise AssertionError(f"{MAX_RUNS} runs did not finish provisioning: {runs[-1].notes}")


def finished_as_one_clean_run(resumed: Province, clean: Province) -> None:
    assert state_of(resumed) == state_of(clean)  # no twin, nothing missing
    resumed.fresh_calls()
    resumed.reload()
    assert resumed.provision().actions == []
    assert resumed.writes() == {}


def test_provisioning_on_a_budget_stops_cleanly_and_the_next_runs_finish_it_without_twins(
    empty_province: Province, province: Province
) -> None:
    paced = empty_province
    window = 1.0
    # Drive reads left loose: the sharing audit reads permissions in one batch, whose parts
    # the limiter admits one by one before the batch is sent together.
    limits = {**TIGHT, "drive.read": [12000, 100]}
    paced.control.post("quotas", {"enabled": True, "windowSeconds": window, "limits": limits})
    paced.reload()
    runs = runs_until_complete(paced, MARGIN + 4 * window)  # about 9 windows of work in all
    assert 2 <= len(runs) <= 5, f"{len(runs)} runs: the budget did not cut the work"
    for stopped in runs[:-1]:  # a quota wait past the budget, or (a busy machine) time spent
        assert "lần chạy sau (từ" in stopped.notes[-1] or stopped.notes[-1] == TIME_UP_NOTE, \
            stopped.notes
    assert paced.control.get("quotas")["refused"] == 0
    paced.control.post("quotas", {"enabled": False})
    finished_as_one_clean_run(paced, province)


def test_provisioning_slowed_by_latency_not_quota_stops_between_units_when_its_budget_is_spent(
    empty_province: Province, province: Province
) -> None:
    slow = empty_province  # no quota at all: only the time each call takes
    slow.ws = connect(slow.clients(), slow.deployment.settings, gate=Gate(pacer=Latency()))
    runs = runs_until_complete(slow, MARGIN + 3.0)  # about 7 s of latency in all
    assert len(runs) >= 2, "one second was enough for the whole province: the test proves nothing"
    for stopped in runs[:-1]:
        assert stopped.notes[-1] == TIME_UP_NOTE, stopped.notes
    finished_as_one_clean_run(slow, province)
