"""The sent log against the emulator's Cloud Storage (real client, generation preconditions):
a reminder is claimed once per person and round, across reruns, a crash and concurrent runs."""

from __future__ import annotations

import threading
from datetime import date

from functions.adapters.clients import Clients
from functions.adapters.storage import ObjectStore, Versioned
from functions.domain.model import Period, PeriodKind
from functions.domain.reminders import due_round
from functions.services.reminder_log import ReminderLog

PLAN = Period(PeriodKind.PLAN, 2025, "Kế hoạch cá nhân", date(2025, 1, 2), date(2025, 2, 28))
ROUND = due_round(PLAN, (7, 2), date(2025, 2, 21))
PEOPLE = [f"gv{n:03d}@sgddt-demo.edu.vn" for n in range(40)]


def log(clients: Clients) -> ReminderLog:
    return ReminderLog(ObjectStore(clients.service("storage"), "guongmau-state"), 2025)


def test_a_rerun_and_a_run_after_a_crash_claim_nobody_twice(clients: Clients) -> None:
    assert ROUND is not None
    first = log(clients)
    assert first.claim(ROUND, PEOPLE[:10]) == PEOPLE[:10]
    # The run crashed after claiming: its claims stand, so the next run skips them.
    assert log(clients).claim(ROUND, PEOPLE[:15]) == PEOPLE[10:15]
    assert log(clients).claim(ROUND, PEOPLE[:15]) == []
    assert log(clients).sent(ROUND) == set(PEOPLE[:15])
    later = due_round(PLAN, (7, 2), date(2025, 2, 26))
    assert later is not None and log(clients).claim(later, PEOPLE[:3]) == PEOPLE[:3], \
        "the next round is a new reminder"


class Racing(ObjectStore):
    """Both runs' first reads happen before either writes: the worst interleaving."""

    def __init__(self, clients: Clients, barrier: threading.Barrier) -> None:
        super().__init__(clients.service("storage"), "guongmau-state")
        self.barrier: threading.Barrier | None = barrier

    def read(self, name: str) -> Versioned:
        found = super().read(name)
        if self.barrier is not None:
            self.barrier.wait(timeout=30)
            self.barrier = None
        return found


def test_two_concurrent_runs_split_the_people_between_them(clients: Clients) -> None:
    assert ROUND is not None
    results: list[list[str]] = []
    barrier = threading.Barrier(2)

    def run() -> None:
        own = Clients(clients.target)  # each run its own HTTP clients, as two instances
        results.append(ReminderLog(Racing(own, barrier), 2025).claim(ROUND, PEOPLE))

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    first, second = results
    assert not set(first) & set(second), "nobody is claimed by both runs"
    assert sorted(first + second) == sorted(PEOPLE)
    assert [] in results, "both read the log empty; the one whose write lost claims nobody"
