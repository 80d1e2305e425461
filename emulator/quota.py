"""Per-minute request quotas per user and per project, with a clock tests can move.

Defaults are Google's published per-minute limits:
- Sheets: 300 read and 300 write requests per project, 60 each per user
  (developers.google.com/workspace/sheets/api/limits).
- Forms: reads 975/project and 390/user; "expensive reads" (responses.list) 450/180;
  writes 375/150 (developers.google.com/workspace/forms/api/limits).
- Docs: reads 3 000/project and 300/user; writes 600/project and 60/user
  (developers.google.com/workspace/docs/api/limits).
- Drive: 12 000 queries per minute per project and per user
  (developers.google.com/workspace/drive/api/guides/limits).
- Drive sharing: Google publishes no figure; a ``("drive", "sharing")`` limit (permission
  creates) applies only when set through ``POST /_emulator/quotas``.
Cloud Storage has no per-minute request quota of this kind and is not limited here.

Over a limit Sheets, Forms and Docs answer 429; Drive answers 403 ``userRateLimitExceeded`` (per
user) or ``rateLimitExceeded`` (per project), and 403 ``sharingRateLimitExceeded`` over the
sharing limit (developers.google.com/workspace/drive/api/guides/limits and .../handle-errors;
Google may also answer 429, the service handles both). The window is a minute unless
``windowSeconds`` compresses time for benchmarks and tests (60 writes per 1-second window stand
for 60 a minute); windows are fixed and aligned on the emulator's clock.
"""

from __future__ import annotations

import time
from collections import Counter
from dataclasses import dataclass, field

from emulator.errors import quota_exceeded

# (api, bucket) -> (per project, per user) requests per minute
DEFAULT_LIMITS: dict[tuple[str, str], tuple[int, int]] = {
    ("sheets", "read"): (300, 60),
    ("sheets", "write"): (300, 60),
    ("forms", "read"): (975, 390),
    ("forms", "expensive"): (450, 180),
    ("forms", "write"): (375, 150),
    ("docs", "read"): (3000, 300),
    ("docs", "write"): (600, 60),
    ("drive", "read"): (12000, 12000),
    ("drive", "write"): (12000, 12000),
    # A send costs 100 of Gmail's quota units: 1 200 000 a minute per project, 15 000 per user
    # (developers.google.com/workspace/gmail/api/reference/quota).
    ("gmail", "write"): (12000, 150),
}
EXPENSIVE_METHODS = frozenset({"forms.forms.responses.list"})
SHARING_METHODS = frozenset({"drive.permissions.create"})
MINUTE = 60.0


@dataclass
class Clock:
    """Wall time plus an offset that tests and benchmarks may advance."""

    offset: float = 0.0

    def now(self) -> float:
        return time.time() + self.offset

    def advance(self, seconds: float) -> None:
        self.offset += seconds


def buckets_of(api: str, method_id: str, http_method: str) -> tuple[str, ...]:
    """The quota buckets one call is charged to (a permission create: a write and a share)."""
    if method_id in EXPENSIVE_METHODS:
        return ("expensive",)
    if method_id in SHARING_METHODS:
        return ("write", "sharing")
    return ("read",) if http_method == "GET" else ("write",)


@dataclass
class QuotaBook:
    clock: Clock
    enabled: bool = True
    window_seconds: float = MINUTE
    limits: dict[tuple[str, str], tuple[int, int]] = field(
        default_factory=lambda: dict(DEFAULT_LIMITS)
    )
    refused: int = 0  # calls answered 429/403 over a limit since the last reset
    _used: Counter[tuple[int, str, str, str]] = field(default_factory=Counter)

    def charge(self, api: str, buckets: tuple[str, ...], user: str) -> None:
        """Counts one request in each of its buckets, or raises the API's quota error (nothing
        counted) when one of them is spent for this window."""
        if not self.enabled:
            return
        window = int(self.clock.now() // self.window_seconds)
        keys = []
        for bucket in buckets:
            if (api, bucket) not in self.limits:
                continue
            project_limit, user_limit = self.limits[(api, bucket)]
            project_key = (window, api, bucket, "")
            user_key = (window, api, bucket, user)
            for key, limit, scope in ((project_key, project_limit, "project"),
                                      (user_key, user_limit, "user")):
                if self._used[key] >= limit:
                    self.refused += 1
                    raise quota_exceeded(api, bucket, scope)
            keys += [project_key, user_key]
        for key in keys:
            self._used[key] += 1
        if len(self._used) > 10_000:  # forget past windows
            self._used = Counter({k: v for k, v in self._used.items() if k[0] >= window})

    def reset(self) -> None:
        self._used.clear()
        self.refused = 0

    def describe(self) -> dict[str, object]:
        return {"enabled": self.enabled, "windowSeconds": self.window_seconds,
                "limits": {f"{api}.{bucket}": list(figures)
                           for (api, bucket), figures in sorted(self.limits.items())},
                "refused": self.refused}
