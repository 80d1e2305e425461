"""The reports of a period (the Sở's and every unit's) and the units' public postings.

Reads the unit Sheets through ``report_source`` (one listing, at most one read per changed
Sheet), builds the report model, renders each document and keeps it in Drive through
``report_files`` (a constant number of calls per document). The Sở's documents go to the year's
``Báo cáo`` folder, a unit's to the unit's folder, shared with its heads and readers.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from functions.blueprints import report_content as content
from functions.blueprints.report_docx import Document, render_docx
from functions.config.deployment import Deployment
from functions.domain.model import PeriodKind, Unit
from functions.domain.report import Entry, UnitFigures, unit_figures
from functions.services.preflight import PreflightError
from functions.services.provision import layout_for
from functions.services.registry import RegistryStore
from functions.services.report_files import Published, publish
from functions.services.report_source import Source
from functions.services.workspace import Workspace


@dataclass
class ReportOutcome:
    published: list[Published] = field(default_factory=list)
    planned: list[str] = field(default_factory=list)  # a dry run: the titles it would make
    sheets_read: int = 0


def _previous(period: PeriodKind) -> PeriodKind | None:
    order = list(PeriodKind)
    index = order.index(period)
    return order[index - 1] if index else None


def _head_name(deployment: Deployment, unit: Unit) -> str:
    directory = deployment.directory()
    for email in unit.head_emails:
        person = directory.person(email)
        if person is not None:
            return person.name
    return ""


@dataclass
class _Year:
    deployment: Deployment
    ws: Workspace
    units: list[Unit]
    sheets: dict[str, str]
    folders: dict[str, str]
    reports_folder: str
    entries: dict[str, list[Entry]]
    reads: int

    def figures(self, period: PeriodKind) -> list[UnitFigures]:
        directory = self.deployment.directory()
        return [unit_figures(unit, directory.staff_of(unit.code), self.entries[unit.code], period)
                for unit in self.units]


def _load(deployment: Deployment, ws: Workspace, period: PeriodKind,
          unit_code: str | None) -> _Year:
    settings = deployment.settings
    registry = RegistryStore(ws.state, settings.year, read_only=True).load()
    units = [u for u in deployment.active_units if unit_code is None or u.code == unit_code]
    sheets = {u.code: str(registry.units[u.code]["sheet"]) for u in units
              if registry.units.get(u.code, {}).get("sheet")}
    if len(sheets) < len(units) or "reports" not in registry.folders:
        missing = ", ".join(u.code for u in units if u.code not in sheets) or "thư mục Báo cáo"
        raise PreflightError([f"Năm {settings.year} chưa có bảng theo dõi của: {missing}; hãy "
                              "chạy «guongmau provision» trước rồi chạy lại lệnh này."])
    source = Source(ws, settings.year, settings.storage.shared_drive_id or "",
                    layout_for(deployment))
    snapshot = source.load()
    with source.kept(snapshot):
        entries = source.entries(snapshot, sheets, period, source.modified())
    folders = {u.code: str(registry.units[u.code]["folder"]) for u in units}
    return _Year(deployment, ws, units, sheets, folders, registry.folders["reports"], entries,
                 source.reads)


def make_reports(deployment: Deployment, ws: Workspace, period: PeriodKind, day: date,
                 unit_code: str | None = None, dry_run: bool = False) -> ReportOutcome:
    """The Sở's report (without ``unit_code``) and each unit's, for ``period``."""
    year = _load(deployment, ws, period, unit_code)
    ctx = content.Context(deployment.settings, period, day)
    figures = year.figures(period)
    before = _previous(period)
    previous_figures = year.figures(before) if before else []
    outcome = ReportOutcome(sheets_read=year.reads)
    settings = deployment.settings
    drive_id = settings.storage.shared_drive_id or ""
    jobs: list[tuple[str, str, str, Document, tuple[str, ...]]] = []
    if unit_code is None:
        previous = (before, previous_figures) if before else None
        jobs.append((f"so|{period.value}", content.file_title("so", ctx), year.reports_folder,
                     content.so_report(ctx, figures, deployment.units, previous), ()))
    for index, item in enumerate(figures):
        unit = item.unit
        previous = (before, [previous_figures[index]]) if before else None
        jobs.append((f"don-vi|{unit.code}|{period.value}", content.file_title("don_vi", ctx, unit),
                     year.folders[unit.code],
                     content.unit_report(ctx, item, _head_name(deployment, unit), previous),
                     (*unit.head_emails, *unit.reader_emails)))
    for key, title, folder, document, readers in jobs:
        if dry_run:
            outcome.planned.append(title)
            continue
        outcome.published.append(publish(ws, drive_id, folder, settings.year, key, title,
                                         render_docx(document), day, readers,
                                         settings.notifications.email))
    return outcome


def make_postings(deployment: Deployment, ws: Workspace, day: date,
                  unit_code: str | None = None, dry_run: bool = False) -> ReportOutcome:
    """Each unit's public posting of its Nhóm 1 members' confirmed plans."""
    year = _load(deployment, ws, PeriodKind.PLAN, unit_code)
    ctx = content.Context(deployment.settings, PeriodKind.PLAN, day)
    settings = deployment.settings
    outcome = ReportOutcome(sheets_read=year.reads)
    for item in year.figures(PeriodKind.PLAN):
        unit = item.unit
        title = content.file_title("niem_yet", ctx, unit)
        if dry_run:
            outcome.planned.append(title)
            continue
        document = content.posting(ctx, item, _head_name(deployment, unit))
        outcome.published.append(publish(
            ws, settings.storage.shared_drive_id or "", year.folders[unit.code], settings.year,
            f"niem-yet|{unit.code}", title, render_docx(document), day,
            (*unit.head_emails, *unit.reader_emails), settings.notifications.email))
    return outcome


def due(deployment: Deployment, ws: Workspace, today: date) -> list[PeriodKind]:
    """Periods whose report day has come and whose scheduled reports are not yet made."""
    done = ws.state.read(_done_name(deployment)).value or []
    return [p.kind for p in deployment.periods if p.report_day <= today and p.id not in done]


def scheduled(deployment: Deployment, ws: Workspace, today: date) -> list[Published]:
    """The scheduled run (Cloud Scheduler, daily): the reports of each period that is due, and
    the postings with the plans' reports; each period recorded once made."""
    made: list[Published] = []
    for period in due(deployment, ws, today):
        made += make_reports(deployment, ws, period, today).published
        if period is PeriodKind.PLAN:
            made += make_postings(deployment, ws, today).published
        found = ws.state.read(_done_name(deployment))
        ws.state.write(_done_name(deployment), [*(found.value or []), period.value])
    return made


def _done_name(deployment: Deployment) -> str:
    return f"years/{deployment.settings.year}/reports_made.json"
