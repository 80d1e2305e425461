"""Sheets API v4: ``spreadsheets.create``, ``get`` and ``batchUpdate``, and the spreadsheet
file type for Drive (create, copy, rename, delete, CSV export and CSV import).

The cell model is ``sheets_grid``; A1 notation ``sheets_a1``; the values API
``sheets_values``; request kinds ``sheets_requests`` and ``sheets_requests_more``.
Reference: developers.google.com/sheets/api/reference/rest/v4/spreadsheets; answers checked
against the gspread maintainers' recordings (shared/recorded/gspread-cassettes).
"""

from __future__ import annotations

import copy
import csv
import io
from typing import Any

from emulator import files
from emulator.core import Call, Emulator
from emulator.errors import ApiError
from emulator.services import (
    handles,
    sheets_protect,
    sheets_requests,
    sheets_requests_more,
    sheets_store,
)
from emulator.services import sheets_grid as grid
from emulator.services import sheets_values as values
from emulator.services.sheets_a1 import Cells
from emulator.store import copied

__all__ = ["sheets_requests_more", "spreadsheet_resource"]


def spreadsheet_resource(emulator: Emulator, spreadsheet_id: str, *,
                         include_grid_data: bool) -> dict[str, Any]:
    """The Spreadsheet resource as ``spreadsheets.get`` answers it (for the people's pages)."""
    doc = emulator.store.get(sheets_store.KIND, spreadsheet_id)
    if doc is None:
        raise ApiError(404, "Requested entity was not found.")
    grid.migrate(doc)
    owner = (emulator.store.get("files", spreadsheet_id) or {}).get("ownerEmail")
    return _resource(emulator, doc, include_grid_data=include_grid_data, ranges=[],
                     user=emulator.config.service_account, owner=owner)


def _resource(emulator: Emulator, doc: dict[str, Any], *, include_grid_data: bool,
              ranges: list[str], user: str, owner: str | None,
              cell_mask: Any = None, sheet_mask: Any = None) -> dict[str, Any]:
    """``sheet_mask``: the ``fields`` subtree of ``sheets`` (None: everything). Parts it
    leaves out are not built (the mask is applied to the answer afterwards all the same)."""
    keys = None if not sheet_mask or "*" in sheet_mask else set(sheet_mask)
    data_mask = (sheet_mask or {}).get("data") or {}
    metadata = keys is None or not data_mask or "*" in data_mask or bool(
        {"rowMetadata", "columnMetadata"} & set(data_mask))
    wanted: dict[int, list[Cells]] = {}
    for text in ranges:
        sheet, cells = grid.resolve(doc, text)
        wanted.setdefault(grid.sheet_id_of(sheet), []).append(cells)
    sheets = []
    for sheet in doc["sheets"]:
        if ranges and grid.sheet_id_of(sheet) not in wanted:
            continue
        out = grid.sheet_resource(sheet, keys)
        if "protectedRanges" in out:
            out["protectedRanges"] = [sheets_protect.requesting_user_view(p, user, owner)
                                      for p in out["protectedRanges"]]
        if include_grid_data:
            blocks = wanted.get(grid.sheet_id_of(sheet)) or [Cells()]
            out["data"] = [grid.grid_data(sheet, cells, cell_mask, metadata)
                           for cells in blocks]
        sheets.append(out)
    resource: dict[str, Any] = {
        "spreadsheetId": doc["spreadsheetId"],
        "properties": copied(doc["properties"]),
        "sheets": sheets,
    }
    if doc.get("namedRanges"):
        resource["namedRanges"] = grid.without_defaults(doc["namedRanges"])
    resource["spreadsheetUrl"] = f"{emulator.base_url}/spreadsheets/d/{doc['spreadsheetId']}/edit"
    return resource


@handles("sheets.spreadsheets.get")
def get(call: Call) -> Any:
    file, doc = sheets_store.load(call, "reader")
    fields = call.arg("fields")
    tree = grid.parse_fields(fields)
    # "includeGridData ... is ignored if a field mask was set in the request" (reference).
    if fields:
        data_tree = tree.get("sheets", {}).get("data")
        include = data_tree is not None
        cell_mask = (data_tree or {}).get("rowData", {}).get("values")
    else:
        include, cell_mask = call.flag("includeGridData"), None
    return _resource(call.emulator, doc, include_grid_data=include,
                     ranges=call.query.getlist("ranges"), user=call.user,
                     owner=file.get("ownerEmail"), cell_mask=cell_mask or None,
                     sheet_mask=tree.get("sheets") if "*" not in tree else None)


@handles("sheets.spreadsheets.create")
def create(call: Call) -> Any:
    body = call.body or {}
    title = (body.get("properties") or {}).get("title") or "Untitled spreadsheet"
    try:
        record = files.new_file(call.emulator, call.user, name=title, mime_type=files.SPREADSHEET,
                                with_content=False)
    except ApiError as error:
        if error.reason == "storageQuotaExceeded":
            # A storage-less service account: the Sheets API answers a bare 403
            # (reported: xing5/mcp-google-sheets#24).
            raise ApiError(403, "The caller does not have permission") from error
        raise
    doc = grid.new_spreadsheet(record["id"], title)
    for key, value in (body.get("properties") or {}).items():
        if key != "title":
            doc["properties"][key] = copy.deepcopy(value)
    if body.get("sheets"):
        doc["sheets"] = []
        batch = sheets_requests.Batch(call, record, doc)
        for number, sheet in enumerate(body["sheets"]):
            properties = dict(sheet.get("properties") or {})
            properties.setdefault("sheetId", 0 if number == 0 else grid.new_int_id())
            properties.setdefault("index", number)
            sheets_requests.add_sheet(batch, {"properties": properties})
            _load_data(doc, grid.by_id(doc, properties["sheetId"]), sheet.get("data") or [])
    for named in body.get("namedRanges") or []:
        sheets_requests_more.add_named_range(sheets_requests.Batch(call, record, doc),
                                             {"namedRange": named})
    call.store.put(sheets_store.KIND, record["id"], doc)
    return _resource(call.emulator, doc, include_grid_data=False, ranges=[], user=call.user,
                     owner=record.get("ownerEmail"))


def _load_data(doc: dict[str, Any], sheet: dict[str, Any], blocks: list[dict[str, Any]]) -> None:
    for block in blocks:
        r0, c0 = int(block.get("startRow", 0)), int(block.get("startColumn", 0))
        for r, row in enumerate(block.get("rowData") or []):
            for c, value in enumerate(row.get("values") or []):
                sheets_requests.write_cell(sheet, r0 + r, c0 + c, value, "*")


@handles("sheets.spreadsheets.batchUpdate")
def batch_update(call: Call) -> Any:
    file, doc = sheets_store.load(call, "writer")
    body = call.body or {}
    working = grid.working_copy(doc)  # atomic: nothing is kept when one request fails
    batch = sheets_requests.Batch(call, file, working)
    title_before = doc["properties"].get("title")
    replies: list[dict[str, Any]] = []
    for index, request in enumerate(body.get("requests") or []):
        name = next(iter(request))
        handler = sheets_requests.KINDS.get(name)
        if handler is None:
            raise ApiError(400, f"Invalid requests[{index}]: the guongmau emulator does not "
                                f"implement {name}.")
        try:
            reply = handler(batch, request[name] or {})
        except ApiError as error:
            if error.code == 400 and error.message != sheets_protect.PROTECTED_MESSAGE:
                error.message = f"Invalid requests[{index}].{name}: {error.message}"
            if working["properties"].get("title") != title_before:
                files.rename(call.emulator, doc["spreadsheetId"], title_before)
            raise
        if isinstance(reply, dict):
            reply = grid.without_defaults({k: v for k, v in reply.items() if v != []})
        replies.append({name: reply} if reply is not None else {})
    doc.clear()
    doc.update(working)
    sheets_store.save(call, doc)
    out: dict[str, Any] = {"spreadsheetId": doc["spreadsheetId"], "replies": replies}
    if body.get("includeSpreadsheetInResponse"):
        out["updatedSpreadsheet"] = _resource(
            call.emulator, doc, include_grid_data=bool(body.get("responseIncludeGridData")),
            ranges=body.get("responseRanges") or [], user=call.user,
            owner=file.get("ownerEmail"))
    return out


# --- the spreadsheet file type for Drive -------------------------------------------------


def _create(emulator: Emulator, file_id: str, title: str) -> None:
    emulator.store.put(sheets_store.KIND, file_id, grid.new_spreadsheet(file_id, title))


def _copy(emulator: Emulator, source_id: str, new_id: str, title: str) -> None:
    doc = copy.deepcopy(emulator.store.get(sheets_store.KIND, source_id))
    if doc is None:
        _create(emulator, new_id, title)
        return
    doc["spreadsheetId"] = new_id
    doc["properties"]["title"] = title
    emulator.store.put(sheets_store.KIND, new_id, doc)


def _rename(emulator: Emulator, file_id: str, title: str) -> None:
    doc = emulator.store.get(sheets_store.KIND, file_id)
    if doc is not None and doc["properties"].get("title") != title:
        doc["properties"]["title"] = title
        emulator.store.touch(sheets_store.KIND, file_id)


def _delete(emulator: Emulator, file_id: str) -> None:
    emulator.store.delete(sheets_store.KIND, file_id)


def _export(emulator: Emulator, file_id: str, mime_type: str) -> bytes | None:
    """CSV of the first sheet (as Drive exports a spreadsheet); PDF and XLSX not offered."""
    doc = emulator.store.get(sheets_store.KIND, file_id)
    if doc is None or mime_type != "text/csv":
        return None
    sheet = sorted(doc["sheets"], key=lambda s: s["properties"]["index"])[0]
    rows, cols = grid.used_size(sheet)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    from emulator.services import sheets_cells

    for r in range(rows):
        writer.writerow([sheets_cells.rendered(grid.cell(sheet, r, c), "FORMATTED_VALUE",
                                               "FORMATTED_STRING") for c in range(cols)])
    return out.getvalue().encode("utf-8")


def _import(emulator: Emulator, file_id: str, content: bytes, mime_type: str) -> None:
    """Drive's conversion of an uploaded CSV into a spreadsheet (values typed as by a user)."""
    record = emulator.store.get("files", file_id) or {}
    doc = grid.new_spreadsheet(file_id, record.get("name", "Untitled spreadsheet"))
    if mime_type.split(";")[0].strip() in ("text/csv", "text/comma-separated-values"):
        sheet = doc["sheets"][0]
        lines = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
        rows = max(len(lines), grid.DEFAULT_ROWS)
        cols = max(max((len(line) for line in lines), default=0), grid.DEFAULT_COLS)
        grid.set_size(sheet, rows, cols)
        for r, line in enumerate(lines):
            for c, text in enumerate(line):
                values.set_value(sheet, r, c, text, "USER_ENTERED")
    emulator.store.put(sheets_store.KIND, file_id, doc)


files.register(files.SPREADSHEET, files.ContentType(
    create=_create, copy=_copy, rename=_rename, delete=_delete, export=_export,
    import_media=_import,
))
