"""Rows and columns: inserting, deleting and moving them, and shifting everything anchored
to them (cells, row/column properties, merges, protected and named ranges, filters...)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from emulator.errors import ApiError
from emulator.services import sheets_fills as fills
from emulator.services import sheets_grid as grid

_KEYS = {"ROWS": ("startRowIndex", "endRowIndex"), "COLUMNS": ("startColumnIndex",
                                                                "endColumnIndex")}


_GRID_KEYS = frozenset({"sheetId", "startRowIndex", "endRowIndex", "startColumnIndex",
                        "endColumnIndex"})


def _ranges(doc: dict[str, Any], sheet_id: int) -> Iterator[dict[str, Any]]:
    """Every GridRange of the spreadsheet on sheet ``sheet_id`` (a missing sheetId is 0, as
    Google leaves default values out of its answers)."""

    def walk(value: Any) -> Iterator[dict[str, Any]]:
        if isinstance(value, dict):
            if value and set(value) <= _GRID_KEYS:
                if int(value.get("sheetId", 0)) == sheet_id:
                    yield value
                return
            for item in value.values():
                yield from walk(item)
        elif isinstance(value, list):
            for item in value:
                yield from walk(item)

    yield from walk(doc.get("namedRanges", []))
    for sheet in doc["sheets"]:
        yield from walk({k: v for k, v in sheet.items()
                         if k not in grid.SHEET_ONLY_KEYS and k != "properties"})


def _shift_meta(meta: dict[str, Any], start: int, delta: int) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in meta.items():
        index = int(key)
        if index < start:
            out[key] = value
        elif delta < 0 and index < start - delta:
            continue
        else:
            out[str(index + delta)] = value
    return out


def insert(doc: dict[str, Any], sheet: dict[str, Any], dimension: str, start: int,
           count: int) -> None:
    """Inserts ``count`` empty rows or columns before index ``start``."""
    rows, cols = grid.size(sheet)
    cells = grid.cells_of_sheet(sheet)
    if dimension == "ROWS":
        if start > rows:
            raise ApiError(400, f"Invalid insert: start index {start} is after the last row.")
        if any(int(key) >= start for key in cells):
            _move_rows(cells, lambda r: r + count if r >= start else r)
        grid.set_size(sheet, rows + count, cols)
        sheet["rowMeta"] = _shift_meta(sheet["rowMeta"], start, count)
    else:
        if start > cols:
            raise ApiError(400, f"Invalid insert: start index {start} is after the last column.")
        for line in cells.values():
            if start < len(line):
                line[start:start] = [None] * count
        grid.set_size(sheet, rows, cols + count)
        sheet["colMeta"] = _shift_meta(sheet["colMeta"], start, count)
    fills.shift(grid.fills_of(sheet), dimension, start, count)
    low, high = _KEYS[dimension]
    for rng in _ranges(doc, grid.sheet_id_of(sheet)):
        if int(rng.get(low, 0)) >= start:
            rng[low] = int(rng.get(low, 0)) + count
        if high in rng and int(rng[high]) > start:
            rng[high] = int(rng[high]) + count


def delete(doc: dict[str, Any], sheet: dict[str, Any], dimension: str, start: int,
           end: int) -> None:
    """Deletes rows or columns ``start..end``."""
    rows, cols = grid.size(sheet)
    limit = rows if dimension == "ROWS" else cols
    end = min(end, limit)
    if start >= end:
        return
    if end - start >= limit:
        what = "rows" if dimension == "ROWS" else "columns"
        raise ApiError(400, f"Invalid requests[0].deleteDimension: You can't delete all the "
                            f"{what} on the sheet.")
    count = end - start
    cells = grid.cells_of_sheet(sheet)
    if dimension == "ROWS":
        _move_rows(cells, lambda r: r if r < start else (r - count if r >= end else None))
        grid.set_size(sheet, rows - count, cols)
        sheet["rowMeta"] = _shift_meta(sheet["rowMeta"], start, -count)
    else:
        for line in cells.values():
            del line[start:end]
        grid.set_size(sheet, rows, cols - count)
        sheet["colMeta"] = _shift_meta(sheet["colMeta"], start, -count)
    fills.shift(grid.fills_of(sheet), dimension, start, -count)
    low, high = _KEYS[dimension]
    for rng in _ranges(doc, grid.sheet_id_of(sheet)):
        lo = int(rng.get(low, 0))
        rng[low] = lo if lo < start else max(start, lo - count)
        if high in rng:
            hi = int(rng[high])
            rng[high] = hi if hi <= start else max(start, hi - count)
    sheet["merges"] = [m for m in sheet.get("merges", []) if _non_empty(m)]
    grid.trim(sheet)


def _move_rows(cells: dict[str, grid.Line], where: Callable[[int], int | None]) -> None:
    """Renumbers the stored rows (``where`` answers None for a row deleted)."""
    moved: dict[str, grid.Line] = {}
    for key, line in cells.items():
        row = where(int(key))
        if row is not None:
            moved[str(row)] = line
    cells.clear()
    cells.update(moved)


def _non_empty(rng: dict[str, Any]) -> bool:
    return bool(int(rng.get("endRowIndex", 1)) > int(rng.get("startRowIndex", 0))
                and int(rng.get("endColumnIndex", 1)) > int(rng.get("startColumnIndex", 0)))


def resize(doc: dict[str, Any], sheet: dict[str, Any], rows: int, cols: int) -> None:
    """Sets the grid size (gridProperties change), dropping cells outside it."""
    old_rows, old_cols = grid.size(sheet)
    if rows < old_rows:
        delete(doc, sheet, "ROWS", rows, old_rows) if rows > 0 else None
    if cols < old_cols:
        delete(doc, sheet, "COLUMNS", cols, old_cols) if cols > 0 else None
    current_rows, current_cols = grid.size(sheet)
    grid.set_size(sheet, max(rows, 1) if rows else current_rows, max(cols, 1) if cols else
                  current_cols)


def set_properties(sheet: dict[str, Any], dimension: str, start: int, end: int,
                   properties: dict[str, Any], fields: list[str]) -> None:
    meta = sheet["rowMeta"] if dimension == "ROWS" else sheet["colMeta"]
    for index in range(start, end):
        entry = meta.setdefault(str(index), {})
        for field in fields:
            if field in properties:
                entry[field] = properties[field]
            else:
                entry.pop(field, None)
        if not entry:
            meta.pop(str(index), None)
