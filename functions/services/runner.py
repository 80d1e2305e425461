"""Runs of the sync as the triggers start them: one writer at a time, bursts absorbed.

A notification adds its form to a pending set, a reconcile its request for a full pass, and
each then tries the lease. The holder drains the set, pass after pass, until it is empty or the
time budget is spent; requests arriving meanwhile join the set instead of starting runs of
their own (a full pass asked for while another run holds the lease is made by that run or the
next). After releasing the lease the holder looks once more: a request is always recorded
before its run tries the lease, so one added in that last instant is not left waiting.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from datetime import date

from functions.adapters.pacing import BudgetExhausted
from functions.adapters.storage import PreconditionFailed
from functions.clock import local_today as today_in_zone
from functions.config.deployment import Deployment
from functions.services.budget import MARGIN, resume_note, within
from functions.services.collect import SyncOutcome, sync
from functions.services.lease import LEASE_SECONDS, Heartbeat, Lease
from functions.services.registry import RegistryStore
from functions.services.workspace import Workspace

MAX_PASSES = 10


class PendingForms:
    """The forms with news not yet collected, and whether a full pass was asked for
    (compare-and-set updates of one small object)."""

    def __init__(self, ws: Workspace, year: int) -> None:
        self.store = ws.state
        self.name = f"years/{year}/pending.json"

    def add(self, keys: Iterable[str], full: bool = False) -> None:
        keys = set(keys)
        for _ in range(20):
            current = self.store.read(self.name)
            value = current.value or {}
            forms = [str(key) for key in value.get("forms", [])]
            held: dict[str, object] = {"forms": forms, "full": bool(value.get("full"))}
            merged = {"forms": sorted(set(forms) | keys), "full": bool(held["full"]) or full}
            if current.generation and merged == held:
                return
            try:
                self.store.write(self.name, merged, if_generation=current.generation)
                return
            except PreconditionFailed:
                continue

    def take(self) -> tuple[list[str], bool]:
        """The forms waiting and whether a full pass is due; the set is left empty."""
        for _ in range(20):
            current = self.store.read(self.name)
            value = current.value or {}
            forms, full = list(value.get("forms", [])), bool(value.get("full"))
            if not forms and not full:
                return [], False
            try:
                self.store.write(self.name, {"forms": [], "full": False},
                                 if_generation=current.generation)
                return forms, full
            except PreconditionFailed:
                continue
        return [], False

    def waiting(self) -> bool:
        value = self.store.read(self.name).value or {}
        return bool(value.get("forms") or value.get("full"))


def local_today(deployment: Deployment) -> date:
    """The date where the units are (a function's clock is UTC: 7 hours behind Vietnam's)."""
    return today_in_zone(deployment.settings.schedule.time_zone)


def _form_keys(deployment: Deployment, ws: Workspace, form_ids: Iterable[str]) -> list[str]:
    registry = RegistryStore(ws.state, deployment.settings.year).load()
    by_id = {entry.get("id"): key for key, entry in registry.forms.items()}
    return sorted({by_id[form_id] for form_id in form_ids if form_id in by_id})


def run(deployment: Deployment, ws: Workspace, *, form_ids: Iterable[str] = (),
        every_form: bool = False, full: bool = False, budget_seconds: float = 540.0,
        today: date | None = None, clock: Callable[[], float] = time.monotonic,
        wall_clock: Callable[[], float] = time.time,
        lease_seconds: float = LEASE_SECONDS) -> SyncOutcome:
    """Collect the notified forms (``form_ids``), every form from its cursor (``every_form``),
    or everything unfiltered (``full``: the reconcile). ``clock`` times the budget;
    ``wall_clock`` the lease, which runs on other machines read. A wait for the quota that
    would outlast the budget stops the run cleanly: incomplete, with a note saying when it
    can resume."""
    total = SyncOutcome(runs=0)
    try:
        with within(ws, budget_seconds):
            return _run(deployment, ws, form_ids, every_form, full, budget_seconds, today,
                        clock, wall_clock, lease_seconds, total)
    except BudgetExhausted as stop:
        total.complete = False
        total.notes.append(resume_note(deployment, stop))
        return total


def _run(deployment: Deployment, ws: Workspace, form_ids: Iterable[str], every_form: bool,
         full: bool, budget_seconds: float, today: date | None, clock: Callable[[], float],
         wall_clock: Callable[[], float], lease_seconds: float,
         total: SyncOutcome) -> SyncOutcome:
    deadline = clock() + budget_seconds - MARGIN
    year = deployment.settings.year
    pending = PendingForms(ws, year)
    keys = ([s.key for s in deployment.forms] if every_form
            else _form_keys(deployment, ws, form_ids) if form_ids else [])
    if keys or full:
        pending.add(keys, full)  # recorded first: the holder, or the next run, honours it
    for _ in range(2):  # a second round only if news arrived while we released the lease
        lease = Lease(ws.state, ttl_seconds=lease_seconds, name=f"years/{year}/lease.json",
                      clock=wall_clock)
        if not lease.acquire():
            total.busy = True
            total.busy_until = lease.held_until
            return total
        try:
            with Heartbeat(lease, until=wall_clock() + budget_seconds) as heartbeat:
                _drain(deployment, ws, pending, deadline, today or local_today(deployment),
                       clock, total, heartbeat)
            if heartbeat.failures:
                total.notes.append(f"Gia hạn khóa không thành công {len(heartbeat.failures)} "
                                   f"lần: {heartbeat.failures[-1]}")
        finally:
            lease.release()
        if clock() > deadline or not pending.waiting():
            break
    return total


def _drain(deployment: Deployment, ws: Workspace, pending: PendingForms, deadline: float,
           today: date, clock: Callable[[], float], total: SyncOutcome,
           heartbeat: Heartbeat) -> None:
    for _ in range(MAX_PASSES):
        keys, full = pending.take()
        if not keys and not full:
            return
        try:
            outcome = sync(deployment, ws, None if full else keys, full=full, deadline=deadline,
                           today=today, clock=clock, lost=lambda: heartbeat.lost)
        except BaseException:
            pending.add(keys, full)  # taken but not collected: the next run must see them
            raise
        _add(total, outcome)
        if not outcome.complete:
            pending.add(keys, full)  # not all applied: left for the next run
            return
        if clock() > deadline or heartbeat.lost:
            return


def _add(total: SyncOutcome, outcome: SyncOutcome) -> None:
    total.runs += outcome.runs
    total.listed += outcome.listed
    total.changed += outcome.changed
    total.units_written += outcome.units_written
    total.quarantined += outcome.quarantined
    # The latest pass decides: one left incomplete put its forms back, and a later pass of the
    # same run took them again.
    total.complete = outcome.complete
    total.edits_may_wait = total.edits_may_wait or outcome.edits_may_wait
    total.notes += outcome.notes
