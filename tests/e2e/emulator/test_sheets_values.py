"""Sheets values API through google-api-python-client: RAW vs USER_ENTERED, reads, appends,
clears, A1 ranges with awkward sheet names, and Google's errors; every answer schema-checked."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from functions.adapters.clients import Clients
from tests.e2e.emulator.sheets_helpers import OWNER, cell_data, error_of, new_spreadsheet, run


@pytest.fixture
def owner(as_user: Callable[[str], Clients]) -> Clients:
    return as_user(OWNER)


@pytest.fixture
def sheets(owner: Clients) -> Any:
    return owner.service("sheets")


def test_raw_keeps_a_formula_like_string_as_text_and_user_entered_makes_a_formula(
    owner: Clients, sheets: Any
) -> None:
    sid = new_spreadsheet(owner)
    formula = '=IMPORTXML("https://example.com", "//a")'
    run(sheets.spreadsheets().values().update(
        spreadsheetId=sid, range="Sheet1!A1", valueInputOption="RAW",
        body={"values": [[formula, "123", True, 7]]}))
    run(sheets.spreadsheets().values().update(
        spreadsheetId=sid, range="Sheet1!A2", valueInputOption="USER_ENTERED",
        body={"values": [[formula, "123", "TRUE", "'0123", "2,000.50", "2020-01-01"]]}))
    assert cell_data(sheets, sid, "Sheet1!A1")["userEnteredValue"] == {"stringValue": formula}
    assert cell_data(sheets, sid, "Sheet1!B1")["userEnteredValue"] == {"stringValue": "123"}
    assert cell_data(sheets, sid, "Sheet1!C1")["userEnteredValue"] == {"boolValue": True}
    assert cell_data(sheets, sid, "Sheet1!D1")["userEnteredValue"] == {"numberValue": 7}
    assert cell_data(sheets, sid, "Sheet1!A2")["userEnteredValue"] == {"formulaValue": formula}
    assert cell_data(sheets, sid, "Sheet1!B2")["userEnteredValue"] == {"numberValue": 123}
    assert cell_data(sheets, sid, "Sheet1!C2")["userEnteredValue"] == {"boolValue": True}
    assert cell_data(sheets, sid, "Sheet1!D2")["userEnteredValue"] == {"stringValue": "0123"}
    assert cell_data(sheets, sid, "Sheet1!E2")["formattedValue"] == "2,000.50"
    assert cell_data(sheets, sid, "Sheet1!F2")["userEnteredValue"] == {"numberValue": 43831}


def test_values_read_back_formatted_unformatted_as_formulas_and_by_columns(
    owner: Clients, sheets: Any
) -> None:
    sid = new_spreadsheet(owner)
    run(sheets.spreadsheets().values().update(
        spreadsheetId=sid, range="A1", valueInputOption="USER_ENTERED",
        body={"values": [["=4/2", "2020-01-01", "chữ", 53], ["=3/2", 0.12, "", ""]]}))
    values = sheets.spreadsheets().values()
    formatted = run(values.get(spreadsheetId=sid, range="Sheet1"))
    assert formatted == {"range": "Sheet1!A1:Z1000", "majorDimension": "ROWS",
                         "values": [["2", "2020-01-01", "chữ", "53"], ["1.5", "0.12"]]}
    raw = run(values.get(spreadsheetId=sid, range="Sheet1", valueRenderOption="UNFORMATTED_VALUE"))
    assert raw["values"] == [[2, 43831, "chữ", 53], [1.5, 0.12]]
    dated = run(values.get(spreadsheetId=sid, range="Sheet1", valueRenderOption="UNFORMATTED_VALUE",
                           dateTimeRenderOption="FORMATTED_STRING"))
    assert dated["values"][0][1] == "2020-01-01"
    formulas = run(values.get(spreadsheetId=sid, range="A1:A2", valueRenderOption="FORMULA"))
    assert formulas["values"] == [["=4/2"], ["=3/2"]]
    columns = run(values.get(spreadsheetId=sid, range="Sheet1!A:B", majorDimension="COLUMNS"))
    assert columns["range"] == "Sheet1!A1:B1000"
    assert columns["values"] == [["2", "1.5"], ["2020-01-01", "0.12"]]
    empty = run(values.get(spreadsheetId=sid, range="Sheet1!C5:D6"))
    assert "values" not in empty


def test_unbounded_ranges_and_awkward_sheet_names_resolve_as_in_google(
    owner: Clients, sheets: Any
) -> None:
    sid = new_spreadsheet(owner)
    for title in ("Tổ Toán 🌵", "It's", "D3"):
        run(sheets.spreadsheets().batchUpdate(spreadsheetId=sid, body={"requests": [
            {"addSheet": {"properties": {"title": title}}}]}))
    values = sheets.spreadsheets().values()
    answer = run(values.update(spreadsheetId=sid, range="'Tổ Toán 🌵'!B2",
                               valueInputOption="RAW", body={"values": [["a", "b"], ["c", "d"]]}))
    assert answer["updatedRange"] == "'Tổ Toán 🌵'!B2:C3"
    assert answer["updatedCells"] == 4
    assert run(values.get(spreadsheetId=sid, range="'Tổ Toán 🌵'!B:B"))["values"] == [
        [], ["a"], ["c"]]
    assert run(values.get(spreadsheetId=sid, range="'Tổ Toán 🌵'!2:2"))["range"] == (
        "'Tổ Toán 🌵'!A2:Z2")
    assert run(values.get(spreadsheetId=sid, range="'Tổ Toán 🌵'!B2:2"))["values"] == [["a", "b"]]
    assert run(values.update(spreadsheetId=sid, range="'It''s'!A1", valueInputOption="RAW",
                             body={"values": [["x"]]}))["updatedRange"] == "'It''s'!A1"
    assert run(values.get(spreadsheetId=sid, range="'D3'"))["range"] == "'D3'!A1:Z1000"


def test_a_named_range_reads_like_its_cells(owner: Clients, sheets: Any) -> None:
    sid = new_spreadsheet(owner)
    run(sheets.spreadsheets().batchUpdate(spreadsheetId=sid, body={"requests": [
        {"addNamedRange": {"namedRange": {"name": "DiemTong", "range": {
            "sheetId": 0, "startRowIndex": 1, "endRowIndex": 3, "startColumnIndex": 1,
            "endColumnIndex": 2}}}}]}))
    run(sheets.spreadsheets().values().update(spreadsheetId=sid, range="DiemTong",
                                              valueInputOption="RAW", body={"values": [[1], [2]]}))
    assert run(sheets.spreadsheets().values().get(spreadsheetId=sid, range="DiemTong")) == {
        "range": "Sheet1!B2:B3", "majorDimension": "ROWS", "values": [["1"], ["2"]]}


def test_writing_past_the_grid_is_refused_with_googles_message(owner: Clients, sheets: Any) -> None:
    sid = new_spreadsheet(owner)
    code, status, message = error_of(lambda: sheets.spreadsheets().values().update(
        spreadsheetId=sid, range="Sheet1!A1000", valueInputOption="RAW",
        body={"values": [["a"], ["b"]]}).execute())
    assert (code, status) == (400, "INVALID_ARGUMENT")
    assert message == "Range (Sheet1!A1001) exceeds grid limits. Max rows: 1000, max columns: 26"
    code, _, message = error_of(lambda: sheets.spreadsheets().values().update(
        spreadsheetId=sid, range="Sheet1!A1:B1", valueInputOption="RAW",
        body={"values": [["a"], ["b"]]}).execute())
    assert message == "Requested writing within range [Sheet1!A1:B1], but tried writing to row [2]"
    code, _, message = error_of(lambda: sheets.spreadsheets().values().get(
        spreadsheetId=sid, range="Nope!A1").execute())
    assert (code, message) == (400, "Unable to parse range: Nope!A1")


def test_append_finds_the_table_and_grows_the_grid(owner: Clients, sheets: Any) -> None:
    sid = new_spreadsheet(owner)
    values = sheets.spreadsheets().values()
    first = run(values.append(spreadsheetId=sid, range="Sheet1", valueInputOption="RAW",
                              body={"values": [["Mã", "", "Tên"]]}))
    assert "tableRange" not in first
    assert first["updates"]["updatedRange"] == "Sheet1!A1:C1"
    second = run(values.append(spreadsheetId=sid, range="Sheet1!A1", valueInputOption="RAW",
                               body={"values": [["1", "x", "y"]]}))
    assert second["tableRange"] == "Sheet1!A1"
    assert second["updates"]["updatedRange"] == "Sheet1!A2:C2"
    third = run(values.append(spreadsheetId=sid, range="Sheet1", valueInputOption="RAW",
                              insertDataOption="INSERT_ROWS", includeValuesInResponse=True,
                              body={"values": [["2", "z", "w"]]}))
    assert third["tableRange"] == "Sheet1!A1:C2"
    assert third["updates"]["updatedData"]["values"] == [["2", "z", "w"]]
    grid = run(sheets.spreadsheets().get(spreadsheetId=sid))["sheets"][0]["properties"]
    assert grid["gridProperties"]["rowCount"] == 1001  # INSERT_ROWS added a row
    tall = [[str(n)] for n in range(1200)]
    grown = run(values.append(spreadsheetId=sid, range="Sheet1!A:A", valueInputOption="RAW",
                              body={"values": tall}))
    assert grown["updates"]["updatedRange"] == "Sheet1!A4:A1203"


def test_batch_get_batch_update_clear_and_batch_clear(owner: Clients, sheets: Any) -> None:
    sid = new_spreadsheet(owner)
    values = sheets.spreadsheets().values()
    answer = run(values.batchUpdate(spreadsheetId=sid, body={
        "valueInputOption": "USER_ENTERED",
        "data": [{"range": "A1:B2", "values": [[1, 2], [3, 4]]},
                 {"range": "D1", "values": [["=1+1"]]}]}))
    assert (answer["totalUpdatedCells"], answer["totalUpdatedSheets"]) == (5, 1)
    assert [r["updatedRange"] for r in answer["responses"]] == ["Sheet1!A1:B2", "Sheet1!D1"]
    got = run(values.batchGet(spreadsheetId=sid, ranges=["A1:B2", "D1"]))
    assert [r["values"] for r in got["valueRanges"]] == [[["1", "2"], ["3", "4"]], [["2"]]]
    assert run(values.clear(spreadsheetId=sid, range="A1:A2", body={}))["clearedRange"] == (
        "Sheet1!A1:A2")
    cleared = run(values.batchClear(spreadsheetId=sid, body={"ranges": ["B1", "D:D"]}))
    assert cleared["clearedRanges"] == ["Sheet1!B1", "Sheet1!D1:D1000"]
    assert run(values.get(spreadsheetId=sid, range="Sheet1"))["values"] == [[], ["", "4"]]


def test_value_input_option_is_required(owner: Clients, sheets: Any) -> None:
    sid = new_spreadsheet(owner)
    code, status, _ = error_of(lambda: sheets.spreadsheets().values().update(
        spreadsheetId=sid, range="A1", body={"values": [["x"]]}).execute())
    assert (code, status) == (400, "INVALID_ARGUMENT")
