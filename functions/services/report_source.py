"""The rows the reports are made of, read from the unit Sheets at the least cost.

Cost contract: one Drive listing of the year's unit Sheets (a page per 1 000, with their
``modifiedTime``), then at most ONE Sheets read per unit Sheet (one ``values.batchGet`` of the
plans tab and the report tabs up to the period), and only for a Sheet modified since the
snapshot kept in the state store (``years/<year>/report_rows.json``). A re-run in which no unit
Sheet changed reads none. The snapshot is saved every ``SAVE_EVERY`` units read and on every
exit, so a run cut short (a 3 600 s function limit, a crash) resumes without reading again
what it read.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from functions.blueprints.layout import UnitLayout
from functions.blueprints.report_rows import entries_from, ranges_for, tabs_for
from functions.domain.model import Group, PeriodKind
from functions.domain.report import Entry
from functions.services.registry import app_properties
from functions.services.workspace import Workspace

SAVE_EVERY = 50
_FLAGS = ("confirmed", "commend", "remind", "good_practice")


def _pack(entry: Entry) -> list[Any]:
    """An entry as compact JSON (the snapshot holds every person of the province)."""
    flags = sum(1 << i for i, name in enumerate(_FLAGS) if getattr(entry, name))
    return [entry.period.value, entry.name, entry.email, entry.position, int(entry.group),
            flags, entry.evaluation, entry.self_rating, [list(c) for c in entry.criteria],
            entry.commitment]


def _unpack(data: list[Any]) -> Entry:
    period, name, email, position, group, flags, evaluation, rating, criteria, commitment = data
    return Entry(PeriodKind(period), name, email, position, Group(group),
                 tuple((str(h), str(t)) for h, t in criteria), commitment, rating,
                 evaluation=evaluation,
                 **{flag: bool(flags & (1 << i)) for i, flag in enumerate(_FLAGS)})


@dataclass
class Snapshot:
    """unit code → {"modified": the Sheet's modifiedTime, "period": the last tab read,
    "entries": packed rows}."""

    units: dict[str, dict[str, Any]] = field(default_factory=dict)
    generation: int = 0
    dirty: bool = False


@dataclass
class Source:
    ws: Workspace
    year: int
    drive_id: str
    layout: UnitLayout
    reads: int = 0  # unit Sheets read by this run (the cost figure)

    @property
    def name(self) -> str:
        return f"years/{self.year}/report_rows.json"

    def load(self) -> Snapshot:
        found = self.ws.state.read(self.name)
        return Snapshot(dict(found.value or {}), found.generation)

    def save(self, snapshot: Snapshot) -> None:
        if snapshot.dirty:
            snapshot.generation = self.ws.state.write(self.name, snapshot.units)
            snapshot.dirty = False

    @contextmanager
    def kept(self, snapshot: Snapshot) -> Iterator[None]:
        try:
            yield
        except BaseException:
            with contextlib.suppress(Exception):
                self.save(snapshot)
            raise
        self.save(snapshot)

    def modified(self) -> dict[str, str]:
        """unit code → its Sheet's modifiedTime: one listing."""
        return {str(f.get("appProperties", {}).get("guongmauKey", "")): str(f["modifiedTime"])
                for f in self.ws.drive.find(self.drive_id,
                                            app_properties(self.year, "unit-sheet"),
                                            fields="id,appProperties,modifiedTime")}

    def entries(self, snapshot: Snapshot, sheets: dict[str, str], period: PeriodKind,
                modified: dict[str, str]) -> dict[str, list[Entry]]:
        """unit code → its current rows (plans and report tabs up to ``period``)."""
        tabs = tabs_for(self.layout, period)
        order = list(PeriodKind)
        found: dict[str, list[Entry]] = {}
        read_since_save = 0
        for code, sheet_id in sheets.items():
            kept = snapshot.units.get(code)
            fresh = (kept is not None and kept.get("modified") == modified.get(code)
                     and order.index(PeriodKind(kept["period"])) >= order.index(period))
            if not fresh:
                grids = self.ws.sheets.read(sheet_id, ranges_for(tabs))
                self.reads += 1
                rows = entries_from(self.layout, tabs, grids)
                kept = {"modified": modified.get(code, ""), "period": period.value,
                        "entries": [_pack(e) for e in rows]}
                snapshot.units[code] = kept
                snapshot.dirty = True
                read_since_save += 1
                if read_since_save >= SAVE_EVERY:
                    self.save(snapshot)
                    read_since_save = 0
            assert kept is not None
            found[code] = [e for e in map(_unpack, kept["entries"])
                           if order.index(e.period) <= order.index(period)]
        return found
