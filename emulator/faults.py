"""Injected failures: the next N calls, or a seeded fraction of calls, of a method (or all).

A 403 fault carries a rate-limit ``reason`` (Drive throttles with 403 more often than 429,
developers.google.com/workspace/drive/api/guides/handle-errors); it is rendered in the API's
own error shape, so on Drive the reason shows in ``error.errors[].reason``.
"""

from __future__ import annotations

import fnmatch
import random
from dataclasses import dataclass, field
from typing import Any

from emulator.errors import ApiError

DROP = "drop"  # the connection closes before the call is handled
DROP_AFTER = "drop-after"  # the call is handled (its effect kept), then the answer is lost
ALLOWED_STATUSES = (403, 429, 500, 503, DROP, DROP_AFTER)
RATE_LIMIT_REASONS = ("userRateLimitExceeded", "rateLimitExceeded", "sharingRateLimitExceeded")
MESSAGES = {
    403: "Rate limit exceeded (injected fault).",
    429: "Quota exceeded (injected fault).",
    500: "Internal error encountered (injected fault).",
    503: "The service is currently unavailable (injected fault).",
}


class DropConnection(Exception):
    """Raised to close the connection without an answer."""


@dataclass
class FaultRule:
    method: str  # discovery method id, a glob such as "sheets.*", or "*"
    status: int | str
    count: int | None = None
    rate: float | None = None
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
            reason=None if reason is None else str(reason),
            rng=random.Random(spec.get("seed", 0)),
        )

    def fires(self, method_id: str) -> bool:
        if not fnmatch.fnmatchcase(method_id, self.method):
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

    def add(self, spec: dict[str, Any]) -> None:
        self.rules.append(FaultRule.from_json(spec))

    def clear(self) -> None:
        self.rules.clear()

    def check(self, method_id: str) -> bool:
        """Raises the injected failure, if any rule fires for this call; True when the call
        must be handled and its answer then lost (``drop-after``)."""
        for rule in self.rules:
            if rule.fires(method_id):
                if rule.status == DROP_AFTER:
                    return True
                if rule.status == DROP:
                    raise DropConnection()
                code = int(rule.status)
                raise ApiError(code, MESSAGES[code], reason=rule.reason)
        return False
