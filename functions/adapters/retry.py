"""The one retry policy of every Google call, and the gate every adapter call passes through.

What is retried (``RetryPolicy.retryable``): 429, 5xx, and 403 whose reason is a rate limit:
``userRateLimitExceeded``, ``rateLimitExceeded``, ``sharingRateLimitExceeded``. Drive throttles
with 403 more often than 429 (developers.google.com/workspace/drive/api/guides/limits and
.../handle-errors). A throttled call was refused before it ran, so it is safe to send again
even when the call is a create. A 5xx or a lost answer (the connection dropped) may hide a call
that did land: the caller says what may be repeated (``Repeat``); creates are not repeated,
``services/files.ensure_file`` finds before and after instead.

How long to wait: truncated exponential back-off with full jitter, ``random() * base * 2**n``
capped at ``max_delay`` (Google's recommendation on the pages above); a sharing limit gets a
longer base (sharing quotas recover slowly; Google publishes no figure). When a ``Pacer`` is
set, a throttled call also waits for the pacer's next window. Bounded: ``retries`` retries
after the first try, so a call facing 429 forever fails in bounded time.

google-api-python-client's own retries (``execute(num_retries)``) are not used: they skip
``sharingRateLimitExceeded`` and batches, and would stack a second policy on this one.
"""

from __future__ import annotations

import random
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum
from typing import Any, Protocol, TypeVar

from functions.adapters.errors import GoogleApiError, TransportError, translated

T = TypeVar("T")

RATE_LIMIT_REASONS = frozenset({"userRateLimitExceeded", "rateLimitExceeded",
                                "sharingRateLimitExceeded"})
SHARING_LIMIT = "sharingRateLimitExceeded"
SERVER_ERRORS = frozenset({500, 502, 503, 504})


class Repeat(Enum):
    """What a call may be sent again after, besides a throttle (which never ran)."""

    ANY = "any"  # a 5xx or a lost answer too: reads, and writes safe to repeat
    ON_ERROR = "on-error"  # a 5xx, not a lost answer: the caller handles that (Sheets writes)
    REFUSED = "refused"  # nothing else: creates (a repeat may leave a twin)


def is_throttled(error: GoogleApiError) -> bool:
    """A quota or rate-limit refusal: the call did not run."""
    return error.status == 429 or (error.status == 403 and error.reason in RATE_LIMIT_REASONS)


@dataclass(frozen=True)
class RetryPolicy:
    retries: int = 5
    backoff_seconds: float = 1.0
    sharing_backoff_seconds: float = 5.0
    max_delay_seconds: float = 60.0
    jitter: Callable[[], float] = random.random  # tests fix it to see the exact waits

    def retryable(self, error: GoogleApiError) -> bool:
        return error.status in SERVER_ERRORS or is_throttled(error)

    def delay(self, attempt: int, error: BaseException) -> float:
        """Seconds to wait before retry number ``attempt + 1``."""
        sharing = isinstance(error, GoogleApiError) and error.reason == SHARING_LIMIT
        base = self.sharing_backoff_seconds if sharing else self.backoff_seconds
        return min(self.max_delay_seconds, self.jitter() * base * 2**attempt)


class Pacer(Protocol):
    """Keeps calls under the per-window quotas (``pacing.Limiter``)."""

    def admit(self, api: str, bucket: str, count: int = 1,
              deadline: float | None = None) -> None: ...

    def throttled(self, api: str, bucket: str) -> None: ...


class Gate:
    """Every call of an adapter goes through ``run`` (or ``execute``): paced, then retried by
    the policy. Built by ``services.workspace.connect``; gates of one identity may share a
    pacer (threads of one instance), each keeps its own run's deadline."""

    def __init__(self, policy: RetryPolicy | None = None, pacer: Pacer | None = None,
                 sleep: Callable[[float], None] = time.sleep) -> None:
        self.policy = policy or RetryPolicy()
        self.pacer = pacer
        self.sleep = sleep
        self.deadline: float | None = None
        # Calls sent (retries included) by method id, or "<api>.<bucket>" for gspread's:
        # the "API calls by method" of the structured run logs.
        self.calls: Counter[str] = Counter()

    def stop_by(self, deadline: float | None) -> None:
        """Quota waits that would end after ``deadline`` (the pacer's clock, time.monotonic)
        raise ``pacing.BudgetExhausted`` instead of sleeping; None: no limit."""
        self.deadline = deadline

    def admit(self, api: str, bucket: str, count: int = 1) -> None:
        if self.pacer is not None:
            self.pacer.admit(api, bucket, count, self.deadline)

    def run(self, api: str, bucket: str, function: Callable[[], T], *,
            repeat: Repeat = Repeat.ANY, method: str = "") -> T:
        """Calls ``function`` (client-library errors become GoogleApiError) until it succeeds,
        fails for good, or the retries are spent."""
        attempt = 0
        while True:
            self.admit(api, bucket)
            self.calls[method or f"{api}.{bucket}"] += 1
            try:
                with translated(api):
                    return function()
            except TransportError as error:  # no answer: the call may or may not have run
                if repeat is not Repeat.ANY or attempt >= self.policy.retries:
                    raise
                self.pause(api, bucket, attempt, error)
            except GoogleApiError as error:
                if not self.may_retry(error, attempt, repeat):
                    raise
                self.pause(api, bucket, attempt, error)
            attempt += 1

    def execute(self, api: str, request: Any, *, repeat: Repeat = Repeat.ANY) -> Any:
        """A google-api-python-client request, through ``run``."""
        bucket = bucket_of(str(getattr(request, "methodId", "")), str(request.method))
        return self.run(api, bucket, lambda: request.execute(num_retries=0), repeat=repeat,
                        method=str(getattr(request, "methodId", "")))

    def may_retry(self, error: GoogleApiError, attempt: int,
                  repeat: Repeat = Repeat.ANY) -> bool:
        if attempt >= self.policy.retries or not self.policy.retryable(error):
            return False
        return repeat is not Repeat.REFUSED or is_throttled(error)

    def pause(self, api: str, bucket: str, attempt: int, error: BaseException) -> None:
        """Waits before a retry; a throttled bucket also waits for the pacer's next window."""
        if isinstance(error, GoogleApiError) and is_throttled(error) and self.pacer is not None:
            self.pacer.throttled(api, bucket)
        self.sleep(self.policy.delay(attempt, error))


EXPENSIVE_METHODS = frozenset({"forms.forms.responses.list"})  # Forms' "expensive reads"
SHARING_METHODS = frozenset({"drive.permissions.create"})


def bucket_of(method_id: str, http_method: str) -> str:
    """The quota bucket a call is counted in (Google's limits pages name them)."""
    if method_id in EXPENSIVE_METHODS:
        return "expensive"
    if method_id in SHARING_METHODS:
        return "sharing"
    return "read" if http_method.upper() == "GET" else "write"
