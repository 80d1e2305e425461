"""One unit's Sheet brought up to date: at most one read and one write.

The read fetches, per response tab, the machine columns (and the plans' confirmation column),
the roster's length, the overflow keys and the history's length. The machine columns are read
whole so that a new version can be compared with the one shown: each edit's changed cells go
to the history tab in the same write, with the value they replace (a first version adds none:
the row holds it; a Sheet built before that tab existed is read again without it, once per
sync, and keeps no history; one built before the previous values' column gains it in a write
it makes anyway, appended, so no cell moves; a Sheet built before the notice column
gains it first, once in its life: one more write and read). The write is one
batchUpdate at explicit positions: new rows after the last one, edited rows in place, status
cells that changed, the roster's statuses and the overview. People's columns are never part
of it, except the documented reset of a confirmation when its plan is edited, and a row that
arrives from another unit (the roster moved its author): it brings the people's cells it had
there, its note saying where from, so nothing a head typed is lost.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from functions.adapters.errors import GoogleApiError
from functions.blueprints import cells, unit_status
from functions.blueprints.layout import HISTORY_ID, OVERFLOW_ID, ROSTER_ID, Tab, UnitLayout
from functions.blueprints.response_cells import Overflow, fit_cells, full_values, local_time
from functions.blueprints.unit_sheet import (
    lacks_notice_column,
    lacks_previous_column,
    notice_column,
    previous_column,
)
from functions.domain.model import Period, PeriodKind, Response, Staff, Unit
from functions.domain.routing import Routing
from functions.services.form_responses import parse_time
from functions.services.workspace import Workspace

CONFIRM_KEY = "confirmed"
GROW_BY = 200  # rows added at once when a tab is full


@dataclass(frozen=True)
class Carried:
    """The people's cells of a row leaving its unit, to land with it in the next one."""

    origin: str  # the name of the unit it leaves
    values: tuple[tuple[str, Any], ...]  # (people's column key, value), the filled ones
    shown: str  # the same as a person reads them: «Xác nhận: có; Ghi chú: …»


@dataclass(frozen=True)
class Change:
    """A response to show in its unit's Sheet, at ``version`` (its exact lastSubmittedTime).

    ``rewrite``: its row must be drawn again although the Sheet holds this version already
    (the roster changed how it is placed: the person's group, a note).
    """

    response: Response
    routing: Routing
    version: str
    rewrite: bool = False
    carried: Carried | None = None  # arrives from another unit with these people's cells
    notice: str = ""  # the privacy notice's version in force at its last submission

    @property
    def stamp(self) -> str:
        """What the ledger records: the version, how the response was placed and the notice
        (when known: a row drawn before a notice was recorded is drawn again once it is)."""
        placed = f"{self.version}|{placement(self.routing)}"
        return f"{placed}|{self.notice}" if self.notice else placed


def placement(routing: Routing) -> str:
    """The parts of a routing its row shows besides the unit (group, wrong form, roster)."""
    return f"{int(routing.group)}{int(routing.wrong_form)}{int(routing.staff is not None)}"


@dataclass
class TabState:
    """What one response tab holds (data rows only; row 0 here is the Sheet's row 2)."""

    tab: Tab
    row_count: int
    rows: list[list[Any]] = field(default_factory=list)  # the machine columns
    confirmed: list[bool] = field(default_factory=list)
    people: list[list[Any]] | None = None  # the people's cells (read only when asked)
    touched: set[int] = field(default_factory=set)  # rows rewritten in full by this sync
    # response id → first row holding it, over rows[:_indexed]: asked once per change, a scan
    # made a first sync quadratic in a unit's size. Rows are only appended or blanked (forget).
    _where: dict[str, int] = field(default_factory=dict, repr=False)
    _indexed: int = field(default=0, repr=False)

    def index_of(self, response_id: str) -> int | None:
        for index in range(self._indexed, len(self.rows)):
            row = self.rows[index]
            if row and row[0]:
                self._where.setdefault(row[0], index)
        self._indexed = len(self.rows)
        return self._where.get(response_id)

    def blank(self, index: int) -> None:
        """Row ``index`` no longer holds a response (it is deleted by this sync)."""
        self.rows[index] = []
        self._where, self._indexed = {}, 0  # rare: index again on the next look-up


def _text(row: list[Any], index: int) -> str:
    return str(row[index]) if index < len(row) and row[index] is not None else ""


@dataclass
class History:
    """The history tab: rows used (header excluded), the grid's row count and whether it has
    the previous values' column (built before it: not yet)."""

    used: int
    row_count: int
    previous: bool = True


# Cells of a row the history leaves out: they identify the version, or are the sync's own.
UNTRACKED = frozenset({"response_id", "version", "status", "notice"})


def _ranges(layout: UnitLayout, history: bool = True, people: bool = False) -> list[str]:
    ranges = []
    for tab in layout.tabs:
        if tab.notice_index is not None:
            ranges.append(f"'{tab.title}'!{cells.column_letter(tab.notice_index)}1")
        last = cells.column_letter(tab.machine_width - 1)
        ranges.append(f"'{tab.title}'!A2:{last}")
        confirm = tab.person_column(CONFIRM_KEY)
        if confirm is not None:
            letter = cells.column_letter(confirm)
            ranges.append(f"'{tab.title}'!{letter}2:{letter}")
        if people:
            first = cells.column_letter(tab.machine_width)
            ranges.append(f"'{tab.title}'!{first}2:{cells.column_letter(len(tab.columns) - 1)}")
    ranges.append(f"'{layout.text('roster', 'title')}'!A2:A")
    ranges.append(f"'{layout.text('overflow', 'title')}'!A2:D")
    if history:
        ranges.append(f"'{layout.text('history', 'title')}'!A2:A")
        ranges.append(f"'{layout.text('history', 'title')}'!1:1")
    return ranges


def read_state(ws: Workspace, sheet_id: str, layout: UnitLayout, people: bool = False
               ) -> tuple[dict[int, TabState], int, list[list[Any]], History | None]:
    """(response tabs by sheetId, roster rows present, overflow rows, the history tab or
    None when the Sheet has none) in one read; ``people``: the people's cells too (a unit
    some rows leave)."""
    grid = _read(ws, sheet_id, layout, people)
    old = [tab for tab in layout.tabs if tab.sheet_id in grid
           and lacks_notice_column(tab, _header(grid[tab.sheet_id][1]))]
    if old:
        # Built before the notice column: it gains it (once in its life: one more write and
        # read), everything right of it moving with it, before anything is written there.
        ws.sheets.batch_update(sheet_id, [r for tab in old for r in notice_column(layout, tab)])
        grid = _read(ws, sheet_id, layout, people)
    tabs = {}
    for tab in layout.tabs:
        row_count, grids = grid.get(tab.sheet_id, (1000, []))
        grids = list(grids)
        if tab.notice_index is not None and grids:
            grids.pop(0)  # the header read above
        rows = grids.pop(0) if grids else []
        has_confirm = tab.person_column(CONFIRM_KEY) is not None
        confirm_rows = grids.pop(0) if has_confirm and grids else []
        confirmed = [bool(r and r[0] is True) for r in confirm_rows]
        found = TabState(tab, row_count, [list(r) for r in rows], confirmed)
        if people:
            found.people = [list(r) for r in grids.pop(0)] if grids else []
        tabs[tab.sheet_id] = found
    roster = grid.get(ROSTER_ID, (0, [[]]))[1]
    overflow = grid.get(OVERFLOW_ID, (0, [[]]))[1]
    history = None
    if HISTORY_ID in grid:
        row_count, grids = grid[HISTORY_ID]
        header = grids[1][0] if len(grids) > 1 and grids[1] else []
        history = History(len(grids[0]) if grids else 0, row_count,
                          not lacks_previous_column(layout, header))
    return tabs, len(roster[0]) if roster else 0, overflow[0] if overflow else [], history


def _read(ws: Workspace, sheet_id: str, layout: UnitLayout,
          people: bool) -> dict[int, tuple[int, list[list[Any]]]]:
    try:
        return ws.sheets.read_grid(sheet_id, _ranges(layout, people=people))
    except GoogleApiError as error:
        if error.status != 400 or "range" not in error.message.lower():
            raise
        return ws.sheets.read_grid(sheet_id, _ranges(layout, history=False, people=people))


def _header(grids: list[list[Any]]) -> str | None:
    """The notice column's header cell, the first range read on a response tab."""
    first = grids[0] if grids else []
    return str(first[0][0]) if first and first[0] and first[0][0] is not None else None


def carried_of(tabs: dict[int, TabState], response_id: str, origin: str) -> Carried | None:
    """The filled people's cells of ``response_id``'s row (read with ``people``), if any."""
    for state in tabs.values():
        index = state.index_of(response_id)
        if index is None or state.people is None:
            continue
        row = state.people[index] if index < len(state.people) else []
        width = state.tab.machine_width
        filled = [(column, row[i - width]) for i, column in enumerate(state.tab.columns)
                  if column.person and i - width < len(row)
                  and row[i - width] not in (None, "", False)]
        if not filled:
            return None
        shown = "; ".join(f"{column.header}: {'có' if value is True else value}"
                          for column, value in filled)
        return Carried(origin, tuple((column.key, value) for column, value in filled), shown)
    return None


def _carried_cells(layout: UnitLayout, state: TabState, row: int,
                   carried: Carried) -> list[dict[str, Any]]:
    """Writes of a newly placed row's people's cells, brought from the unit it left; its
    note says where from (the new unit's head decides again, seeing what was decided)."""
    values = dict(carried.values)
    origin = str(layout.text("status", "moved_from")).format(don_vi=carried.origin)
    values["note"] = f"{values['note']}\n{origin}" if values.get("note") else origin
    requests = []
    for key, value in values.items():
        column = state.tab.person_column(key)
        if column is not None:
            requests.append(cells.update_cells(state.tab.sheet_id, row, column, [[value]]))
    return requests


@dataclass
class UnitPlan:
    requests: list[dict[str, Any]]
    status: unit_status.UnitStatus


def _latest_statuses(layout: UnitLayout, state: TabState) -> list[str]:
    """Each row's status: the latest submission per person and group counts; earlier ones
    stay visible, marked replaced; an edited plan keeps its warning until re-confirmed."""
    words = layout.text("status")
    key_col, version_col = 0, state.tab.column_of("version")
    email_col, group_col = state.tab.column_of("email"), state.tab.column_of("group")
    status_col = state.tab.column_of("status")
    newest: dict[tuple[str, str], tuple[str, int]] = {}
    for index, row in enumerate(state.rows):
        if not _text(row, key_col):
            continue
        person = (_text(row, email_col) or _text(row, key_col), _text(row, group_col))
        version = _text(row, version_col)
        if person not in newest or parse_time(version) > parse_time(newest[person][0]):
            newest[person] = (version, index)
    latest_rows = {index for _, index in newest.values()}
    edited_prefix = words["edited_after_confirmation"].split("(")[0].strip()
    statuses = []
    for index, row in enumerate(state.rows):
        current = _text(row, status_col)
        confirmed = index < len(state.confirmed) and state.confirmed[index]
        if not _text(row, key_col):
            statuses.append("")
        elif index not in latest_rows:
            statuses.append(str(words["replaced"]))
        elif current.startswith(edited_prefix) and not confirmed:
            statuses.append(current)
        else:
            statuses.append(str(words["latest"]))
    return statuses


def plan(layout: UnitLayout, unit: Unit, staff: tuple[Staff, ...], periods: Sequence[Period],
         tabs: dict[int, TabState], roster_rows: int, overflow: list[list[Any]],
         changes: Sequence[Change], today: date, now_text: str,
         render: bool = False, removals: Collection[str] = (),
         history: History | None = None) -> UnitPlan:
    """The one write bringing the Sheet to ``changes`` (no requests: nothing to write), and
    the unit's status as it then stands. ``render``: rewrite the status parts even when no
    row changes (the roster or the periods' dates changed what they show). ``removals``:
    response ids now shown in another unit (the roster was fixed): their rows are deleted
    whole.
    ``history``: the history tab, which gets each new version's changed cells."""
    words = layout.text("status")
    requests: list[dict[str, Any]] = []
    pieces: list[Overflow] = []
    overflow_next = len(overflow) + 2  # first free overflow row, as shown (header is row 1)
    stale_overflow = [i for i, row in enumerate(overflow) if row and row[0] in removals]
    deletions = _removed_rows(tabs, removals)
    versions: list[list[object]] = []  # history rows, in the order the versions are applied
    relabelled: list[int] = []  # overflow rows now continuing a history cell
    latest = str(words["latest"])
    for change in changes:
        state = tabs[layout.tab_of(change.response.period).sheet_id]
        index = state.index_of(change.response.response_id)
        version_col = state.tab.column_of("version")
        if index is not None:
            held = _text(state.rows[index], version_col)
            if held and parse_time(held) >= change.response.last_submitted \
                    and not (change.rewrite and held == change.version):
                continue  # already shown (a retried or out-of-order delivery)
        status = latest
        if index is not None and _text(state.rows[index], version_col) == change.version:
            # Drawn again, not edited (placed differently, a notice now known): the row keeps
            # its status and its confirmation.
            status = _text(state.rows[index], state.tab.column_of("status")) or status
        elif index is not None and index < len(state.confirmed) and state.confirmed[index]:
            held = _text(state.rows[index], version_col)
            status = words["edited_after_confirmation"].format(luc=local_time(parse_time(held)))
            confirm = state.tab.person_column(CONFIRM_KEY)
            requests.append(cells.update_cells(state.tab.sheet_id, index + 1, confirm or 0,
                                               [[False]]))
            state.confirmed[index] = False
        whole = full_values(layout, state.tab, change.response, change.routing,
                            change.version, status, change.notice)
        values, more = fit_cells(layout, whole, state.tab.machine_headers,
                                 change.response.response_id,
                                 state.tab.title, overflow_next + len(pieces))
        stale = [i for i, row in enumerate(overflow)
                 if row and row[0] == change.response.response_id
                 and len(row) > 1 and row[1] == state.tab.title] if overflow else []
        pieces += more
        if history is not None and index is not None:
            entries, more = _history_rows(layout, state.tab, change, state.rows[index],
                                          values, whole, overflow_next + len(pieces))
            versions += entries
            pieces += more
            # A replaced long text's previous value is its cell as shown: its mark still
            # names these rows, which now continue the history's cell instead of being blanked.
            edited = {str(entry[4]) for entry in entries}
            kept = [i for i in stale if len(overflow[i]) > 2 and str(overflow[i][2]) in edited]
            relabelled += kept
            stale = [i for i in stale if i not in kept]
        stale_overflow += stale
        arriving = index is None and change.carried is not None
        if index is None:
            index = len(state.rows)
            state.rows.append([])
        state.rows[index] = list(values)
        state.touched.add(index)
        requests.append(cells.update_cells(state.tab.sheet_id, index + 1, 0, [values]))
        if arriving and change.carried is not None:
            requests += _carried_cells(layout, state, index + 1, change.carried)
    if not requests and not deletions and not render:
        # Every change is already shown (a run that crashed after its write landed): the
        # Sheet is right, but the Sở overview may not be, so the status is still returned.
        return UnitPlan([], unit_status.UnitStatus(unit, staff, tuple(periods),
                                                   submitted_emails(layout, tabs), today))
    for state in tabs.values():
        statuses = _latest_statuses(layout, state)
        status_col = state.tab.column_of("status")
        for index, status in enumerate(statuses):
            if status and _text(state.rows[index], status_col) != status:
                requests.append(cells.update_cells(state.tab.sheet_id, index + 1, status_col,
                                                   [[status]]))
                state.rows[index][status_col:status_col + 1] = [status]
        needed = len(state.rows) + 1
        if needed > state.row_count:
            requests.insert(0, {"appendDimension": {"sheetId": state.tab.sheet_id,
                                                    "dimension": "ROWS",
                                                    "length": needed - state.row_count + GROW_BY}})
    if history is not None and not history.previous:
        requests = previous_column(layout) + requests
        history.previous = True
    if history is not None and versions:
        needed = history.used + 1 + len(versions)
        if needed > history.row_count:
            requests.insert(0, {"appendDimension": {"sheetId": HISTORY_ID, "dimension": "ROWS",
                                                    "length": needed - history.row_count
                                                    + GROW_BY}})
        requests.append(cells.update_cells(HISTORY_ID, history.used + 1, 0, versions))
        history.used += len(versions)
    for row in stale_overflow:
        requests.append(cells.update_cells(OVERFLOW_ID, row + 1, 0, [[None] * 5],
                                           fields="userEnteredValue"))
    for row in relabelled:
        requests.append(cells.update_cells(OVERFLOW_ID, row + 1, 1,
                                           [[layout.text("history", "title")]]))
    if pieces:
        rows: list[list[object]] = [[p.response_id, p.tab, p.column, p.part, p.text]
                                    for p in pieces]
        requests.append(cells.update_cells(OVERFLOW_ID, overflow_next - 1, 0, rows))
    view = unit_status.UnitStatus(unit, staff, tuple(periods), submitted_emails(layout, tabs),
                                  today)
    requests += unit_status.render(layout, view, now_text, previous_rows=roster_rows)
    # Deleting shifts the rows below, so it comes last, bottom row first: every write above
    # addresses the rows as they were read.
    for sheet_id, index in sorted(deletions, key=lambda found: (found[0], -found[1])):
        requests.append({"deleteDimension": {"range": {
            "sheetId": sheet_id, "dimension": "ROWS",
            "startIndex": index + 1, "endIndex": index + 2}}})
    return UnitPlan(requests, view)


def _history_rows(layout: UnitLayout, tab: Tab, change: Change, shown: list[Any],
                  values: list[object], whole: list[object],
                  overflow_row: int) -> tuple[list[list[object]], list[Overflow]]:
    """The history rows of an edit of the row ``shown``: one per cell that differs, its new
    value whole (a long one continues in the overflow tab under the history's title, so
    replacing the row never clears it) and the value it replaces as shown (a long one's mark
    names overflow rows the caller keeps)."""
    response = change.response
    headers: list[str] = []
    texts: list[object] = []
    before: list[object] = []
    for index, column in enumerate(tab.machine_columns):
        value = values[index]
        now = value if type(value) is str else "" if value is None else str(value)
        if column.source in UNTRACKED or now == _text(shown, index):
            continue
        headers.append(column.header)
        texts.append(whole[index])
        before.append(shown[index] if index < len(shown) and shown[index] is not None else "")
    if not headers:
        return [], []
    # Both values obey the cell limit: the previous one as it was shown does already, so only
    # a new one can add overflow rows (numbered before any other).
    fitted, pieces = fit_cells(layout, texts + before, headers + headers,
                               response.response_id, layout.text("history", "title"),
                               overflow_row)
    moment = local_time(response.last_submitted)
    email = response.respondent_email or ""
    count = len(headers)
    rows: list[list[object]] = [
        [response.response_id, tab.title, moment, email, header, new, old]
        for header, new, old in zip(headers, fitted[:count], fitted[count:], strict=True)]
    return rows, pieces


def _removed_rows(tabs: dict[int, TabState], removals: Collection[str]) -> list[tuple[int, int]]:
    """(sheetId, row index) of each row to delete; the rows are then ignored by the statuses."""
    found = []
    for state in tabs.values():
        for index, row in enumerate(state.rows):
            if row and row[0] in removals:
                found.append((state.tab.sheet_id, index))
                state.blank(index)
    return found


def submitted_emails(layout: UnitLayout,
                     tabs: dict[int, TabState]) -> dict[PeriodKind, set[str]]:
    """Emails with a counted (not replaced) submission, per period."""
    replaced = str(layout.text("status", "replaced"))
    found: dict[PeriodKind, set[str]] = {}
    for state in tabs.values():
        email_col, status_col = state.tab.column_of("email"), state.tab.column_of("status")
        emails = found.setdefault(state.tab.period, set())
        for row in state.rows:
            if _text(row, 0) and _text(row, status_col) != replaced:
                emails.add(_text(row, email_col))
    return found
