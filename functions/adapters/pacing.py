"""Pacing: one limiter per quota bucket, in front of every call (``retry.Gate.admit``).

Google's per-minute quotas are the service's speed limit (DESIGN.md). Defaults are Google's
published figures, per project and per user (one service account is one user):
- Sheets: 300 reads and 300 writes per project, 60 each per user
  (developers.google.com/workspace/sheets/api/limits);
- Forms: reads 975/390, "expensive reads" (responses.list) 450/180, writes 375/150
  (developers.google.com/workspace/forms/api/limits);
- Docs: reads 3 000/300, writes 600/60 (developers.google.com/workspace/docs/api/limits);
- Drive: 12 000 queries per project and per user (developers.google.com/workspace/drive/api/
  guides/limits); a permission create also counts in ``drive.sharing``, which has no published
  figure and no default limit.
The settings may override any figure and the window (``pacing`` in guongmau.yaml); a shorter
window compresses time for benchmarks (60 writes per 1-second window stand for 60 a minute).

Each bucket keeps the times of its recent calls and admits a call only while fewer than the
limit fall in the last window (plus ``SLACK`` and ``ARRIVAL_JITTER``, for the time between
our count and Google's):
any window-long stretch holds at most the limit, so Google's counting (fixed or sliding
minutes) is never exceeded by our own pace. A throttled answer that
slips through (another program on the same account, clocks apart) closes the bucket for a whole
window, then the retry policy tries again. A wait that would end after the run's deadline
raises ``BudgetExhausted`` instead of sleeping: the run stops cleanly and says when to resume.
"""

from __future__ import annotations

import math
import threading
import time
from collections import deque
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

MINUTE = 60.0
# A window is kept longer than Google's by 5% plus a tenth of a second: a call arrives later than
# we count it by a delay that varies from call to call (a loaded machine, a slow network), and
# that variation does not shrink with a compressed window (a 0.25 s window with only 5% refused
# about one run in four on a loaded 2-core machine).
SLACK = 0.05
ARRIVAL_JITTER = 0.1  # seconds


def kept_window(window_seconds: float) -> float:
    """How long a call counts against its bucket here: Google's window and the margins."""
    return window_seconds * (1 + SLACK) + ARRIVAL_JITTER
Limits = Mapping[tuple[str, str], tuple[int, int]]  # (api, bucket) -> (per project, per user)
GOOGLE_LIMITS: dict[tuple[str, str], tuple[int, int]] = {
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
ALSO_COUNTED = {("drive", "sharing"): ("drive", "write")}  # a share is also a Drive write


class BudgetExhausted(Exception):
    """The next call may not be made before the run's deadline. ``resume_at``: the wall-clock
    time (epoch seconds) from which the quota admits it again."""

    def __init__(self, resume_at: float, api: str, bucket: str) -> None:
        super().__init__(f"{api}.{bucket} admits no call before the deadline; "
                         f"resume at {resume_at:.0f}")
        self.resume_at = resume_at
        self.api = api
        self.bucket = bucket


@dataclass
class _Window:
    limit: int
    seconds: float
    times: deque[float] = field(default_factory=deque)
    closed_until: float = 0.0

    def wait(self, now: float, count: int) -> float:
        """Seconds until ``count`` more calls fit."""
        while self.times and self.times[0] <= now - self.seconds:
            self.times.popleft()
        overflow = len(self.times) + count - self.limit
        due = self.times[overflow - 1] + self.seconds if 0 < overflow <= len(self.times) else now
        if count > self.limit:  # a batch larger than the window: one window per limit's worth
            due = now + self.seconds * (count // self.limit)
        return max(due, self.closed_until) - now

    def take(self, now: float, count: int) -> None:
        self.times.extend([now] * count)


class Limiter:
    """The pacer of one identity, shared by its threads (thread-safe)."""

    def __init__(self, limits: Limits | None = None, window_seconds: float = MINUTE,
                 clock: Callable[[], float] = time.monotonic,
                 sleep: Callable[[float], None] = time.sleep,
                 wall: Callable[[], float] = time.time) -> None:
        self.window_seconds = window_seconds
        self.clock, self.sleep, self.wall = clock, sleep, wall
        self.waited = 0.0  # seconds spent waiting for the quota, in all
        self._lock = threading.Lock()
        self._windows: dict[tuple[str, str], list[_Window]] = {}
        for key, (project, user) in (GOOGLE_LIMITS if limits is None else limits).items():
            kept = kept_window(window_seconds)
            self._windows[key] = [_Window(project, kept), _Window(user, kept)]

    def _buckets(self, api: str, bucket: str) -> list[_Window]:
        keys = [(api, bucket)]
        if (api, bucket) in ALSO_COUNTED:
            keys.append(ALSO_COUNTED[(api, bucket)])
        return [window for key in keys for window in self._windows.get(key, [])]

    def admit(self, api: str, bucket: str, count: int = 1,
              deadline: float | None = None) -> None:
        """Returns once ``count`` calls may be made now (and counts them); a wait that would
        end after ``deadline`` (on this limiter's clock) raises BudgetExhausted instead."""
        windows = self._buckets(api, bucket)
        if not windows:
            return
        while True:
            with self._lock:
                now = self.clock()
                wait = max(window.wait(now, count) for window in windows)
                if wait <= 0:
                    for window in windows:
                        window.take(now, count)
                    return
                if deadline is not None and now + wait > deadline:
                    raise BudgetExhausted(self.wall() + wait, api, bucket)
                self.waited += wait
            self.sleep(wait)  # outside the lock: other buckets (and threads) go on meanwhile

    def throttled(self, api: str, bucket: str) -> None:
        """Google refused a call of this bucket: nothing more until a whole window passed."""
        with self._lock:
            until = self.clock() + self.window_seconds
            for window in self._buckets(api, bucket):
                window.closed_until = max(window.closed_until, until)


def limits_with(overrides: tuple[tuple[str, str, int, int], ...]) -> dict[tuple[str, str],
                                                                         tuple[int, int]]:
    """Google's figures, with ``(api, bucket, per project, per user)`` overrides."""
    limits = dict(GOOGLE_LIMITS)
    limits.update({(api, bucket): (project, user) for api, bucket, project, user in overrides})
    return limits


def minimum_seconds(counts: Mapping[tuple[str, str], int], limits: Limits | None = None,
                    window_seconds: float = MINUTE) -> float:
    """The least time ``counts`` calls per bucket need under the per-user limits (the binding
    ones for one service account): the time on Google, computed, not measured."""
    limits = GOOGLE_LIMITS if limits is None else limits
    windows = [math.ceil(count / limits[key][1]) - 1 for key, count in counts.items()
               if key in limits and count > 0]
    return max([0, *windows]) * window_seconds
