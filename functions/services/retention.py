"""Retention: a past year's personal data goes once ``retention_years`` after its end have
passed (``domain/retention.py`` says when, and what happens to each kind of file).

Years are found in the state store (``years/<y>/`` and the reminder log ``reminders/<y>/``)
and in Drive (each year's root folder carries ``appProperties``). For a year past its period,
in this order, so that a run stopped anywhere (a kill, a lost answer, the time limit) is
finished by the next one and nothing is done twice:

1. the reports kept (Google Docs) are anonymised: every name and address the year's rows and
   the roster know, and every name in the Doc's own tables of people, found in its text, is
   replaced (``replaceAllText``, repeatable), then the Doc is marked (``appProperties``) so a
   later run skips it; the rows come from the report snapshot in the state store and the unit
   Sheets changed since, both still there until step 3;
2. the Sở overview keeps its per-unit figures and loses its quarantine and sharing tabs' rows;
3. forms (their responses go with them: Forms has no other way), unit Sheets, the reports'
   DOCX and PDF copies and the units' public postings are deleted for good (``files.delete``:
   the trash would keep them 30 more days), a file already gone counting as deleted;
4. every state object of the year is deleted, the report snapshot last; the records of
   erasures made at a person's request stay (they hold no one's data: who asked, when, how
   much was removed).

Cost (measured on the emulator, ``tests/e2e/test_retention.py``): two state listings
(``years/``, ``reminders/``, a page per 1 000 objects), one Drive listing of the year folders,
then per past year one Drive listing of its files; per anonymised Doc one read and one
write (a batch per 500 names), per anonymised overview one read and one write, one Drive update
to mark each; per deleted file or object one call; the names: the snapshot, and one read per
unit Sheet changed since. A run with nothing due, or a year already done, costs those listings
only (4 calls with one past year).
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from functions.adapters.clients import Clients
from functions.adapters.docs import Docs
from functions.blueprints.report_content import wording
from functions.blueprints.so_sheet import QUARANTINE_ID, SHARING_ID
from functions.config.deployment import Deployment
from functions.domain import retention as rules
from functions.domain.model import PeriodKind
from functions.domain.retention import Action, Fate, Horizon
from functions.services.provision import layout_for
from functions.services.registry import APP_KEY, app_properties
from functions.services.report_source import Source
from functions.services.workspace import Workspace

STATE_PREFIXES = ("years/", "reminders/")  # reminders/<y>/: the reminder log's own prefix
# Kept: the records of erasures made at a person's request (``erasure.py``) hold who asked,
# when and how much was removed, none of the person's data; they are the Sở's proof.
ERASURES = "erasures/"
_YEAR_IN_NAME = re.compile(r"^(?:years|reminders)/(\d{4})/")
PEOPLE_TABLES = ("nguoi", "chua_nop")  # the wording's tables of people; column 1: the name
NAME_COLUMN = 1
_FILE_FIELDS = "id,name,mimeType,appProperties,modifiedTime"


@dataclass(frozen=True)
class Item:
    """One file or state object of a past year, and what retention does to it."""

    year: int
    name: str
    fate: Fate
    file_id: str = ""  # "" for a state object (``name`` is then its object name)
    kind: str = ""  # the file's appProperties kind

    def line(self, verb: str) -> str:
        return (f"{verb} {self.fate.action} {self.fate.label} «{self.name}» (năm {self.year}): "
                f"{self.fate.reason}")


@dataclass
class RetentionOutcome:
    horizons: list[Horizon] = field(default_factory=list)  # every year found but the current
    items: list[Item] = field(default_factory=list)  # planned (dry run) or done
    complete: bool = True  # False: the time budget ran out; the next run does the rest

    @property
    def past_years(self) -> list[int]:
        return [h.year for h in self.horizons if h.past]


def docs_port(clients: Clients, ws: Workspace) -> Docs:
    """The Docs port on ``clients``, through the workspace's gate (pacing, retries, counts)."""
    return Docs(clients.service("docs"), ws.gate)


def state_names(ws: Workspace) -> list[str]:
    """Every object name under the years' prefixes (one listing each, a page per 1 000)."""
    return [name for prefix in STATE_PREFIXES for name in ws.state.names(prefix)]


def years_found(ws: Workspace, drive_id: str, names: Iterable[str]) -> set[int]:
    """The years the state store (``names``) or Drive holds anything of."""
    found = {int(m.group(1)) for name in names if (m := _YEAR_IN_NAME.match(name))}
    for folder in ws.drive.find(drive_id, {APP_KEY: "folder", "guongmauKey": "year"},
                                fields="id,appProperties"):
        year = str(folder.get("appProperties", {}).get("guongmauYear", ""))
        if year.isdigit():
            found.add(int(year))
    return found


def _file_items(ws: Workspace, drive_id: str, year: int) -> list[Item]:
    items = []
    for found in ws.drive.find(drive_id, {"guongmauYear": str(year)}, fields=_FILE_FIELDS):
        props = found.get("appProperties", {})
        fate = rules.file_fate(str(props.get(APP_KEY, "")), str(props.get("guongmauKey", "")))
        if fate is None or props.get(rules.ANONYMISED_KEY) == rules.ANONYMISED:
            continue
        items.append(Item(year, str(found.get("name", "")), fate, str(found["id"]),
                          str(props.get(APP_KEY, ""))))
    return items


def _state_items(names: Iterable[str], year: int) -> list[Item]:
    mine = [name for name in names if name.startswith((f"years/{year}/", f"reminders/{year}/"))
            and not name.startswith(f"years/{year}/{ERASURES}")]
    snapshot = f"years/{year}/report_rows.json"  # the names of step 1: deleted last
    mine.sort(key=lambda name: name == snapshot)
    return [Item(year, name, rules.state_fate()) for name in mine]


def plan(deployment: Deployment, ws: Workspace, today: date) -> RetentionOutcome:
    """What would go, year by year, in the order it goes (nothing is written)."""
    settings = deployment.settings
    drive_id = settings.storage.shared_drive_id or ""
    outcome = RetentionOutcome()
    names = state_names(ws)
    for year in sorted(years_found(ws, drive_id, names)):
        if year >= settings.year:
            continue
        found = rules.horizon(deployment.periods, settings.year, year,
                              settings.retention_years, today)
        outcome.horizons.append(found)
        if not found.past:
            continue
        files = _file_items(ws, drive_id, year)
        order = {Action.ANONYMISE: 0, Action.DELETE: 1}
        outcome.items += sorted(files, key=lambda item: order[item.fate.action])
        outcome.items += _state_items(names, year)
    return outcome


def retention(deployment: Deployment, ws: Workspace, docs: Docs, today: date, *,
              dry_run: bool = False, seconds: float = float("inf"),
              clock: Callable[[], float] = time.monotonic) -> RetentionOutcome:
    """Erases or anonymises the personal data of every year past its retention period;
    ``dry_run`` only lists it. A run that reaches ``seconds`` stops between two items."""
    stop_at = clock() + seconds
    planned = plan(deployment, ws, today)
    if dry_run:
        return planned
    done = RetentionOutcome(planned.horizons)
    names: dict[int, dict[str, str]] = {}
    for count, item in enumerate(planned.items):
        ws.progress("Hết thời hạn lưu trữ", count, len(planned.items))
        if clock() >= stop_at:
            done.complete = False
            break
        if item.kind == "report-doc" and item.fate.action is Action.ANONYMISE:
            if item.year not in names:
                names[item.year] = _replacements(deployment, ws, item.year)
            _anonymise_doc(ws, docs, item, names[item.year], _kept_names(deployment))
        elif item.kind == "so-overview":
            _anonymise_overview(ws, item)
        elif item.file_id:
            ws.drive.delete(item.file_id)
        else:
            ws.state.delete(item.name)
        ws.report(item.line("Đã"))
        done.items.append(item)
    else:
        if planned.items:
            ws.progress("Hết thời hạn lưu trữ", len(planned.items), len(planned.items))
    return done


def _replacements(deployment: Deployment, ws: Workspace, year: int) -> dict[str, str]:
    """Every name and address of ``year`` a report may show → the anonymous mark; longest
    first, so that a name holding a shorter one is replaced whole."""
    source = Source(ws, year, deployment.settings.storage.shared_drive_id or "",
                    layout_for(deployment))
    sheets = {str(f.get("appProperties", {}).get("guongmauKey", "")): str(f["id"])
              for f in ws.drive.find(source.drive_id, app_properties(year, "unit-sheet"),
                                     fields=_FILE_FIELDS)}
    modified = source.modified()
    snapshot = source.load()
    texts: set[str] = set()
    for entries in source.entries(snapshot, sheets, PeriodKind.YEAR, modified).values():
        texts |= {text for entry in entries for text in (entry.name, entry.email)}
    for code in snapshot.units:  # units whose Sheet is already gone: the snapshot alone
        texts |= {str(packed[i]) for packed in snapshot.units[code]["entries"] for i in (1, 2)}
    texts |= _roster_texts(deployment)
    words = sorted({t.strip() for t in texts} - _kept_names(deployment), key=len, reverse=True)
    return {word: rules.ANONYMOUS for word in words}


def _kept_names(deployment: Deployment) -> set[str]:
    """Never replaced: the Sở's signer signs in office (the settings name them; the record
    keeps who signed), and the anonymous mark itself."""
    return {deployment.settings.agency.signer.strip(), rules.ANONYMOUS, ""}


def _roster_texts(deployment: Deployment) -> set[str]:
    """The roster's names and addresses: the people a report lists as not having submitted."""
    directory = deployment.directory()
    people = {person for unit in deployment.units for person in directory.staff_of(unit.code)}
    return {text for person in people for text in (person.name, *person.emails)}


def _anonymise_doc(ws: Workspace, docs: Docs, item: Item, replacements: dict[str, str],
                   kept: set[str]) -> None:
    content = docs.read(item.file_id)
    # The Doc's own lists of people: the roster of its day may hold people no longer listed.
    listed = {name: rules.ANONYMOUS for name in person_cells(content.tables) - kept}
    present = {old: new for old, new in {**replacements, **listed}.items()
               if old in content.text}
    if present:
        docs.replace_all(item.file_id, dict(sorted(present.items(), key=lambda p: -len(p[0]))))
    _mark(ws, item)


def person_cells(tables: list[list[list[str]]]) -> set[str]:
    """The names in the reports' tables of people (commended, reminded, not submitted): the
    column headed «Họ và tên» of a table whose header row is one of the wording's people
    tables (``docs_templates/bao_cao.yaml``, ``cot``)."""
    columns = wording()["cot"]
    headers = [list(columns[key]) for key in PEOPLE_TABLES]
    found: set[str] = set()
    for table in tables:
        if table and table[0] in headers:
            at = table[0].index(columns[PEOPLE_TABLES[0]][NAME_COLUMN])
            found |= {row[at] for row in table[1:] if len(row) > at and row[at]}
    return found


def _anonymise_overview(ws: Workspace, item: Item) -> None:
    tabs = ws.sheets.metadata(item.file_id, "sheets.properties.sheetId")
    held = {int(s["properties"]["sheetId"]) for s in tabs.get("sheets", [])}
    requests: list[dict[str, Any]] = [
        {"updateCells": {"range": {"sheetId": sheet_id, "startRowIndex": 1},
                         "fields": "userEnteredValue"}}
        for sheet_id in (QUARANTINE_ID, SHARING_ID) if sheet_id in held]
    if requests:
        ws.sheets.batch_update(item.file_id, requests)
    _mark(ws, item)


def _mark(ws: Workspace, item: Item) -> None:
    ws.drive.update(item.file_id, appProperties={rules.ANONYMISED_KEY: rules.ANONYMISED})


def summary(outcome: RetentionOutcome, dry_run: bool) -> list[str]:
    """The closing lines for people: the years found and what went."""
    lines = [f"Năm {h.year}: kết thúc {h.ends:%d/%m/%Y}, lưu đến hết {h.kept_until:%d/%m/%Y}"
             + (" — đã hết thời hạn lưu trữ" if h.past else " — còn trong thời hạn, giữ nguyên")
             for h in outcome.horizons]
    counts = _counts(outcome.items)
    verb = "Sẽ" if dry_run else "Đã"
    if outcome.items:
        lines.append(f"{verb} xóa {counts[Action.DELETE]} và ẩn danh "
                     f"{counts[Action.ANONYMISE]} tệp, dữ liệu hết thời hạn lưu trữ.")
    else:
        lines.append("Không có dữ liệu nào hết thời hạn lưu trữ.")
    if not outcome.complete:
        lines.append("Hết thời gian cho phép; lần chạy sau làm tiếp phần còn lại.")
    return lines


def _counts(items: Iterable[Item]) -> dict[Action, int]:
    counts = dict.fromkeys(Action, 0)
    for item in items:
        counts[item.fate.action] += 1
    return counts
