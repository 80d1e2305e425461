"""When a cron line (Cloud Scheduler's unix-cron: minute hour day month weekday) fires next.

Only what a user tells the next reconcile by; names (``MON``, ``JAN``) are not read.

>>> from datetime import datetime
>>> next_time("*/15 * * * *", datetime(2025, 1, 20, 8, 7))
datetime.datetime(2025, 1, 20, 8, 15)
>>> next_time("0 7 * * 1-5", datetime(2025, 1, 18, 9, 0))  # a Saturday
datetime.datetime(2025, 1, 20, 7, 0)
>>> next_time("not cron", datetime(2025, 1, 20)) is None
True
"""

from __future__ import annotations

from datetime import datetime, timedelta

LIMITS = ((0, 59), (0, 23), (1, 31), (1, 12), (0, 7))  # weekday 0 and 7: Sunday
SEARCH = timedelta(days=366)


def _values(field: str, low: int, high: int) -> set[int] | None:
    found: set[int] = set()
    for part in field.split(","):
        span, _, step_text = part.partition("/")
        if span == "*":
            start, stop = low, high
        elif "-" in span:
            first, _, last = span.partition("-")
            if not (first.isdigit() and last.isdigit()):
                return None
            start, stop = int(first), int(last)
        elif span.isdigit():
            start = stop = int(span)
            if step_text:
                stop = high
        else:
            return None
        if step_text and (not step_text.isdigit() or int(step_text) == 0):
            return None
        found |= set(range(start, stop + 1, int(step_text or 1)))
    return found if found and all(low <= v <= high for v in found) else None


def next_time(line: str, after: datetime) -> datetime | None:
    """The first minute strictly after ``after`` that ``line`` names (None: not a line read
    here, or nothing within a year). Day and weekday both restricted: either matches, as in
    cron."""
    fields = line.split()
    if len(fields) != 5:
        return None
    parsed = [_values(field, low, high) for field, (low, high) in zip(fields, LIMITS,
                                                                        strict=True)]
    if any(values is None for values in parsed):
        return None
    minutes, hours, days, months, weekdays = (v or set() for v in parsed)
    weekdays = {d % 7 for d in weekdays}
    any_day, any_weekday = fields[2] == "*", fields[4] == "*"
    moment = after.replace(second=0, microsecond=0) + timedelta(minutes=1)
    end = after + SEARCH
    while moment <= end:
        weekday = (moment.weekday() + 1) % 7  # cron: Sunday is 0
        if any_day or any_weekday:
            day_ok = (any_day or moment.day in days) and (any_weekday or weekday in weekdays)
        else:
            day_ok = moment.day in days or weekday in weekdays
        if moment.month not in months or not day_ok:
            moment = (moment + timedelta(days=1)).replace(hour=0, minute=0)
        elif moment.hour not in hours:
            moment = (moment + timedelta(hours=1)).replace(minute=0)
        elif moment.minute not in minutes:
            moment += timedelta(minutes=1)
        else:
            return moment
    return None
