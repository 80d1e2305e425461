"""Provisioning a year: the Drive tree, the forms, a live Sheet per unit, the Sở overview.

Idempotent and frugal: ids are generated (and recorded) before anything is created, so a
retried create cannot leave a twin; every step compares the wanted state with the record
and writes only differences, so a second run with nothing changed makes no write call.

At province scale and Google's pace (about 60 Sheets writes a minute) provisioning may need
more than one function run: given a time budget, a run stops before a quota wait would outlast
it, keeps what it made (the record is saved unit by unit and on every exit), says when the next
run can resume, and the next run goes on with what is left (``Outcome.complete``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from functions import clock
from functions.adapters.drive import SPREADSHEET, Grant
from functions.adapters.errors import GoogleApiError
from functions.adapters.pacing import BudgetExhausted
from functions.blueprints import cells, so_sheet, unit_status
from functions.blueprints.layout import UnitLayout, load_unit_layout, load_yaml
from functions.config.deployment import Deployment
from functions.domain.model import Unit
from functions.services import budget, preflight, sharing_audit
from functions.services.files import ensure_file, trash_twins
from functions.services.provision_forms import ensure_form
from functions.services.provision_units import (
    build,
    create_folder,
    ensure_unit,
    ghost_units,
    ghost_warnings,
    is_built,
)
from functions.services.registry import Registry, RegistryStore, app_properties, fingerprint
from functions.services.rendered import RenderedViews, view_key
from functions.services.workspace import Workspace

IDENTITY_CELLS = 4  # code, name, kind, state: the start of a unit's row in the Sở overview
STATE_COLUMN = 3


@dataclass
class Outcome:
    """What a provisioning run did (or, dry, would do), in Vietnamese lines."""

    actions: list[str] = field(default_factory=list)
    dry_run: bool = False
    notes: list[str] = field(default_factory=list)  # found, not changed: for the admin to see
    complete: bool = True  # False: stopped by its time budget, the next run goes on

    @property
    def changed(self) -> bool:
        return bool(self.actions)


NEW_SHEET_ROWS = 1000  # rows of a new spreadsheet's tab


def local_now(deployment: Deployment) -> str:
    return clock.local_now(deployment.settings.schedule.time_zone)


def layout_for(deployment: Deployment) -> UnitLayout:
    return load_unit_layout(max(len(f.criteria) for f in deployment.frameworks))


def _ids_needed(deployment: Deployment, registry: Registry) -> int:
    """Folder ids to pre-generate (Drive generates ids for folders, not for Google types)."""
    folders = 4 - len(registry.folders)
    units = sum(1 for unit in deployment.units
                if unit.active and not registry.units.get(unit.code, {}).get("folder"))
    return max(0, folders + units - len(registry.spare_ids))


def _ensure_folders(deployment: Deployment, ws: Workspace, registry: Registry,
                    outcome: Outcome) -> None:
    settings = deployment.settings
    names = load_yaml("drive.yaml")
    root = settings.storage.folder_id or settings.storage.shared_drive_id or ""
    year_name = names["year_folder"].format(nam=settings.year)
    plan = [("year", year_name, root)] + [
        (key, names[f"{key}_folder"], "") for key in ("forms", "units", "reports")]
    for key, name, parent in plan:
        if key in registry.folders:
            continue
        outcome.actions.append(f"tạo thư mục «{name}»")
        if outcome.dry_run:
            continue
        folder_id = create_folder(ws, registry, settings.storage.shared_drive_id or "", name,
                                  parent or registry.folders["year"],
                                  app_properties(settings.year, "folder", key))
        registry.folders[key] = folder_id
        registry.changed()


def _ensure_overview(deployment: Deployment, ws: Workspace, registry: Registry,
                     layout: UnitLayout, today: date, outcome: Outcome,
                     ghosts: Sequence[Unit] = ()) -> None:
    """The Sở overview: a row per unit (rows follow the record's order), and the quarantine.
    A unit whose code left the units file (``ghosts``) gets only its state cell marked: the
    record does not know its kind, and its counts stay as the last sync left them."""
    settings = deployment.settings
    texts = load_yaml("so.yaml")
    entry = registry.overview
    rows: dict[str, int] = entry.setdefault("rows", {})
    directory = deployment.directory()
    shown: dict[str, str] = entry.setdefault("shown", {})  # code → fingerprint of its row
    ghost_codes = {ghost.code for ghost in ghosts}
    changed = [u for u in (*deployment.units, *ghosts) if u.code in registry.units
               and shown.get(u.code) != fingerprint([u.name, u.kind, u.active])]
    requests: list[dict[str, Any]] = []
    if not entry.get("built"):
        outcome.actions.append("tạo bảng tổng hợp của Sở")
        if outcome.dry_run:
            return
        title = texts["title"].format(nam=settings.year, so=settings.agency.display_name)
        props = app_properties(settings.year, "so-overview")
        entry["id"], created = ensure_file(
            ws, settings.storage.shared_drive_id or "", props,
            lambda: ws.drive.create(title, SPREADSHEET, registry.folders["reports"], props))
        if created or not is_built(ws, entry["id"]):  # adopted: its build may have landed
            requests += so_sheet.build_requests(layout, texts, deployment.periods,
                                                ws.service_account)
    elif changed:
        outcome.actions.append(f"cập nhật {len(changed)} dòng đơn vị trong bảng tổng hợp của Sở")
    if outcome.dry_run or not (requests or changed):
        return
    now = local_now(deployment)
    building = bool(requests)
    # What the call draws is recorded only once it has landed: a run that stops here (and
    # saves its record on the way out) must not believe these rows drawn.
    placed = dict(rows)
    new_rows = {unit.code for unit in changed if unit.code not in placed}
    for unit in changed:
        placed.setdefault(unit.code, len(placed) + 1)
    # updateCells cannot write past the grid (a new tab has 1 000 rows): grow it first, in the
    # same call.
    grid_rows = int(entry.get("grid_rows", NEW_SHEET_ROWS))
    needed = max(placed.values(), default=0) + 1
    if needed > grid_rows:
        requests.append({"appendDimension": {"sheetId": so_sheet.PROGRESS_ID,
                                             "dimension": "ROWS", "length": needed - grid_rows}})
    drawn: dict[str, str] = {}
    for unit in changed:
        status = unit_status.UnitStatus(unit, directory.staff_of(unit.code), deployment.periods,
                                        {}, today)
        row = unit_status.so_row(status, layout, texts["progress"], now)
        column = 0
        if unit.code in ghost_codes and unit.code not in new_rows:
            row, column = [texts["progress"]["removed"]], STATE_COLUMN
        elif unit.code not in new_rows:
            row = row[:IDENTITY_CELLS]  # counts of a known unit are the sync's to write
        requests.append(cells.update_cells(so_sheet.PROGRESS_ID, placed[unit.code], column,
                                           [row]))
        drawn[unit.code] = fingerprint([unit.name, unit.kind, unit.active])
    if building:
        build(ws, entry["id"], requests)
    else:
        ws.sheets.batch_update(entry["id"], requests)
    rows.update(placed)
    shown.update(drawn)
    if needed > grid_rows:
        entry["grid_rows"] = needed
    entry["built"] = True
    registry.changed()


def provision(deployment: Deployment, ws: Workspace, today: date, dry_run: bool = False,
              budget_seconds: float | None = None) -> Outcome:
    """Brings the year's Workspace files to what the configuration says; with
    ``budget_seconds``, stops cleanly (incomplete, with a note saying when to resume) before a
    quota wait would outlast it."""
    outcome = Outcome(dry_run=dry_run)
    if budget_seconds is None:
        return _provision(deployment, ws, today, outcome)
    try:
        with budget.within(ws, budget_seconds):
            return _provision(deployment, ws, today, outcome)
    except BudgetExhausted as stop:
        outcome.complete = False
        outcome.notes.append(budget.resume_note(deployment, stop))
    except budget.OutOfTime:
        outcome.complete = False
        outcome.notes.append(budget.TIME_UP_NOTE)
    return outcome


def _provision(deployment: Deployment, ws: Workspace, today: date, outcome: Outcome) -> Outcome:
    preflight.check(deployment, ws)
    settings = deployment.settings
    dry_run = outcome.dry_run
    records = RegistryStore(ws.state, settings.year, read_only=dry_run,
                            expected_units=len(deployment.units))
    registry = records.load()
    needed = _ids_needed(deployment, registry)
    if needed and not dry_run:
        registry.spare_ids.extend(ws.drive.generate_ids(needed))
        registry.changed()
        records.save(registry, force=True)  # ids are recorded before anything uses them
    views = RenderedViews(ws.state, settings.year)
    with records.kept(registry, views.save):  # saved on every exit, a failure included
        _ensure_folders(deployment, ws, registry, outcome)
        for spec in deployment.forms:
            budget.spent(ws)
            outcome.actions += ensure_form(deployment, ws, registry, spec, today, dry_run)
        records.save(registry)
        layout = layout_for(deployment)
        directory = deployment.directory()
        now = local_now(deployment)
        ghosts = ghost_units(deployment, registry)
        outcome.notes += ghost_warnings(deployment, registry, ghosts)
        units = [*deployment.units, *ghosts]
        fresh: set[str] = set()  # units built in this run: their sharing is the one just made
        for done, unit in enumerate(units, start=1):
            budget.spent(ws)  # a run slowed by latency, not quota, stops between units too
            staff = directory.staff_of(unit.code)
            status = unit_status.UnitStatus(unit, staff, deployment.periods, {}, today)
            first_state = unit_status.render(layout, status, now)
            was_built = registry.units.get(unit.code, {}).get("built", False)
            outcome.actions += ensure_unit(deployment, ws, registry, layout, unit, first_state,
                                           dry_run)
            if not was_built and registry.units.get(unit.code, {}).get("built"):
                # Drawn just now: the reconcile need not redraw it until its view changes.
                views.record(unit.code, view_key(unit, staff, deployment.periods))
                fresh.add(unit.code)
            ws.progress("Đơn vị", done, len(units))
            if records.save(registry):  # progress kept unit by unit
                views.save()
        sharing_texts = load_yaml("so.yaml")["sharing"]
        findings = sharing_audit.audit(ws, sharing_audit.unit_sheets(units, registry, fresh),
                                       sharing_texts, settings.storage.remove_unlisted_sharing,
                                       dry_run)
        actions, notes = sharing_audit.lines(findings, sharing_texts)
        outcome.actions += actions
        outcome.notes += notes
        _ensure_overview(deployment, ws, registry, layout, today, outcome, ghosts)
        if not dry_run:
            sharing_audit.show(ws, registry, layout, findings, sharing_texts, now)
        _ensure_so_readers(deployment, ws, registry, outcome)
        if not dry_run:  # twins a listing could not show to an earlier look (see files.py)
            twins = trash_twins(ws, settings.storage.shared_drive_id or "", settings.year,
                                registry.file_ids())
            if twins:
                outcome.actions.append(f"bỏ vào thùng rác {twins} tệp trùng (tạo hai lần vì mất "
                                       "câu trả lời của Google)")
    return outcome


def _ensure_so_readers(deployment: Deployment, ws: Workspace, registry: Registry,
                       outcome: Outcome) -> None:
    """The Sở's readers see everything through one grant: their group reads the shared drive."""
    group = deployment.settings.storage.so_readers
    drive_id = deployment.settings.storage.shared_drive_id
    if not group or not drive_id or registry.data.get("so_readers") == group:
        return
    members = {p.get("emailAddress") for p in _drive_members(ws, drive_id)}
    if group in members:
        registry.data["so_readers"] = group
        registry.changed()
        return
    if not ws.drive.shared_drive(drive_id).get("capabilities", {}).get("canManageMembers"):
        # Only a manager may add members; a content manager cannot: say what to do by hand.
        ws.report(f"Lưu ý: hãy thêm nhóm {group} vào Drive dùng chung với vai trò «Người xem» "
                  "(tài khoản dịch vụ không phải «Người quản lý» nên không tự thêm được).")
        return
    outcome.actions.append(f"cho nhóm {group} xem toàn bộ Drive dùng chung")
    if outcome.dry_run:
        return
    ws.drive.grant(drive_id, [Grant("group", "reader", email=group)],
                   notify=deployment.settings.notifications.email)
    registry.data["so_readers"] = group
    registry.changed()


def _drive_members(ws: Workspace, drive_id: str) -> list[dict[str, Any]]:
    try:
        return ws.drive.permissions(drive_id)
    except GoogleApiError:
        return []  # members may not be listed by a content manager: treated as unknown
