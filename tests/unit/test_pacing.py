"""The quota limiter on a fake clock: it admits a bucket's limit per window, waits for the oldest
call to leave the window, closes a throttled bucket for a whole window, refuses to wait past the
run's deadline, and the least time on Google is computed from the counts."""

from __future__ import annotations

import threading
import time

import pytest

from functions.adapters.pacing import (
    GOOGLE_LIMITS,
    BudgetExhausted,
    Limiter,
    kept_window,
    limits_with,
    minimum_seconds,
)
from functions.adapters.retry import Gate, RetryPolicy


class FakeTime:
    """A clock that only moves when someone sleeps."""

    def __init__(self) -> None:
        self.now = 100.0
        self.slept: list[float] = []

    def clock(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.slept.append(round(seconds, 6))
        self.now += seconds


def limiter(fake: FakeTime, user_limit: int = 3, window: float = 1.0) -> Limiter:
    return Limiter({("sheets", "write"): (300, user_limit), ("drive", "write"): (1000, 2)},
                   window, clock=fake.clock, sleep=fake.sleep, wall=lambda: 1_700_000_000.0)


def test_a_bucket_admits_its_limit_per_window_then_waits_for_the_oldest_call_to_leave() -> None:
    fake = FakeTime()
    pacer = limiter(fake)
    admitted = []
    for _ in range(7):
        pacer.admit("sheets", "write")
        admitted.append(fake.now - 100.0)
    kept = kept_window(1)  # the window, kept a little longer than Google's
    assert admitted == pytest.approx([0, 0, 0, kept, kept, kept, 2 * kept])
    assert pacer.waited == pytest.approx(2 * kept)


def test_buckets_and_unlimited_apis_do_not_wait_for_each_other() -> None:
    fake = FakeTime()
    pacer = limiter(fake, user_limit=1)
    pacer.admit("sheets", "write")
    pacer.admit("sheets", "read")  # not limited here
    pacer.admit("storage", "write")  # Cloud Storage has no per-minute quota of this kind
    assert fake.slept == []


def test_a_share_counts_as_a_drive_write_too() -> None:
    fake = FakeTime()
    pacer = limiter(fake)
    pacer.admit("drive", "sharing")
    pacer.admit("drive", "write")
    pacer.admit("drive", "write")  # the third Drive write in the window (limit 2) waits
    assert fake.slept == [pytest.approx(kept_window(1))]


def test_a_throttled_bucket_admits_nothing_until_a_whole_window_passed() -> None:
    fake = FakeTime()
    pacer = limiter(fake, window=60.0)
    pacer.admit("sheets", "write")
    pacer.throttled("sheets", "write")
    pacer.admit("sheets", "write")
    assert fake.slept == [60.0]


def test_a_wait_past_the_deadline_raises_with_the_time_the_quota_admits_again() -> None:
    fake = FakeTime()
    pacer = limiter(fake, user_limit=1, window=60.0)
    deadline = fake.now + 10
    pacer.admit("sheets", "write", deadline=deadline)
    with pytest.raises(BudgetExhausted) as raised:
        pacer.admit("sheets", "write", deadline=deadline)
    assert raised.value.resume_at == pytest.approx(1_700_000_000.0 + kept_window(60.0))
    assert fake.slept == []  # it did not sleep first
    pacer.admit("sheets", "write")  # another run, without that deadline, waits
    assert fake.slept == [pytest.approx(kept_window(60.0))]


def test_the_gate_paces_every_call_and_a_throttle_waits_for_the_next_window() -> None:
    from functions.adapters.errors import GoogleApiError

    fake = FakeTime()
    pacer = limiter(fake, window=30.0)
    gate = Gate(RetryPolicy(jitter=lambda: 0.0), pacer=pacer, sleep=fake.sleep)
    answers = iter([GoogleApiError(429, "Quota exceeded", "rateLimitExceeded", "sheets"), "ok"])

    def call() -> str:
        answer = next(answers)
        if isinstance(answer, Exception):
            raise answer
        return answer

    assert gate.run("sheets", "write", call) == "ok"
    assert sum(fake.slept) == pytest.approx(30.0)  # the window, not a second's back-off


def test_settings_override_googles_figures() -> None:
    limits = limits_with((("sheets", "write", 300, 30),))
    assert limits[("sheets", "write")] == (300, 30)
    assert limits[("forms", "write")] == GOOGLE_LIMITS[("forms", "write")]


def test_the_least_time_on_google_follows_from_the_counts() -> None:
    # 13 131 calls of the 2 000-unit province, of which 2 010 Sheets writes: 34 windows.
    counts = {("sheets", "write"): 2010, ("sheets", "read"): 10, ("drive", "write"): 9000}
    assert minimum_seconds(counts) == 33 * 60
    assert minimum_seconds(counts, window_seconds=1.0) == 33  # compressed: same count
    assert minimum_seconds({("sheets", "write"): 60}) == 0  # fits in the first window


def test_threads_sharing_a_limiter_never_exceed_the_limit_in_any_window() -> None:
    pacer = Limiter({("sheets", "write"): (300, 5)}, window_seconds=0.2)
    stamps: list[float] = []
    lock = threading.Lock()

    def worker() -> None:
        for _ in range(4):
            pacer.admit("sheets", "write")
            with lock:
                stamps.append(time.monotonic())

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    stamps.sort()
    assert len(stamps) == 16
    for index, start in enumerate(stamps):
        in_window = [t for t in stamps[index:] if t < start + 0.2 - 0.02]  # scheduling slack
        assert len(in_window) <= 5
