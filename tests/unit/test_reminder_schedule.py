"""The reminder schedule across a whole period, one day at a time: each configured day before
the deadline starts its round, the day after the deadline starts the last one."""

from __future__ import annotations

from datetime import date, timedelta

from functions.domain.model import Period, PeriodKind
from functions.domain.reminders import OVERDUE, due_round, rounds

PLAN = Period(PeriodKind.PLAN, 2025, "Kế hoạch cá nhân", date(2025, 1, 2), date(2025, 2, 28))


def schedule(period: Period, days_before: tuple[int, ...]) -> dict[date, str | None]:
    day, found = period.opens - timedelta(days=3), {}
    while day <= period.deadline + timedelta(days=40):
        one = due_round(period, days_before, day)
        found[day] = one.key if one else None
        day += timedelta(days=1)
    return found


def test_a_moving_date_meets_each_round_on_its_day_and_keeps_it_until_the_next() -> None:
    seen = schedule(PLAN, (7, 2))
    assert seen[date(2025, 1, 1)] is None, "not before the period opens"
    assert seen[date(2025, 2, 20)] is None
    assert seen[date(2025, 2, 21)] == "7-ngay-truoc"
    assert seen[date(2025, 2, 25)] == "7-ngay-truoc", "a missed run sends the round late"
    assert seen[date(2025, 2, 26)] == "2-ngay-truoc"
    assert seen[date(2025, 2, 28)] == "2-ngay-truoc", "the deadline day is still before"
    assert seen[date(2025, 3, 1)] == OVERDUE
    assert seen[date(2025, 4, 9)] == OVERDUE
    changes = [key for previous, key in zip([None, *seen.values()], seen.values(), strict=False)
               if key != previous]
    assert changes == ["7-ngay-truoc", "2-ngay-truoc", OVERDUE], "three rounds, in order"


def test_a_day_before_the_period_opens_is_no_round() -> None:
    short = Period(PeriodKind.Q1, 2025, "Quý I", date(2025, 3, 20), date(2025, 4, 5))
    assert [one.key for one in rounds(short, (30, 7, 2))] == [
        "7-ngay-truoc", "2-ngay-truoc", OVERDUE]
    assert due_round(short, (30,), date(2025, 3, 25)) is None
    assert due_round(short, (), date(2025, 4, 6)).key == OVERDUE  # type: ignore[union-attr]
