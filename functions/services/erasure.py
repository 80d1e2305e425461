"""A person's erasure (``guongmau data erase``): their data leaves every Sheet and the state
store; the Forms responses, which no API call can delete, are tombstoned and left to the Sở.

Order, so that a run cut anywhere is finished by the next: (1) the response ids go into the
tombstone (``erased.py``): no sync shows them again; (2) each Sheet involved gets ONE write,
at the rows the one read found (``personal_data.find``), rewriting only the person's cells;
(3) the state objects forget them (ledgers, reminder rounds, the reports' snapshot); (4) the
erasure is recorded. A rerun finds nothing left and writes nothing but its record. It holds
the collection's lease: no sync writes a Sheet between its read and its write.

What a row becomes:
- a response row is anonymised in place: its key and email become one random token per run
  (so the person's versions still count as one), its name a placeholder, every answer, the
  position and the head's note blank; group, status, submission time, confirmation,
  evaluation and marks stay, so the reports keep their counts and show the placeholder
  instead of the name when they are made again;
- history, overflow and quarantine rows are blanked (no row moves: every other cell keeps its
  address);
- the roster tab's row and the overview's missing-list line are drawn from ``nhan_su.csv``:
  blanked only when the person is no longer there, else left (and the operator told), since
  the next sync would draw them again.
"""

from __future__ import annotations

import contextlib
import time
import uuid
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from functions.adapters.storage import PreconditionFailed
from functions.blueprints import cells
from functions.blueprints.layout import UnitLayout, load_yaml
from functions.config.deployment import Deployment
from functions.services.erased import ErasedResponses
from functions.services.lease import Heartbeat, Lease
from functions.services.ledger import LedgerStore
from functions.services.personal_data import (
    MISSING,
    RESPONSE,
    ROSTER,
    Found,
    Holdings,
    find,
    place_of,
)
from functions.services.provision import layout_for
from functions.services.reminder_log import ReminderLog
from functions.services.workspace import Workspace

# Sources of the machine columns an anonymised row keeps: they carry no one's identity and
# the counts of the reports depend on them.
KEPT_SOURCES = frozenset({"version", "submitted_at", "group", "status"})
MAX_SECONDS = 3600.0  # the lease is renewed no longer than this
KEPT_PEOPLE = frozenset({"confirmed", "evaluation", "commend", "remind", "good_practice"})


class Busy(Exception):
    """A sync holds the lease; nothing was written."""

    def __init__(self, until: float) -> None:
        super().__init__(until)
        self.until = until


@dataclass
class ErasureOutcome:
    holdings: Holdings
    removed: Counter[str] = field(default_factory=Counter)  # place → rows (or objects)
    left_by_roster: list[Found] = field(default_factory=list)  # drawn from nhan_su.csv
    writes: dict[str, list[dict[str, Any]]] = field(default_factory=dict)  # Sheet → requests
    tombstoned: int = 0
    record: str = ""  # the state object recording the erasure

    @property
    def total(self) -> int:
        return sum(self.removed.values())


def erase(deployment: Deployment, ws: Workspace, email: str, requested_by: str,
          dry_run: bool = False,
          now: Callable[[], datetime] = lambda: datetime.now(UTC)) -> ErasureOutcome:
    """Erases (``dry_run``: only lists) what is held about the person owning ``email``.
    Raises Busy when a sync holds the lease."""
    if dry_run:
        return _plan(deployment, ws, email)
    lease = Lease(ws.state, name=f"years/{deployment.settings.year}/lease.json")
    if not lease.acquire():
        raise Busy(lease.held_until)
    try:
        # Listing every form of a province under the quota may outlast the lease: renewed.
        with Heartbeat(lease, until=time.time() + MAX_SECONDS) as heartbeat:
            outcome = _plan(deployment, ws, email)
            if heartbeat.lost:
                raise Busy(lease.held_until)
            _apply(deployment, ws, outcome, requested_by, now())
        return outcome
    finally:
        lease.release()


def _plan(deployment: Deployment, ws: Workspace, email: str) -> ErasureOutcome:
    held = find(deployment, ws, email)
    outcome = ErasureOutcome(held)
    layout = layout_for(deployment)
    token = str(layout.text("status", "erased_key")).format(ma=uuid.uuid4().hex[:8])
    for found in held.rows:
        if found.kind in (ROSTER, MISSING) and held.on_roster is not None:
            outcome.left_by_roster.append(found)
            continue
        outcome.writes.setdefault(found.spreadsheet_id, []).append(
            erasing_request(layout, found, token))
        outcome.removed[place_of(found)] += 1
    outcome.removed.update(_state_counts(held))
    return outcome


def _apply(deployment: Deployment, ws: Workspace, outcome: ErasureOutcome, requested_by: str,
           moment: datetime) -> None:
    year = deployment.settings.year
    held = outcome.holdings
    outcome.tombstoned = ErasedResponses(ws.state, year).add(held.response_ids)
    for spreadsheet_id, requests in outcome.writes.items():
        ws.sheets.batch_update(spreadsheet_id, requests)
    _forget_state(deployment, ws, held)
    outcome.record = _record(ws, year, requested_by, moment, outcome)


def erasing_request(layout: UnitLayout, found: Found, token: str) -> dict[str, Any]:
    """The one request erasing ``found``: a response row anonymised, any other row blanked.
    A response row's cells are told apart by the headers the Sheet shows, not the layout's
    positions: a Sheet not yet given a column the layout has added keeps its people's cells."""
    if found.kind != RESPONSE:
        width = max(len(found.headers), len(found.values), 1)
        return cells.update_cells(found.tab_id, found.row, 0, [[None] * width])
    tab = next(t for t in layout.tabs if t.sheet_id == found.tab_id)
    by_header = {column.header: column for column in tab.columns}
    values: list[object] = []
    for index, header in enumerate(found.headers):
        held = found.values[index] if index < len(found.values) else None
        column = by_header.get(header)
        source, key = (column.source, column.key) if column is not None else (None, "")
        if source in ("response_id", "email"):
            values.append(token)
        elif source == "name":
            values.append(str(layout.text("status", "erased_name")))
        elif source in KEPT_SOURCES or key in KEPT_PEOPLE:
            values.append(held if held != "" else None)
        else:  # answers, position, notes, the head's note, and any column we do not know
            values.append(None)
    return cells.update_cells(found.tab_id, found.row, 0, [values])


def _state_counts(held: Holdings) -> Counter[str]:
    places = load_yaml("personal_data.yaml")["state_places"]
    counts: Counter[str] = Counter()
    if held.ledger:
        counts[places["ledger"]] = len(held.ledger)
    if held.reminders:
        counts[places["reminders"]] = len(held.reminders)
    if held.report_entries:
        counts[places["reports"]] = len(held.report_entries)
    return counts


def _forget_state(deployment: Deployment, ws: Workspace, held: Holdings) -> None:
    year = deployment.settings.year
    ledgers = LedgerStore(ws.state, year)
    for key in sorted({key for key, _ in held.ledger}):
        ledger = ledgers.load(key)
        for form_key, response_id in held.ledger:
            if form_key == key:
                ledger.forget(response_id)
        ledgers.save(ledger)
    log = ReminderLog(ws.state, year)
    for one in {one for one, _ in held.reminders}:
        log.forget(one, held.emails)
    if held.report_entries:
        _forget_report_rows(ws, year, set(held.emails))


def _forget_report_rows(ws: Workspace, year: int, emails: set[str]) -> None:
    """The reports' snapshot without the person's rows; the units they were in are read again
    by the next report (their Sheets changed anyway)."""
    name = f"years/{year}/report_rows.json"
    found = ws.state.read(name)
    units = dict(found.value or {})
    for code, kept in list(units.items()):
        entries = kept.get("entries", [])
        if any(str(entry[2]).strip().lower() in emails for entry in entries):
            del units[code]
    ws.state.write(name, units, if_generation=found.generation)


def _record(ws: Workspace, year: int, requested_by: str, moment: datetime,
            outcome: ErasureOutcome) -> str:
    """The erasure's record: who asked, when, what was removed as places and counts; never
    the person's address nor any of their data."""
    stamp = moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
    name = f"years/{year}/erasures/{stamp}-{uuid.uuid4().hex[:6]}.json"
    value = {
        "requested_by": requested_by, "at": moment.isoformat(timespec="seconds"),
        "removed": dict(sorted(outcome.removed.items())),
        "form_responses_to_delete_by_hand": len(outcome.holdings.responses),
        "left_by_roster": len(outcome.left_by_roster),
    }
    with contextlib.suppress(PreconditionFailed):  # our own write, retried after a lost answer
        ws.state.write(name, value, if_generation=0)
    return name

