"""Injected failures: the next N calls, or a seeded fraction of calls, of a method (or all)."""

from __future__ import annotations

import fnmatch
import random
from dataclasses import dataclass, field
from typing import Any

from emulator.errors import ApiError

DROP = "drop"  # the connection closes before the call is handled
DROP_AFTER = "drop-after"  # the call is handled (its effect kept), then the answer is lost
ALLOWED_STATUSES = (429, 500, 503, DROP, DROP_AFTER)


class DropConnection(Exception):
    """Raised to close the connection without an answer."""


@dataclass
class FaultRule:
    method: str  # discovery method id, a glob such as "sheets.*", or "*"
    status: int | str
    count: int | None = None
    rate: float | None = None
    rng: random.Random = field(default_factory=random.Random)

    @classmethod
    def from_json(cls, spec: dict[str, Any]) -> FaultRule:
        status = spec.get("status", 503)
        if status not in ALLOWED_STATUSES:
            raise ApiError(400, f"status must be one of {ALLOWED_STATUSES}")
        count, rate = spec.get("count"), spec.get("rate")
        if (count is None) == (rate is None):
            raise ApiError(400, "give exactly one of count or rate")
        return cls(
            method=str(spec.get("method", "*")),
            status=status,
            count=None if count is None else int(count),
            rate=None if rate is None else float(rate),
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
                message = {
                    429: "Quota exceeded (injected fault).",
                    500: "Internal error encountered (injected fault).",
                    503: "The service is currently unavailable (injected fault).",
                }[code]
                raise ApiError(code, message)
        return False
