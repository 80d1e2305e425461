"""Injected failures: the next N calls (after the first ``after`` ones), or a seeded fraction of
calls, of a method (or all).

``hang`` and ``hang-after`` hold the call's connection open, unanswered (``hang-after`` once
the call has been handled), until the faults are cleared: a test sees the hold
(``hanging``), kills the client process at that exact point, then clears the faults.

A 403 fault carries a rate-limit ``reason`` (Drive throttles with 403 more often than 429,
developers.google.com/workspace/drive/api/guides/handle-errors); it is rendered in the API's
own error shape, so on Drive the reason shows in ``error.errors[].reason``.
"""

from __future__ import annotations

import fnmatch
import random
import threading
from dataclasses import dataclass, field
from typing import Any

from emulator.errors import ApiError

DROP = "drop"  # the connection closes before the call is handled
DROP_AFTER = "drop-after"  # the call is handled (its effect kept), then the answer is lost
HANG = "hang"  # the call is held, unhandled, until the faults are cleared; then dropped
HANG_AFTER = "hang-after"  # the call is handled, then held until the faults are cleared
ALLOWED_STATUSES = (403, 429, 500, 503, DROP, DROP_AFTER, HANG, HANG_AFTER)
HOLD_SECONDS = 60.0  # a hold nobody clears ends by itself
RATE_LIMIT_REASONS = ("userRateLimitExceeded", "rateLimitExceeded", "sharingRateLimitExceeded")
MESSAGES = {
    403: "Rate limit exceeded (injected fault).",
    429: "Quota exceeded (injected fault).",
    500: "Internal error encountered (injected fault).",
    503: "The service is currently unavailable (injected fault).",
}


class DropConnection(Exception):
    """Raised to close the connection without an answer."""


class Hang(DropConnection):
    """Raised to hold the connection (outside the emulator's lock) until the faults are
    cleared, then close it without an answer."""


@dataclass
class FaultRule:
    method: str  # discovery method id, a glob such as "sheets.*", or "*"
    status: int | str
    count: int | None = None
    rate: float | None = None
    after: int = 0  # matching calls let through before the rule starts to fire
    reason: str | None = None  # a 403's rate-limit reason (Drive's error.errors[].reason)
    rng: random.Random = field(default_factory=random.Random)

    @classmethod
    def from_json(cls, spec: dict[str, Any]) -> FaultRule:
        status = spec.get("status", 503)
        if status not in ALLOWED_STATUSES:
            raise ApiError(400, f"status must be one of {ALLOWED_STATUSES}")
        reason = spec.get("reason")
        if status == 403:
            reason = reason or "userRateLimitExceeded"
            if reason not in RATE_LIMIT_REASONS:
                raise ApiError(400, f"reason of a 403 must be one of {RATE_LIMIT_REASONS}")
        count, rate = spec.get("count"), spec.get("rate")
        if (count is None) == (rate is None):
            raise ApiError(400, "give exactly one of count or rate")
        return cls(
            method=str(spec.get("method", "*")),
            status=status,
            count=None if count is None else int(count),
            rate=None if rate is None else float(rate),
            after=int(spec.get("after", 0)),
            reason=None if reason is None else str(reason),
            rng=random.Random(spec.get("seed", 0)),
        )

    def fires(self, method_id: str) -> bool:
        if not fnmatch.fnmatchcase(method_id, self.method):
            return False
        if self.after > 0:
            self.after -= 1
            return False
        if self.count is not None:
            if self.count <= 0:
                return False
            self.count -= 1
            return True
        return self.rng.random() < (self.rate or 0.0)


@dataclass
class Faults:
    rules: list[FaultRule] = field(default_factory=list)
    hanging: int = 0  # calls held now (``hang``, ``hang-after``)
    release: threading.Event = field(default_factory=threading.Event)

    def add(self, spec: dict[str, Any]) -> None:
        self.rules.append(FaultRule.from_json(spec))

    def clear(self) -> None:
        """Removes every rule and lets the held calls go (their connections then close)."""
        self.rules.clear()
        self.release.set()
        self.release = threading.Event()

    def hold(self) -> None:
        """Holds the calling thread until the faults are cleared (call it outside the lock)."""
        released = self.release
        self.hanging += 1
        try:
            released.wait(HOLD_SECONDS)
        finally:
            self.hanging -= 1

    def check(self, method_id: str) -> DropConnection | None:
        """Raises the injected failure, if any rule fires for this call; returns the failure to
        raise once the call has been handled (``drop-after``, ``hang-after``), if any."""
        for rule in self.rules:
            if rule.fires(method_id):
                if rule.status == DROP_AFTER:
                    return DropConnection()
                if rule.status == HANG_AFTER:
                    return Hang()
                if rule.status == DROP:
                    raise DropConnection()
                if rule.status == HANG:
                    raise Hang()
                code = int(rule.status)
                raise ApiError(code, MESSAGES[code], reason=rule.reason)
        return None
