"""The Sheets emulator through gspread 6.2 (the library most Python code uses), and the
spreadsheet file type through Drive: create, copy, rename, export as CSV, import a CSV."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import gspread
import pytest
from googleapiclient.http import MediaInMemoryUpload

from functions.adapters.clients import Clients
from tests.e2e.emulator.sheets_helpers import OWNER, new_spreadsheet, run

SHEET = "application/vnd.google-apps.spreadsheet"


@pytest.fixture
def owner(as_user: Callable[[str], Clients]) -> Clients:
    return as_user(OWNER)


@pytest.fixture
def book(owner: Clients) -> gspread.Spreadsheet:
    return owner.gspread.create("Sổ điểm")


def test_gspread_updates_appends_and_reads_a_worksheet(book: gspread.Spreadsheet) -> None:
    sheet = book.sheet1
    sheet.update([["Mã", "Tên", "Điểm"], ["01", "An", "=2+3"]], "A1",
                 value_input_option=gspread.utils.ValueInputOption.user_entered)
    sheet.append_row(["02", "Bình", "8"], value_input_option=gspread.utils.ValueInputOption.raw)
    sheet.batch_update([{"range": "D1:D2", "values": [["Ghi chú"], ["tốt"]]}])
    assert sheet.get_all_values()[:3] == [["Mã", "Tên", "Điểm", "Ghi chú"],
                                          ["1", "An", "5", "tốt"], ["02", "Bình", "8", ""]]
    formula = gspread.utils.ValueRenderOption.formula
    assert sheet.acell("C2", value_render_option=formula).value == "=2+3"
    assert sheet.get_all_records()[1] == {"Mã": 2, "Tên": "Bình", "Điểm": 8, "Ghi chú": ""}


def test_gspread_formats_freezes_protects_and_manages_worksheets(
    book: gspread.Spreadsheet,
) -> None:
    sheet = book.add_worksheet("Tổng hợp", rows=20, cols=5)
    sheet.format("A1:C1", {"textFormat": {"bold": True}, "backgroundColor": {"red": 0.9}})
    sheet.freeze(rows=1)
    sheet.update_title("Tổng hợp 2024")
    sheet.add_protected_range("A1:C1", editor_users_emails=[OWNER], description="Tiêu đề")
    sheet.merge_cells("A2:B2")
    sheet.update_tab_color("#FF8000")
    sheet.add_rows(5)
    fetched = book.worksheet("Tổng hợp 2024")
    assert (fetched.row_count, fetched.col_count, fetched.frozen_row_count) == (25, 5, 1)
    assert fetched.get_tab_color() == "#FF8000"
    metadata = book.fetch_sheet_metadata()
    protected = metadata["sheets"][1]["protectedRanges"][0]
    assert protected["description"] == "Tiêu đề" and OWNER in protected["editors"]["users"]
    assert metadata["sheets"][1]["merges"][0]["startRowIndex"] == 1
    book.del_worksheet(sheet)
    assert [ws.title for ws in book.worksheets()] == ["Sheet1"]


def test_a_spreadsheet_made_through_drive_is_a_real_spreadsheet_and_exports_as_csv(
    owner: Clients,
) -> None:
    drive = owner.service("drive")
    created = drive.files().create(body={"name": "Qua Drive", "mimeType": SHEET}).execute()
    sheets = owner.service("sheets")
    run(sheets.spreadsheets().values().update(
        spreadsheetId=created["id"], range="A1", valueInputOption="USER_ENTERED",
        body={"values": [["Tên", "Điểm"], ["An, B", "9,5"], ["Chi", "=1+1"]]}))
    csv = drive.files().export(fileId=created["id"], mimeType="text/csv").execute()
    assert csv.decode("utf-8") == 'Tên,Điểm\r\n"An, B","9,5"\r\nChi,2\r\n'
    copied = drive.files().copy(fileId=created["id"], body={"name": "Bản sao"}).execute()
    got = run(sheets.spreadsheets().get(spreadsheetId=copied["id"]))
    assert got["properties"]["title"] == "Bản sao"
    assert run(sheets.spreadsheets().values().get(spreadsheetId=copied["id"], range="A3:B3"))[
        "values"] == [["Chi", "2"]]
    drive.files().update(fileId=copied["id"], body={"name": "Đổi tên"}).execute()
    assert run(sheets.spreadsheets().get(spreadsheetId=copied["id"]))["properties"][
        "title"] == "Đổi tên"
    drive.files().delete(fileId=copied["id"]).execute()


def test_a_csv_uploaded_as_a_spreadsheet_is_imported_as_typed_values(owner: Clients) -> None:
    drive = owner.service("drive")
    media = MediaInMemoryUpload("Mã,Số\n001,12\n".encode(), mimetype="text/csv")
    created = drive.files().create(body={"name": "Nhập", "mimeType": SHEET},
                                   media_body=media).execute()
    values = run(owner.service("sheets").spreadsheets().values().get(
        spreadsheetId=created["id"], range="Sheet1", valueRenderOption="UNFORMATTED_VALUE"))
    assert values["values"] == [["Mã", "Số"], [1, 12]]


def test_the_pages_helper_sees_what_spreadsheets_get_answers(owner: Clients, emulator: Any) -> None:
    from emulator.services.sheets import spreadsheet_resource

    sid = new_spreadsheet(owner, "Cho trang")
    run(owner.service("sheets").spreadsheets().values().update(
        spreadsheetId=sid, range="A1", valueInputOption="RAW", body={"values": [["x"]]}))
    with emulator.emulator.lock:
        resource = spreadsheet_resource(emulator.emulator, sid, include_grid_data=True)
    assert resource["properties"]["title"] == "Cho trang"
    assert resource["sheets"][0]["data"][0]["rowData"][0]["values"][0]["formattedValue"] == "x"
