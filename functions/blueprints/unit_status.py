"""Who has submitted what, as a unit's Sheet shows it: the roster tab's status columns, the
overview's counts, missing lists and update time, and the unit's row in the Sở overview (pure).

The same render serves provisioning (nobody has submitted yet) and every sync, so a Sheet
looks the same whichever wrote it last.

What is drawn stays true whatever the day it is read, so a period opening or closing rewrites
no Sheet: every period shows its opening and deadline dates (roster headers, missing lists'
headings) and a person who has not submitted is «Chưa nộp», whether or not the period has
opened. Only the names under a missing list's heading depend on the day the unit is drawn:
listed for periods already open, and for a later one the heading points to the roster tab
until the unit is next written anyway (Sheet formulas on ``TODAY()`` were set aside: their
argument separator follows the spreadsheet's locale in the API, by public reports, and could
not be checked here). The Sở overview's rows hold counts and rates only, nothing of the date.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence, Set
from dataclasses import dataclass
from datetime import date
from functools import cached_property

from functions.blueprints import cells
from functions.blueprints.layout import OVERVIEW_ID, ROSTER_ID, UnitLayout
from functions.blueprints.unit_sheet import (
    COUNTS_FIRST_ROW,
    MISSING_TITLE_ROW,
    ROSTER_FIXED_COLUMNS,
    UPDATED_ROW,
)
from functions.domain.model import Group, Period, PeriodKind, Staff, Unit

_NONE: frozenset[str] = frozenset()


@dataclass(frozen=True)
class UnitStatus:
    unit: Unit
    staff: tuple[Staff, ...]
    periods: tuple[Period, ...]
    submitted: Mapping[PeriodKind, Set[str]]  # emails (any of a person's) counted per period
    today: date

    def has_submitted(self, person: Staff, period: Period) -> bool:
        found = self.submitted.get(period.kind, _NONE)
        if person.email in found:
            return True
        return bool(person.other_emails) and any(e in found for e in person.other_emails)

    @cached_property
    def _done(self) -> dict[PeriodKind, tuple[bool, ...]]:
        """Per period, whether each of ``staff`` has submitted: the roster, the counts and the
        missing lists all ask, per person and period (worked out once per unit and sync)."""
        return {period.kind: tuple(self.has_submitted(person, period) for person in self.staff)
                for period in self.periods}

    def _done_of(self, period: Period) -> tuple[bool, ...]:
        found = self._done.get(period.kind)
        if found is None:  # a period this status was not made with
            return tuple(self.has_submitted(person, period) for person in self.staff)
        return found

    def statuses(self, period: Period, layout: UnitLayout) -> list[str]:
        """What the roster tab shows for each of ``staff`` in ``period``, in order."""
        words = layout.text("status")
        missing, submitted = str(words["missing"]), str(words["submitted"])
        return [submitted if done else missing for done in self._done_of(period)]

    def missing(self, period: Period) -> list[Staff]:
        return [p for p, done in zip(self.staff, self._done_of(period), strict=True) if not done]

    def counts(self, period: Period) -> tuple[int, int, int, int]:
        """(Nhóm 1 submitted, Nhóm 1 total, Nhóm 2 submitted, Nhóm 2 total)."""
        done1 = total1 = done2 = total2 = 0
        for person, done in zip(self.staff, self._done_of(period), strict=True):
            if person.group is Group.ONE:
                total1, done1 = total1 + 1, done1 + done
            else:
                total2, done2 = total2 + 1, done2 + done
        return done1, total1, done2, total2

    def rate(self, period: Period) -> float:
        done1, total1, done2, total2 = self.counts(period)
        total = total1 + total2
        return round(100 * (done1 + done2) / total, 1) if total else 0.0


def render(layout: UnitLayout, status: UnitStatus, updated: str,
           previous_rows: int = 0) -> list[dict[str, object]]:
    """Requests rewriting the status parts of a unit Sheet. ``previous_rows``: how many roster
    rows the Sheet had, so a shorter roster blanks the leftovers."""
    height = max(len(status.staff), previous_rows)
    columns = [status.statuses(period, layout) for period in status.periods]
    roster: list[list[object]] = [
        [person.name, person.email, person.position, person.group.label,
         *(column[index] for column in columns)]
        for index, person in enumerate(status.staff)]
    width = ROSTER_FIXED_COLUMNS + len(status.periods)
    roster += [[None] * width for _ in range(height - len(roster))]
    counts: list[list[object]] = [[*period_cells(layout, p), *status.counts(p), status.rate(p)]
                                  for p in status.periods]
    missing = missing_lists(layout, status)
    updated_line = layout.text("overview", "updated_line").format(luc=updated)
    headers: list[object] = [roster_header(layout, p) for p in status.periods]
    requests = [
        cells.update_cells(OVERVIEW_ID, UPDATED_ROW, 0, [[updated_line]]),
        cells.update_cells(OVERVIEW_ID, COUNTS_FIRST_ROW, 0, counts),
        cells.update_cells(ROSTER_ID, 0, ROSTER_FIXED_COLUMNS, [headers]),
    ]
    if height:
        requests.append(cells.update_cells(ROSTER_ID, 1, 0, roster))
    # The lists move as they shrink: clear the column below the title (to the sheet's end),
    # then write them, bold headings included.
    requests.append({"updateCells": {
        "range": cells.grid_range(OVERVIEW_ID, (MISSING_TITLE_ROW + 1, None), (0, 1)),
        "fields": MISSING_FIELDS}})
    requests.append(cells.update_cells(OVERVIEW_ID, MISSING_TITLE_ROW + 1, 0, missing,
                                       fields=MISSING_FIELDS))
    return requests


MISSING_FIELDS = "userEnteredValue,userEnteredFormat.textFormat"
GRID_ROWS = 1000  # a new tab's rows (Sheets' default): the stacked lists must fit in them


def missing_lists(layout: UnitLayout, status: UnitStatus) -> list[list[object]]:
    """The overview's missing lists, stacked: per period a bold heading, the names, a blank row.
    A list longer than its share of the tab's rows ends with a line pointing to the roster."""
    texts = layout.text("overview")
    room = (GRID_ROWS - MISSING_TITLE_ROW - 1) // max(1, len(status.periods)) - 3
    bold = {"textFormat": {"bold": True}}
    rows: list[list[object]] = []
    for period in status.periods:
        names = status.missing(period)
        listed = period.opens <= status.today  # else: until the unit is next written
        key = ("missing_none" if not names else "missing_heading" if listed
               else "missing_in_roster")
        heading = texts[key].format(**period_words(layout, period), so=len(names))
        rows.append([{**cells.text(heading), "userEnteredFormat": bold}])
        if listed:
            rows += [[f"{person.name} ({person.email})"] for person in names[:room]]
            if len(names) > room:
                rows.append([texts["missing_more"].format(so=len(names) - room)])
        rows.append([None])
    return rows


def period_words(layout: UnitLayout, period: Period) -> dict[str, str]:
    """The placeholders naming a period with its dates: {ky_ngan}, {mo}, {han}."""
    return {"ky_ngan": layout.short_name(period.kind), "mo": f"{period.opens:%d/%m/%Y}",
            "han": f"{period.deadline:%d/%m/%Y}"}


def roster_header(layout: UnitLayout, period: Period) -> str:
    """A period's column header on the roster tab, with its dates."""
    return str(layout.text("roster", "period_header")).format(**period_words(layout, period))


def period_cells(layout: UnitLayout, period: Period) -> list[object]:
    """The first cells of a period's row in the overview's counts: its name and deadline."""
    return [layout.short_name(period.kind), f"{period.deadline:%d/%m/%Y}"]


def so_row(status: UnitStatus, layout: UnitLayout, so_texts: Mapping[str, object],
           updated: str) -> list[object]:
    """The unit's row in the Sở overview."""
    unit = status.unit
    row: list[object] = [unit.code, unit.name, unit.kind,
                         so_texts["active"] if unit.active else so_texts["retired"],
                         sum(p.group is Group.ONE for p in status.staff),
                         sum(p.group is Group.TWO for p in status.staff)]
    for period in status.periods:
        done1, _, done2, _ = status.counts(period)
        row += [done1 + done2, status.rate(period)]
    return [*row, updated]


def so_headers(layout: UnitLayout, so_texts: Mapping[str, object],
               periods: Sequence[Period]) -> list[str]:
    headers = [str(h) for h in so_texts["headers"]]  # type: ignore[attr-defined]
    for period in periods:
        short = layout.short_name(period.kind)
        headers += [str(h).format(ky_ngan=short) for h in so_texts["period_headers"]]  # type: ignore[attr-defined]
    return [*headers, str(so_texts["updated_header"])]
