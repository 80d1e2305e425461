"""Collection: every response lands in its unit's Sheet, exactly once in effect.

A run lists responses (the fast path from each notified form's cursor, with an overlap; the
reconcile without a filter, comparing versions, so edits are never missed), routes each one,
and brings every changed unit Sheet up to date with one read and one write. The Sở overview
gets one write per run. Ledgers (what was applied) advance only after the writes they cover
have landed; cursors never past a form's first response not yet applied. Progress (ledgers,
the views drawn, the overview rows still owed) is saved after each unit that landed (one small
journal segment, folded into the sharded state at the end: ``sync_state.py``) and on any exit,
so a run that fails or is killed is resumed by the next one from the units left, without reading
again those already recorded (nor, on the fast path, listing them). A run stops itself
before its time limit or when it has lost the lease; one writer at a time holds it.
"""

from __future__ import annotations

import gc
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from typing import Any

from functions.blueprints import cells, so_sheet, unit_status
from functions.blueprints.layout import load_yaml
from functions.config.deployment import Deployment
from functions.domain.notice import in_force
from functions.domain.packed import PackedAnswers
from functions.domain.routing import route
from functions.services import budget, quarantine
from functions.services.closed_forms import ClosedForms
from functions.services.erased import ErasedResponses
from functions.services.form_responses import format_time, parse_time, to_response
from functions.services.ledger import QUARANTINE, Ledger
from functions.services.moves import Moves
from functions.services.provision import layout_for, local_now
from functions.services.registry import Registry, RegistryStore
from functions.services.rendered import view_key
from functions.services.sync_state import SyncState
from functions.services.unit_sync import Change, plan, read_state
from functions.services.workspace import Workspace

CURSOR_OVERLAP = timedelta(minutes=2)  # clocks and edit times are not exact
PER_UNIT = 30  # staff a unit, when no roster says (sizes a new ledger's shards)


@dataclass
class SyncOutcome:
    listed: int = 0  # responses read from Forms
    changed: int = 0  # responses applied (new, edited, moved)
    units_written: int = 0
    quarantined: int = 0
    complete: bool = True  # False: stopped at the time limit; the next run resumes
    busy: bool = False  # another run held the lease
    busy_until: float = 0.0  # then: when its lease expires (epoch seconds) unless renewed
    # A form was listed with the timestamp filter, and nothing showed that the filter compares
    # edit times (Google does not say): edits may wait for the next full pass.
    edits_may_wait: bool = False
    runs: int = 0
    notes: list[str] = field(default_factory=list)


@dataclass
class _Pending:
    by_unit: dict[str, list[Change]] = field(default_factory=lambda: defaultdict(list))
    held: list[tuple[Change, str]] = field(default_factory=list)  # quarantined, with reason
    released: set[str] = field(default_factory=set)  # ids leaving the quarantine
    moves: Moves = field(default_factory=Moves)  # ids leaving the unit that shows them
    newest: dict[str, str] = field(default_factory=dict)  # form key → newest version listed


def _gather(deployment: Deployment, ws: Workspace, registry: Registry,
            ledgers: dict[str, Ledger], full: bool, outcome: SyncOutcome,
            erased: frozenset[str] = frozenset()) -> _Pending:
    directory = deployment.directory()
    pending = _Pending()
    for key, ledger in ledgers.items():
        entry = registry.forms.get(key, {})
        if not entry.get("id"):
            continue
        spec = deployment.form(key)
        question_keys = {qid: qkey for qkey, qid in entry.get("questions", {}).items()}
        since = None
        if ledger.cursor and not full:
            since = format_time(parse_time(ledger.cursor) - CURSOR_OVERLAP)
        edits_seen = False
        notices = entry.get("notices", [])
        for raw in ws.forms.responses(entry["id"], since):
            outcome.listed += 1
            if raw.get("responseId") in erased:
                continue  # erased at its author's request: never shown again
            response = to_response(raw, spec, question_keys, deployment.settings.year)
            # Created before ``since`` yet listed: the filter compares edit times.
            edits_seen = edits_seen or (since is not None and format_time(response.created)
                                        < since)
            version = format_time(response.last_submitted)
            if version > pending.newest.get(key, ""):
                pending.newest[key] = version
            routing = route(response, directory)
            unit = routing.unit_code or QUARANTINE
            previous = ledger.entries.get(response.response_id)
            change = Change(response, routing, version, notice=in_force(notices, version))
            if ledger.applied(response.response_id, unit, change.stamp):
                continue
            # Held until its unit is written: packed, the answers are most of a pass's memory.
            response = replace(response, answers=PackedAnswers(response.answers))
            change = replace(change, response=response)
            if previous is not None and previous[0] == unit \
                    and previous[1].split("|")[0] == version:
                change = replace(change, rewrite=True)  # placed differently, a notice known
            if routing.unit_code is None:
                pending.held.append((change, routing.reason))
            else:
                pending.by_unit[unit].append(change)
                if previous is not None and previous[0] == QUARANTINE:
                    # Recorded only once the quarantine row is gone (the overview write).
                    pending.released.add(response.response_id)
                    pending.moves.destination[response.response_id] = unit
            if previous is not None and previous[0] not in (QUARANTINE, unit):
                # Shown in another unit (the roster placed its author elsewhere): leave it.
                pending.moves.leave(response.response_id, previous[0], unit)
        outcome.edits_may_wait = outcome.edits_may_wait or (since is not None and not edits_seen)
    return pending


def sync(deployment: Deployment, ws: Workspace, form_keys: Iterable[str] | None, full: bool,
         deadline: float, today: date, clock: Callable[[], float] = time.monotonic,
         lost: Callable[[], bool] = lambda: False) -> SyncOutcome:
    """One pass over ``form_keys`` (None: all forms). The caller holds the lease (``lost``:
    another run has taken it over).

    The reconcile (``full``) does not list forms closed at its last complete pass while the
    directory is unchanged (``closed_forms``), and redraws the status parts of units whose
    view changed (the roster, the periods' dates), though no response of theirs did.
    """
    settings = deployment.settings
    records = RegistryStore(ws.state, settings.year)
    registry = records.load()
    records.carry_over(registry)  # read from the former single object: saved split, once
    state = SyncState(ws.state, settings.year, _expected(deployment))
    state.replay()
    keys = list(form_keys) if form_keys is not None else [s.key for s in deployment.forms]
    closed = ClosedForms(ws.state, settings.year) if full else None
    if closed is not None:
        keys = closed.choose(ws, registry, keys, deployment.directory())
    ledgers = {key: state.ledger(key) for key in keys if key in registry.forms}
    outcome = SyncOutcome(runs=1)
    erased = ErasedResponses(ws.state, settings.year).ids() if ledgers else frozenset()
    pending = _gather(deployment, ws, registry, ledgers, full, outcome, erased)
    layout = layout_for(deployment)
    moves = pending.moves
    overview_id = registry.overview.get("id")
    moves.read_sources(deployment, ws, registry, layout,
                       lambda: quarantine.shown_ids(ws, overview_id) if overview_id else [])
    directory = deployment.directory()
    views = state.views
    wanted = {unit.code: view_key(unit, directory.staff_of(unit.code), deployment.periods)
              for unit in deployment.active_units}
    redraw = views.stale({code: key for code, key in wanted.items()
                          if registry.units.get(code, {}).get("sheet")}) if full else set()
    now_text = local_now(deployment)
    so_texts = load_yaml("so.yaml")["progress"]
    so_rows: dict[str, list[object]] = dict(views.overview_due)  # owed by an earlier run
    done_units: set[str] = set()
    waiting: list[tuple[Change, str]] = []  # applied, but the place they leave still shows them

    def settle() -> None:
        for change, where in [item for item in waiting if moves.settled(item[0])]:
            ledgers[change.response.form_key].record(change.response.response_id, where,
                                                     change.stamp)
            outcome.changed += 1
            waiting.remove((change, where))

    # What was gathered lives through the run: kept out of the garbage collector's full passes,
    # which would otherwise walk every response again each few thousand cells drawn (3 of 7
    # CPU seconds of routing and row building at 63 000 responses, benchmarks.collect_cpu).
    gc.freeze()
    try:
        # Units some rows leave come last: their rows' new places are written first.
        codes = sorted(set(pending.by_unit) | set(moves.removals) | redraw,
                       key=lambda code: (code in moves.removals, code))
        for index, code in enumerate(codes):
            ws.progress("Bảng đơn vị", index, len(codes))
            if clock() > deadline or lost():
                outcome.complete = False
                outcome.notes.append(budget.TIME_UP_NOTE if not lost() else
                                     "Dừng vì một lần chạy khác đã nhận khóa; lần đó làm tiếp.")
                break
            changes = moves.with_cells(pending.by_unit.get(code, []))
            sheet_id = registry.units.get(code, {}).get("sheet")
            unit = directory.unit(code)
            if not sheet_id or unit is None:
                if changes:
                    outcome.notes.append(
                        f"Đơn vị {code} chưa có bảng theo dõi: hãy chạy provision.")
                    outcome.complete = False
                else:
                    done_units.add(code)  # nothing shown there to remove
                    moves.gone |= moves.removals.get(code, set())
                continue
            tabs, roster_rows, overflow, history = (moves.read_ahead.pop(code)
                                                    if code in moves.read_ahead
                                                    else read_state(ws, sheet_id, layout))
            removals = moves.removable(code, done_units)
            unit_plan = plan(layout, unit, directory.staff_of(code), deployment.periods, tabs,
                             roster_rows, overflow, changes, today, now_text,
                             render=code in redraw, removals=removals, history=history)
            if unit_plan.requests:
                ws.sheets.batch_update(sheet_id, unit_plan.requests)
                outcome.units_written += 1
                if code in wanted:
                    views.record(code, wanted[code])
            # Also when the rows were already shown: a crash may have come between this
            # unit's write and the overview's. Owed until the overview write lands.
            so_rows[code] = unit_status.so_row(unit_plan.status, layout, so_texts, now_text)
            views.owe(code, so_rows[code])
            done_units.add(code)
            moves.gone |= removals
            waiting += [(change, code) for change in changes]
            settle()
            state.checkpoint()  # this unit's progress survives any exit
        else:
            if codes:
                ws.progress("Bảng đơn vị", len(codes), len(codes))
        # Only responses now shown in their unit may leave the quarantine.
        pending.released = {change.response.response_id for code in done_units
                            for change in pending.by_unit.get(code, [])} & pending.released
        if outcome.complete or so_rows:
            titles = {spec.key: spec.title for spec in deployment.forms}
            _write_overview(ws, registry, so_rows, pending, ledgers, titles, outcome)
            views.paid(so_rows)
            moves.gone |= pending.released  # their quarantine rows are gone
            settle()
        if waiting:
            outcome.complete = False  # moved responses still shown where they were
        for key, cursor in _cursors(pending, ledgers, outcome.complete).items():
            if cursor > ledgers[key].cursor:
                ledgers[key].cursor = cursor
                ledgers[key].dirty = True
    finally:
        gc.unfreeze()
        state.fold()
    if closed is not None and outcome.complete:
        closed.save_complete()  # after the ledgers: never covers what they do not
    return outcome


def _expected(deployment: Deployment) -> dict[str, int]:
    """Responses each form may collect: its group's staff, or a guess without a roster."""
    groups = Counter(person.group for person in deployment.staff)
    return {spec.key: groups[spec.group] or PER_UNIT * len(deployment.units)
            for spec in deployment.forms}


def _cursors(pending: _Pending, ledgers: dict[str, Ledger], complete: bool) -> dict[str, str]:
    """Where each form's next listing may start. Complete: after the newest version listed.
    Stopped early: at the creation of its first response not yet recorded, so the resumed
    run lists again only what is left (whichever time Google's filter compares, it is never
    before a response's creation)."""
    if complete:
        return dict(pending.newest)
    first: dict[str, str] = {}
    changes = [c for changes in pending.by_unit.values() for c in changes]
    for change in changes + [change for change, _ in pending.held]:
        response = change.response
        entry = ledgers[response.form_key].entries.get(response.response_id)
        if entry is None or entry[1] != change.stamp:
            created = format_time(response.created)
            first[response.form_key] = min(first.get(response.form_key, created), created)
    return {key: first.get(key, newest) for key, newest in pending.newest.items()}


def _write_overview(ws: Workspace, registry: Registry, so_rows: dict[str, list[object]],
                    pending: _Pending, ledgers: dict[str, Ledger], titles: dict[str, str],
                    outcome: SyncOutcome) -> None:
    """One write to the Sở overview: changed units' rows, and the quarantine's changes."""
    overview = registry.overview
    if not overview.get("id"):
        return
    requests: list[dict[str, Any]] = []
    rows = overview.get("rows", {})
    for code, values in so_rows.items():
        if code in rows:
            requests.append(cells.update_cells(so_sheet.PROGRESS_ID, rows[code], 0, [values]))
    if pending.held or pending.released:
        held = [(pending.moves.with_cells([change])[0], reason)
                for change, reason in pending.held]
        requests += quarantine.changes(ws, overview["id"], held, pending.released, titles)
    if not requests:
        return
    ws.sheets.batch_update(overview["id"], requests)
    for change, _ in pending.held:
        if pending.moves.settled(change):
            ledgers[change.response.form_key].record(change.response.response_id, QUARANTINE,
                                                     change.stamp)
            outcome.quarantined += 1
        else:
            outcome.complete = False  # shown in the unit it leaves until the next pass
