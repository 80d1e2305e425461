"""The requests that build the Sở overview Sheet (pure): a row per unit, and the quarantine of
responses no unit could be found for. Both tabs are machine-written, so both are protected."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from functions.blueprints import unit_status
from functions.blueprints.layout import UnitLayout
from functions.blueprints.unit_sheet import (
    column_widths,
    header_format,
    header_row,
    sheet_properties,
)
from functions.domain.model import Period

PROGRESS_ID, QUARANTINE_ID, SHARING_ID = 0, 1, 2


def _protect(sheet_id: int, title: str, editor: str) -> dict[str, Any]:
    return {"addProtectedRange": {"protectedRange": {
        "range": {"sheetId": sheet_id}, "description": title, "warningOnly": False,
        "editors": {"users": [editor]}}}}


def build_requests(layout: UnitLayout, texts: dict[str, Any], periods: Sequence[Period],
                   editor: str) -> list[dict[str, Any]]:
    header = header_format(layout.text("header_color"))
    progress, quarantine = texts["progress"], texts["quarantine"]
    headers = unit_status.so_headers(layout, progress, periods)
    widths = [*progress["widths"],
              *([progress["period_width"]] * (len(headers) - len(progress["widths"])))]
    return [
        sheet_properties(PROGRESS_ID, progress["title"], frozen_rows=1, frozen_columns=2,
                         add=False),
        header_row(PROGRESS_ID, headers, header),
        *column_widths(PROGRESS_ID, widths),
        _protect(PROGRESS_ID, progress["title"], editor),
        sheet_properties(QUARANTINE_ID, quarantine["title"], frozen_rows=1),
        header_row(QUARANTINE_ID, quarantine["headers"], header),
        *column_widths(QUARANTINE_ID, quarantine["widths"]),
        _protect(QUARANTINE_ID, quarantine["title"], editor),
    ]


def sharing_tab(layout: UnitLayout, texts: Mapping[str, Any], editor: str
                ) -> list[dict[str, Any]]:
    """The tab of unit Sheets' permissions the settings do not grant, added to a built overview
    the first time one is found (machine-written: protected)."""
    return [
        sheet_properties(SHARING_ID, texts["title"], frozen_rows=1),
        header_row(SHARING_ID, texts["headers"], header_format(layout.text("header_color"))),
        *column_widths(SHARING_ID, texts["widths"]),
        _protect(SHARING_ID, texts["title"], editor),
    ]
