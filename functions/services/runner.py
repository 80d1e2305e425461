"""Runs of the sync as the triggers start them: one writer at a time, bursts absorbed.

A notification adds its form to a pending set and tries the lease. The holder drains the set,
pass after pass, until it is empty or the time budget is spent; notifications arriving
meanwhile join the set instead of starting runs of their own. After releasing the lease the
holder looks once more, so a form added in that last instant is not left waiting.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from datetime import date, datetime
from zoneinfo import ZoneInfo

from functions.adapters.pacing import BudgetExhausted
from functions.adapters.storage import PreconditionFailed
from functions.clock import local_today as today_in_zone
from functions.config.deployment import Deployment
from functions.services.collect import SyncOutcome, sync
from functions.services.lease import Lease
from functions.services.registry import RegistryStore
from functions.services.workspace import Workspace

MARGIN = 30.0  # seconds kept free before the platform's time limit
MAX_PASSES = 10


class PendingForms:
    """The set of forms with news not yet collected (compare-and-set updates)."""

    def __init__(self, ws: Workspace, year: int) -> None:
        self.store = ws.state
        self.name = f"years/{year}/pending.json"

    def add(self, keys: Iterable[str]) -> None:
        keys = set(keys)
        for _ in range(20):
            current = self.store.read(self.name)
            merged = sorted(set((current.value or {}).get("forms", [])) | keys)
            if current.generation and merged == (current.value or {}).get("forms"):
                return
            try:
                self.store.write(self.name, {"forms": merged}, if_generation=current.generation)
                return
            except PreconditionFailed:
                continue

    def take(self) -> list[str]:
        for _ in range(20):
            current = self.store.read(self.name)
            forms = list((current.value or {}).get("forms", []))
            if not forms:
                return []
            try:
                self.store.write(self.name, {"forms": []}, if_generation=current.generation)
                return forms
            except PreconditionFailed:
                continue
        return []


def local_today(deployment: Deployment) -> date:
    """The date where the units are (a function's clock is UTC: 7 hours behind Vietnam's)."""
    return today_in_zone(deployment.settings.schedule.time_zone)


def _form_keys(deployment: Deployment, ws: Workspace, form_ids: Iterable[str]) -> list[str]:
    registry = RegistryStore(ws.state, deployment.settings.year).load()
    by_id = {entry.get("id"): key for key, entry in registry.forms.items()}
    return sorted({by_id[form_id] for form_id in form_ids if form_id in by_id})


def run(deployment: Deployment, ws: Workspace, *, form_ids: Iterable[str] = (),
        every_form: bool = False, full: bool = False, budget_seconds: float = 540.0,
        today: date | None = None, clock: Callable[[], float] = time.monotonic) -> SyncOutcome:
    """Collect the notified forms (``form_ids``), every form from its cursor (``every_form``),
    or everything unfiltered (``full``: the reconcile). A wait for the quota that would outlast
    the budget stops the run cleanly: incomplete, with a note saying when it can resume."""
    total = SyncOutcome(runs=0)
    ws.gate.stop_by(time.monotonic() + budget_seconds - MARGIN)
    try:
        return _run(deployment, ws, form_ids, every_form, full, budget_seconds, today, clock,
                    total)
    except BudgetExhausted as stop:
        total.complete = False
        total.notes.append(resume_note(deployment, stop))
        return total
    finally:
        ws.gate.stop_by(None)


def resume_note(deployment: Deployment, stop: BudgetExhausted) -> str:
    zone = ZoneInfo(deployment.settings.schedule.time_zone or "Asia/Ho_Chi_Minh")
    when = datetime.fromtimestamp(stop.resume_at, zone).strftime("%H:%M:%S ngày %d/%m/%Y")
    return (f"Đã dừng vì phải chờ hạn mức của Google lâu hơn thời gian còn lại của lần chạy; "
            f"phần đã ghi được giữ, lần chạy sau (từ {when}) làm tiếp.")


def _run(deployment: Deployment, ws: Workspace, form_ids: Iterable[str], every_form: bool,
         full: bool, budget_seconds: float, today: date | None, clock: Callable[[], float],
         total: SyncOutcome) -> SyncOutcome:
    started = clock()
    deadline = started + budget_seconds - MARGIN
    year = deployment.settings.year
    pending = PendingForms(ws, year)
    if form_ids or every_form:
        pending.add([s.key for s in deployment.forms] if every_form
                    else _form_keys(deployment, ws, form_ids))
    for _ in range(2):  # a second round only if news arrived while we released the lease
        lease = Lease(ws.state, ttl_seconds=budget_seconds + 60, name=f"years/{year}/lease.json")
        if not lease.acquire():
            total.busy = True
            return total
        try:
            _drain(deployment, ws, pending, full, deadline, today or local_today(deployment),
                   clock, total, lease)
        finally:
            lease.release()
        full = False
        if clock() > deadline or not (pending.store.read(pending.name).value or {}).get("forms"):
            break
    return total


def _drain(deployment: Deployment, ws: Workspace, pending: PendingForms, full: bool,
           deadline: float, today: date, clock: Callable[[], float], total: SyncOutcome,
           lease: Lease) -> None:
    for number in range(MAX_PASSES):
        keys = pending.take()
        if not keys and not (full and number == 0):
            return
        try:
            outcome = sync(deployment, ws, None if full and number == 0 else keys,
                           full=full and number == 0, deadline=deadline, today=today,
                           clock=clock)
        except BaseException:
            pending.add(keys)  # taken but not collected: the next run must see them
            raise
        _add(total, outcome)
        if not outcome.complete:
            pending.add(keys)  # not all applied: leave them for the next run
            return
        if clock() > deadline or not lease.renew():
            return


def _add(total: SyncOutcome, outcome: SyncOutcome) -> None:
    total.runs += outcome.runs
    total.listed += outcome.listed
    total.changed += outcome.changed
    total.units_written += outcome.units_written
    total.quarantined += outcome.quarantined
    total.complete = total.complete and outcome.complete
    total.notes += outcome.notes
