"""Sheets ``spreadsheets.batchUpdate`` through google-api-python-client: every request kind
the service uses, replies in order and in the discovery ``Response`` shapes, atomic batches,
and a misspelled field rejected with Google's message."""

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


def batch(sheets: Any, sid: str, *requests: dict[str, Any]) -> list[dict[str, Any]]:
    answer = run(sheets.spreadsheets().batchUpdate(spreadsheetId=sid,
                                                   body={"requests": list(requests)}))
    assert answer["spreadsheetId"] == sid
    assert len(answer["replies"]) == len(requests)
    return list(answer["replies"])


def properties_of(sheets: Any, sid: str) -> list[dict[str, Any]]:
    got = run(sheets.spreadsheets().get(spreadsheetId=sid, fields="sheets.properties"))
    return [sheet["properties"] for sheet in got["sheets"]]


def test_a_new_spreadsheet_has_sheet1_of_1000_by_26_and_an_edit_url(
    owner: Clients, sheets: Any, emulator: Any
) -> None:
    sid = new_spreadsheet(owner, "Báo cáo")
    got = run(sheets.spreadsheets().get(spreadsheetId=sid))
    assert got["sheets"][0]["properties"] == {
        "sheetId": 0, "title": "Sheet1", "index": 0, "sheetType": "GRID",
        "gridProperties": {"rowCount": 1000, "columnCount": 26}}
    assert got["spreadsheetUrl"] == f"{emulator.url}/spreadsheets/d/{sid}/edit"
    assert got["properties"]["title"] == "Báo cáo"


def test_sheets_are_added_changed_and_deleted_with_replies_in_order(
    owner: Clients, sheets: Any
) -> None:
    sid = new_spreadsheet(owner)
    replies = batch(sheets, sid,
                    {"addSheet": {"properties": {"title": "Tổng hợp", "gridProperties": {
                        "rowCount": 10, "columnCount": 5}}}},
                    {"addChart": {"chart": {"spec": {"title": "Biểu đồ"}, "position": {
                        "overlayPosition": {"anchorCell": {"sheetId": 0}}}}}})
    added = replies[0]["addSheet"]["properties"]
    assert (added["title"], added["index"], added["gridProperties"]) == (
        "Tổng hợp", 1, {"rowCount": 10, "columnCount": 5})
    assert isinstance(replies[1]["addChart"]["chart"]["chartId"], int)
    batch(sheets, sid, {"updateSheetProperties": {"properties": {
        "sheetId": added["sheetId"], "title": "Tổng hợp mới", "hidden": True,
        "tabColor": {"red": 1}, "gridProperties": {"frozenRowCount": 1, "frozenColumnCount": 2}},
        "fields": "title,hidden,tabColor,gridProperties.frozenRowCount,"
                  "gridProperties.frozenColumnCount"}})
    changed = properties_of(sheets, sid)[1]
    assert changed["title"] == "Tổng hợp mới" and changed["hidden"] is True
    assert changed["tabColorStyle"] == {"rgbColor": {"red": 1}}
    assert changed["gridProperties"] == {"rowCount": 10, "columnCount": 5, "frozenRowCount": 1,
                                         "frozenColumnCount": 2}
    batch(sheets, sid, {"updateSheetProperties": {"properties": {
        "sheetId": added["sheetId"], "title": "ignored", "hidden": True}, "fields": "hidden"}})
    assert properties_of(sheets, sid)[1]["title"] == "Tổng hợp mới"  # fields respected
    _, _, message = error_of(lambda: sheets.spreadsheets().batchUpdate(spreadsheetId=sid, body={
        "requests": [{"updateSheetProperties": {"properties": {"sheetId": 0, "hidden": True},
                                                "fields": "hidden"}}]}).execute())
    assert message == ("Invalid requests[0].updateSheetProperties: You can't hide all the sheets "
                       "in a document.")
    _code, _, message = error_of(lambda: batch(sheets, sid, {"addSheet": {"properties": {
        "title": "Sheet1"}}}))
    assert "already exists" in message
    batch(sheets, sid, {"deleteSheet": {"sheetId": added["sheetId"]}})
    assert [p["title"] for p in properties_of(sheets, sid)] == ["Sheet1"]


def test_renaming_the_spreadsheet_renames_its_drive_file(owner: Clients, sheets: Any) -> None:
    sid = new_spreadsheet(owner)
    batch(sheets, sid, {"updateSpreadsheetProperties": {"properties": {"title": "Tên mới"},
                                                        "fields": "title"}})
    assert owner.service("drive").files().get(fileId=sid).execute()["name"] == "Tên mới"


def test_update_cells_repeat_cell_and_append_cells_write_typed_values_and_formats(
    owner: Clients, sheets: Any
) -> None:
    sid = new_spreadsheet(owner)
    batch(sheets, sid,
          {"updateCells": {"start": {"sheetId": 0, "rowIndex": 0, "columnIndex": 0},
                           "rows": [{"values": [
                               {"userEnteredValue": {"stringValue": "=không phải công thức"}},
                               {"userEnteredValue": {"numberValue": 9.5}, "note": "ghi chú"}]}],
                           "fields": "userEnteredValue,note"}},
          {"repeatCell": {"range": {"sheetId": 0, "startRowIndex": 0, "endRowIndex": 1},
                          "cell": {"userEnteredFormat": {"textFormat": {"bold": True}}},
                          "fields": "userEnteredFormat.textFormat.bold"}},
          {"appendCells": {"sheetId": 0, "rows": [{"values": [
              {"userEnteredValue": {"boolValue": True}}]}], "fields": "userEnteredValue"}})
    first = cell_data(sheets, sid, "A1")
    assert first["userEnteredValue"] == {"stringValue": "=không phải công thức"}
    assert first["userEnteredFormat"] == {"textFormat": {"bold": True}}
    assert cell_data(sheets, sid, "B1")["note"] == "ghi chú"
    assert cell_data(sheets, sid, "A2")["formattedValue"] == "TRUE"
    batch(sheets, sid, {"updateCells": {"range": {"sheetId": 0, "startRowIndex": 0,
                                                  "endRowIndex": 1, "startColumnIndex": 0,
                                                  "endColumnIndex": 2},
                                        "fields": "userEnteredValue"}})
    assert "userEnteredValue" not in cell_data(sheets, sid, "B1")  # a range clears what's absent
    code, _, message = error_of(lambda: batch(sheets, sid, {"updateCells": {
        "start": {"sheetId": 0, "rowIndex": 1000}, "fields": "userEnteredValue",
        "rows": [{"values": [{"userEnteredValue": {"stringValue": "x"}}]}]}}))
    assert code == 400 and "exceeds grid limits. Max rows: 1000, max columns: 26" in message


def test_dimensions_grow_shrink_and_shift_the_cells(owner: Clients, sheets: Any) -> None:
    sid = new_spreadsheet(owner)
    run(sheets.spreadsheets().values().update(spreadsheetId=sid, range="A1",
                                              valueInputOption="RAW",
                                              body={"values": [["a"], ["b"], ["c"]]}))
    batch(sheets, sid,
          {"appendDimension": {"sheetId": 0, "dimension": "ROWS", "length": 500}},
          {"insertDimension": {"range": {"sheetId": 0, "dimension": "ROWS", "startIndex": 1,
                                         "endIndex": 2}, "inheritFromBefore": True}},
          {"deleteDimension": {"range": {"sheetId": 0, "dimension": "COLUMNS", "startIndex": 20,
                                         "endIndex": 26}}},
          {"updateDimensionProperties": {"range": {"sheetId": 0, "dimension": "COLUMNS",
                                                   "startIndex": 0, "endIndex": 1},
                                         "properties": {"pixelSize": 240, "hiddenByUser": True},
                                         "fields": "pixelSize,hiddenByUser"}},
          {"autoResizeDimensions": {"dimensions": {"sheetId": 0, "dimension": "COLUMNS",
                                                   "startIndex": 1, "endIndex": 2}}})
    assert properties_of(sheets, sid)[0]["gridProperties"] == {"rowCount": 1501,
                                                               "columnCount": 20}
    values = run(sheets.spreadsheets().values().get(spreadsheetId=sid, range="A1:A4"))
    assert values["values"] == [["a"], [], ["b"], ["c"]]
    got = run(sheets.spreadsheets().get(spreadsheetId=sid, ranges=["A1:B1"],
                                        fields="sheets.data.columnMetadata"))
    assert got["sheets"][0]["data"][0]["columnMetadata"] == [
        {"pixelSize": 240, "hiddenByUser": True}, {"pixelSize": 100}]


def test_validation_formats_merges_names_filters_and_banding_are_stored(
    owner: Clients, sheets: Any
) -> None:
    sid = new_spreadsheet(owner)
    area = {"sheetId": 0, "startRowIndex": 1, "endRowIndex": 5, "startColumnIndex": 0,
            "endColumnIndex": 3}
    replies = batch(
        sheets, sid,
        {"setDataValidation": {"range": {**area, "endColumnIndex": 1},
                               "rule": {"condition": {"type": "BOOLEAN"}}}},
        {"setDataValidation": {"range": {**area, "startColumnIndex": 1, "endColumnIndex": 2},
                               "rule": {"condition": {"type": "ONE_OF_LIST", "values": [
                                   {"userEnteredValue": "Đạt"}, {"userEnteredValue": "Chưa"}]},
                                   "strict": True, "showCustomUi": True}}},
        {"addConditionalFormatRule": {"index": 0, "rule": {"ranges": [area], "booleanRule": {
            "condition": {"type": "TEXT_EQ", "values": [{"userEnteredValue": "Chưa"}]},
            "format": {"backgroundColor": {"red": 1}}}}}},
        {"mergeCells": {"range": {"sheetId": 0, "startRowIndex": 0, "endRowIndex": 1,
                                  "startColumnIndex": 0, "endColumnIndex": 3},
                        "mergeType": "MERGE_ALL"}},
        {"addNamedRange": {"namedRange": {"name": "BangDiem", "range": area}}},
        {"updateBorders": {"range": area, "top": {"style": "SOLID"},
                           "bottom": {"style": "SOLID"}}},
        {"setBasicFilter": {"filter": {"range": area}}},
        {"addBanding": {"bandedRange": {"range": area, "rowProperties": {
            "headerColor": {"blue": 1}, "firstBandColor": {"red": 1, "green": 1, "blue": 1},
            "secondBandColor": {"green": 1}}}}},
    )
    named = replies[4]["addNamedRange"]["namedRange"]
    assert replies[7]["addBanding"]["bandedRange"]["bandedRangeId"]
    got = run(sheets.spreadsheets().get(spreadsheetId=sid))
    sheet = got["sheets"][0]
    assert sheet["merges"] == [{"startRowIndex": 0, "endRowIndex": 1, "startColumnIndex": 0,
                                "endColumnIndex": 3}]
    assert sheet["conditionalFormats"][0]["booleanRule"]["condition"]["type"] == "TEXT_EQ"
    assert sheet["basicFilter"]["range"]["endRowIndex"] == 5
    assert len(sheet["bandedRanges"]) == 1
    assert got["namedRanges"][0]["name"] == "BangDiem"
    assert cell_data(sheets, sid, "A2")["dataValidation"]["condition"] == {"type": "BOOLEAN"}
    assert cell_data(sheets, sid, "B3")["dataValidation"]["strict"] is True
    assert cell_data(sheets, sid, "A2")["userEnteredFormat"]["borders"]["top"]["style"] == "SOLID"
    batch(sheets, sid,
          {"unmergeCells": {"range": {"sheetId": 0, "startRowIndex": 0, "endRowIndex": 1,
                                      "startColumnIndex": 0, "endColumnIndex": 3}}},
          {"updateNamedRange": {"namedRange": {"namedRangeId": named["namedRangeId"],
                                               "name": "BangDiemMoi"}, "fields": "name"}},
          {"clearBasicFilter": {"sheetId": 0}})
    got = run(sheets.spreadsheets().get(spreadsheetId=sid, fields="sheets,namedRanges"))
    assert "merges" not in got["sheets"][0] and "basicFilter" not in got["sheets"][0]
    assert got["namedRanges"][0]["name"] == "BangDiemMoi"
    batch(sheets, sid, {"deleteNamedRange": {"namedRangeId": named["namedRangeId"]}})
    assert "namedRanges" not in run(sheets.spreadsheets().get(spreadsheetId=sid))


def test_a_misspelled_field_is_rejected_with_googles_message_then_the_fix_succeeds(
    owner: Clients, sheets: Any
) -> None:
    sid = new_spreadsheet(owner)
    wrong = {"updateCells": {"start": {"sheetId": 0}, "fields": "userEnteredValue",
                             "rows": [{"values": [{"userEnteredValeu": {"stringValue": "x"}}]}]}}
    code, status, message = error_of(lambda: batch(sheets, sid, wrong))
    assert (code, status) == (400, "INVALID_ARGUMENT")
    assert message == ('Invalid JSON payload received. Unknown name "userEnteredValeu" at '
                       "'requests[0].update_cells.rows[0].values[0]': Cannot find field.")
    right = {"updateCells": {"start": {"sheetId": 0}, "fields": "userEnteredValue",
                             "rows": [{"values": [{"userEnteredValue": {"stringValue": "x"}}]}]}}
    batch(sheets, sid, right)
    assert cell_data(sheets, sid, "A1")["formattedValue"] == "x"


def test_a_failing_request_leaves_the_whole_batch_unapplied(owner: Clients, sheets: Any) -> None:
    sid = new_spreadsheet(owner)
    _code, _, message = error_of(lambda: batch(
        sheets, sid,
        {"updateSpreadsheetProperties": {"properties": {"title": "Đổi"}, "fields": "title"}},
        {"addSheet": {"properties": {"title": "Mới"}}},
        {"deleteSheet": {"sheetId": 424242}}))
    assert message == "Invalid requests[2].deleteSheet: No grid with id: 424242"
    got = run(sheets.spreadsheets().get(spreadsheetId=sid))
    assert got["properties"]["title"] == "Bảng tổng hợp" and len(got["sheets"]) == 1
    assert owner.service("drive").files().get(fileId=sid).execute()["name"] == "Bảng tổng hợp"


def test_get_with_ranges_and_a_fields_mask_answers_only_those_cells(
    owner: Clients, sheets: Any
) -> None:
    sid = new_spreadsheet(owner)
    run(sheets.spreadsheets().values().update(spreadsheetId=sid, range="A1",
                                              valueInputOption="USER_ENTERED",
                                              body={"values": [["=1+2", "x"], ["y", "z"]]}))
    got = run(sheets.spreadsheets().get(
        spreadsheetId=sid, ranges=["Sheet1!A1:B1"],
        fields="sheets.data.rowData.values.userEnteredValue,sheets.properties.title,"
               "spreadsheetUrl"))
    assert got["sheets"] == [{"properties": {"title": "Sheet1"}, "data": [{"rowData": [
        {"values": [{"userEnteredValue": {"formulaValue": "=1+2"}},
                    {"userEnteredValue": {"stringValue": "x"}}]}]}]}]
    assert set(got) == {"sheets", "spreadsheetUrl"}
    assert cell_data(sheets, sid, "A1")["formattedValue"] == "3"
