"""The spreadsheet model: sheets, their grid of cells, and how ranges resolve onto them.

Stored in collection ``spreadsheets`` by Drive file id, in the API's own shape plus, per sheet:

- ``cells``: the cells written individually, sparse: ``{"<row>": [CellData or null, ...]}``
  (``null``: not written individually; trailing nulls and empty rows are left out, so an empty
  grid of any size stores nothing);
- ``fills``: range-level writes (whole-column formats, validation rules...) in the order they
  were made, see ``sheets_fills``; a cell not in ``cells`` reads as the fills covering it.
  A cell in ``cells`` hides the fills (``{}`` there: emptied after a fill covered it);
- ``rowMeta``/``colMeta``: sparse DimensionProperties by index as a string.

Only the entered data is stored; effective and formatted values are derived on read. Stored
cells are never changed in place (a write stores a new dict), so a working copy of a
spreadsheet may share them (see ``working_copy``). Spreadsheets stored by earlier versions
(dense ``rows``) are converted when first read.
"""

from __future__ import annotations

import copy
import secrets
from collections.abc import Container
from typing import Any

from emulator.errors import ApiError
from emulator.services import sheets_cells
from emulator.services import sheets_fills as fills_mod
from emulator.services.sheets_a1 import Cells, parse_cells, quote_title, range_a1, split_sheet
from emulator.services.sheets_fills import clean_colors
from emulator.store import copied

DEFAULT_ROWS, DEFAULT_COLS = 1000, 26  # recorded: a new spreadsheet has Sheet1, 1000 x 26
DEFAULT_ROW_PIXELS, DEFAULT_COL_PIXELS = 21, 100
SHEET_ONLY_KEYS = ("rows", "cells", "fills", "rowMeta", "colMeta")
_WHITE = {"red": 1, "green": 1, "blue": 1}
# Recorded from Google (gspread cassettes, ClientTest.test_create): a new spreadsheet's defaults.
DEFAULT_FORMAT: dict[str, Any] = {
    "backgroundColor": dict(_WHITE),
    "padding": {"top": 2, "right": 3, "bottom": 2, "left": 3},
    "verticalAlignment": "BOTTOM",
    "wrapStrategy": "OVERFLOW_CELL",
    "textFormat": {
        "foregroundColor": {}, "fontFamily": "arial,sans,sans-serif", "fontSize": 10,
        "bold": False, "italic": False, "strikethrough": False, "underline": False,
        "foregroundColorStyle": {"rgbColor": {}},
    },
    "backgroundColorStyle": {"rgbColor": dict(_WHITE)},
}
THEME_COLORS: list[tuple[str, dict[str, Any]]] = [
    ("TEXT", {}), ("BACKGROUND", dict(_WHITE)),
    ("ACCENT1", {"red": 0.25882354, "green": 0.52156866, "blue": 0.95686275}),
    ("ACCENT2", {"red": 0.91764706, "green": 0.2627451, "blue": 0.20784314}),
    ("ACCENT3", {"red": 0.9843137, "green": 0.7372549, "blue": 0.015686275}),
    ("ACCENT4", {"red": 0.20392157, "green": 0.65882355, "blue": 0.3254902}),
    ("ACCENT5", {"red": 1, "green": 0.42745098, "blue": 0.003921569}),
    ("ACCENT6", {"red": 0.27450982, "green": 0.7411765, "blue": 0.7764706}),
    ("LINK", {"red": 0.06666667, "green": 0.33333334, "blue": 0.8}),
]


def default_properties(title: str) -> dict[str, Any]:
    return {
        "title": title,
        "locale": "en_US",
        "autoRecalc": "ON_CHANGE",
        "timeZone": "Etc/GMT",
        "defaultFormat": copy.deepcopy(DEFAULT_FORMAT),
        "spreadsheetTheme": {
            "primaryFontFamily": "Arial",
            "themeColors": [{"colorType": kind, "color": {"rgbColor": dict(rgb)}}
                            for kind, rgb in THEME_COLORS],
        },
    }


def sheet_properties(sheet_id: int, title: str, index: int, rows: int = DEFAULT_ROWS,
                     cols: int = DEFAULT_COLS) -> dict[str, Any]:
    return {"sheetId": sheet_id, "title": title, "index": index, "sheetType": "GRID",
            "gridProperties": {"rowCount": rows, "columnCount": cols}}


def new_sheet(properties: dict[str, Any]) -> dict[str, Any]:
    return {"properties": properties, "cells": {}, "fills": [], "rowMeta": {}, "colMeta": {}}


def new_spreadsheet(spreadsheet_id: str, title: str) -> dict[str, Any]:
    return {
        "spreadsheetId": spreadsheet_id,
        "properties": default_properties(title),
        "sheets": [new_sheet(sheet_properties(0, "Sheet1", 0))],
    }


def parse_fields(fields: str | None) -> dict[str, Any]:
    """A ``fields`` mask as a tree (dots and slashes both separate levels)."""
    from emulator import fieldmask

    return fieldmask.parse(fields) if fields else {}


def new_int_id() -> int:
    """A positive 31-bit id, as Google's sheet, protected range and chart ids are."""
    return secrets.randbelow(2**31 - 2) + 1


def size(sheet: dict[str, Any]) -> tuple[int, int]:
    grid = sheet["properties"].get("gridProperties", {})
    return int(grid.get("rowCount", 0)), int(grid.get("columnCount", 0))


def set_size(sheet: dict[str, Any], rows: int, cols: int) -> None:
    grid = sheet["properties"].setdefault("gridProperties", {})
    grid["rowCount"], grid["columnCount"] = rows, cols


def title_of(sheet: dict[str, Any]) -> str:
    return str(sheet["properties"]["title"])


def sheet_id_of(sheet: dict[str, Any]) -> int:
    return int(sheet["properties"]["sheetId"])


def by_id(doc: dict[str, Any], sheet_id: int | str | None) -> dict[str, Any]:
    wanted = int(sheet_id or 0)
    for sheet in doc["sheets"]:
        if sheet_id_of(sheet) == wanted:
            return sheet
    raise ApiError(400, f"No grid with id: {wanted}")


def by_title(doc: dict[str, Any], title: str) -> dict[str, Any] | None:
    for sheet in doc["sheets"]:
        if title_of(sheet) == title:
            return sheet
    for sheet in doc["sheets"]:  # Google matches titles case-insensitively as a fallback
        if title_of(sheet).lower() == title.lower():
            return sheet
    return None


def reindex(doc: dict[str, Any]) -> None:
    doc["sheets"].sort(key=lambda s: s["properties"]["index"])
    for index, sheet in enumerate(doc["sheets"]):
        sheet["properties"]["index"] = index


# --- cells -------------------------------------------------------------------------------

Line = list[dict[str, Any] | None]


def migrate(doc: dict[str, Any]) -> None:
    """Converts the sheets of a spreadsheet stored by an earlier version (dense ``rows``)."""
    for sheet in doc["sheets"]:
        if "cells" not in sheet:
            _migrate(sheet)


def _migrate(sheet: dict[str, Any]) -> None:
    cells: dict[str, Line] = {}
    for r, line in enumerate(sheet.pop("rows", None) or []):
        stored: Line = [data or None for data in line]
        while stored and stored[-1] is None:
            stored.pop()
        if stored:
            cells[str(r)] = stored
    sheet["cells"] = cells
    sheet.setdefault("fills", [])


def cells_of_sheet(sheet: dict[str, Any]) -> dict[str, Line]:
    """The individually written cells by row (see the module notes)."""
    if "cells" not in sheet:
        _migrate(sheet)
    found: dict[str, Line] = sheet["cells"]
    return found


def fills_of(sheet: dict[str, Any]) -> list[fills_mod.Fill]:
    if "cells" not in sheet:
        _migrate(sheet)
    found: list[fills_mod.Fill] = sheet.setdefault("fills", [])
    return found


def working_copy(doc: dict[str, Any]) -> dict[str, Any]:
    """A copy to change freely (the stored cells, never changed in place, are shared)."""
    migrate(doc)
    out: dict[str, Any] = {}
    for key, value in doc.items():
        if key != "sheets":
            out[key] = copied(value)
            continue
        out[key] = [{name: ({row: list(line) for row, line in item.items()} if name == "cells"
                            else copied(item)) for name, item in sheet.items()}
                    for sheet in value]
    return out


def cell(sheet: dict[str, Any], row: int, col: int) -> dict[str, Any] | None:
    """A cell's content (None when empty). Read-only: write with ``put``."""
    line = cells_of_sheet(sheet).get(str(row))
    if line is not None and col < len(line) and line[col] is not None:
        return line[col] or None
    fills = sheet.get("fills")
    return fills_mod.at(fills, row, col) if fills else None


def _covered(sheet: dict[str, Any], row: int, col: int) -> bool:
    return any(fills_mod.covers(fill, row, col) for fill in sheet.get("fills") or ())


def put(sheet: dict[str, Any], row: int, col: int, data: dict[str, Any] | None) -> None:
    """Replaces one cell (None or {} empties it). ``data`` is stored as given: never change
    it in place afterwards."""
    cells = cells_of_sheet(sheet)
    key = str(row)
    line = cells.get(key)
    if not data:
        if _covered(sheet, row, col):
            data = {}  # emptied: hides the fills covering it
        else:
            if line is not None and col < len(line):
                line[col] = None
                _tidy(cells, key, line)
            return
    if line is None:
        line = cells[key] = []
    if col >= len(line):
        line.extend([None] * (col + 1 - len(line)))
    line[col] = data


def _tidy(cells: dict[str, Line], key: str, line: Line) -> None:
    while line and line[-1] is None:
        line.pop()
    if not line:
        cells.pop(key, None)


def editable(sheet: dict[str, Any], row: int, col: int) -> dict[str, Any]:
    """A copy of the cell, stored in its place, to change in place right away."""
    found = copy.deepcopy(cell(sheet, row, col) or {})
    cells = cells_of_sheet(sheet)
    line = cells.setdefault(str(row), [])
    if col >= len(line):
        line.extend([None] * (col + 1 - len(line)))
    line[col] = found
    return found


def owned_in(sheet: dict[str, Any], top: int, bottom: int, left: int,
             right: int) -> list[tuple[int, int, dict[str, Any]]]:
    """The individually written cells (``{}`` included) inside the box."""
    found = []
    for key, line in cells_of_sheet(sheet).items():
        r = int(key)
        if top <= r < bottom:
            for c in range(left, min(right, len(line))):
                data = line[c]
                if data is not None:
                    found.append((r, c, data))
    return found


def trim(sheet: dict[str, Any]) -> None:
    """Drops stored empties that hide no fill, trailing nulls and empty rows."""
    cells = cells_of_sheet(sheet)
    for key, line in list(cells.items()):
        r = int(key)
        for c, data in enumerate(line):
            if data is not None and not data and not _covered(sheet, r, c):
                line[c] = None
        _tidy(cells, key, line)


def row_bound(sheet: dict[str, Any]) -> int:
    """A row index from which on every row is empty (not always the smallest)."""
    cells = cells_of_sheet(sheet)
    top = max((int(key) + 1 for key in cells), default=0)
    return max(top, fills_mod.last_row(sheet.get("fills") or ()))


def used_rows(sheet: dict[str, Any]) -> int:
    """1 + the index of the last row with a non-empty cell (0 for an empty sheet)."""
    cells = cells_of_sheet(sheet)
    best = max((int(key) + 1 for key, line in cells.items() if any(line)), default=0)
    fills = sheet.get("fills") or []
    top = fills_mod.last_row(fills)
    if top > best:
        right = max(fill["range"][3] for fill in fills)
        reader = Reader(sheet, 0, right)
        for r in range(top - 1, best - 1, -1):
            if any(reader.row(r)[1]):
                return r + 1
    return best


class Reader:
    """Cells ``left..right`` of rows, fills resolved once per band of rows."""

    def __init__(self, sheet: dict[str, Any], left: int, right: int) -> None:
        self.cells = cells_of_sheet(sheet)
        self.left, self.right = left, max(left, right)
        self.bands = fills_mod.Bands(sheet.get("fills") or [], self.left, self.right)
        self._empty: Line = [None] * (self.right - self.left)

    def row(self, row: int) -> tuple[tuple[int, ...] | None, Line]:
        """(a key shared by the rows reading the same, None when the row has cells of its
        own; the cells, None when empty). The list is shared: do not change it."""
        template = self.bands.row(row) if self.bands.fills else self._empty
        line = self.cells.get(str(row))
        if line is None or len(line) <= self.left:
            return (self.bands.active(row) if self.bands.fills else ()), template
        out = list(template)
        for c in range(self.left, min(self.right, len(line))):
            data = line[c]
            if data is not None:
                out[c - self.left] = data or None
        return None, out


def used_size(sheet: dict[str, Any]) -> tuple[int, int]:
    """Rows and columns up to the last cell holding a value."""
    last_row, last_col = 0, 0
    reader = Reader(sheet, 0, size(sheet)[1])
    for r in range(row_bound(sheet)):
        for c, data in enumerate(reader.row(r)[1]):
            if data and data.get("userEnteredValue"):
                last_row, last_col = max(last_row, r + 1), max(last_col, c + 1)
    return last_row, last_col


def has_value(sheet: dict[str, Any], row: int, col: int) -> bool:
    found = cell(sheet, row, col)
    return bool(found and found.get("userEnteredValue"))


# --- ranges ------------------------------------------------------------------------------


def grid_range(sheet: dict[str, Any], cells: Cells) -> dict[str, Any]:
    out: dict[str, Any] = {"sheetId": sheet_id_of(sheet)}
    out["startRowIndex"] = cells.start_row
    if cells.end_row is not None:
        out["endRowIndex"] = cells.end_row
    out["startColumnIndex"] = cells.start_col
    if cells.end_col is not None:
        out["endColumnIndex"] = cells.end_col
    return out


def cells_of(grid: dict[str, Any]) -> Cells:
    return Cells(int(grid.get("startRowIndex", 0)), _opt(grid.get("endRowIndex")),
                 int(grid.get("startColumnIndex", 0)), _opt(grid.get("endColumnIndex")))


def _opt(value: Any) -> int | None:
    return None if value is None else int(value)


def resolve(doc: dict[str, Any], text: str) -> tuple[dict[str, Any], Cells]:
    """The sheet and cells an A1 range or a named range refers to (400 when unparsable)."""
    unparsable = ApiError(400, f"Unable to parse range: {text}")
    title, rest = split_sheet(text.strip())
    if title is None and rest is not None:
        sheet = by_title(doc, rest)
        if sheet is not None:
            return sheet, Cells()
        named = _named(doc, rest)
        if named is not None:
            return named
        cells = parse_cells(rest)
        if cells is None:
            raise unparsable
        visible = [s for s in doc["sheets"] if not s["properties"].get("hidden")] or doc["sheets"]
        return visible[0], cells
    sheet = by_title(doc, title or "")
    if sheet is None:
        raise unparsable
    if rest is None:
        return sheet, Cells()
    cells = parse_cells(rest)
    if cells is None:
        named = _named(doc, rest)
        if named is None or named[0] is not sheet:
            raise unparsable
        return named
    return sheet, cells


def _named(doc: dict[str, Any], name: str) -> tuple[dict[str, Any], Cells] | None:
    for named in doc.get("namedRanges", []):
        if named["name"] == name:
            grid = named["range"]
            return by_id(doc, grid.get("sheetId", 0)), cells_of(grid)
    return None


def a1(sheet: dict[str, Any], cells: Cells) -> str:
    """The bounded A1 range Google answers for ``cells`` on ``sheet``."""
    return range_a1(title_of(sheet), cells.bounded(*size(sheet)))


def check_in_grid(sheet: dict[str, Any], cells: Cells, label: str | None = None) -> None:
    """400 as Google answers when ``cells`` reach past the grid.

    Wording as reported from Google: "Range ('Lighthouse Results'!A1001) exceeds grid limits.
    Max rows: 1000, max columns: 121" (cloudfour/lighthouse-parade#151); the cell named is the
    first one outside the grid (home-assistant/core#104198: "Range (Solar!Y1) ...").
    """
    rows, cols = size(sheet)
    end_row = cells.end_row if cells.end_row is not None else cells.start_row + 1
    end_col = cells.end_col if cells.end_col is not None else cells.start_col + 1
    if end_row <= rows and end_col <= cols:
        return
    if label is None:
        first_row = cells.start_row if cells.start_row >= rows or end_row <= rows else rows
        first_col = cells.start_col if cells.start_col >= cols or end_col <= cols else cols
        if end_row > rows:
            first_col = cells.start_col
        label = range_a1(title_of(sheet), Cells(first_row, first_row + 1,
                                                first_col, first_col + 1))
    raise ApiError(400, f"Range ({label}) exceeds grid limits. Max rows: {rows}, "
                        f"max columns: {cols}")


def label_of(text: str) -> str:
    """A range as the caller wrote it, re-quoted as Google echoes it in messages."""
    title, rest = split_sheet(text)
    if title is None:
        return text
    return quote_title(title) + (f"!{rest}" if rest else "")


# --- grid data ---------------------------------------------------------------------------


def output_cell(data: dict[str, Any]) -> dict[str, Any]:
    """A stored cell as CellData, with its derived effective and formatted values."""
    out = copy.deepcopy(data)
    effective = sheets_cells.effective_value(data)
    if effective is not None:
        out["effectiveValue"] = effective
    formatted = sheets_cells.formatted_value(data)
    if formatted is not None and data.get("userEnteredValue"):
        out["formattedValue"] = formatted
    if data.get("userEnteredFormat") is not None:
        out["effectiveFormat"] = _merged(DEFAULT_FORMAT, data["userEnteredFormat"])
    return out


_DERIVED = ("effectiveValue", "formattedValue", "effectiveFormat")


def masked_cell(data: dict[str, Any], cell_mask: Any) -> dict[str, Any]:
    """``fieldmask.apply(output_cell(data), cell_mask)``, deriving only the fields asked."""
    from emulator import fieldmask

    if not cell_mask or "*" in cell_mask:
        return fieldmask.apply(output_cell(data), cell_mask) if cell_mask else output_cell(data)
    out: dict[str, Any] = {}
    for key, sub in cell_mask.items():
        if key in _DERIVED:
            value = _derived(data, key)
            if value is None:
                continue
        elif key in data:
            value = copy.deepcopy(data[key])
        else:
            continue
        out[key] = fieldmask.apply(value, sub)
    return out


def _derived(data: dict[str, Any], key: str) -> Any:
    if key == "effectiveValue":
        return sheets_cells.effective_value(data)
    if key == "formattedValue":
        formatted = sheets_cells.formatted_value(data)
        return formatted if formatted is not None and data.get("userEnteredValue") else None
    if data.get("userEnteredFormat") is None:
        return None
    return _merged(DEFAULT_FORMAT, data["userEnteredFormat"])


def _merged(base: dict[str, Any], over: dict[str, Any]) -> dict[str, Any]:
    out = copy.deepcopy(base)
    for key, value in over.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = _merged(out[key], value)
        else:
            out[key] = copy.deepcopy(value)
    return out


def grid_data(sheet: dict[str, Any], cells: Cells, cell_mask: Any = None,
              metadata: bool = True) -> dict[str, Any]:
    """GridData for ``cells``: rows and values trimmed after the last non-empty one.

    ``cell_mask`` (a parsed ``fields`` subtree for CellData) trims each cell first, so that
    a mask such as ``sheets.data.rowData.values.note`` answers only cells with notes, as
    recorded from Google.
    """
    box = cells.bounded(*size(sheet))
    out: dict[str, Any] = {}
    if box.start_row:
        out["startRow"] = box.start_row
    if box.start_col:
        out["startColumn"] = box.start_col
    reader = Reader(sheet, box.start_col, box.end_col or 0)
    shown: dict[int, dict[str, Any]] = {}  # id of a stored or folded cell -> its CellData
    same: dict[tuple[int, ...], list[dict[str, Any]]] = {}  # rows reading alike

    def render(data: dict[str, Any] | None) -> dict[str, Any]:
        if not data:
            return {}
        found = shown.get(id(data))
        if found is None:
            found = shown[id(data)] = masked_cell(data, cell_mask)
        return found

    row_data: list[dict[str, Any]] = []
    end = min(box.end_row or 0, row_bound(sheet))
    own_end = max((int(key) + 1 for key in reader.cells), default=0)
    r = box.start_row
    while r < end:
        key, line = reader.row(r)
        values = same.get(key) if key is not None else None
        if values is None:
            values = [render(data) for data in line]
            while values and not values[-1]:
                values.pop()
            if key is not None:
                same[key] = values
        # Below the last row with cells of its own, rows read as their band of fills: a
        # whole band at once (a formatted tab of 1 000 rows is a few bands, not 1 000 rows).
        stop = min(end, reader.bands.segment_end(r)) if r >= own_end else r + 1
        row_data.extend({"values": list(values)} if values else {} for _ in range(r, stop))
        r = stop
    while row_data and not row_data[-1]:
        row_data.pop()
    if row_data:
        out["rowData"] = row_data
    if not metadata:  # masked out by the request's fields: not built at all
        return out
    out["rowMetadata"] = [_dimension(sheet["rowMeta"], r, DEFAULT_ROW_PIXELS)
                          for r in range(box.start_row, box.end_row or 0)]
    out["columnMetadata"] = [_dimension(sheet["colMeta"], c, DEFAULT_COL_PIXELS)
                             for c in range(box.start_col, box.end_col or 0)]
    return out


def _dimension(meta: dict[str, Any], index: int, pixels: int) -> dict[str, Any]:
    out: dict[str, Any] = {"pixelSize": pixels}
    out.update(meta.get(str(index), {}))
    return out


def sheet_resource(sheet: dict[str, Any], keys: Container[str] | None = None) -> dict[str, Any]:
    """A stored sheet as the API's Sheet (without grid data; empty lists left out).
    ``keys``: only these (a ``fields`` mask's), the rest not copied only to be dropped."""
    return {key: without_defaults(value) for key, value in sheet.items()
            if key not in SHEET_ONLY_KEYS and value not in ([], {}, None)
            and (keys is None or key in keys)}


_RANGE_KEYS = frozenset({"sheetId", "startRowIndex", "endRowIndex", "startColumnIndex",
                         "endColumnIndex", "dimension", "startIndex", "endIndex"})


def without_defaults(value: Any) -> Any:
    """A copy with ``sheetId: 0`` left out of ranges, as Google leaves out proto defaults
    there (recorded: named ranges, merges and filters on the first sheet carry no sheetId)."""
    if isinstance(value, dict):
        out = {key: without_defaults(item) for key, item in value.items()}
        if set(out) <= _RANGE_KEYS and out.get("sheetId") == 0:
            out.pop("sheetId")
        return out
    if isinstance(value, list):
        return [without_defaults(item) for item in value]
    return value


__all__ = ["clean_colors"]
