"""A response as the cells of its row in a unit Sheet's tab (pure).

Only machine columns are produced; people's columns are never part of a row write. An answer
too long for one cell (50 000 UTF-16 units) is kept whole: the cell holds the first part and a
mark, the rest goes to the overflow tab, keyed by response and column.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from zoneinfo import ZoneInfo

from functions.blueprints import cells
from functions.blueprints.layout import Tab, UnitLayout
from functions.domain.model import Response
from functions.domain.routing import Routing

LOCAL = ZoneInfo("Asia/Ho_Chi_Minh")


@dataclass(frozen=True)
class Overflow:
    """One continuation piece of a long answer."""

    response_id: str
    tab: str
    column: str
    part: int  # 2, 3, ... (part 1 stays in the row)
    text: str


@lru_cache(maxsize=64)  # asked for a row, then for its history rows
def local_time(moment: datetime) -> str:
    """Vietnam's time as the Sheet shows it ("dd/mm/yyyy hh:mm:ss"); an f-string, not
    strftime, since every row of a sync has one."""
    t = moment.astimezone(LOCAL)
    return f"{t.day:02d}/{t.month:02d}/{t.year:04d} {t.hour:02d}:{t.minute:02d}:{t.second:02d}"


def notes_of(layout: UnitLayout, response: Response, routing: Routing) -> list[str]:
    words = layout.text("status")
    notes = []
    if routing.wrong_form:
        notes.append(words["wrong_group"].format(nhom_dung=routing.group.label,
                                                 nhom_da_dien=response.group.label))
    if routing.staff is None:
        notes.append(words["not_in_roster"])
    return notes


def row_values(layout: UnitLayout, tab: Tab, response: Response, routing: Routing,
               version: str, status: str, overflow_row: int,
               notice: str = "") -> tuple[list[object], list[Overflow]]:
    """The machine cells of ``response``'s row and the overflow pieces of long answers.

    ``overflow_row``: the overflow tab's row (1-based, as shown) where pieces will start,
    named in the continuation mark.
    """
    values = full_values(layout, tab, response, routing, version, status, notice)
    return fit_cells(layout, values, tab.machine_headers, response.response_id, tab.title,
                     overflow_row)


def full_values(layout: UnitLayout, tab: Tab, response: Response, routing: Routing,
                version: str, status: str, notice: str = "") -> list[object]:
    """The machine cells of ``response``'s row, whole (a long answer not yet cut); ``notice``:
    the version of the privacy notice in force when it was last submitted.

    Drawn once per response of a sync (60 000 at a province's first): the criteria cells, most
    of a row, are joined in a plain loop.
    """
    values: list[object] = []
    answers = response.answers
    for column in tab.machine_columns:
        source = column.source or ""
        if source == "criteria":  # first: most columns are criteria
            lines = []
            for prefix, key in column.answer_parts:
                text = answers.get(key, "")
                if type(text) is not str:
                    text = "; ".join(text)  # several choices: as ``Response.text`` joins them
                if text:
                    lines.append(prefix + text)
            value = "\n".join(lines)
        elif source == "response_id":
            value = response.response_id
        elif source == "version":
            value = version
        elif source == "submitted_at":
            value = local_time(response.last_submitted)
        elif source == "name":
            value = response.text("ho_ten") or (routing.staff.name if routing.staff else "")
        elif source == "email":
            value = response.respondent_email or ""
        elif source == "position":
            value = response.text("chuc_vu") or (routing.staff.position if routing.staff else "")
        elif source == "group":
            value = routing.group.label
        elif source == "status":
            value = status
        elif source == "notice":
            value = notice
        elif source == "notes":
            value = "\n".join(notes_of(layout, response, routing))
        elif source.startswith("answer:"):
            value = response.text(source.split(":", 1)[1])
        else:
            raise ValueError(f"unknown column source {source!r}")
        values.append(value)
    return values


def fit_cells(layout: UnitLayout, values: list[object], headers: Sequence[str],
              response_id: str, tab_title: str,
              overflow_row: int) -> tuple[list[object], list[Overflow]]:
    """``values`` with each text too long for a cell cut: its first part and a mark naming
    the overflow row (1-based, from ``overflow_row``) where the rest continues, keyed by
    ``response_id``, ``tab_title`` and the column's header. No text too long (almost every
    row): ``values`` itself."""
    shortest_too_long = cells.CELL_LIMIT // 2  # no text this short is too long for a cell
    for value in values:
        if isinstance(value, str) and len(value) > shortest_too_long:
            break
    else:
        return values, []
    mark_text = layout.text("status", "continued")
    fitted: list[object] = []
    pieces: list[Overflow] = []
    for value, header in zip(values, headers, strict=True):
        if isinstance(value, str) and cells.too_long(value):
            chunks = cells.split_long(value)
            mark = mark_text.format(tab=layout.text("overflow", "title"),
                                    dong=overflow_row + len(pieces))
            value = chunks[0] + mark
            pieces += [Overflow(response_id, tab_title, header, i, chunk)
                       for i, chunk in enumerate(chunks[1:], start=2)]
        fitted.append(value)
    return fitted, pieces
