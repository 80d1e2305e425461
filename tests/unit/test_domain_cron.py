"""The next firing of the schedule's cron lines, as the collect command tells it."""

from __future__ import annotations

import doctest
from datetime import datetime

import pytest

from functions.domain import cron
from functions.domain.cron import next_time


@pytest.mark.parametrize(("line", "after", "expected"), [
    ("*/15 * * * *", datetime(2025, 1, 20, 8, 45), datetime(2025, 1, 20, 9, 0)),
    ("*/15 * * * *", datetime(2025, 1, 20, 23, 59, 30), datetime(2025, 1, 21, 0, 0)),
    ("0 1 * * *", datetime(2025, 1, 20, 1, 0), datetime(2025, 1, 21, 1, 0)),
    ("0 6 * * 1", datetime(2025, 1, 20, 6, 0), datetime(2025, 1, 27, 6, 0)),  # Mondays
    ("30 7 1,15 * *", datetime(2025, 1, 2), datetime(2025, 1, 15, 7, 30)),
    ("0 0 1 1 *", datetime(2025, 6, 1), datetime(2026, 1, 1)),
    ("0 8 13 * 5", datetime(2025, 1, 1), datetime(2025, 1, 3, 8, 0)),  # day 13 or a Friday
])
def test_the_next_firing_of_a_cron_line(line: str, after: datetime,
                                        expected: datetime) -> None:
    assert next_time(line, after) == expected


@pytest.mark.parametrize("line", ["", "* * * *", "*/0 * * * *", "61 * * * *", "0 8 * * MON"])
def test_a_line_not_read_here_gives_no_time(line: str) -> None:
    assert next_time(line, datetime(2025, 1, 1)) is None


def test_the_examples_in_the_module_hold() -> None:
    assert doctest.testmod(cron).failed == 0
