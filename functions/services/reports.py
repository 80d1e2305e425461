"""The reports of a period (the Sở's and every unit's) and the units' public postings.

Reads the unit Sheets through ``report_source`` (one listing, at most one read per changed
Sheet), builds the report model, renders each document and keeps it in Drive through
``report_files`` (a constant number of calls per document). The Sở's documents go to the year's
``Báo cáo`` folder, a unit's to the unit's folder, shared with its heads and readers.
"""

from __future__ import annotations

import time
from collections.abc import Callable
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
    keys: list[str] = field(default_factory=list)  # the documents kept by this run
    complete: bool = True  # False: the time budget ran out; the next run does the rest


@dataclass(frozen=True)
class Budget:
    """Documents already made by an earlier run cut short (``skip``) and the clock time
    (``clock()``) past which no document is started: an HTTP function has 3 600 s."""

    skip: frozenset[str] = frozenset()
    stop_at: float = float("inf")
    clock: Callable[[], float] = time.monotonic


Job = tuple[str, str, str, Callable[[], Document], tuple[str, ...]]


def _run_jobs(deployment: Deployment, ws: Workspace, jobs: list[Job], day: date,
              dry_run: bool, budget: Budget, outcome: ReportOutcome) -> ReportOutcome:
    settings = deployment.settings
    for done, (key, title, folder, document, readers) in enumerate(jobs):
        if not dry_run:
            ws.progress("Văn bản", done, len(jobs))
        if key in budget.skip:
            continue
        if dry_run:
            outcome.planned.append(title)
            continue
        if budget.clock() >= budget.stop_at:
            outcome.complete = False
            break
        outcome.published.append(publish(
            ws, settings.storage.shared_drive_id or "", folder, settings.year, key, title,
            render_docx(document()), day, readers, settings.notifications.email))
        outcome.keys.append(key)
    else:
        if jobs and not dry_run:
            ws.progress("Văn bản", len(jobs), len(jobs))
    return outcome


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
                 unit_code: str | None = None, dry_run: bool = False,
                 budget: Budget = Budget()) -> ReportOutcome:
    """The Sở's report (without ``unit_code``) and each unit's, for ``period``."""
    year = _load(deployment, ws, period, unit_code)
    ctx = content.Context(deployment.settings, period, day)
    figures = year.figures(period)
    before = _previous(period)
    previous_figures = year.figures(before) if before else []
    jobs: list[Job] = []
    if unit_code is None:
        previous = (before, previous_figures) if before else None
        jobs.append((f"so|{period.value}", content.file_title("so", ctx), year.reports_folder,
                     lambda: content.so_report(ctx, figures, deployment.units, previous), ()))
    for index, item in enumerate(figures):
        unit = item.unit
        mine = (before, [previous_figures[index]]) if before else None
        jobs.append((f"don-vi|{unit.code}|{period.value}", content.file_title("don_vi", ctx, unit),
                     year.folders[unit.code],
                     lambda item=item, mine=mine: content.unit_report(  # type: ignore[misc]
                         ctx, item, _head_name(deployment, item.unit), mine),
                     (*unit.head_emails, *unit.reader_emails)))
    return _run_jobs(deployment, ws, jobs, day, dry_run, budget,
                     ReportOutcome(sheets_read=year.reads))


def make_postings(deployment: Deployment, ws: Workspace, day: date,
                  unit_code: str | None = None, dry_run: bool = False,
                  budget: Budget = Budget()) -> ReportOutcome:
    """Each unit's public posting of its Nhóm 1 members' confirmed plans."""
    year = _load(deployment, ws, PeriodKind.PLAN, unit_code)
    ctx = content.Context(deployment.settings, PeriodKind.PLAN, day)
    jobs: list[Job] = [
        (f"niem-yet|{item.unit.code}", content.file_title("niem_yet", ctx, item.unit),
         year.folders[item.unit.code],
         lambda item=item: content.posting(  # type: ignore[misc]
             ctx, item, _head_name(deployment, item.unit)),
         (*item.unit.head_emails, *item.unit.reader_emails))
        for item in year.figures(PeriodKind.PLAN)]
    return _run_jobs(deployment, ws, jobs, day, dry_run, budget,
                     ReportOutcome(sheets_read=year.reads))


def due(deployment: Deployment, ws: Workspace, today: date) -> list[PeriodKind]:
    """Periods whose report day has come and whose scheduled reports are not yet made."""
    done = (ws.state.read(_done_name(deployment)).value or {}).get("done", [])
    return [p.kind for p in deployment.periods if p.report_day <= today and p.id not in done]


def scheduled(deployment: Deployment, ws: Workspace, today: date,
              seconds: float = float("inf"),
              clock: Callable[[], float] = time.monotonic) -> list[Published]:
    """The scheduled run (Cloud Scheduler): the reports of each period that is due, and the
    postings with the plans' reports; a period is recorded once all its documents are made.
    A run that reaches ``seconds`` stops between documents; the next run makes the rest."""
    stop_at = clock() + seconds
    record = dict(ws.state.read(_done_name(deployment)).value or {})
    made: list[Published] = []
    for period in due(deployment, ws, today):
        partial = list(record.get("partial", {}).get(period.value, []))
        budget = Budget(frozenset(partial), stop_at, clock)
        outcomes = [make_reports(deployment, ws, period, today, budget=budget)]
        if period is PeriodKind.PLAN and outcomes[0].complete:
            outcomes.append(make_postings(deployment, ws, today, budget=budget))
        partial += [key for outcome in outcomes for key in outcome.keys]
        made += [doc for outcome in outcomes for doc in outcome.published]
        finished = all(outcome.complete for outcome in outcomes)
        record.setdefault("partial", {})[period.value] = [] if finished else partial
        if finished:
            record["done"] = [*record.get("done", []), period.value]
        ws.state.write(_done_name(deployment), record)
        if not finished:
            break
    return made


def _done_name(deployment: Deployment) -> str:
    return f"years/{deployment.settings.year}/reports_made.json"
