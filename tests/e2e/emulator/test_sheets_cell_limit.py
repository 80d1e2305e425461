"""50 000 characters a cell, on every path that writes a cell: the values API (RAW and
USER_ENTERED: update, batchUpdate, append) and spreadsheets.batchUpdate (updateCells,
appendCells, repeatCell) and create. Counted in UTF-16 units, so 25 001 emoji (50 002 units)
are refused although they are only 25 001 characters to Python. Google's wording is recorded
from values.update; the ``Invalid requests[i].<kind>:`` prefix on batchUpdate is a guess."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import gspread
import pytest

from functions.adapters.clients import Clients
from tests.e2e.emulator.sheets_helpers import OWNER, error_of, new_spreadsheet, run

LIMIT = 50_000
TOO_LONG = "Your input contains more than the maximum of 50000 characters in a single cell."
EMOJI = "😀"  # one character, two UTF-16 units
OVER = {"ascii": "a" * (LIMIT + 1), "emoji": EMOJI * (LIMIT // 2 + 1),
        "formula": "=" + "1+" * (LIMIT // 2) + "1"}
FULL = {"ascii": "a" * LIMIT, "emoji": EMOJI * (LIMIT // 2), "mixed": "ă" + EMOJI * 24_999 + "b"}


@pytest.fixture
def owner(as_user: Callable[[str], Clients]) -> Clients:
    return as_user(OWNER)


@pytest.fixture
def sheets(owner: Clients) -> Any:
    return owner.service("sheets")


def stored(sheets: Any, sid: str, a1: str = "Sheet1!A1") -> str:
    answer = run(sheets.spreadsheets().values().get(spreadsheetId=sid, range=a1,
                                                    valueRenderOption="FORMULA"))
    return str(answer.get("values", [[""]])[0][0])


def value_writes(sheets: Any, sid: str, text: str) -> dict[str, Callable[[], Any]]:
    values = sheets.spreadsheets().values()
    body = {"values": [["ngắn", text]]}
    return {
        "update-raw": lambda: values.update(spreadsheetId=sid, range="Sheet1!A1",
                                            valueInputOption="RAW", body=body).execute(),
        "update-user-entered": lambda: values.update(
            spreadsheetId=sid, range="Sheet1!A1", valueInputOption="USER_ENTERED",
            body=body).execute(),
        "batch-update": lambda: values.batchUpdate(spreadsheetId=sid, body={
            "valueInputOption": "RAW", "data": [{"range": "Sheet1!A1", "values": [["x"]]},
                                                {"range": "Sheet1!A2", **body}]}).execute(),
        "append": lambda: values.append(spreadsheetId=sid, range="Sheet1!A1",
                                        valueInputOption="RAW", body=body).execute(),
    }


@pytest.mark.parametrize("path", ["update-raw", "update-user-entered", "batch-update", "append"])
@pytest.mark.parametrize("kind", sorted(OVER))
def test_the_values_api_refuses_a_cell_over_50000_units_and_writes_nothing(
        owner: Clients, sheets: Any, path: str, kind: str) -> None:
    sid = new_spreadsheet(owner)
    code, status, message = error_of(value_writes(sheets, sid, OVER[kind])[path])
    assert (code, status, message) == (400, "INVALID_ARGUMENT", TOO_LONG)
    assert stored(sheets, sid) == "", "nothing of the call was written"


@pytest.mark.parametrize("kind", sorted(FULL))
def test_a_cell_of_exactly_50000_units_is_written_whole(owner: Clients, sheets: Any,
                                                        kind: str) -> None:
    sid = new_spreadsheet(owner)
    for path, write in value_writes(sheets, sid, FULL[kind]).items():
        write()
        row = "3" if path == "append" else "2" if path == "batch-update" else "1"
        assert stored(sheets, sid, f"Sheet1!B{row}") == FULL[kind], path


def cell(text: str) -> dict[str, Any]:
    return {"userEnteredValue": {"stringValue": text}}


def batch_requests(text: str) -> dict[str, dict[str, Any]]:
    return {
        "updateCells": {"start": {"sheetId": 0, "rowIndex": 0, "columnIndex": 0},
                        "rows": [{"values": [cell("ngắn"), cell(text)]}],
                        "fields": "userEnteredValue"},
        "appendCells": {"sheetId": 0, "rows": [{"values": [cell(text)]}],
                        "fields": "userEnteredValue"},
        "repeatCell": {"range": {"sheetId": 0, "startRowIndex": 0, "endRowIndex": 300,
                                 "startColumnIndex": 0, "endColumnIndex": 3},
                       "cell": {"userEnteredValue": {"formulaValue": text}}
                       if text.startswith("=") else cell(text),
                       "fields": "userEnteredValue"},
    }


@pytest.mark.parametrize("kind", ["updateCells", "appendCells", "repeatCell"])
@pytest.mark.parametrize("text", sorted(OVER))
def test_batch_update_refuses_a_cell_over_50000_units_and_applies_nothing(
        owner: Clients, sheets: Any, kind: str, text: str) -> None:
    sid = new_spreadsheet(owner)
    first = {"updateCells": {"start": {"sheetId": 0, "rowIndex": 9}, "rows": [
        {"values": [cell("trước")]}], "fields": "userEnteredValue"}}
    code, _, message = error_of(lambda: sheets.spreadsheets().batchUpdate(
        spreadsheetId=sid, body={"requests": [first, {kind: batch_requests(OVER[text])[kind]}]},
    ).execute())
    assert (code, message) == (400, f"Invalid requests[1].{kind}: {TOO_LONG}")
    assert stored(sheets, sid, "Sheet1!A10") == "", "the batch is atomic"


def test_batch_update_and_create_write_a_full_cell_of_emoji_whole(owner: Clients,
                                                                  sheets: Any) -> None:
    text = FULL["emoji"]
    sid = new_spreadsheet(owner, sheets=[{"data": [{"rowData": [{"values": [cell(text)]}]}]}])
    assert stored(sheets, sid) == text
    run(sheets.spreadsheets().batchUpdate(spreadsheetId=sid, body={"requests": [
        {kind: body} for kind, body in batch_requests(text).items()]}))
    assert stored(sheets, sid, "Sheet1!B1") == text
    assert stored(sheets, sid, "Sheet1!C300") == text


def test_create_refuses_a_cell_over_50000_units(owner: Clients) -> None:
    code, _, message = error_of(lambda: new_spreadsheet(
        owner, sheets=[{"data": [{"rowData": [{"values": [cell(OVER["emoji"])]}]}]}]))
    assert code == 400 and TOO_LONG in message


def test_gspread_sees_googles_error_for_a_cell_over_the_limit(owner: Clients) -> None:
    sheet = owner.gspread.create("Sổ").sheet1
    with pytest.raises(gspread.exceptions.APIError) as caught:
        sheet.update([[OVER["emoji"]]], "A1")
    assert caught.value.response.status_code == 400
    assert TOO_LONG in str(caught.value)
