"""Where one person's data lives, found at the least cost (``guongmau data export`` and
``erase``; the retention of a past year may reuse these primitives).

A person is every address of theirs: the roster's email and other emails, or the one given.
Cost contract: one ``responses.list`` per form (a page per 5 000), the year's state objects
(registry, ledgers, reminder rounds, report snapshot), and at most ONE Sheets read per Sheet
involved: the unit Sheets where the ledgers place the person's responses, the roster's unit,
and the Sở overview (its quarantine tab). A unit Sheet built before the history tab existed is
read again without it (as the sync does). Reports: one Drive listing of the year's report
Docs and one text export of each Doc of the Sở or of those units.

Every place is a row of a tab, addressed by its grid row, so the erasure rewrites exactly
those cells and nothing else.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from functions.adapters.errors import GoogleApiError
from functions.blueprints import cells, so_sheet
from functions.blueprints.layout import (
    HISTORY_ID,
    OVERFLOW_ID,
    OVERVIEW_ID,
    ROSTER_ID,
    UnitLayout,
    load_yaml,
)
from functions.config.deployment import Deployment
from functions.domain.model import Staff
from functions.domain.reminders import Round, rounds
from functions.services.form_responses import to_response
from functions.services.ledger import QUARANTINE, LedgerStore
from functions.services.notices import notice_text
from functions.services.provision import layout_for
from functions.services.registry import RegistryStore, app_properties
from functions.services.reminder_log import ReminderLog
from functions.services.workspace import Workspace

# Kinds of rows, each with how the erasure treats it (``erasure.py``).
RESPONSE, HISTORY, OVERFLOW, ROSTER, MISSING, QUARANTINED = (
    "response", "history", "overflow", "roster", "missing", "quarantine")


@dataclass(frozen=True)
class Found:
    """One row about the person in a Sheet: ``row`` is its grid index (0: the header)."""

    kind: str
    spreadsheet_id: str
    unit: str  # the unit's code; "" for the Sở overview
    tab: str  # the tab's title
    tab_id: int
    row: int
    headers: tuple[str, ...]
    values: tuple[Any, ...]


@dataclass(frozen=True)
class FormResponse:
    """A response as the form holds it now (Forms keeps only the latest version)."""

    form_key: str
    form_id: str
    form_title: str
    response_id: str
    email: str
    created: str
    last_submitted: str
    answers: tuple[tuple[str, str], ...]  # (question title, answer)


@dataclass
class Holdings:
    emails: tuple[str, ...]
    on_roster: Staff | None
    responses: list[FormResponse] = field(default_factory=list)
    rows: list[Found] = field(default_factory=list)
    reminders: list[tuple[Round, str]] = field(default_factory=list)  # (round, address sent)
    report_entries: list[tuple[str, list[Any]]] = field(default_factory=list)  # unit, packed
    ledger: list[tuple[str, str]] = field(default_factory=list)  # form key, response id
    names: set[str] = field(default_factory=set)  # as the roster and their rows spell them
    report_docs: list[tuple[str, str]] = field(default_factory=list)  # (title, Doc id)
    notices: dict[str, str] = field(default_factory=dict)  # notice version → its words
    sheets_read: int = 0

    @property
    def response_ids(self) -> set[str]:
        found = {response.response_id for response in self.responses}
        found |= {str(row.values[0]) for row in self.rows
                  if row.kind in (RESPONSE, QUARANTINED) and row.values}
        return found | {response_id for _, response_id in self.ledger}

    @property
    def empty(self) -> bool:
        return not (self.responses or self.rows or self.reminders or self.report_entries
                    or self.ledger or self.report_docs)


def place_of(found: Found) -> str:
    """The place a row is counted under (export summary, erasure output and record)."""
    rows = load_yaml("personal_data.yaml")["rows"]
    sheet = rows["unit"].format(ma_don_vi=found.unit) if found.unit else rows["overview"]
    return f"{sheet} – tab «{found.tab}»"


def addresses(deployment: Deployment, email: str) -> tuple[tuple[str, ...], Staff | None]:
    """Every address of the person owning ``email`` (the roster's), lower case."""
    person = deployment.directory().person(email)
    given = email.strip().lower()
    if person is None:
        return (given,), None
    return tuple(dict.fromkeys(e.strip().lower() for e in (given, *person.emails))), person


def find(deployment: Deployment, ws: Workspace, email: str) -> Holdings:
    """Everything the service holds about the person owning ``email`` in the configured year."""
    emails, person = addresses(deployment, email)
    held = Holdings(emails, person, names={person.name} if person else set())
    year = deployment.settings.year
    registry = RegistryStore(ws.state, year, read_only=True).load()
    ledgers = LedgerStore(ws.state, year)
    units: set[str] = {person.unit_code} if person is not None else set()
    placed: set[str] = set()
    for key, entry in sorted(registry.forms.items()):
        if not entry.get("id"):
            continue
        spec = deployment.form(key)
        question_keys = {qid: qkey for qkey, qid in entry.get("questions", {}).items()}
        titles = {question.key: question.title for question in spec.questions}
        for raw in ws.forms.responses(entry["id"]):
            if str(raw.get("respondentEmail", "")).strip().lower() not in emails:
                continue
            response = to_response(raw, spec, question_keys, year)
            held.responses.append(FormResponse(
                key, entry["id"], spec.title, response.response_id, response.respondent_email
                or "", str(raw.get("createTime", "")),
                str(raw.get("lastSubmittedTime", raw.get("createTime", ""))),
                tuple((titles.get(k, k), v if isinstance(v, str) else "\n".join(v))
                      for k, v in response.answers.items())))
        mine = {r.response_id for r in held.responses if r.form_key == key}
        for response_id, (unit, _) in (ledgers.load(key).entries.items() if mine else ()):
            if response_id in mine:
                held.ledger.append((key, response_id))
                placed.add(response_id)
                if unit != QUARANTINE:
                    units.add(unit)
    layout = layout_for(deployment)
    for code in sorted(units):
        sheet_id = registry.units.get(code, {}).get("sheet")
        if sheet_id:
            _find_in_unit(ws, layout, code, sheet_id, held)
    notice = frozenset(column.header for tab in layout.tabs for column in tab.columns
                       if column.source == "notice")
    for found in held.rows:  # the privacy notice each response was given under
        version = _cell(found, notice) if found.kind == RESPONSE else ""
        if version:
            held.notices[version] = notice_text(registry, version) or ""
    overview_id = registry.overview.get("id")
    if overview_id:
        _find_in_quarantine(ws, overview_id, held)
    _find_reminders(deployment, ws, held)
    snapshot = ws.state.read(f"years/{year}/report_rows.json").value or {}
    for code, kept in sorted(snapshot.items()):
        held.report_entries += [(code, entry) for entry in kept.get("entries", [])
                                if str(entry[2]).strip().lower() in emails]
    _find_in_reports(deployment, ws, units, held)
    return held


def _cell(found: Found, headers: frozenset[str]) -> str:
    """The row's value under the first of ``headers`` it has ("" when none)."""
    for index, header in enumerate(found.headers):
        if header in headers and index < len(found.values):
            return str(found.values[index] or "")
    return ""


def _find_in_reports(deployment: Deployment, ws: Workspace, units: set[str],
                     held: Holdings) -> None:
    """The report Docs (the Sở's, and those of the person's units) whose text names them:
    one Drive listing, one text export per such Doc (their dated PDFs say the same)."""
    marks = [mark for mark in (*held.names, *held.emails) if mark]
    drive_id = deployment.settings.storage.shared_drive_id or ""
    if not marks or not drive_id:
        return
    for found in ws.drive.find(drive_id, app_properties(deployment.settings.year, "report-doc"),
                               fields="id,name,appProperties"):
        key = str(found.get("appProperties", {}).get("guongmauKey", "")).split("|")
        if key[0] != "so" and (len(key) < 2 or key[1] not in units):
            continue
        text = ws.drive.export(found["id"], "text/plain").decode("utf-8-sig").lower()
        if any(mark.lower() in text for mark in marks):
            held.report_docs.append((str(found["name"]), str(found["id"])))


def _unit_ranges(layout: UnitLayout, history: bool) -> list[tuple[str, int, str]]:
    """(kind, tab id, range) of every tab that may hold the person."""
    found = [(RESPONSE, tab.sheet_id,
              f"'{tab.title}'!A1:{cells.column_letter(len(tab.columns) - 1)}")
             for tab in layout.tabs]
    found += [(ROSTER, ROSTER_ID, f"'{layout.text('roster', 'title')}'!A1:Z"),
              (OVERFLOW, OVERFLOW_ID, f"'{layout.text('overflow', 'title')}'!A1:E"),
              (MISSING, OVERVIEW_ID, f"'{layout.text('overview', 'title')}'!A1:A")]
    if history:
        found.append((HISTORY, HISTORY_ID, f"'{layout.text('history', 'title')}'!A1:G"))
    return found


def _title(cell_range: str) -> str:
    return cell_range.split("!")[0].strip("'")


def _find_in_unit(ws: Workspace, layout: UnitLayout, code: str, sheet_id: str,
                  held: Holdings) -> None:
    ranges = _unit_ranges(layout, history=True)
    try:
        grids = ws.sheets.read(sheet_id, [r for _, _, r in ranges])
    except GoogleApiError as error:
        if error.status != 400 or "range" not in error.message.lower():
            raise
        held.sheets_read += 1
        ranges = _unit_ranges(layout, history=False)
        grids = ws.sheets.read(sheet_id, [r for _, _, r in ranges])
    held.sheets_read += 1
    emails = set(held.emails)
    ids = {r.response_id for r in held.responses}
    by_kind = {kind: (tab_id, cell_range, grid)
               for (kind, tab_id, cell_range), grid in zip(ranges, grids, strict=True)
               if kind != RESPONSE}
    # Response rows first: a row found by its email names an id the other tabs may hold.
    for tab, grid in zip(layout.tabs, grids, strict=False):
        email_col = tab.column_of("email")
        for index, row in enumerate(grid[1:], start=1):
            email = str(row[email_col]).strip().lower() if email_col < len(row) else ""
            if row and (str(row[0]) in ids or email in emails):
                ids.add(str(row[0]))
                name = row[tab.column_of("name")] if tab.column_of("name") < len(row) else ""
                held.names.add(str(name).strip())
                held.rows.append(_found(RESPONSE, sheet_id, code, tab.title, tab.sheet_id,
                                        grid, index))

    def rows_where(kind: str, matches: Any) -> None:
        if kind not in by_kind:
            return
        tab_id, cell_range, grid = by_kind[kind]
        for index, row in enumerate(grid[1:], start=1):
            if row and matches(row):
                held.rows.append(_found(kind, sheet_id, code, _title(cell_range), tab_id,
                                        grid, index))

    rows_where(ROSTER, lambda row: len(row) > 1 and str(row[1]).strip().lower() in emails)
    rows_where(OVERFLOW, lambda row: str(row[0]) in ids)
    rows_where(HISTORY, lambda row: str(row[0]) in ids
               or (len(row) > 3 and str(row[3]).strip().lower() in emails))
    rows_where(MISSING, lambda row: any(f"({email})" in str(row[0]).lower() for email in emails))


def _found(kind: str, sheet_id: str, code: str, title: str, tab_id: int,
           grid: list[list[Any]], index: int) -> Found:
    headers = tuple(str(h) for h in grid[0]) if grid and kind != MISSING else ()
    return Found(kind, sheet_id, code, title, tab_id, index, headers, tuple(grid[index]))


def _find_in_quarantine(ws: Workspace, overview_id: str, held: Holdings) -> None:
    title = load_yaml("so.yaml")["quarantine"]["title"]
    grid = ws.sheets.read(overview_id, [f"'{title}'!A1:G"])[0]
    held.sheets_read += 1
    ids, emails = held.response_ids, set(held.emails)
    for index, row in enumerate(grid[1:], start=1):
        if row and (str(row[0]) in ids
                    or (len(row) > 2 and str(row[2]).strip().lower() in emails)):
            held.rows.append(_found(QUARANTINED, overview_id, "", title,
                                    so_sheet.QUARANTINE_ID, grid, index))


def _find_reminders(deployment: Deployment, ws: Workspace, held: Holdings) -> None:
    log = ReminderLog(ws.state, deployment.settings.year)
    days = deployment.settings.notifications.remind_days_before
    for period in deployment.periods:
        for one in rounds(period, days):
            held.reminders += [(one, address) for address in sorted(log.sent(one))
                               if address.strip().lower() in held.emails]
