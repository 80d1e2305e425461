"""A unit Sheet's response tabs read back as report entries (pure).

The reader asks for the ranges of ``ranges_for`` in ONE ``values.batchGet`` (unformatted
values: checkboxes come back as booleans) and hands the answer to ``entries_from``. A replaced
submission (the person sent again) is not an entry: the newer row is.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from functions.blueprints.cells import column_letter
from functions.blueprints.layout import Tab, UnitLayout
from functions.domain.model import Group, PeriodKind
from functions.domain.report import Entry


def tabs_for(layout: UnitLayout, period: PeriodKind) -> tuple[Tab, ...]:
    """The plans tab and every report tab up to ``period`` (the previous period's figures
    come from the same read)."""
    order = list(PeriodKind)
    return tuple(tab for tab in layout.tabs if order.index(tab.period) <= order.index(period))


def ranges_for(tabs: Sequence[Tab]) -> list[str]:
    """Each tab from its header row: a Sheet built by an earlier layout (without the notice
    column, before its first sync of this version adds it) is read by its headers."""
    return [f"'{tab.title}'!A1:{column_letter(len(tab.columns) - 1)}" for tab in tabs]


def _flag(value: Any) -> bool:
    return value is True or (isinstance(value, str) and value.strip().upper() == "TRUE")


def _group(value: Any) -> Group:
    digits = "".join(ch for ch in str(value) if ch.isdigit())
    return Group.ONE if digits == "1" else Group.TWO


def entries_from(layout: UnitLayout, tabs: Sequence[Tab],
                 grids: Sequence[Sequence[Sequence[Any]]]) -> list[Entry]:
    replaced = layout.text("status", "replaced")
    entries: list[Entry] = []
    for tab, grid in zip(tabs, grids, strict=True):
        header = {str(text): index for index, text in reversed(list(enumerate(grid[0])))
                  } if grid else {}
        at = [header.get(column.header, index) if header else index
              for index, column in enumerate(tab.columns)]
        where = {column.source or f"person:{column.key}": at[index]
                 for index, column in reversed(list(enumerate(tab.columns)))}
        criteria = [(at[index], column.header) for index, column in enumerate(tab.columns)
                    if column.source == "criteria"]
        for row in grid[1:]:
            def cell(name: str, r: Sequence[Any] = row, at: dict[str, int] = where) -> Any:
                index = at.get(name)
                return r[index] if index is not None and index < len(r) else ""

            if not str(cell("response_id")).strip() or cell("status") == replaced:
                continue
            group, practice = _group(cell("group")), _flag(cell("person:good_practice"))
            # The texts are quoted only in a posting (Nhóm 1 plans) and as a good practice:
            # other rows drop them, which keeps the snapshot of a province small.
            quoted = practice or (tab.period is PeriodKind.PLAN and group is Group.ONE)
            entries.append(Entry(
                period=tab.period, name=str(cell("name")), email=str(cell("email")),
                position=str(cell("position")), group=group,
                criteria=tuple((header, str(row[i]) if i < len(row) else "")
                               for i, header in criteria) if quoted else (),
                commitment=str(cell("answer:cam_ket")),
                self_rating=str(cell("answer:tu_xep_loai")),
                confirmed=_flag(cell("person:confirmed")),
                evaluation=str(cell("person:evaluation")),
                commend=_flag(cell("person:commend")), remind=_flag(cell("person:remind")),
                good_practice=practice))
    return entries
