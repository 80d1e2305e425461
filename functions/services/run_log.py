"""Every run of a cloud function leaves one structured log line and, on success, its date.

The line is JSON on stdout, which Cloud Logging reads as a structured entry
(cloud.google.com/functions/docs/monitoring/logging, "structured logs", read 2026-12-01):
``severity`` and ``message`` are its own fields, the rest lands in ``jsonPayload``: the
function, the year, the run's counts, the API calls it made by method (retries included),
its duration, and ``stop_reason`` when it stopped before the end. A failure is an ERROR line
with the error's type and message (Google's status and API when it is a Google error).

The last success of each function is kept in the state store (``years/<year>/jobs/<name>.json``)
for ``guongmau status``: a scheduled job that has not succeeded for too long shows there.
"""

from __future__ import annotations

import json
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, TextIO

from functions.adapters.errors import GoogleApiError
from functions.services.lease import CasStore


@dataclass
class RunRecord:
    """What the entry point tells the log about its run."""

    function: str
    year: int
    counts: dict[str, Any] = field(default_factory=dict)
    stop_reason: str | None = None


def emit(severity: str, message: str, out: TextIO | None = None, **fields: Any) -> None:
    line = {"severity": severity, "message": message, **fields}
    print(json.dumps(line, ensure_ascii=False, default=str), file=out or sys.stdout, flush=True)


def job_object(year: int, function: str) -> str:
    return f"years/{year}/jobs/{function}.json"


def last_success(store: CasStore, year: int, function: str) -> dict[str, Any] | None:
    found = store.read(job_object(year, function)).value
    return found if isinstance(found, dict) else None


@contextmanager
def logged_run(function: str, year: int, calls: Counter[str], store: CasStore, *,
               clock: Callable[[], float] = time.monotonic,
               now: Callable[[], datetime] = lambda: datetime.now(UTC)) -> Iterator[RunRecord]:
    """Logs the run of ``function`` when the block ends; records its success in ``store``.
    ``calls`` is the gate's counter: the run's calls are what it gained meanwhile."""
    record = RunRecord(function, year)
    before = Counter(calls)
    started = clock()

    def fields() -> dict[str, Any]:
        made = {method: count for method, count in (calls - before).items() if count}
        return {"function": function, "year": year, "counts": record.counts,
                "api_calls": dict(sorted(made.items())), "api_calls_total": sum(made.values()),
                "duration_seconds": round(clock() - started, 3)}

    try:
        yield record
    except Exception as error:
        detail: dict[str, Any] = {"error_type": type(error).__name__, "error": str(error)[:500]}
        if isinstance(error, GoogleApiError):
            detail.update(google_status=error.status, google_api=error.api)
        emit("ERROR", f"{function} ({year}) thất bại: {type(error).__name__}: "
                      f"{str(error)[:300]}", **fields(), **detail)
        raise
    summary = fields()
    if record.stop_reason:
        summary["stop_reason"] = record.stop_reason
    emit("WARNING" if record.stop_reason else "INFO",
         f"{function} ({year}) xong" + (f", dừng sớm: {record.stop_reason}"
                                        if record.stop_reason else ""), **summary)
    store.write(job_object(year, function),
                {"last_success": now().isoformat(timespec="seconds"), "counts": record.counts,
                 "stop_reason": record.stop_reason})


def note_sync(record: RunRecord, outcome: Any) -> None:
    """A collection's counts and, when it stopped early, why (a ``collect.SyncOutcome``)."""
    record.counts = {"listed": outcome.listed, "changed": outcome.changed,
                     "units_written": outcome.units_written,
                     "quarantined": outcome.quarantined, "passes": outcome.runs}
    if outcome.busy:
        record.stop_reason = "một lần đồng bộ khác đang chạy (giữ khóa); lần đó ghi luôn"
    elif not outcome.complete:
        record.stop_reason = "hết thời gian cho phép; lần chạy sau làm tiếp phần còn lại"
