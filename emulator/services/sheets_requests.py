"""``spreadsheets.batchUpdate`` request kinds on sheets, cells and dimensions.

Each handler takes the batch context and its request body and returns the reply body (the
value under the kind's key in the discovery ``Response`` schema) or None for an empty reply.
Other kinds (protection, validation, merges, charts, named ranges, filters...) live in
``sheets_requests_more``. Reference: developers.google.com/sheets/api/reference/rest/v4/
spreadsheets/request.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from emulator import files
from emulator.core import Call
from emulator.errors import ApiError
from emulator.services import sheets_dimensions as dims
from emulator.services import sheets_fills as fills_mod
from emulator.services import sheets_grid as grid
from emulator.services import sheets_protect
from emulator.services.sheets_a1 import Cells


@dataclass
class Batch:
    call: Call
    file: dict[str, Any]
    doc: dict[str, Any]

    @property
    def user(self) -> str:
        return self.call.user

    def check_write(self, sheet: dict[str, Any], cells: Cells) -> None:
        sheets_protect.check_write(self.call.emulator, self.file, sheet, cells, self.user)


Kind = Callable[[Batch, dict[str, Any]], Any]
KINDS: dict[str, Kind] = {}


def kind(name: str) -> Callable[[Kind], Kind]:
    def register(handler: Kind) -> Kind:
        KINDS[name] = handler
        return handler

    return register


apply_mask = fills_mod.apply_mask  # kept here for the other request modules
_mirror_color = fills_mod.mirror_color


# --- sheets ------------------------------------------------------------------------------


def _check_title(doc: dict[str, Any], title: str, except_id: int | None = None) -> None:
    for sheet in doc["sheets"]:
        if grid.title_of(sheet).lower() == title.lower() and grid.sheet_id_of(sheet) != except_id:
            raise ApiError(400, f'A sheet with the name "{title}" already exists. Please enter '
                                "another name.")


@kind("addSheet")
def add_sheet(batch: Batch, body: dict[str, Any]) -> Any:
    doc = batch.doc
    wanted = copy.deepcopy(body.get("properties") or {})
    sheet_id = int(wanted.get("sheetId", grid.new_int_id()))
    if any(grid.sheet_id_of(s) == sheet_id for s in doc["sheets"]):
        raise ApiError(400, f"Sheet with id {sheet_id} already exists.")
    title = wanted.get("title") or _free_title(doc)
    _check_title(doc, title)
    index = min(int(wanted.get("index", len(doc["sheets"]))), len(doc["sheets"]))
    grid_props = wanted.get("gridProperties") or {}
    properties = grid.sheet_properties(sheet_id, title, index,
                                       int(grid_props.get("rowCount", grid.DEFAULT_ROWS)),
                                       int(grid_props.get("columnCount", grid.DEFAULT_COLS)))
    for key, value in wanted.items():
        if key not in ("sheetId", "title", "index"):
            if key == "gridProperties":
                properties["gridProperties"].update(value)
            else:
                properties[key] = value
    _mirror_color(grid.clean_colors(properties), "tabColor", "tabColorStyle")
    for sheet in doc["sheets"]:
        if sheet["properties"]["index"] >= index:
            sheet["properties"]["index"] += 1
    doc["sheets"].append(grid.new_sheet(properties))
    grid.reindex(doc)
    return {"properties": copy.deepcopy(properties)}


def _free_title(doc: dict[str, Any]) -> str:
    taken = {grid.title_of(s).lower() for s in doc["sheets"]}
    number = len(doc["sheets"]) + 1
    while f"sheet{number}" in taken:
        number += 1
    return f"Sheet{number}"


@kind("deleteSheet")
def delete_sheet(batch: Batch, body: dict[str, Any]) -> Any:
    doc = batch.doc
    sheet = grid.by_id(doc, body.get("sheetId", 0))
    if len(doc["sheets"]) == 1:
        raise ApiError(400, "You can't remove all the sheets in a document.")
    doc["sheets"].remove(sheet)
    sheet_id = grid.sheet_id_of(sheet)
    doc["namedRanges"] = [n for n in doc.get("namedRanges", [])
                          if int(n["range"].get("sheetId", 0)) != sheet_id]
    grid.reindex(doc)
    return None


@kind("updateSheetProperties")
def update_sheet_properties(batch: Batch, body: dict[str, Any]) -> Any:
    doc = batch.doc
    wanted = body.get("properties") or {}
    sheet = grid.by_id(doc, wanted.get("sheetId", 0))
    before = sheet["properties"]
    fields = body.get("fields") or ""
    tree = grid.parse_fields(fields)
    for plain, style in (("tabColor", "tabColorStyle"), ("tabColorStyle", "tabColor")):
        if plain in tree and style not in tree:
            fields += "," + style
    source = grid.clean_colors(copy.deepcopy(wanted))
    _mirror_color(source, "tabColor", "tabColorStyle")
    updated = copy.deepcopy(before)
    apply_mask(updated, source, fields)
    updated["sheetId"] = before["sheetId"]
    updated["sheetType"] = before.get("sheetType", "GRID")
    if updated.get("title") != before.get("title"):
        if not updated.get("title"):
            raise ApiError(400, "Sheet title cannot be empty.")
        _check_title(doc, updated["title"], grid.sheet_id_of(sheet))
    if updated.get("hidden") and not before.get("hidden"):
        others = [s for s in doc["sheets"] if s is not sheet and not s["properties"].get("hidden")]
        if not others:
            raise ApiError(400, "You can't hide all the sheets in a document.")
    old_rows, old_cols = grid.size(sheet)
    new_grid = updated.setdefault("gridProperties", {})
    rows = int(new_grid.get("rowCount", old_rows))
    cols = int(new_grid.get("columnCount", old_cols))
    new_grid["rowCount"], new_grid["columnCount"] = old_rows, old_cols
    for holder, key in ((updated, "hidden"), (updated, "rightToLeft"),
                        (new_grid, "frozenRowCount"), (new_grid, "frozenColumnCount"),
                        (new_grid, "hideGridlines"), (new_grid, "rowGroupControlAfter"),
                        (new_grid, "columnGroupControlAfter")):
        if not holder.get(key, True):
            holder.pop(key)
    new_index = int(updated.get("index", before.get("index", 0)))
    old_index = int(before.get("index", 0))
    updated["index"] = old_index
    sheet["properties"] = updated
    if (rows, cols) != (old_rows, old_cols):
        _resize(doc, sheet, rows, cols)
    if new_index != old_index:
        _move(doc, sheet, new_index, old_index)
    return None


def _resize(doc: dict[str, Any], sheet: dict[str, Any], rows: int, cols: int) -> None:
    old_rows, old_cols = grid.size(sheet)
    if rows < 1 or cols < 1:
        raise ApiError(400, "You can't delete all the rows or columns on the sheet.")
    if rows < old_rows:
        dims.delete(doc, sheet, "ROWS", rows, old_rows)
    elif rows > old_rows:
        dims.insert(doc, sheet, "ROWS", old_rows, rows - old_rows)
    if cols < old_cols:
        dims.delete(doc, sheet, "COLUMNS", cols, old_cols)
    elif cols > old_cols:
        dims.insert(doc, sheet, "COLUMNS", old_cols, cols - old_cols)


def _move(doc: dict[str, Any], sheet: dict[str, Any], index: int, old: int) -> None:
    others = [s for s in sorted(doc["sheets"], key=lambda s: s["properties"]["index"])
              if s is not sheet]
    # Google counts the new index in the list before removing the sheet (reference).
    position = index - 1 if index > old else index
    others.insert(max(0, min(position, len(others))), sheet)
    for number, item in enumerate(others):
        item["properties"]["index"] = number
    grid.reindex(doc)


@kind("updateSpreadsheetProperties")
def update_spreadsheet_properties(batch: Batch, body: dict[str, Any]) -> Any:
    doc = batch.doc
    before = doc["properties"].get("title")
    apply_mask(doc["properties"], body.get("properties") or {}, body.get("fields"))
    title = doc["properties"].get("title")
    if title != before and title:
        files.rename(batch.call.emulator, doc["spreadsheetId"], title)
    return None


# --- cells -------------------------------------------------------------------------------


def write_cell(target_sheet: dict[str, Any], row: int, col: int, source: dict[str, Any],
               fields: str | None) -> None:
    grid.put(target_sheet, row, col, fills_mod.written(grid.cell(target_sheet, row, col),
                                                       fills_mod.clean_cell(source), fields))


SMALL_AREA = 64  # cells written one by one; larger areas are kept as a range-level fill


def fill_area(sheet: dict[str, Any], area: Cells, source: dict[str, Any],
              fields: str | None) -> None:
    """Writes ``source`` through ``fields`` into every cell of ``area`` (bounded), as a fill
    when the area is large (see ``sheets_fills``): cost by the cells written individually,
    not by the area."""
    top, bottom = area.start_row, area.end_row or 0
    left, right = area.start_col, area.end_col or 0
    if top >= bottom or left >= right:
        return
    cleaned = fills_mod.clean_cell(source)
    if (bottom - top) * (right - left) <= SMALL_AREA:
        for r in range(top, bottom):
            for c in range(left, right):
                grid.put(sheet, r, c, fills_mod.written(grid.cell(sheet, r, c), cleaned, fields))
        return
    blank = fills_mod.written(None, cleaned, fields)  # what an empty cell becomes (or 400)
    existing = grid.fills_of(sheet)
    if blank or any(fills_mod.intersects(f, top, bottom, left, right) for f in existing):
        existing.append(fills_mod.new_fill(top, bottom, left, right, source, fields))
    for r, c, data in grid.owned_in(sheet, top, bottom, left, right):
        grid.put(sheet, r, c, fills_mod.written(data, cleaned, fields))


@kind("updateCells")
def update_cells(batch: Batch, body: dict[str, Any]) -> Any:
    rows = body.get("rows") or []
    if "start" in body:
        start = body["start"]
        sheet = grid.by_id(batch.doc, start.get("sheetId", 0))
        r0, c0 = int(start.get("rowIndex", 0)), int(start.get("columnIndex", 0))
        height = len(rows)
        width = max((len(row.get("values", [])) for row in rows), default=0)
        area = Cells(r0, r0 + max(height, 1), c0, c0 + max(width, 1))
        grid.check_in_grid(sheet, area)
        batch.check_write(sheet, area)
        for r, row in enumerate(rows):
            for c, value in enumerate(row.get("values", [])):
                write_cell(sheet, r0 + r, c0 + c, value, body.get("fields"))
    elif "range" in body:
        sheet = grid.by_id(batch.doc, body["range"].get("sheetId", 0))
        area = grid.cells_of(body["range"]).bounded(*grid.size(sheet))
        grid.check_in_grid(sheet, area)
        batch.check_write(sheet, area)
        given = min(area.end_row or 0, area.start_row + len(rows))
        for r in range(area.start_row, given):
            values = rows[r - area.start_row].get("values", [])
            for c in range(area.start_col, area.end_col or 0):
                index = c - area.start_col
                write_cell(sheet, r, c, values[index] if index < len(values) else {},
                           body.get("fields"))
        # Rows past the ones given are written empty through the mask.
        fill_area(sheet, Cells(max(given, area.start_row), area.end_row, area.start_col,
                               area.end_col), {}, body.get("fields"))
    else:
        raise ApiError(400, "Either start or range must be set.")
    return None


@kind("repeatCell")
def repeat_cell(batch: Batch, body: dict[str, Any]) -> Any:
    rng = body.get("range") or {}
    sheet = grid.by_id(batch.doc, rng.get("sheetId", 0))
    area = grid.cells_of(rng).bounded(*grid.size(sheet))
    grid.check_in_grid(sheet, area)
    batch.check_write(sheet, area)
    fill_area(sheet, area, body.get("cell") or {}, body.get("fields"))
    return None


@kind("appendCells")
def append_cells(batch: Batch, body: dict[str, Any]) -> Any:
    sheet = grid.by_id(batch.doc, body.get("sheetId", 0))
    rows = body.get("rows") or []
    start = grid.used_rows(sheet)
    total_rows, cols = grid.size(sheet)
    width = max((len(row.get("values", [])) for row in rows), default=0)
    if width > cols:
        grid.check_in_grid(sheet, Cells(start, start + 1, 0, width))
    if start + len(rows) > total_rows:
        dims.insert(batch.doc, sheet, "ROWS", total_rows, start + len(rows) - total_rows)
    batch.check_write(sheet, Cells(start, start + max(len(rows), 1), 0, max(width, 1)))
    for r, row in enumerate(rows):
        for c, value in enumerate(row.get("values", [])):
            write_cell(sheet, start + r, c, value, body.get("fields"))
    return None


# --- dimensions --------------------------------------------------------------------------


def _dimension_range(doc: dict[str, Any], rng: dict[str, Any]) -> tuple[dict[str, Any], str,
                                                                         int, int]:
    sheet = grid.by_id(doc, rng.get("sheetId", 0))
    dimension = rng.get("dimension") or "ROWS"
    rows, cols = grid.size(sheet)
    limit = rows if dimension == "ROWS" else cols
    start = int(rng.get("startIndex", 0))
    end = int(rng.get("endIndex", limit))
    if start > end:
        raise ApiError(400, f"Invalid dimension range: start index {start} is after end index "
                            f"{end}.")
    return sheet, dimension, start, end


@kind("appendDimension")
def append_dimension(batch: Batch, body: dict[str, Any]) -> Any:
    sheet = grid.by_id(batch.doc, body.get("sheetId", 0))
    dimension = body.get("dimension") or "ROWS"
    rows, cols = grid.size(sheet)
    length = int(body.get("length", 0))
    if length < 1:
        raise ApiError(400, "length must be greater than 0.")
    dims.insert(batch.doc, sheet, dimension, rows if dimension == "ROWS" else cols, length)
    return None


@kind("insertDimension")
def insert_dimension(batch: Batch, body: dict[str, Any]) -> Any:
    sheet, dimension, start, end = _dimension_range(batch.doc, body.get("range") or {})
    if end > start:
        dims.insert(batch.doc, sheet, dimension, start, end - start)
        neighbour = start - 1 if body.get("inheritFromBefore") else end
        meta = sheet["rowMeta"] if dimension == "ROWS" else sheet["colMeta"]
        if body.get("inheritFromBefore") is not None and str(neighbour) in meta:
            for index in range(start, end):
                meta[str(index)] = copy.deepcopy(meta[str(neighbour)])
    return None


@kind("deleteDimension")
def delete_dimension(batch: Batch, body: dict[str, Any]) -> Any:
    sheet, dimension, start, end = _dimension_range(batch.doc, body.get("range") or {})
    area = Cells(start, end, 0, None) if dimension == "ROWS" else Cells(0, None, start, end)
    batch.check_write(sheet, area)
    dims.delete(batch.doc, sheet, dimension, start, end)
    return None


@kind("updateDimensionProperties")
def update_dimension_properties(batch: Batch, body: dict[str, Any]) -> Any:
    sheet, dimension, start, end = _dimension_range(batch.doc, body.get("range") or {})
    fields = list(grid.parse_fields(body.get("fields")))
    if not fields:
        raise ApiError(400, "At least one field must be specified.")
    properties = dict(body.get("properties") or {})
    if "*" in fields:
        fields = ["pixelSize", "hiddenByUser", "developerMetadata"]
    dims.set_properties(sheet, dimension, start, end, properties, fields)
    return None


@kind("autoResizeDimensions")
def auto_resize_dimensions(batch: Batch, body: dict[str, Any]) -> Any:
    """Accepted; widths are estimated from the text length (no font metrics here)."""
    rng = body.get("dimensions") or {}
    sheet, dimension, start, end = _dimension_range(batch.doc, rng)
    for index in range(start, end):
        if dimension == "COLUMNS":
            reader = grid.Reader(sheet, index, index + 1)
            longest = max((len(str(data.get("userEnteredValue", {}).get("stringValue", "")))
                           for data in (reader.row(r)[1][0] for r in range(grid.row_bound(sheet)))
                           if data is not None), default=0)
            size = max(grid.DEFAULT_COL_PIXELS, 7 * longest + 10) if longest else None
        else:
            size = None
        if size is not None:
            dims.set_properties(sheet, dimension, index, index + 1, {"pixelSize": size},
                                ["pixelSize"])
    return None
