"""Sheets v4 through gspread: one batchUpdate builds or changes a whole Sheet; one batchGet
reads what a sync needs. Free text is sent as typed ``stringValue`` cells, never parsed."""

from __future__ import annotations

from typing import Any

import gspread

from functions.adapters.errors import call_fn


class Sheets:
    def __init__(self, client: gspread.Client) -> None:
        self.http = client.http_client

    def batch_update(self, spreadsheet_id: str, requests: list[dict[str, Any]]) -> dict[str, Any]:
        body = {"requests": requests}
        return call_fn("sheets", lambda: self.http.batch_update(spreadsheet_id, body))

    def read(self, spreadsheet_id: str, ranges: list[str]) -> list[list[list[Any]]]:
        """Values of each range (unformatted), rows padded by nothing: as the API returns."""
        params: dict[str, Any] = {"valueRenderOption": "UNFORMATTED_VALUE",
                                  "majorDimension": "ROWS"}
        answer = call_fn("sheets", lambda: self.http.values_batch_get(spreadsheet_id, ranges,
                                                                       params=params))
        return [value_range.get("values", []) for value_range in answer.get("valueRanges", [])]

    def metadata(self, spreadsheet_id: str, fields: str) -> dict[str, Any]:
        return call_fn("sheets", lambda: dict(self.http.fetch_sheet_metadata(
            spreadsheet_id, params={"fields": fields})))
