"""Sheets v4 ``spreadsheets.values.*``: get, batchGet, update, batchUpdate, append, clear,
batchClear (reference: developers.google.com/sheets/api/reference/rest/v4/spreadsheets.values).

Answers are shaped as recorded from Google (gspread cassettes): ranges come back bounded and
with the sheet title quoted only when needed; ``values`` drops trailing empty rows and cells and
is absent for an empty range; ``append`` names the ``tableRange`` it found, if any.
"""

from __future__ import annotations

import copy
from typing import Any

from emulator.core import Call
from emulator.errors import ApiError
from emulator.services import handles, sheets_protect, sheets_store
from emulator.services import sheets_cells as cells_mod
from emulator.services import sheets_grid as grid
from emulator.services.sheets_a1 import Cells, col_letters

RENDER_OPTIONS = ("FORMATTED_VALUE", "UNFORMATTED_VALUE", "FORMULA")


def _within_grid(doc: dict[str, Any], text: str) -> tuple[dict[str, Any], Cells]:
    """The sheet and the cells of an A1 range, clamped to the grid; 400 past its edge."""
    sheet, cells = grid.resolve(doc, text)
    rows, cols = grid.size(sheet)
    if cells.start_row >= rows or cells.start_col >= cols:
        raise ApiError(400, f"Range ({grid.label_of(text)}) exceeds grid limits. "
                            f"Max rows: {rows}, max columns: {cols}")
    box = cells.bounded(rows, cols)
    return sheet, Cells(box.start_row, min(box.end_row or 0, rows), box.start_col,
                        min(box.end_col or 0, cols))


def _read(doc: dict[str, Any], text: str, call_args: dict[str, str]) -> dict[str, Any]:
    sheet, box = _within_grid(doc, text)
    render = call_args.get("valueRenderOption") or "FORMATTED_VALUE"
    date_render = call_args.get("dateTimeRenderOption") or "SERIAL_NUMBER"
    major = call_args.get("majorDimension") or "ROWS"
    matrix: list[list[Any]] = []
    reader = grid.Reader(sheet, box.start_col, box.end_col or 0)
    same: dict[tuple[int, ...], list[Any]] = {}  # rows reading alike (fills only)
    for r in range(box.start_row, min(box.end_row or 0, grid.row_bound(sheet))):
        key, stored = reader.row(r)
        line = same.get(key) if key is not None else None
        if line is None:
            line = [cells_mod.rendered(data, render, date_render) for data in stored]
            if key is not None:
                same[key] = line
        matrix.append(list(line))
    if major == "COLUMNS":
        width = max((len(line) for line in matrix), default=0)
        matrix = [[line[c] for line in matrix] for c in range(width)]
    for line in matrix:
        while line and line[-1] == "":
            line.pop()
    while matrix and not matrix[-1]:
        matrix.pop()
    out: dict[str, Any] = {"range": grid.a1(sheet, box), "majorDimension": major}
    if matrix:
        out["values"] = matrix
    return out


def _args(call: Call) -> dict[str, str]:
    return {key: call.query.get(key, "") for key in
            ("valueRenderOption", "dateTimeRenderOption", "majorDimension")}


@handles("sheets.spreadsheets.values.get")
def get(call: Call) -> Any:
    _, doc = sheets_store.load(call, "reader")
    return _read(doc, call.params["range"], _args(call))


@handles("sheets.spreadsheets.values.batchGet")
def batch_get(call: Call) -> Any:
    _, doc = sheets_store.load(call, "reader")
    ranges = call.query.getlist("ranges")
    return {"spreadsheetId": doc["spreadsheetId"],
            "valueRanges": [_read(doc, text, _args(call)) for text in ranges]}


def _input_option(value: str | None) -> str:
    if not value or value == "INPUT_VALUE_OPTION_UNSPECIFIED":
        raise ApiError(400, "Invalid valueInputOption: INPUT_VALUE_OPTION_UNSPECIFIED")
    return value


def write(call: Call, file: dict[str, Any], doc: dict[str, Any], text: str,
          value_range: dict[str, Any], option: str, *, at: tuple[int, int] | None = None,
          check_fit: bool = True) -> dict[str, Any]:
    """Writes one ValueRange; answers its UpdateValuesResponse."""
    sheet, cells = grid.resolve(doc, text)
    if value_range.get("range"):
        body_sheet, body_cells = grid.resolve(doc, value_range["range"])
        if body_sheet is not sheet or body_cells != cells:
            raise ApiError(400, f"Requested range [{grid.label_of(value_range['range'])}] and "
                                f"path range [{grid.label_of(text)}] are not the same.")
    matrix = value_range.get("values") or []
    if value_range.get("majorDimension") == "COLUMNS":
        height = max((len(col) for col in matrix), default=0)
        matrix = [[col[r] if r < len(col) else None for col in matrix] for r in range(height)]
    start_row, start_col = at or (cells.start_row, cells.start_col)
    height, width = len(matrix), max((len(line) for line in matrix), default=0)
    if check_fit and at is None:
        _check_fits(text, cells, height, width)
    written = Cells(start_row, start_row + max(height, 1), start_col, start_col + max(width, 1))
    response: dict[str, Any] = {"spreadsheetId": doc["spreadsheetId"]}
    if height == 0 or width == 0:
        response["updatedRange"] = grid.a1(sheet, Cells(start_row, start_row + 1, start_col,
                                                         start_col + 1))
        return response
    grid.check_in_grid(sheet, written)
    sheets_protect.check_write(call.emulator, file, sheet, written, call.user)
    count = 0
    for r, line in enumerate(matrix):
        for c, value in enumerate(line):
            if value is None:
                continue
            count += 1
            set_value(sheet, start_row + r, start_col + c, value, option)
    response.update(updatedRange=grid.a1(sheet, written), updatedRows=height,
                    updatedColumns=width, updatedCells=count)
    if call.flag("includeValuesInResponse"):
        response["updatedData"] = _read(doc, grid.a1(sheet, written), _args(call))
    return response


def set_value(sheet: dict[str, Any], row: int, col: int, value: Any, option: str) -> None:
    """Stores one input value with RAW or USER_ENTERED semantics."""
    if option == "RAW":
        entered, number_format = cells_mod.raw_value(value), None
    else:
        entered, number_format = cells_mod.user_entered_value(value)
    data = copy.deepcopy(grid.cell(sheet, row, col) or {})
    if entered is None:
        data.pop("userEnteredValue", None)
    else:
        data["userEnteredValue"] = entered
    if number_format is not None:
        fmt = data.setdefault("userEnteredFormat", {})
        fmt.setdefault("numberFormat", number_format)
    grid.put(sheet, row, col, data)


def _check_fits(text: str, cells: Cells, height: int, width: int) -> None:
    """A multi-cell range bounds the data (a single cell only anchors it)."""
    if cells.end_row == cells.start_row + 1 and cells.end_col == cells.start_col + 1:
        return
    # Wording reported from Google: "Requested writing within range [Sheet1!A1:G1000], but
    # tried writing to row [1001]" (openshift-eng/ocp-qe-perfscale-ci#766); the column variant
    # is a guess verified only on the emulator.
    if cells.end_row is not None and cells.start_row + height > cells.end_row:
        raise ApiError(400, f"Requested writing within range [{grid.label_of(text)}], but "
                            f"tried writing to row [{cells.end_row + 1}]")
    if cells.end_col is not None and cells.start_col + width > cells.end_col:
        raise ApiError(400, f"Requested writing within range [{grid.label_of(text)}], but "
                            f"tried writing to column [{col_letters(cells.end_col)}]")


def _check_texts(*matrices: Any) -> None:
    """Every string of the call against the cell limit before anything is written: Google
    refuses the whole call (a guess for batchUpdate, where it is likely: its writes are
    atomic)."""
    for matrix in matrices:
        for line in matrix or []:
            for value in line or []:
                if isinstance(value, str):
                    cells_mod.check_length(value)


@handles("sheets.spreadsheets.values.update")
def update(call: Call) -> Any:
    file, doc = sheets_store.load(call, "writer")
    option = _input_option(call.arg("valueInputOption"))
    _check_texts((call.body or {}).get("values"))
    answer = write(call, file, doc, call.params["range"], call.body or {}, option)
    sheets_store.save(call, doc)
    return answer


@handles("sheets.spreadsheets.values.batchUpdate")
def batch_update(call: Call) -> Any:
    file, doc = sheets_store.load(call, "writer")
    body = call.body or {}
    option = _input_option(body.get("valueInputOption"))
    _check_texts(*(item.get("values") for item in body.get("data", [])))
    if body.get("includeValuesInResponse"):
        call.query = call.query.copy()
        call.query["includeValuesInResponse"] = "true"
        for key in ("responseValueRenderOption", "responseDateTimeRenderOption"):
            if body.get(key):
                call.query[key.replace("response", "").replace("V", "v", 1).replace(
                    "D", "d", 1)] = body[key]
    responses = [write(call, file, doc, item.get("range", ""), item, option)
                 for item in body.get("data", [])]
    sheets_store.save(call, doc)
    out: dict[str, Any] = {"spreadsheetId": doc["spreadsheetId"]}
    updated = [r for r in responses if "updatedCells" in r]
    if updated:
        out.update(
            # Distinct rows and columns across the ranges (recorded: two 4-column ranges
            # answer totalUpdatedColumns 4).
            totalUpdatedRows=_distinct(updated, "updatedRows", rows=True),
            totalUpdatedColumns=_distinct(updated, "updatedColumns", rows=False),
            totalUpdatedCells=sum(r["updatedCells"] for r in updated),
            totalUpdatedSheets=len({r["updatedRange"].rsplit("!", 1)[0] for r in updated}),
        )
    if responses:
        out["responses"] = responses
    return out


def _distinct(responses: list[dict[str, Any]], key: str, *, rows: bool) -> int:
    from emulator.services.sheets_a1 import parse_cells, split_sheet

    seen: set[tuple[str, int]] = set()
    for response in responses:
        title, rest = split_sheet(response["updatedRange"])
        cells = parse_cells(rest or "")
        if cells is None or cells.end_row is None or cells.end_col is None:
            return sum(r[key] for r in responses)
        span = range(cells.start_row, cells.end_row) if rows else range(cells.start_col,
                                                                         cells.end_col)
        seen.update((title or "", index) for index in span)
    return len(seen)


def find_table(sheet: dict[str, Any], box: Cells) -> Cells | None:
    """The first table of data in ``box``, as ``values.append`` looks for it (a guess at
    Google's rule fitted to the recorded answers: the block grown right and down from the
    first non-empty cell while the next cell holds a value)."""
    reader = grid.Reader(sheet, box.start_col, box.end_col or 0)
    for r in range(box.start_row, min(box.end_row or 0, grid.row_bound(sheet))):
        for index, data in enumerate(reader.row(r)[1]):
            if data and data.get("userEnteredValue"):
                return _grow(sheet, r, box.start_col + index)
    return None


def _grow(sheet: dict[str, Any], row: int, col: int) -> Cells:
    rows, cols = grid.size(sheet)
    end_col = col + 1
    while end_col < cols and grid.has_value(sheet, row, end_col):
        end_col += 1
    end_row = row + 1
    while end_row < rows and any(grid.has_value(sheet, end_row, c) for c in range(col, end_col)):
        while end_col < cols and grid.has_value(sheet, end_row, end_col):
            end_col += 1
        end_row += 1
    return Cells(row, end_row, col, end_col)


@handles("sheets.spreadsheets.values.append")
def append(call: Call) -> Any:
    file, doc = sheets_store.load(call, "writer")
    option = _input_option(call.arg("valueInputOption"))
    text = call.params["range"]
    sheet, cells = grid.resolve(doc, text)
    rows, cols = grid.size(sheet)
    box = cells.bounded(rows, cols)
    table = find_table(sheet, box)
    body = call.body or {}
    matrix = body.get("values") or []
    if body.get("majorDimension") == "COLUMNS":
        matrix = [list(row) for row in zip(*matrix, strict=False)]
    _check_texts(matrix)
    height = len(matrix)
    start_row = table.end_row if table and table.end_row is not None else box.start_row
    start_col = table.start_col if table else box.start_col
    if height:
        if call.arg("insertDataOption") == "INSERT_ROWS":
            from emulator.services import sheets_dimensions

            sheets_dimensions.insert(doc, sheet, "ROWS", start_row, height)
        elif start_row + height > rows:
            from emulator.services import sheets_dimensions

            sheets_dimensions.insert(doc, sheet, "ROWS", rows, start_row + height - rows)
    updates = write(call, file, doc, text, {"values": matrix}, option, at=(start_row, start_col))
    sheets_store.save(call, doc)
    out: dict[str, Any] = {"spreadsheetId": doc["spreadsheetId"]}
    if table is not None:
        out["tableRange"] = grid.a1(sheet, table)
    out["updates"] = updates
    return out


def clear_range(call: Call, file: dict[str, Any], doc: dict[str, Any], text: str) -> str:
    sheet, box = _within_grid(doc, text)
    sheets_protect.check_write(call.emulator, file, sheet, box, call.user)
    reader = grid.Reader(sheet, box.start_col, box.end_col or 0)
    for r in range(box.start_row, min(box.end_row or 0, grid.row_bound(sheet))):
        for index, data in enumerate(reader.row(r)[1]):
            if data and "userEnteredValue" in data:
                grid.put(sheet, r, box.start_col + index,
                         {k: v for k, v in data.items() if k != "userEnteredValue"})
    return grid.a1(sheet, box)


@handles("sheets.spreadsheets.values.clear")
def clear(call: Call) -> Any:
    file, doc = sheets_store.load(call, "writer")
    cleared = clear_range(call, file, doc, call.params["range"])
    sheets_store.save(call, doc)
    return {"spreadsheetId": doc["spreadsheetId"], "clearedRange": cleared}


@handles("sheets.spreadsheets.values.batchClear")
def batch_clear(call: Call) -> Any:
    file, doc = sheets_store.load(call, "writer")
    cleared = [clear_range(call, file, doc, text) for text in (call.body or {}).get("ranges", [])]
    sheets_store.save(call, doc)
    out: dict[str, Any] = {"spreadsheetId": doc["spreadsheetId"]}
    if cleared:
        out["clearedRanges"] = cleared
    return out
