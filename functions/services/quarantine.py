"""The Sở overview's quarantine tab: responses no unit could be found for, never dropped.

Rows are keyed by response id: an edited response is rewritten in place, one that can now be
placed (the roster was fixed) leaves the tab as it lands in its unit's Sheet.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from functions.blueprints import cells, so_sheet
from functions.blueprints.layout import load_yaml
from functions.blueprints.response_cells import local_time
from functions.services.unit_sync import Change
from functions.services.workspace import Workspace

GROW_BY = 200


def row_of(change: Change, form_title: str, reason: str) -> list[object]:
    """The held response's row: what identifies it, never its answers (the texts typed by
    the respondent are cut to a cell: the whole response stays in its form). A response
    leaving a unit keeps there what that unit's head had typed in its row."""
    response = change.response
    if change.carried is not None:
        reason += "\n" + str(load_yaml("so.yaml")["quarantine"]["moved_from"]).format(
            don_vi=change.carried.origin, da_nhap=change.carried.shown)
    return [response.response_id, local_time(response.last_submitted),
            response.respondent_email or "", cells.fit(response.text("ho_ten")),
            cells.fit(response.text("don_vi")), form_title, cells.fit(reason)]


def _read(ws: Workspace, overview_id: str) -> tuple[int, list[str]]:
    """(the tab's row count, the response id of each data row) in one read."""
    title = load_yaml("so.yaml")["quarantine"]["title"]
    grid = ws.sheets.read_grid(overview_id, [f"'{title}'!A2:A"])
    row_count, grids = grid.get(so_sheet.QUARANTINE_ID, (1000, [[]]))
    return row_count, [str(row[0]) if row else "" for row in (grids[0] if grids else [])]


def shown_ids(ws: Workspace, overview_id: str) -> list[str]:
    return [key for key in _read(ws, overview_id)[1] if key]


def changes(ws: Workspace, overview_id: str, held: Sequence[tuple[Change, str]],
            released: set[str], titles: Mapping[str, str]) -> list[dict[str, Any]]:
    """Requests (for the run's single overview write) updating the quarantine tab."""
    row_count, keys = _read(ws, overview_id)
    requests: list[dict[str, Any]] = []
    for index in sorted((i for i, key in enumerate(keys) if key in released), reverse=True):
        requests.append({"deleteDimension": {"range": {
            "sheetId": so_sheet.QUARANTINE_ID, "dimension": "ROWS",
            "startIndex": index + 1, "endIndex": index + 2}}})
    remaining = [key for key in keys if key not in released]
    writes = []
    for change, reason in held:
        response_id = change.response.response_id
        if response_id in remaining:
            index = remaining.index(response_id)
        else:
            index = len(remaining)
            remaining.append(response_id)
        values = row_of(change, titles.get(change.response.form_key, ""), reason)
        writes.append(cells.update_cells(so_sheet.QUARANTINE_ID, index + 1, 0, [values]))
    if len(remaining) + 1 > row_count:
        requests.append({"appendDimension": {"sheetId": so_sheet.QUARANTINE_ID,
                                             "dimension": "ROWS",
                                             "length": len(remaining) + 1 - row_count + GROW_BY}})
    return requests + writes
