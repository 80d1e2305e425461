"""When a period's reminders go out (pure): on each of the configured days before its
deadline, and once after it.

Rule: the round due today is the latest whose day has come; a run that missed a day sends
that day's round late rather than two rounds at once, and each round reaches each person at
most once (the sent log, ``services/reminder_log.py``, keeps that promise across runs).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from functions.domain.model import Period

OVERDUE = "qua-han"


@dataclass(frozen=True)
class Round:
    """One reminder round of a period: ``key`` names it in the sent log."""

    period: Period
    key: str  # "7-ngay-truoc", "2-ngay-truoc" or OVERDUE
    day: date  # the first day it may go out

    @property
    def overdue(self) -> bool:
        return self.key == OVERDUE

    @property
    def days_left(self) -> int:
        return (self.period.deadline - self.day).days


def rounds(period: Period, days_before: tuple[int, ...]) -> list[Round]:
    """Every round of ``period`` in date order; a day before the period opens is skipped."""
    found = [Round(period, f"{days}-ngay-truoc", period.deadline - timedelta(days=days))
             for days in sorted(set(days_before), reverse=True) if days > 0]
    found = [one for one in found if one.day >= period.opens]
    found.append(Round(period, OVERDUE, period.deadline + timedelta(days=1)))
    return found


def due_round(period: Period, days_before: tuple[int, ...], today: date) -> Round | None:
    """The round to send on ``today``, or None (not yet, or the period is not open)."""
    if today < period.opens:
        return None
    current = None
    for one in rounds(period, days_before):
        if one.day <= today:
            current = one
    return current
