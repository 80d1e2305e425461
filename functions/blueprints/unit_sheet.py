"""The requests that build a unit's Sheet in one ``spreadsheets.batchUpdate`` (pure).

A new spreadsheet has one tab (sheetId 0): it becomes the overview; every other tab is added
with the sheetId the layout fixes. Machine-written columns are protected whole (only the
service identity edits them); people's columns stay open to the unit's heads, with checkboxes
and lists as data validation.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from functions.blueprints import cells
from functions.blueprints.layout import (
    HISTORY_ID,
    OVERFLOW_ID,
    OVERVIEW_ID,
    ROSTER_ID,
    Tab,
    UnitLayout,
)
from functions.domain.model import Period

# Overview positions (0-based): the sync rewrites the counts, the missing lists and the time.
# Top to bottom, each block under its own heading: title lines, counts per period, the forms'
# links, then the missing lists (one per period, stacked in column A: a name overflows into the
# empty columns beside it, as Sheets shows text). The chart floats right of the counts.
UPDATED_ROW = 2
COUNTS_HEADER_ROW = 5
COUNTS_FIRST_ROW = 6
LINKS_TITLE_ROW = 13
MISSING_TITLE_ROW = 27
CHART_ANCHOR = (COUNTS_HEADER_ROW - 1, 8)  # row, column (I)
TITLE_COLUMNS = 7  # A:G, the width of the counts table: the title lines are merged across it
TITLE_ROWS = (0, 1, UPDATED_ROW, LINKS_TITLE_ROW, MISSING_TITLE_ROW)
ROSTER_FIXED_COLUMNS = 4


@dataclass(frozen=True)
class FormLink:
    title: str
    audience: str  # "Nhóm 1" / "Nhóm 2"
    url: str


def _rgb(color: str) -> dict[str, float]:
    value = color.lstrip("#")
    return {name: int(value[i:i + 2], 16) / 255 for name, i in (("red", 0), ("green", 2),
                                                               ("blue", 4))}


def header_format(color: str) -> dict[str, Any]:
    return {"backgroundColor": _rgb(color), "wrapStrategy": "WRAP", "verticalAlignment": "MIDDLE",
            "textFormat": {"bold": True, "foregroundColor": _rgb("#ffffff")}}


def header_row(sheet_id: int, headers: Sequence[str], fmt: dict[str, Any],
                column: int = 0, row: int = 0) -> dict[str, Any]:
    values = [{**cells.text(h), "userEnteredFormat": fmt} for h in headers]
    return {"updateCells": {"start": {"sheetId": sheet_id, "rowIndex": row, "columnIndex": column},
                            "rows": [{"values": values}],
                            "fields": "userEnteredValue,userEnteredFormat"}}


def column_widths(sheet_id: int, widths: Sequence[int], start: int = 0) -> list[dict[str, Any]]:
    return [{"updateDimensionProperties": {
        "range": {"sheetId": sheet_id, "dimension": "COLUMNS", "startIndex": start + i,
                  "endIndex": start + i + 1},
        "properties": {"pixelSize": width}, "fields": "pixelSize"}}
        for i, width in enumerate(widths)]


def sheet_properties(sheet_id: int, title: str, frozen_rows: int, frozen_columns: int = 0,
           add: bool = True, columns: int | None = None) -> dict[str, Any]:
    grid: dict[str, int] = {"frozenRowCount": frozen_rows, "frozenColumnCount": frozen_columns}
    if columns is not None and add:
        grid["columnCount"] = columns
    properties = {"sheetId": sheet_id, "title": title, "gridProperties": grid}
    if add:
        return {"addSheet": {"properties": properties}}
    return {"updateSheetProperties": {
        "properties": properties,
        "fields": "title,gridProperties.frozenRowCount,gridProperties.frozenColumnCount"}}


def _protect(sheet_id: int, columns: tuple[int, int], editor: str | None, what: str,
             rows: tuple[int | None, int | None] = (None, None)) -> dict[str, Any]:
    """``editor`` None: the requesting identity only (Google lists it among the editors)."""
    protected: dict[str, Any] = {"range": cells.grid_range(sheet_id, rows, columns),
                                 "description": what, "warningOnly": False}
    if editor is not None:
        protected["editors"] = {"users": [editor]}
    return {"addProtectedRange": {"protectedRange": protected}}


def _response_tab(tab: Tab, layout: UnitLayout, editor: str) -> list[dict[str, Any]]:
    header = header_format(layout.text("header_color"))
    person = {**header, "backgroundColor": _rgb(layout.text("person_color")),
              "textFormat": {"bold": True}}
    machine = tab.machine_width
    requests = [
        sheet_properties(tab.sheet_id, tab.title, frozen_rows=1, frozen_columns=3),
        header_row(tab.sheet_id, [c.header for c in tab.columns[:machine]], header),
        header_row(tab.sheet_id, [c.header for c in tab.columns[machine:]], person, machine),
        *column_widths(tab.sheet_id, [c.width for c in tab.columns]),
        {"repeatCell": {"range": cells.grid_range(tab.sheet_id, (1, None), (0, len(tab.columns))),
                        "cell": {"userEnteredFormat": {"wrapStrategy": "WRAP",
                                                       "verticalAlignment": "TOP"}},
                        "fields": "userEnteredFormat.wrapStrategy,"
                                  "userEnteredFormat.verticalAlignment"}},
        _protect(tab.sheet_id, (0, machine), editor, f"{tab.title}: cột do hệ thống ghi"),
        _protect(tab.sheet_id, (machine, len(tab.columns)), editor,
                 f"{tab.title}: tiêu đề cột", rows=(0, 1)),
    ]
    for index, column in enumerate(tab.columns):
        if column.hidden:
            requests.append({"updateDimensionProperties": {
                "range": {"sheetId": tab.sheet_id, "dimension": "COLUMNS", "startIndex": index,
                          "endIndex": index + 1},
                "properties": {"hiddenByUser": True}, "fields": "hiddenByUser"}})
        rule: dict[str, Any]
        if column.person == "checkbox":
            rule = {"condition": {"type": "BOOLEAN"}}
        elif column.person == "list":
            rule = {"condition": {"type": "ONE_OF_LIST",
                                  "values": [{"userEnteredValue": o} for o in column.options]},
                    "showCustomUi": True, "strict": True}
        else:
            continue
        requests.append({"setDataValidation": {
            "range": cells.grid_range(tab.sheet_id, (1, None), (index, index + 1)), "rule": rule}})
    return requests


def _overview(layout: UnitLayout, context: dict[str, str], periods: Sequence[Period],
              links: Sequence[FormLink], editor: str) -> list[dict[str, Any]]:
    texts = layout.text("overview")
    header = header_format(layout.text("header_color"))
    bold = {"textFormat": {"bold": True}}
    requests = [
        sheet_properties(OVERVIEW_ID, texts["title"], frozen_rows=0, add=False),
        {"updateCells": {"start": {"sheetId": OVERVIEW_ID, "rowIndex": 0, "columnIndex": 0},
                         "rows": [{"values": [{**cells.text(texts["heading"].format(**context)),
                                               "userEnteredFormat": {"textFormat": {
                                                   "bold": True, "fontSize": 13}}}]},
                                  {"values": [cells.text(texts["unit_line"].format(**context))]}],
                         "fields": "userEnteredValue,userEnteredFormat"}},
        *({"mergeCells": {"range": cells.grid_range(OVERVIEW_ID, (row, row + 1),
                                                    (0, TITLE_COLUMNS)),
                          "mergeType": "MERGE_ALL"}} for row in TITLE_ROWS),
        {"updateCells": {"start": {"sheetId": OVERVIEW_ID, "rowIndex": COUNTS_HEADER_ROW - 1,
                                   "columnIndex": 0},
                         "rows": [{"values": [{**cells.text(texts["counts_title"]),
                                               "userEnteredFormat": bold}]}],
                         "fields": "userEnteredValue,userEnteredFormat"}},
        header_row(OVERVIEW_ID, texts["counts_headers"], header, row=COUNTS_HEADER_ROW),
        {"updateCells": {"start": {"sheetId": OVERVIEW_ID, "rowIndex": LINKS_TITLE_ROW,
                                   "columnIndex": 0},
                         "rows": [{"values": [{**cells.text(texts["links_title"]),
                                               "userEnteredFormat": bold}]}],
                         "fields": "userEnteredValue,userEnteredFormat"}},
        header_row(OVERVIEW_ID, texts["links_headers"], header, row=LINKS_TITLE_ROW + 1),
        link_rows(links),
        {"updateCells": {"start": {"sheetId": OVERVIEW_ID, "rowIndex": MISSING_TITLE_ROW,
                                   "columnIndex": 0},
                         "rows": [{"values": [{**cells.text(texts["missing_title"]),
                                               "userEnteredFormat": bold}]}],
                         "fields": "userEnteredValue,userEnteredFormat"}},
        *column_widths(OVERVIEW_ID, texts["widths"]),
        _protect(OVERVIEW_ID, (0, len(texts["widths"])), editor,
                 f"{texts['title']}: do hệ thống ghi"),
        _chart(texts["chart_title"], len(periods)),
    ]
    return requests


def link_rows(links: Sequence[FormLink]) -> dict[str, Any]:
    """The overview's form links (rewritten in place when a rename changes the unit's label);
    a long form title wraps in its cell rather than being cut by the audience beside it."""
    wrap = {"wrapStrategy": "WRAP", "verticalAlignment": "MIDDLE"}
    rows: list[list[object]] = [[{**cells.text(link.title), "userEnteredFormat": wrap},
                                 link.audience, link.url] for link in links]
    return cells.update_cells(OVERVIEW_ID, LINKS_TITLE_ROW + 2, 0, rows,
                              fields="userEnteredValue,userEnteredFormat.wrapStrategy,"
                                     "userEnteredFormat.verticalAlignment")


def _chart(title: str, period_count: int) -> dict[str, Any]:
    rows = (COUNTS_HEADER_ROW, COUNTS_FIRST_ROW + period_count)

    def source(column: int) -> dict[str, Any]:
        return {"sourceRange": {"sources": [cells.grid_range(OVERVIEW_ID, rows,
                                                             (column, column + 1))]}}

    return {"addChart": {"chart": {
        "spec": {"title": title, "basicChart": {
            "chartType": "COLUMN", "legendPosition": "NO_LEGEND", "headerCount": 1,
            "domains": [{"domain": source(0)}],
            "series": [{"series": source(6), "targetAxis": "LEFT_AXIS"}]}},
        "position": {"overlayPosition": {"anchorCell": {
            "sheetId": OVERVIEW_ID, "rowIndex": CHART_ANCHOR[0],
            "columnIndex": CHART_ANCHOR[1]}}}}}}


def _roster(layout: UnitLayout, periods: Sequence[Period], editor: str) -> list[dict[str, Any]]:
    texts = layout.text("roster")
    header = header_format(layout.text("header_color"))
    headers = texts["headers"]  # the periods' headers, with their dates, are the render's
    widths = [*texts["widths"], *([texts["period_width"]] * len(periods))]
    return [
        sheet_properties(ROSTER_ID, texts["title"], frozen_rows=1, frozen_columns=1),
        header_row(ROSTER_ID, [*headers, *([""] * len(periods))], header),
        *column_widths(ROSTER_ID, widths),
        _protect(ROSTER_ID, (0, len(widths)), editor, f"{texts['title']}: do hệ thống ghi"),
    ]


def _system_tab(layout: UnitLayout, key: str, sheet_id: int, editor: str,
                columns: int | None = None) -> list[dict[str, Any]]:
    """A tab only the system writes (the overflow, the history), protected whole."""
    texts = layout.text(key)
    header = header_format(layout.text("header_color"))
    return [
        sheet_properties(sheet_id, texts["title"], frozen_rows=1, columns=columns),
        header_row(sheet_id, texts["headers"], header),
        *column_widths(sheet_id, texts["widths"]),
        _protect(sheet_id, (0, len(texts["headers"])), editor,
                 f"{texts['title']}: do hệ thống ghi"),
    ]


def build_requests(layout: UnitLayout, context: dict[str, str], periods: Sequence[Period],
                   links: Sequence[FormLink], editor: str) -> list[dict[str, Any]]:
    """Everything a new unit Sheet needs, for one batchUpdate. ``editor``: the service identity."""
    requests = [{"updateSpreadsheetProperties": {
        "properties": {"locale": "vi_VN", "timeZone": "Asia/Ho_Chi_Minh"},
        "fields": "locale,timeZone"}}]
    requests += _overview(layout, context, periods, links, editor)
    requests += _roster(layout, periods, editor)
    for tab in layout.tabs:
        requests += _response_tab(tab, layout, editor)
    # The history only grows: no spare columns, so its rows spend few of the Sheet's cells.
    requests += _system_tab(layout, "history", HISTORY_ID, editor,
                            columns=len(layout.text("history", "headers")))
    requests += _system_tab(layout, "overflow", OVERFLOW_ID, editor)
    return requests


def lacks_previous_column(layout: UnitLayout, header: Sequence[Any]) -> bool:
    """Whether a history tab whose header row reads ``header`` was built before the column of
    previous values (its rows then held every version whole, first ones included)."""
    headers = layout.text("history", "headers")
    return len(header) < len(headers) or header[len(headers) - 1] != headers[-1]


def previous_column(layout: UnitLayout) -> list[dict[str, Any]]:
    """The column of previous values added to a history tab built without it: appended right
    of the others (its grid has exactly their width), so no cell moves; protected as the tab
    is, with the sync's own identity, the one sending it, as editor."""
    texts = layout.text("history")
    index = len(texts["headers"]) - 1
    return [
        {"appendDimension": {"sheetId": HISTORY_ID, "dimension": "COLUMNS", "length": 1}},
        header_row(HISTORY_ID, texts["headers"][index:],
                   header_format(layout.text("header_color")), index),
        *column_widths(HISTORY_ID, texts["widths"][index:], index),
        _protect(HISTORY_ID, (index, index + 1), None, f"{texts['title']}: do hệ thống ghi"),
    ]


def lacks_notice_column(tab: Tab, header: str | None) -> bool:
    """Whether a tab whose notice column's header cell reads ``header`` was built before that
    column existed (its people's columns then start one column to the left)."""
    index = tab.notice_index
    return index is not None and header != tab.columns[index].header


def notice_column(layout: UnitLayout, tab: Tab) -> list[dict[str, Any]]:
    """The column of the privacy notice's version added to a tab built without it: one column
    inserted inside the protected machine block, so that everything right of it (the people's
    columns, their checkboxes and lists, the protections) moves right with what people typed."""
    index = tab.notice_index
    if index is None:
        return []
    column = tab.columns[index]
    return [
        {"insertDimension": {"range": {"sheetId": tab.sheet_id, "dimension": "COLUMNS",
                                       "startIndex": index, "endIndex": index + 1},
                             "inheritFromBefore": True}},
        header_row(tab.sheet_id, [column.header], header_format(layout.text("header_color")),
                   index),
        *column_widths(tab.sheet_id, [column.width], index),
    ]
