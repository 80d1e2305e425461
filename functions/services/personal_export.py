"""One person's data as one readable XLSX file (``guongmau data export``), from what
``personal_data.find`` gathered: a summary, then one sheet per kind of place. Texts come
from ``sheets_templates/personal_data.yaml``."""

from __future__ import annotations

import re
from collections import Counter
from datetime import datetime
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from functions.blueprints.layout import load_yaml
from functions.services.personal_data import Holdings, place_of


def places(held: Holdings) -> Counter[str]:
    """Rows held per place (the summary; the erasure's dry run shows the same places)."""
    texts = load_yaml("personal_data.yaml")
    counts: Counter[str] = Counter()
    if held.responses:
        counts[texts["summary"]["places"]["forms"]] = len(held.responses)
    for found in held.rows:
        counts[place_of(found)] += 1
    if held.reminders:
        counts[texts["summary"]["places"]["reminders"]] = len(held.reminders)
    if held.report_entries:
        counts[texts["summary"]["places"]["reports"]] = len(held.report_entries)
    if held.report_docs:
        counts[texts["summary"]["places"]["report_docs"]] = len(held.report_docs)
    return counts


def _sheet_name(texts: dict[str, Any], unit: str) -> str:
    rows = texts["rows"]
    return str(rows["unit"]).format(ma_don_vi=unit) if unit else str(rows["overview"])


def write_export(held: Holdings, year: int, folder: Path, moment: datetime) -> Path:
    texts = load_yaml("personal_data.yaml")
    book = Workbook()
    summary = book.active
    assert summary is not None
    lines = texts["summary"]["lines"]
    summary.title = texts["summary"]["title"]
    summary.append([texts["summary"]["heading"].format(nam=year)])
    summary["A1"].font = Font(bold=True)
    summary.append([lines["emails"].format(emails=", ".join(held.emails))])
    person = held.on_roster
    summary.append([lines["roster"].format(ten=person.name, chuc_vu=person.position,
                                           ma_don_vi=person.unit_code)
                    if person else lines["not_on_roster"]])
    summary.append([lines["made_at"].format(luc=f"{moment:%H:%M ngày %d/%m/%Y}")])
    summary.append([lines["forms_note"]])
    summary.append([])
    _table(summary, texts["summary"]["headers"], [[place, count] for place, count
                                                  in sorted(places(held).items())])
    _sheet(book, texts["responses"], [
        [r.form_title, r.response_id, r.email, r.created, r.last_submitted, question, answer]
        for r in held.responses for question, answer in r.answers])
    _sheet(book, texts["rows"], [
        [_sheet_name(texts, f.unit), f.tab, f.row + 1,
         f.headers[i] if i < len(f.headers) else "", value]
        for f in held.rows for i, value in enumerate(f.values) if value not in ("", None)])
    _sheet(book, texts["reminders"], [[one.period.label, one.key, address]
                                      for one, address in held.reminders])
    yes = texts["reports"]["marked"]
    _sheet(book, texts["reports"], [
        [code, e[0], e[1], e[2], e[3], f"Nhóm {e[4]}", _flag(e[5], 0, yes), e[6],
         *(_flag(e[5], i, yes) for i in (1, 2, 3))] for code, e in held.report_entries])
    notices = texts["notices"]
    _sheet(book, notices, [[version, words or notices["unknown"]]
                           for version, words in sorted(held.notices.items())])
    sheet = book[texts["reports"]["title"]]
    sheet.append([])
    _table(sheet, texts["reports"]["docs_headers"], [
        [title, f"https://docs.google.com/document/d/{doc_id}/edit"]
        for title, doc_id in held.report_docs])
    safe = re.sub(r"[^a-z0-9._-]+", "_", held.emails[0])
    path = folder / texts["file_name"].format(nam=year, email=safe, luc=f"{moment:%Y%m%d-%H%M%S}")
    folder.mkdir(parents=True, exist_ok=True)
    book.save(path)
    return path


def _flag(flags: int, index: int, yes: str) -> str:
    """One of the report snapshot's packed flags (``report_source._pack``)."""
    return yes if flags & (1 << index) else ""


def _sheet(book: Workbook, texts: dict[str, Any], rows: list[list[Any]]) -> None:
    _table(book.create_sheet(texts["title"]), texts["headers"], rows)


def _table(sheet: Any, headers: list[str], rows: list[list[Any]]) -> None:
    first = sheet.max_row + 1 if sheet.max_row > 1 else 1
    sheet.append(headers)
    for cell in sheet[first]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append(row)
    for column in sheet.columns:
        for cell in column:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    for letter in "ABCDEFGHIJK":
        sheet.column_dimensions[letter].width = 28
