"""``spreadsheets.batchUpdate`` request kinds beyond plain cells: protection, validation,
conditional formats, merges, charts, named ranges, borders, filters, banding, sorting,
copy/cut-paste and dimension groups (reference: developers.google.com/sheets/api/reference/
rest/v4/spreadsheets/request). Replies follow the discovery ``Response`` schema."""

from __future__ import annotations

import copy
import re
import secrets
from typing import Any

from emulator.errors import ApiError
from emulator.services import sheets_grid as grid
from emulator.services import sheets_protect
from emulator.services.sheets_a1 import Cells, parse_cells
from emulator.services.sheets_requests import Batch, fill_area, kind, write_cell

# --- protected ranges ----------------------------------------------------------------------


def _all_protected(doc: dict[str, Any]) -> list[tuple[dict[str, Any], dict[str, Any]]]:
    return [(sheet, p) for sheet in doc["sheets"] for p in sheet.get("protectedRanges", [])]


@kind("addProtectedRange")
def add_protected_range(batch: Batch, body: dict[str, Any]) -> Any:
    protected = copy.deepcopy(body.get("protectedRange") or {})
    protected["protectedRangeId"] = int(protected.get("protectedRangeId") or grid.new_int_id())
    # Recorded: the reply echoes the request (defaults dropped), not the stored editors.
    echo = copy.deepcopy(protected)
    echo["editors"] = {k: v for k, v in (echo.get("editors") or {}).items() if v}
    if not echo.get("warningOnly"):
        echo.pop("warningOnly", None)
    echo["requestingUserCanEdit"] = True
    if any(p["protectedRangeId"] == protected["protectedRangeId"]
           for _, p in _all_protected(batch.doc)):
        raise ApiError(400, f"Protected range with id {protected['protectedRangeId']} already "
                            "exists.")
    sheets_protect.prepare(batch.doc, protected, batch.user)
    sheet = grid.by_id(batch.doc, protected["range"].get("sheetId", 0))
    sheet.setdefault("protectedRanges", []).append(protected)
    echo["range"] = protected["range"]
    return {"protectedRange": echo}


def _find_protected(doc: dict[str, Any], protected_id: Any) -> tuple[dict[str, Any],
                                                                      dict[str, Any]]:
    for sheet, protected in _all_protected(doc):
        if int(protected["protectedRangeId"]) == int(protected_id or 0):
            return sheet, protected
    raise ApiError(400, f"No protected range with id: {protected_id}")


@kind("updateProtectedRange")
def update_protected_range(batch: Batch, body: dict[str, Any]) -> Any:
    from emulator.services.sheets_requests import apply_mask

    wanted = body.get("protectedRange") or {}
    sheet, protected = _find_protected(batch.doc, wanted.get("protectedRangeId"))
    updated = copy.deepcopy(protected)
    apply_mask(updated, wanted, body.get("fields"))
    updated["protectedRangeId"] = protected["protectedRangeId"]
    sheets_protect.prepare(batch.doc, updated, batch.user)
    sheet["protectedRanges"].remove(protected)
    target = grid.by_id(batch.doc, updated["range"].get("sheetId", 0))
    target.setdefault("protectedRanges", []).append(updated)
    return None


@kind("deleteProtectedRange")
def delete_protected_range(batch: Batch, body: dict[str, Any]) -> Any:
    sheet, protected = _find_protected(batch.doc, body.get("protectedRangeId"))
    sheet["protectedRanges"].remove(protected)
    return None


# --- cells: validation, formats, merges --------------------------------------------------


def _area(batch: Batch, rng: dict[str, Any]) -> tuple[dict[str, Any], Cells]:
    sheet = grid.by_id(batch.doc, rng.get("sheetId", 0))
    area = grid.cells_of(rng).bounded(*grid.size(sheet))
    grid.check_in_grid(sheet, area)
    return sheet, area


@kind("setDataValidation")
def set_data_validation(batch: Batch, body: dict[str, Any]) -> Any:
    sheet, area = _area(batch, body.get("range") or {})
    rule = body.get("rule")
    condition = (rule or {}).get("condition") or {}
    if rule is not None and condition.get("type") == "ONE_OF_LIST" and not condition.get(
            "values"):
        raise ApiError(400, "Invalid ConditionValue: ONE_OF_LIST requires at least one value.")
    source = {"dataValidation": rule} if rule else {}
    fill_area(sheet, area, source, "dataValidation")
    return None


@kind("addConditionalFormatRule")
def add_conditional_format_rule(batch: Batch, body: dict[str, Any]) -> Any:
    rule = copy.deepcopy(body.get("rule") or {})
    ranges = rule.get("ranges") or []
    if not ranges:
        raise ApiError(400, "A conditional format rule must have at least one range.")
    sheet = grid.by_id(batch.doc, ranges[0].get("sheetId", 0))
    rules = sheet.setdefault("conditionalFormats", [])
    rules.insert(min(int(body.get("index", len(rules))), len(rules)), rule)
    return None


@kind("deleteConditionalFormatRule")
def delete_conditional_format_rule(batch: Batch, body: dict[str, Any]) -> Any:
    sheet = grid.by_id(batch.doc, body.get("sheetId", 0))
    rules = sheet.get("conditionalFormats", [])
    index = int(body.get("index", 0))
    if index >= len(rules):
        raise ApiError(400, f"No conditional format on sheet {body.get('sheetId', 0)} at index "
                            f"{index}")
    return {"rule": rules.pop(index)}


@kind("mergeCells")
def merge_cells(batch: Batch, body: dict[str, Any]) -> Any:
    rng = copy.deepcopy(body.get("range") or {})
    sheet, area = _area(batch, rng)
    kind_of = body.get("mergeType") or "MERGE_ALL"
    if kind_of == "MERGE_ROWS":
        pieces = [Cells(r, r + 1, area.start_col, area.end_col)
                  for r in range(area.start_row, area.end_row or 0)]
    elif kind_of == "MERGE_COLUMNS":
        pieces = [Cells(area.start_row, area.end_row, c, c + 1)
                  for c in range(area.start_col, area.end_col or 0)]
    else:
        pieces = [area]
    merges = sheet.setdefault("merges", [])
    for piece in pieces:
        # A new merge replaces the merges it overlaps (verified only on the emulator against
        # recorded answers, where Google accepted overlapping merges).
        merges[:] = [m for m in merges if not _overlap(piece, grid.cells_of(m))]
        merges.append(grid.grid_range(sheet, piece))
        # Merging keeps only the top-left value (as the UI does).
        reader = grid.Reader(sheet, piece.start_col, piece.end_col or 0)
        for r in range(piece.start_row, min(piece.end_row or 0, grid.row_bound(sheet))):
            for index, data in enumerate(reader.row(r)[1]):
                c = piece.start_col + index
                if (r, c) != (piece.start_row, piece.start_col) and data and (
                        "userEnteredValue" in data):
                    grid.put(sheet, r, c, {k: v for k, v in data.items()
                                           if k != "userEnteredValue"})
    return None


def _overlap(a: Cells, b: Cells) -> bool:
    return (a.start_row < (b.end_row or 0) and b.start_row < (a.end_row or 0)
            and a.start_col < (b.end_col or 0) and b.start_col < (a.end_col or 0))


@kind("unmergeCells")
def unmerge_cells(batch: Batch, body: dict[str, Any]) -> Any:
    sheet, area = _area(batch, body.get("range") or {})
    sheet["merges"] = [m for m in sheet.get("merges", []) if not _overlap(grid.cells_of(m),
                                                                            area)]
    return None


@kind("updateBorders")
def update_borders(batch: Batch, body: dict[str, Any]) -> Any:
    """Stored on the cells of the range's edges as ``userEnteredFormat.borders``."""
    sheet, area = _area(batch, body.get("range") or {})
    for r in range(area.start_row, area.end_row or 0):
        for c in range(area.start_col, area.end_col or 0):
            borders: dict[str, Any] = {}
            edges = {"top": r == area.start_row, "bottom": r == (area.end_row or 0) - 1,
                     "left": c == area.start_col, "right": c == (area.end_col or 0) - 1}
            for side, outer in edges.items():
                inner = "innerHorizontal" if side in ("top", "bottom") else "innerVertical"
                chosen = body.get(side) if outer else body.get(inner)
                if chosen is not None:
                    borders[side] = chosen
            if borders:
                data = grid.editable(sheet, r, c)
                data.setdefault("userEnteredFormat", {}).setdefault("borders", {}).update(borders)
    return None


# --- objects: charts, named ranges, filters, banding, groups -----------------------------


@kind("addChart")
def add_chart(batch: Batch, body: dict[str, Any]) -> Any:
    chart = copy.deepcopy(body.get("chart") or {})
    chart["chartId"] = int(chart.get("chartId") or grid.new_int_id())
    position = chart.setdefault("position", {})
    anchor = (position.get("overlayPosition") or {}).get("anchorCell") or {}
    sheet_id = position.get("sheetId", anchor.get("sheetId", 0))
    if position.get("newSheet"):
        from emulator.services.sheets_requests import add_sheet

        added = add_sheet(batch, {"properties": {}})
        sheet_id = added["properties"]["sheetId"]
        position.pop("newSheet")
        position["sheetId"] = sheet_id
    sheet = grid.by_id(batch.doc, sheet_id)
    sheet.setdefault("charts", []).append(chart)
    return {"chart": copy.deepcopy(chart)}


@kind("deleteEmbeddedObject")
def delete_embedded_object(batch: Batch, body: dict[str, Any]) -> Any:
    wanted = int(body.get("objectId", 0))
    for sheet in batch.doc["sheets"]:
        for chart in sheet.get("charts", []):
            if int(chart["chartId"]) == wanted:
                sheet["charts"].remove(chart)
                return None
    raise ApiError(400, f"No object with id: {wanted}")


@kind("addNamedRange")
def add_named_range(batch: Batch, body: dict[str, Any]) -> Any:
    named = copy.deepcopy(body.get("namedRange") or {})
    name = str(named.get("name", ""))
    if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_.]*", name) or parse_cells(name) is not None:
        raise ApiError(400, f"Invalid name: {name}")
    existing = batch.doc.setdefault("namedRanges", [])
    if any(n["name"].lower() == name.lower() for n in existing):
        raise ApiError(400, f"A named range with the name \"{name}\" already exists.")
    named.setdefault("namedRangeId", "".join(secrets.choice("0123456789")
                                             for _ in range(9)).lstrip("0") or "1")
    grid.by_id(batch.doc, (named.get("range") or {}).get("sheetId", 0))
    existing.append(named)
    return {"namedRange": copy.deepcopy(named)}


def _find_named(doc: dict[str, Any], named_id: Any) -> dict[str, Any]:
    for named in doc.get("namedRanges", []):
        if named["namedRangeId"] == str(named_id):
            return named
    raise ApiError(400, f"No named range with id: {named_id}")


@kind("updateNamedRange")
def update_named_range(batch: Batch, body: dict[str, Any]) -> Any:
    from emulator.services.sheets_requests import apply_mask

    wanted = body.get("namedRange") or {}
    named = _find_named(batch.doc, wanted.get("namedRangeId"))
    apply_mask(named, wanted, body.get("fields"))
    named["namedRangeId"] = str(wanted.get("namedRangeId"))
    return None


@kind("deleteNamedRange")
def delete_named_range(batch: Batch, body: dict[str, Any]) -> Any:
    named = _find_named(batch.doc, body.get("namedRangeId"))
    batch.doc["namedRanges"].remove(named)
    if not batch.doc["namedRanges"]:
        batch.doc.pop("namedRanges")
    return None


@kind("setBasicFilter")
def set_basic_filter(batch: Batch, body: dict[str, Any]) -> Any:
    basic = copy.deepcopy(body.get("filter") or {})
    sheet = grid.by_id(batch.doc, (basic.get("range") or {}).get("sheetId", 0))
    # Google stores the filter's range bounded to the grid (recorded).
    basic["range"] = grid.grid_range(sheet, grid.cells_of(basic.get("range") or {}).bounded(
        *grid.size(sheet)))
    sheet["basicFilter"] = basic
    return None


@kind("clearBasicFilter")
def clear_basic_filter(batch: Batch, body: dict[str, Any]) -> Any:
    grid.by_id(batch.doc, body.get("sheetId", 0)).pop("basicFilter", None)
    return None


@kind("addBanding")
def add_banding(batch: Batch, body: dict[str, Any]) -> Any:
    banded = copy.deepcopy(body.get("bandedRange") or {})
    banded["bandedRangeId"] = int(banded.get("bandedRangeId") or grid.new_int_id())
    sheet = grid.by_id(batch.doc, (banded.get("range") or {}).get("sheetId", 0))
    sheet.setdefault("bandedRanges", []).append(banded)
    return {"bandedRange": copy.deepcopy(banded)}


def _groups(sheet: dict[str, Any], dimension: str) -> list[dict[str, Any]]:
    return sheet.setdefault("rowGroups" if dimension == "ROWS" else "columnGroups", [])


@kind("addDimensionGroup")
def add_dimension_group(batch: Batch, body: dict[str, Any]) -> Any:
    rng = copy.deepcopy(body.get("range") or {})
    sheet = grid.by_id(batch.doc, rng.get("sheetId", 0))
    groups = _groups(sheet, rng.get("dimension", "ROWS"))
    depth = 1 + sum(1 for g in groups if _contains(g["range"], rng))
    groups.append({"range": rng, "depth": depth})
    control = "rowGroupControlAfter" if rng.get("dimension", "ROWS") == "ROWS" else (
        "columnGroupControlAfter")
    sheet["properties"].setdefault("gridProperties", {})[control] = True  # recorded
    groups.sort(key=lambda g: (g["depth"], g["range"].get("startIndex", 0)))
    return {"dimensionGroups": copy.deepcopy(groups)}


def _contains(outer: dict[str, Any], inner: dict[str, Any]) -> bool:
    return bool(outer.get("startIndex", 0) <= inner.get("startIndex", 0)
                and outer.get("endIndex", 0) >= inner.get("endIndex", 0))


@kind("deleteDimensionGroup")
def delete_dimension_group(batch: Batch, body: dict[str, Any]) -> Any:
    rng = body.get("range") or {}
    sheet = grid.by_id(batch.doc, rng.get("sheetId", 0))
    groups = _groups(sheet, rng.get("dimension", "ROWS"))
    same = [g for g in groups if g["range"].get("startIndex", 0) == rng.get("startIndex", 0)
            and g["range"].get("endIndex", 0) == rng.get("endIndex", 0)]
    if not same:
        raise ApiError(400, "No dimension group at the given range.")
    deepest = max(same, key=lambda g: g["depth"])
    groups.remove(deepest)
    return {"dimensionGroups": copy.deepcopy(groups)}


# --- moving data -------------------------------------------------------------------------


def _sort_key(data: dict[str, Any] | None) -> tuple[int, Any]:
    value = (data or {}).get("userEnteredValue") or {}
    if "numberValue" in value:
        return (0, value["numberValue"])
    if "stringValue" in value:
        return (1, value["stringValue"].lower())
    if "boolValue" in value:
        return (2, value["boolValue"])
    return (3, "")


@kind("sortRange")
def sort_range(batch: Batch, body: dict[str, Any]) -> Any:
    sheet, area = _area(batch, body.get("range") or {})
    batch.check_write(sheet, area)
    rows = [[copy.deepcopy(grid.cell(sheet, r, c) or {})
             for c in range(area.start_col, area.end_col or 0)]
            for r in range(area.start_row, area.end_row or 0)]
    for spec in reversed(body.get("sortSpecs") or []):
        column = int(spec.get("dimensionIndex", 0)) - area.start_col
        descending = spec.get("sortOrder") == "DESCENDING"
        filled = [row for row in rows if _sort_key(row[column])[0] < 3]
        empty = [row for row in rows if _sort_key(row[column])[0] == 3]
        filled.sort(key=lambda row: _sort_key(row[column]), reverse=descending)
        rows = filled + empty  # blanks always last, as in the UI
    for r, row in enumerate(rows):
        for c, data in enumerate(row):
            grid.put(sheet, area.start_row + r, area.start_col + c, data)
    grid.trim(sheet)
    return None


def _paste(batch: Batch, source: dict[str, Any], destination: dict[str, Any], paste_type: str,
           cut: bool) -> None:
    src_sheet, src = _area(batch, source)
    dst_sheet = grid.by_id(batch.doc, destination.get("sheetId", 0))
    height, width = (src.end_row or 0) - src.start_row, (src.end_col or 0) - src.start_col
    r0 = int(destination.get("startRowIndex", destination.get("rowIndex", 0)))
    c0 = int(destination.get("startColumnIndex", destination.get("columnIndex", 0)))
    target = Cells(r0, r0 + height, c0, c0 + width)
    grid.check_in_grid(dst_sheet, target)
    batch.check_write(dst_sheet, target)
    block = [[copy.deepcopy(grid.cell(src_sheet, src.start_row + r, src.start_col + c) or {})
              for c in range(width)] for r in range(height)]
    if cut:
        for r in range(height):
            for c in range(width):
                grid.put(src_sheet, src.start_row + r, src.start_col + c, None)
    fields = {"PASTE_VALUES": "userEnteredValue", "PASTE_FORMAT": "userEnteredFormat",
              "PASTE_NO_BORDERS": "*", "PASTE_FORMULA": "userEnteredValue",
              "PASTE_DATA_VALIDATION": "dataValidation",
              "PASTE_CONDITIONAL_FORMATTING": "userEnteredFormat"}.get(paste_type, "*")
    for r in range(height):
        for c in range(width):
            write_cell(dst_sheet, r0 + r, c0 + c, block[r][c], fields)
    grid.trim(src_sheet)
    grid.trim(dst_sheet)


@kind("copyPaste")
def copy_paste(batch: Batch, body: dict[str, Any]) -> Any:
    _paste(batch, body.get("source") or {}, body.get("destination") or {},
           body.get("pasteType") or "PASTE_NORMAL", cut=False)
    return None


@kind("cutPaste")
def cut_paste(batch: Batch, body: dict[str, Any]) -> Any:
    _paste(batch, body.get("source") or {}, body.get("destination") or {},
           body.get("pasteType") or "PASTE_NORMAL", cut=True)
    return None
