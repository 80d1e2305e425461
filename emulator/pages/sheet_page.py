"""A spreadsheet as people see it: tabs, formatted values, frozen header rows, checkboxes,
protected cells shaded, notes; the page reloads itself when the spreadsheet changes.

Built from the Spreadsheet resource (``spreadsheets.get`` with grid data), as the Sheets service
exposes it; the page polls ``/spreadsheets/d/{id}/version`` (a small JSON answer) every few
seconds and reloads when the version changes — no external script.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from werkzeug.wrappers import Request, Response

from emulator import acl, files
from emulator.core import Emulator
from emulator.pages import layout, page
from emulator.services import sheets
from emulator.services.sheets_a1 import col_letters

MAX_ROWS = 2000  # a page shows at most this many rows of a tab
POLL_MILLISECONDS = 2500


def _readable(emulator: Emulator, request: Request, spreadsheet_id: str) -> Response | None:
    """None when the visitor may read the spreadsheet, else the 404/403 page."""
    file = acl.find_file(emulator.store, spreadsheet_id, include_trashed=False)
    if file is None or file.get("mimeType") != files.SPREADSHEET:
        return layout.not_found(emulator, request, "Không tìm thấy bảng tính này.")
    if acl.rank_of(emulator.store, layout.current_user(request), file) == 0:
        return layout.forbidden(emulator, request, "Bạn không có quyền xem bảng tính này.")
    return None


def version_of(emulator: Emulator, spreadsheet_id: str) -> str:
    """Changes whenever the spreadsheet's content or its Drive record changes."""
    file = emulator.store.get("files", spreadsheet_id) or {}
    content = emulator.store.get("spreadsheets", spreadsheet_id)
    digest = hashlib.sha1(
        json.dumps([file.get("name"), content], sort_keys=True, default=str).encode()
    ).hexdigest()[:16]
    return f"{file.get('version', '0')}-{digest}"


def _color(color: dict[str, Any] | None) -> str | None:
    if not color:
        return None
    parts = [round(255 * float(color.get(c, 0))) for c in ("red", "green", "blue")]
    return f"rgb({parts[0]}, {parts[1]}, {parts[2]})"


def _cell_text(cell: dict[str, Any]) -> str:
    if "formattedValue" in cell:
        return str(cell["formattedValue"])
    value = cell.get("effectiveValue") or cell.get("userEnteredValue") or {}
    for key in ("stringValue", "numberValue", "formulaValue"):
        if key in value:
            return str(value[key])
    if "boolValue" in value:
        return "TRUE" if value["boolValue"] else "FALSE"
    return ""


def _is_checkbox(cell: dict[str, Any]) -> bool:
    return bool(cell.get("dataValidation", {}).get("condition", {}).get("type") == "BOOLEAN")


def _checked(cell: dict[str, Any]) -> bool:
    value = cell.get("effectiveValue") or cell.get("userEnteredValue") or {}
    return value.get("boolValue") is True or str(cell.get("formattedValue", "")).upper() == "TRUE"


def _style(cell: dict[str, Any]) -> str:
    fmt = {**cell.get("userEnteredFormat", {}), **cell.get("effectiveFormat", {})}
    rules = []
    background = _color(fmt.get("backgroundColor"))
    if background and background != "rgb(255, 255, 255)":
        rules.append(f"background: {background}")
    text = fmt.get("textFormat", {})
    foreground = _color(text.get("foregroundColor"))
    if foreground and foreground != "rgb(0, 0, 0)":
        rules.append(f"color: {foreground}")
    if text.get("bold"):
        rules.append("font-weight: bold")
    if text.get("italic"):
        rules.append("font-style: italic")
    if text.get("strikethrough"):
        rules.append("text-decoration: line-through")
    align = {"LEFT": "left", "CENTER": "center", "RIGHT": "right"}.get(
        fmt.get("horizontalAlignment", ""))
    if align:
        rules.append(f"text-align: {align}")
    if fmt.get("wrapStrategy") == "WRAP":
        rules.append("white-space: pre-wrap")
    return "; ".join(rules)


def _protected(sheet: dict[str, Any], row: int, col: int) -> bool:
    for protected in sheet.get("protectedRanges", []):
        grid = protected.get("range", {})
        if (grid.get("startRowIndex", 0) <= row < grid.get("endRowIndex", 10**9)
                and grid.get("startColumnIndex", 0) <= col < grid.get("endColumnIndex", 10**9)):
            return True
    return False


ROW_NUMBER_PIXELS = 48
CHARACTER_PIXELS = 8  # a generous average width of a character at the page's 10pt font


def _overflow(cells: list[dict[str, Any]], width_of: dict[int, int]) -> list[dict[str, Any]]:
    """Text too wide for its cell spills into the empty cells on its right, as Sheets shows it
    (not when wrapped, centred or right-aligned, and never over a cell with content or a merge).
    Shown here as a wider cell; a text that would fit is left alone, so the page cuts no less
    than Sheets does."""
    shown: list[dict[str, Any]] = []
    index = 0
    while index < len(cells):
        cell = cells[index]
        shown.append(cell)
        index += 1
        style = cell["style"]
        if (not cell["text"] or cell["checkbox"] or cell["colspan"] > 1 or cell["rowspan"] > 1
                or "pre-wrap" in style or "text-align: center" in style
                or "text-align: right" in style):
            continue
        need = len(cell["text"]) * CHARACTER_PIXELS
        room, column = width_of.get(cell["column"], 100), cell["column"]
        while room < need and index < len(cells):
            after = cells[index]
            if (after["text"] or after["checkbox"] or after["colspan"] > 1
                    or after["rowspan"] > 1 or after["column"] != column + 1):
                break
            room, column, index = room + width_of.get(after["column"], 100), column + 1, index + 1
            cell["colspan"] += 1
    return shown


def _grid(sheet: dict[str, Any]) -> dict[str, Any]:
    """The tab's table: rows of cells (merged cells spanned), header rows, notes."""
    props = sheet.get("properties", {})
    frozen = int(props.get("gridProperties", {}).get("frozenRowCount", 0))
    data = (sheet.get("data") or [{}])[0]
    row0, col0 = int(data.get("startRow", 0)), int(data.get("startColumn", 0))
    raw_rows = [r.get("values", []) for r in data.get("rowData", [])]
    used_rows = max([frozen] + [row0 + i + 1 for i, r in enumerate(raw_rows)
                                if any(_cell_text(c) or _is_checkbox(c) for c in r)])
    used_cols = max([1] + [col0 + j + 1 for r in raw_rows for j, c in enumerate(r)
                           if _cell_text(c) or _is_checkbox(c)])
    metadata = data.get("columnMetadata", [])
    hidden_columns = {c for c, meta in enumerate(metadata) if meta.get("hiddenByUser")}
    shown_columns = [c for c in range(used_cols) if c not in hidden_columns]
    spans: dict[tuple[int, int], tuple[int, int]] = {}
    hidden: set[tuple[int, int]] = set()
    for merge in sheet.get("merges", []):
        top, left = merge.get("startRowIndex", 0), merge.get("startColumnIndex", 0)
        bottom, right = merge.get("endRowIndex", top + 1), merge.get("endColumnIndex", left + 1)
        spans[(top, left)] = (bottom - top, right - left)
        hidden.update((r, c) for r in range(top, bottom) for c in range(left, right)
                      if (r, c) != (top, left))
    widths = [int(metadata[c].get("pixelSize", 100)) if c < len(metadata) else 100
              for c in shown_columns]
    width_of = dict(zip(shown_columns, widths, strict=True))
    rows, notes = [], []
    for r in range(min(used_rows, MAX_ROWS)):
        cells = []
        raw = raw_rows[r - row0] if 0 <= r - row0 < len(raw_rows) else []
        for c in shown_columns:
            if (r, c) in hidden:
                continue
            cell = raw[c - col0] if 0 <= c - col0 < len(raw) else {}
            span = spans.get((r, c), (1, 1))
            shown = ("☑" if _checked(cell) else "☐") if _is_checkbox(cell) else _cell_text(cell)
            note = cell.get("note", "")
            if note:
                notes.append({"ref": col_letters(c) + str(r + 1), "text": note})
            cells.append({"text": shown, "style": _style(cell), "note": note,
                          "protected": _protected(sheet, r, c), "rowspan": span[0],
                          "colspan": span[1], "checkbox": _is_checkbox(cell), "column": c})
        rows.append({"number": r + 1, "header": r < frozen, "cells": _overflow(cells, width_of)})
    columns = [{"letter": col_letters(c), "width": width}
               for c, width in zip(shown_columns, widths, strict=True)]
    return {"rows": rows, "notes": notes, "columns": columns,
            "width": ROW_NUMBER_PIXELS + sum(widths),
            "truncated": used_rows > MAX_ROWS}


@page(r"/spreadsheets/d/(?P<spreadsheet_id>[^/]+)(?:/edit)?")
def spreadsheet(emulator: Emulator, request: Request, params: dict[str, str]) -> Response:
    spreadsheet_id = params["spreadsheet_id"]
    refused = _readable(emulator, request, spreadsheet_id)
    if refused is not None:
        return refused
    resource = sheets.spreadsheet_resource(emulator, spreadsheet_id, include_grid_data=True)
    tabs = [s for s in resource.get("sheets", []) if not s.get("properties", {}).get("hidden")]
    tabs = tabs or resource.get("sheets", [])
    wanted = request.args.get("gid", "")
    current = next((s for s in tabs if str(s["properties"].get("sheetId")) == wanted),
                   tabs[0] if tabs else None)
    title = resource.get("properties", {}).get("title", "")
    return layout.render(
        emulator, request, "sheet.html", title=title, sheet_title=title,
        tabs=[{"title": s["properties"].get("title", ""), "gid": s["properties"].get("sheetId"),
               "current": s is current} for s in tabs],
        grid=_grid(current) if current else None,
        version=version_of(emulator, spreadsheet_id),
        version_url=f"/spreadsheets/d/{spreadsheet_id}/version",
        poll=POLL_MILLISECONDS,
    )


@page(r"/spreadsheets/d/(?P<spreadsheet_id>[^/]+)/version")
def version(emulator: Emulator, request: Request, params: dict[str, str]) -> Response:
    spreadsheet_id = params["spreadsheet_id"]
    refused = _readable(emulator, request, spreadsheet_id)
    if refused is not None:
        return Response(json.dumps({"error": refused.status_code}), status=refused.status_code,
                        content_type="application/json")
    answer = Response(json.dumps({"version": version_of(emulator, spreadsheet_id)}),
                      content_type="application/json")
    answer.headers["Cache-Control"] = "no-store"
    return answer
