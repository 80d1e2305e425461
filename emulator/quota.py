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
Cloud Storage has no per-minute request quota of this kind and is not limited here.
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
}
EXPENSIVE_METHODS = frozenset({"forms.forms.responses.list"})


@dataclass
class Clock:
    """Wall time plus an offset that tests and benchmarks may advance."""

    offset: float = 0.0

    def now(self) -> float:
        return time.time() + self.offset

    def advance(self, seconds: float) -> None:
        self.offset += seconds


def bucket_of(api: str, method_id: str, http_method: str) -> str:
    if method_id in EXPENSIVE_METHODS:
        return "expensive"
    return "read" if http_method == "GET" else "write"


@dataclass
class QuotaBook:
    clock: Clock
    enabled: bool = True
    limits: dict[tuple[str, str], tuple[int, int]] = field(
        default_factory=lambda: dict(DEFAULT_LIMITS)
    )
    _used: Counter[tuple[int, str, str, str]] = field(default_factory=Counter)

    def charge(self, api: str, bucket: str, user: str) -> None:
        """Counts one request, or raises a 429 ApiError when a per-minute limit is spent."""
        if not self.enabled or (api, bucket) not in self.limits:
            return
        minute = int(self.clock.now() // 60)
        project_limit, user_limit = self.limits[(api, bucket)]
        project_key = (minute, api, bucket, "")
        user_key = (minute, api, bucket, user)
        if self._used[project_key] >= project_limit:
            raise quota_exceeded(api, "project")
        if self._used[user_key] >= user_limit:
            raise quota_exceeded(api, "user")
        self._used[project_key] += 1
        self._used[user_key] += 1
        if len(self._used) > 10_000:  # forget past minutes
            self._used = Counter({k: v for k, v in self._used.items() if k[0] >= minute})

    def reset(self) -> None:
        self._used.clear()
