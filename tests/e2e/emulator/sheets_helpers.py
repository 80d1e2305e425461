"""Helpers of the Sheets emulator tests: a spreadsheet owned by a person, calls whose answers
are checked against their discovery response schema, and Google error bodies."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from googleapiclient.errors import HttpError

from functions.adapters.clients import Clients
from tests.e2e.emulator.contract import assert_matches_schema, response_schema

ORG = "sgddt-demo.edu.vn"
OWNER = f"ke.toan@{ORG}"  # a person: has Drive storage, unlike the emulator's service account
EDITOR = f"giao.vien@{ORG}"
STRANGER = f"nguoi.la@{ORG}"


def run(request: Any) -> Any:
    """Executes a googleapiclient request and checks its answer against the method's schema."""
    answer = request.execute()
    schema = response_schema(request.methodId)
    if schema:
        assert_matches_schema("sheets.v4" if request.methodId.startswith("sheets") else
                              "drive.v3", schema, answer)
    return answer


def error_of(call: Callable[[], Any]) -> tuple[int, str, str]:
    """(code, status, message) of a Sheets call expected to fail."""
    with pytest.raises(HttpError) as caught:
        call()
    error = json.loads(caught.value.content)["error"]
    return error["code"], error.get("status", ""), error["message"]


def new_spreadsheet(owner: Clients, title: str = "Bảng tổng hợp", **body: Any) -> str:
    created = run(owner.service("sheets").spreadsheets().create(
        body={"properties": {"title": title}, **body}))
    return str(created["spreadsheetId"])


def share(owner: Clients, spreadsheet_id: str, email: str, role: str) -> None:
    owner.service("drive").permissions().create(
        fileId=spreadsheet_id, body={"type": "user", "role": role, "emailAddress": email},
        sendNotificationEmail=False).execute()


def cell_data(sheets: Any, spreadsheet_id: str, a1: str) -> dict[str, Any]:
    got = run(sheets.spreadsheets().get(spreadsheetId=spreadsheet_id, ranges=[a1],
                                        includeGridData=True))
    rows = got["sheets"][0]["data"][0].get("rowData", [])
    values = rows[0].get("values", []) if rows else []
    return values[0] if values else {}
