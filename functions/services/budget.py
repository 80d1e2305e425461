"""A run's time budget: the platform stops a function at its time limit (540 s for an event,
3 600 s for HTTP), so a run asks the quota limiter to refuse any wait that would end after its
budget (less a margin for saving progress). The limiter then raises ``BudgetExhausted`` instead
of sleeping; the run saves what it did, stops cleanly and says when the next run can resume.
A run slowed by latency rather than quota checks ``spent`` between two steps (units) and stops
the same way. Collection (``runner.run``) and provisioning (``provision.provision``) share this
one way."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from zoneinfo import ZoneInfo

from functions.adapters.pacing import BudgetExhausted
from functions.config.deployment import Deployment
from functions.services.workspace import Workspace

MARGIN = 30.0  # seconds kept free before the platform's time limit
TIME_UP_NOTE = "Dừng vì sắp hết thời gian; lần chạy sau sẽ làm tiếp."


class OutOfTime(Exception):
    """The run's budget is spent (``spent``): it stops between two steps."""


@contextmanager
def within(ws: Workspace, budget_seconds: float) -> Iterator[None]:
    """Quota waits past ``budget_seconds`` from now (less ``MARGIN``) raise BudgetExhausted."""
    ws.gate.stop_by(time.monotonic() + budget_seconds - MARGIN)
    try:
        yield
    finally:
        ws.gate.stop_by(None)


def spent(ws: Workspace) -> None:
    """Raises OutOfTime once the budget set by ``within`` has passed."""
    if ws.gate.deadline is not None and time.monotonic() > ws.gate.deadline:
        raise OutOfTime


def resume_note(deployment: Deployment, stop: BudgetExhausted) -> str:
    zone = ZoneInfo(deployment.settings.schedule.time_zone or "Asia/Ho_Chi_Minh")
    when = datetime.fromtimestamp(stop.resume_at, zone).strftime("%H:%M:%S ngày %d/%m/%Y")
    return (f"Đã dừng vì phải chờ hạn mức của Google lâu hơn thời gian còn lại của lần chạy; "
            f"phần đã ghi được giữ, lần chạy sau (từ {when}) làm tiếp.")
