"""Who may read and write a spreadsheet: Drive permissions (403 as Google answers) and
protected ranges, enforced on writes by people who are not their editors."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from functions.adapters.clients import Clients
from tests.e2e.emulator.sheets_helpers import (
    EDITOR,
    OWNER,
    STRANGER,
    error_of,
    new_spreadsheet,
    run,
    share,
)

PROTECTED = ("You are trying to edit a protected cell or object. Please contact the spreadsheet "
             "owner to remove protection if you need to edit.")


@pytest.fixture
def owner(as_user: Callable[[str], Clients]) -> Clients:
    return as_user(OWNER)


def write(clients: Clients, sid: str, a1: str, value: str = "x") -> Any:
    return clients.service("sheets").spreadsheets().values().update(
        spreadsheetId=sid, range=a1, valueInputOption="RAW", body={"values": [[value]]}).execute()


def test_a_person_without_access_gets_googles_403(
    owner: Clients, as_user: Callable[[str], Clients]
) -> None:
    sid = new_spreadsheet(owner)
    stranger = as_user(STRANGER).service("sheets")
    code, status, message = error_of(lambda: stranger.spreadsheets().get(
        spreadsheetId=sid).execute())
    assert (code, status, message) == (403, "PERMISSION_DENIED",
                                       "The caller does not have permission")
    code, _, _ = error_of(lambda: stranger.spreadsheets().values().get(
        spreadsheetId=sid, range="A1").execute())
    assert code == 403
    code, status, _ = error_of(lambda: stranger.spreadsheets().get(
        spreadsheetId="1" + "x" * 43).execute())
    assert (code, status) == (404, "NOT_FOUND")


def test_a_reader_reads_but_cannot_write(owner: Clients,
                                         as_user: Callable[[str], Clients]) -> None:
    sid = new_spreadsheet(owner)
    share(owner, sid, STRANGER, "reader")
    reader = as_user(STRANGER)
    assert run(reader.service("sheets").spreadsheets().get(spreadsheetId=sid))
    code, status, _ = error_of(lambda: write(reader, sid, "A1"))
    assert (code, status) == (403, "PERMISSION_DENIED")


def test_the_storage_less_service_account_cannot_create_a_spreadsheet(clients: Clients) -> None:
    code, _, message = error_of(lambda: clients.service("sheets").spreadsheets().create(
        body={"properties": {"title": "x"}}).execute())
    assert (code, message) == (403, "The caller does not have permission")


def test_protected_ranges_stop_writers_who_are_not_editors(
    owner: Clients, as_user: Callable[[str], Clients]
) -> None:
    sid = new_spreadsheet(owner)
    share(owner, sid, EDITOR, "writer")
    editor = as_user(EDITOR)
    sheets = owner.service("sheets")
    replies = run(sheets.spreadsheets().batchUpdate(spreadsheetId=sid, body={"requests": [
        {"addProtectedRange": {"protectedRange": {
            "range": {"sheetId": 0, "startRowIndex": 0, "endRowIndex": 1},
            "description": "Tiêu đề", "editors": {"users": [OWNER]}}}},
    ]}))["replies"]
    header = replies[0]["addProtectedRange"]["protectedRange"]
    assert isinstance(header["protectedRangeId"], int)
    code, _, message = error_of(lambda: write(editor, sid, "B1"))
    assert (code, message) == (400, PROTECTED)
    assert write(editor, sid, "B2")["updatedCells"] == 1
    assert write(owner, sid, "B1")["updatedCells"] == 1  # the owner is an editor
    code, _, message = error_of(lambda: editor.service("sheets").spreadsheets().batchUpdate(
        spreadsheetId=sid, body={"requests": [{"repeatCell": {
            "range": {"sheetId": 0, "startRowIndex": 0, "endRowIndex": 1},
            "cell": {"userEnteredValue": {"stringValue": "y"}},
            "fields": "userEnteredValue"}}]}).execute())
    assert message == PROTECTED
    run(sheets.spreadsheets().batchUpdate(spreadsheetId=sid, body={"requests": [
        {"updateProtectedRange": {"protectedRange": {
            "protectedRangeId": header["protectedRangeId"],
            "editors": {"users": [OWNER, EDITOR]}}, "fields": "editors"}}]}))
    assert write(editor, sid, "B1")["updatedCells"] == 1
    got = run(editor.service("sheets").spreadsheets().get(spreadsheetId=sid))
    assert got["sheets"][0]["protectedRanges"][0]["requestingUserCanEdit"] is True
    run(sheets.spreadsheets().batchUpdate(spreadsheetId=sid, body={"requests": [
        {"deleteProtectedRange": {"protectedRangeId": header["protectedRangeId"]}}]}))
    assert "protectedRanges" not in run(sheets.spreadsheets().get(spreadsheetId=sid))["sheets"][0]


def test_a_protected_sheet_with_an_unprotected_hole_and_a_warning_only_range(
    owner: Clients, as_user: Callable[[str], Clients]
) -> None:
    sid = new_spreadsheet(owner)
    share(owner, sid, EDITOR, "writer")
    editor = as_user(EDITOR)
    sheets = owner.service("sheets")
    run(sheets.spreadsheets().batchUpdate(spreadsheetId=sid, body={"requests": [
        {"addSheet": {"properties": {"sheetId": 7, "title": "Nhập liệu"}}},
        {"addProtectedRange": {"protectedRange": {
            "range": {"sheetId": 0},
            "unprotectedRanges": [{"sheetId": 0, "startRowIndex": 1, "startColumnIndex": 1,
                                   "endColumnIndex": 2}]}}},
        {"addProtectedRange": {"protectedRange": {
            "range": {"sheetId": 7, "startRowIndex": 0, "endRowIndex": 1}, "warningOnly": True}}},
    ]}))
    assert write(editor, sid, "Sheet1!B5")["updatedCells"] == 1  # inside the hole
    assert error_of(lambda: write(editor, sid, "Sheet1!C5"))[2] == PROTECTED
    assert write(editor, sid, "'Nhập liệu'!A1")["updatedCells"] == 1  # warning only


def test_protection_rules_google_enforces_when_adding(owner: Clients) -> None:
    sid = new_spreadsheet(owner)
    sheets = owner.service("sheets")
    code, _, message = error_of(lambda: sheets.spreadsheets().batchUpdate(
        spreadsheetId=sid, body={"requests": [{"addProtectedRange": {"protectedRange": {
            "range": {"sheetId": 0, "endRowIndex": 1}, "warningOnly": True,
            "editors": {"users": [OWNER]}}}}]}).execute())
    assert code == 400 and message.startswith("Invalid requests[0].addProtectedRange: ")
    code, _, message = error_of(lambda: sheets.spreadsheets().batchUpdate(
        spreadsheetId=sid, body={"requests": [{"addProtectedRange": {"protectedRange": {
            "range": {"sheetId": 0, "endRowIndex": 1},
            "unprotectedRanges": [{"sheetId": 0, "endRowIndex": 1, "endColumnIndex": 1}]}}}]}
    ).execute())
    assert code == 400 and "protected sheet" in message
