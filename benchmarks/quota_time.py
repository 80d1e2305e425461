"""Calls per quota bucket and the least time they need on Google: one source of truth for the
benchmarks. The buckets are the emulator's (``emulator.quota.buckets_of``: the same rule that
charges its quotas), the limits and the arithmetic the service's limiter's
(``functions.adapters.pacing``: Google's per-user figures, one service account being one user).
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Mapping

from emulator.quota import buckets_of
from functions.adapters.pacing import GOOGLE_LIMITS, MINUTE, minimum_seconds

Bucket = tuple[str, str]
READ_VERBS = ("get", "list", "batchGet")


def bucket_counts(methods: Mapping[str, int]) -> Counter[Bucket]:
    """Calls per quota bucket, from the emulator's count of calls per discovery method id."""
    counts: Counter[Bucket] = Counter()
    for method, n in methods.items():
        api = method.split(".", 1)[0]
        verb = "GET" if method.rsplit(".", 1)[-1] in READ_VERBS else "POST"
        for bucket in buckets_of(api, method, verb):
            counts[(api, bucket)] += n
    return counts


def least_seconds(methods: Mapping[str, int]) -> float:
    """The least time on Google (uncompressed) of these calls, at the per-user limits."""
    return minimum_seconds(bucket_counts(methods))


def least_minutes(methods: Mapping[str, int]) -> dict[Bucket, float]:
    """Per limited bucket: the minutes its calls need alone (the run's least time is the
    largest of them, ``least_seconds``)."""
    return {key: minimum_seconds({key: count}) / MINUTE
            for key, count in bucket_counts(methods).items() if key in GOOGLE_LIMITS}


def runs_needed(methods: Mapping[str, int], run_seconds: float) -> int:
    """Function runs of ``run_seconds`` usable time the calls need at Google's pace."""
    return max(1, math.ceil(least_seconds(methods) / run_seconds))
