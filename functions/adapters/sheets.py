"""Sheets v4 through gspread: one batchUpdate builds or changes a whole Sheet; one batchGet
reads what a sync needs. Free text is sent as typed ``stringValue`` cells, never parsed."""

from __future__ import annotations

from typing import Any

import gspread

from functions.adapters.retry import Gate, Repeat


class Sheets:
    def __init__(self, client: gspread.Client, gate: Gate | None = None) -> None:
        self.http = client.http_client
        self.gate = gate or Gate()

    def batch_update(self, spreadsheet_id: str, requests: list[dict[str, Any]]) -> dict[str, Any]:
        body = {"requests": requests}
        # A lost answer is the caller's: the sync records progress only after its write lands
        # and the next run redoes it; a build must not run twice.
        return self.gate.run("sheets", "write",
                             lambda: self.http.batch_update(spreadsheet_id, body),
                             repeat=Repeat.ON_ERROR)

    def read(self, spreadsheet_id: str, ranges: list[str]) -> list[list[list[Any]]]:
        """Values of each range (unformatted), rows padded by nothing: as the API returns."""
        params: dict[str, Any] = {"valueRenderOption": "UNFORMATTED_VALUE",
                                  "majorDimension": "ROWS"}
        answer = self.gate.run("sheets", "read", lambda: self.http.values_batch_get(
            spreadsheet_id, ranges, params=params))
        return [value_range.get("values", []) for value_range in answer.get("valueRanges", [])]

    def read_grid(self, spreadsheet_id: str,
                  ranges: list[str]) -> dict[int, tuple[int, list[list[Any]]]]:
        """One read: for each sheet touched by ``ranges``, its grid row count and, per range
        on it (in request order), the typed values (``userEnteredValue``) of its rows."""
        fields = ("sheets(properties(sheetId,gridProperties.rowCount),"
                  "data(startRow,startColumn,rowData.values.userEnteredValue))")
        answer = self.gate.run("sheets", "read", lambda: self.http.fetch_sheet_metadata(
            spreadsheet_id, params={"ranges": ranges, "fields": fields}))
        found: dict[int, tuple[int, list[list[Any]]]] = {}
        for sheet in answer.get("sheets", []):
            properties = sheet["properties"]
            grids = [[[_plain(cell) for cell in row.get("values", [])]
                      for row in grid.get("rowData", [])] for grid in sheet.get("data", [])]
            found[int(properties["sheetId"])] = (
                int(properties.get("gridProperties", {}).get("rowCount", 0)), grids)
        return found

    def write(self, spreadsheet_id: str, cell_range: str, values: list[list[Any]],
              input_option: str) -> dict[str, Any]:
        """values.update with ``input_option`` RAW (stored as typed) or USER_ENTERED (parsed)."""
        return self.gate.run("sheets", "write", lambda: dict(self.http.values_update(
            spreadsheet_id, cell_range, params={"valueInputOption": input_option},
            body={"values": values})))

    def metadata(self, spreadsheet_id: str, fields: str) -> dict[str, Any]:
        return self.gate.run("sheets", "read", lambda: dict(self.http.fetch_sheet_metadata(
            spreadsheet_id, params={"fields": fields})))


def _plain(cell: dict[str, Any]) -> Any:
    """A cell's typed value as plain Python (None when empty)."""
    value = cell.get("userEnteredValue", {})
    for kind in ("stringValue", "numberValue", "boolValue", "formulaValue"):
        if kind in value:
            return value[kind]
    return None
