"""The unit Sheet's layout, read from sheets_templates/unit.yaml (pure data, no Google).

Tabs and their columns are fixed here once for the year: machine-written columns first (one
protected block), the columns people type into last. Tab ids (``sheetId``) are chosen by us,
so every later write addresses a tab without looking it up.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

from functions.config.yamlread import strict_load
from functions.domain.model import PeriodKind
from functions.domain.text import nfc
from functions.paths import data_dir

OVERVIEW_ID, ROSTER_ID, PLANS_ID, HISTORY_ID, OVERFLOW_ID = 0, 1, 2, 98, 99
REPORT_IDS = {PeriodKind.Q1: 11, PeriodKind.HALF_YEAR: 12, PeriodKind.Q3: 13, PeriodKind.YEAR: 14}


@dataclass(frozen=True)
class Column:
    header: str
    width: int
    source: str | None = None  # machine column: what fills it
    person: str | None = None  # people's column: checkbox, list or text
    key: str = ""  # people's column: stable name (confirmed, evaluation, commend, remind, note)
    options: tuple[str, ...] = ()
    parts: tuple[tuple[str, str], ...] = ()  # criteria: (label, answer key with {n})
    criterion: int | None = None
    hidden: bool = False

    @cached_property
    def answer_parts(self) -> tuple[tuple[str, str], ...]:
        """Criteria: ("label: ", answer key) with this column's criterion number filled in;
        each answered part is a line of the cell, this prefix and the answer."""
        return tuple((f"{label}: ", key.format(n=self.criterion or 0))
                     for label, key in self.parts)


@dataclass(frozen=True)
class Tab:
    sheet_id: int
    title: str
    period: PeriodKind
    columns: tuple[Column, ...]

    @cached_property
    def machine_width(self) -> int:
        """Machine columns come first: the protected block is columns [0, machine_width)."""
        return sum(1 for column in self.columns if column.source is not None)

    @cached_property
    def machine_columns(self) -> tuple[Column, ...]:
        """The columns a sync writes, in order (asked per row: sliced once)."""
        return self.columns[: self.machine_width]

    @cached_property
    def machine_headers(self) -> tuple[str, ...]:
        return tuple(column.header for column in self.machine_columns)

    @cached_property
    def _source_index(self) -> dict[str, int]:
        found: dict[str, int] = {}
        for index, column in enumerate(self.columns):
            if column.source is not None:
                found.setdefault(column.source, index)
        return found

    def column_of(self, source: str) -> int:
        """Index of the machine column filled from ``source`` (looked up per row of a sync)."""
        return self._source_index[source]

    @cached_property
    def notice_index(self) -> int | None:
        """The column of the privacy notice's version (None: a layout without it). Inside the
        machine block, never its first or last column: a Sheet built without it gains it by
        one column inserted there (``unit_sheet.notice_column``)."""
        return self._source_index.get("notice")

    def person_column(self, key: str) -> int | None:
        for index, column in enumerate(self.columns):
            if column.person and column.key == key:
                return index
        return None


@dataclass(frozen=True)
class UnitLayout:
    raw: dict[str, Any]
    tabs: tuple[Tab, ...]  # response tabs: plans, then one per report period

    def text(self, *path: str) -> Any:
        node: Any = self.raw
        for key in path:
            node = node[key]
        return node

    def short_name(self, period: PeriodKind) -> str:
        return str(self.raw["short_period_names"][period.value])

    def tab_of(self, period: PeriodKind) -> Tab:
        return self._tab_by_period[period]

    @cached_property
    def _tab_by_period(self) -> dict[PeriodKind, Tab]:
        found: dict[PeriodKind, Tab] = {}
        for tab in self.tabs:
            found.setdefault(tab.period, tab)
        return found


def _columns(specs: list[dict[str, Any]], period: PeriodKind, criteria: int) -> tuple[Column, ...]:
    columns: list[Column] = []
    for spec in specs:
        periods = spec.get("periods")
        if periods and period.value not in periods:
            continue
        common = {"width": int(spec.get("width", 120)), "source": spec.get("source"),
                  "person": spec.get("person"), "key": spec.get("key", ""),
                  "options": tuple(spec.get("options", ())),
                  "hidden": bool(spec.get("hidden", False))}
        if spec.get("source") == "criteria":
            parts = tuple((label, key) for label, key in spec["parts"])
            columns.extend(Column(header=spec["header"].format(n=n), parts=parts, criterion=n,
                                  **common) for n in range(1, criteria + 1))
        else:
            columns.append(Column(header=spec["header"], **common))
    machine = [c for c in columns if c.source is not None]
    if columns[: len(machine)] != machine:
        raise ValueError("sheets_templates/unit.yaml: machine columns must come before people's")
    notice = [i for i, c in enumerate(machine) if c.source == "notice"]
    if notice and not 0 < notice[0] < len(machine) - 1:
        raise ValueError("sheets_templates/unit.yaml: the notice column must sit inside the "
                         "machine columns (neither first nor last)")
    return tuple(columns)


def load_unit_layout(criteria: int, path: Path | None = None) -> UnitLayout:
    """The layout for frameworks of at most ``criteria`` criteria (7: Phụ lục 2)."""
    source = path or data_dir("sheets_templates") / "unit.yaml"
    raw = _nfc(strict_load(source))
    plans = raw["plans"]
    tabs = [Tab(PLANS_ID, plans["title"], PeriodKind.PLAN,
                _columns(plans["columns"], PeriodKind.PLAN, criteria))]
    reports = raw["reports"]
    for period_id in reports["periods"]:
        period = PeriodKind(period_id)
        title = reports["title"].format(ky_ngan=raw["short_period_names"][period_id])
        tabs.append(Tab(REPORT_IDS[period], title, period,
                        _columns(reports["columns"], period, criteria)))
    return UnitLayout(raw, tuple(tabs))


def load_yaml(name: str) -> dict[str, Any]:
    """Another file of sheets_templates/ (so.yaml, drive.yaml), NFC-normalised."""
    path = data_dir("sheets_templates") / name
    return _nfc(strict_load(path))


def _nfc(node: Any) -> Any:
    if isinstance(node, str):
        return nfc(node)
    if isinstance(node, list):
        return [_nfc(item) for item in node]
    if isinstance(node, dict):
        return {key: _nfc(value) for key, value in node.items()}
    return node
