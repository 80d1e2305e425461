"""The sheet and doc pages and the Drive browser, read over HTTP with requests (no browser)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import requests

from emulator.server import RunningEmulator
from functions.adapters.clients import Clients

OWNER = "ht.trang@sgddt-demo.edu.vn"
READER = "gv.lan@sgddt-demo.edu.vn"
STRANGER = "nguoi.la@example.com"


def share(drive: Any, file_id: str, email: str, role: str = "reader") -> None:
    drive.permissions().create(fileId=file_id, sendNotificationEmail=False, body={
        "type": "user", "role": role, "emailAddress": email}).execute()


def make_sheet(owner: Clients) -> tuple[str, int]:
    sheets = owner.service("sheets").spreadsheets()
    made = sheets.create(body={
        "properties": {"title": "Tổng hợp <b>quý</b>"},
        "sheets": [{"properties": {"title": "Đơn vị", "gridProperties": {"frozenRowCount": 1}}},
                   {"properties": {"title": "Tổng hợp"}}],
    }).execute()
    spreadsheet_id = made["spreadsheetId"]
    second = made["sheets"][1]["properties"]["sheetId"]
    first = made["sheets"][0]["properties"]["sheetId"]
    sheets.values().update(
        spreadsheetId=spreadsheet_id, range="'Đơn vị'!A1:C3", valueInputOption="RAW",
        body={"values": [["Đơn vị", "Số GV", "Đã nộp"], ["Trường A", "12", True],
                         ["<script>alert(1)</script>", "7", False]]}).execute()
    sheets.values().update(spreadsheetId=spreadsheet_id, range="'Tổng hợp'!A1",
                           valueInputOption="RAW", body={"values": [["Tổng cộng: 19"]]}).execute()
    sheets.batchUpdate(spreadsheetId=spreadsheet_id, body={"requests": [
        {"setDataValidation": {
            "range": {"sheetId": first, "startRowIndex": 1, "endRowIndex": 3,
                      "startColumnIndex": 2, "endColumnIndex": 3},
            "rule": {"condition": {"type": "BOOLEAN"}}}},
        {"addProtectedRange": {"protectedRange": {
            "range": {"sheetId": first, "startColumnIndex": 0, "endColumnIndex": 1},
            "description": "Cột đơn vị", "warningOnly": True}}},
        {"updateCells": {"range": {"sheetId": first, "startRowIndex": 1, "endRowIndex": 2,
                                   "startColumnIndex": 1, "endColumnIndex": 2},
                         "rows": [{"values": [{"note": "Số liệu tháng 3"}]}],
                         "fields": "note"}},
    ]}).execute()
    return spreadsheet_id, second


def test_the_sheet_page_shows_tabs_values_checkboxes_protection_and_notes(
    emulator: RunningEmulator, as_user: Callable[[str], Clients]
) -> None:
    owner = as_user(OWNER)
    spreadsheet_id, second = make_sheet(owner)
    share(owner.service("drive"), spreadsheet_id, READER)
    url = f"{emulator.url}/spreadsheets/d/{spreadsheet_id}/edit"
    page = requests.get(url, params={"as": READER}, timeout=30)
    assert page.status_code == 200, page.text
    html = page.text
    assert "Tổng hợp &lt;b&gt;quý&lt;/b&gt;" in html
    assert "Đơn vị" in html and f'href="?gid={second}"' in html
    assert "Trường A" in html and ">12<" in html
    assert "☑" in html and "☐" in html
    assert 'class="header"' in html  # the frozen header row is styled
    assert "protected" in html
    assert "Số liệu tháng 3" in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and "<script>alert(1)" not in html
    other_tab = requests.get(url, params={"as": READER, "gid": str(second)}, timeout=30).text
    assert "Tổng cộng: 19" in other_tab and "Trường A" not in other_tab


def test_the_sheet_page_refuses_a_stranger_and_its_version_changes_with_the_values(
    emulator: RunningEmulator, as_user: Callable[[str], Clients]
) -> None:
    owner = as_user(OWNER)
    spreadsheet_id, _ = make_sheet(owner)
    url = f"{emulator.url}/spreadsheets/d/{spreadsheet_id}"
    refused = requests.get(url, params={"as": STRANGER}, timeout=30)
    assert refused.status_code == 403
    assert "Bạn không có quyền xem bảng tính này." in refused.text
    page = requests.get(url, params={"as": OWNER}, timeout=30)
    assert f"/spreadsheets/d/{spreadsheet_id}/version" in page.text  # the page polls it
    before = requests.get(f"{url}/version", params={"as": OWNER}, timeout=30).json()["version"]
    owner.service("sheets").spreadsheets().values().update(
        spreadsheetId=spreadsheet_id, range="'Đơn vị'!B2", valueInputOption="RAW",
        body={"values": [["13"]]}).execute()
    after = requests.get(f"{url}/version", params={"as": OWNER}, timeout=30).json()["version"]
    assert before != after


def test_the_doc_page_renders_headings_styles_tables_and_the_page_size(
    emulator: RunningEmulator, as_user: Callable[[str], Clients]
) -> None:
    owner = as_user(OWNER)
    docs = owner.service("docs").documents()
    document_id = docs.create(body={"title": "Báo cáo điển hình"}).execute()["documentId"]
    text = "Báo cáo tổng kết\nNội dung <script>x</script> in đậm\n"
    docs.batchUpdate(documentId=document_id, body={"requests": [
        {"insertText": {"location": {"index": 1}, "text": text}},
        {"updateParagraphStyle": {"range": {"startIndex": 1, "endIndex": 17},
                                  "paragraphStyle": {"namedStyleType": "HEADING_1",
                                                     "alignment": "CENTER"},
                                  "fields": "namedStyleType,alignment"}},
        {"updateTextStyle": {"range": {"startIndex": 18, "endIndex": 26},
                             "textStyle": {"bold": True}, "fields": "bold"}},
        {"updateDocumentStyle": {"documentStyle": {"pageSize": {
            "width": {"magnitude": 841.89, "unit": "PT"},
            "height": {"magnitude": 595.28, "unit": "PT"}}}, "fields": "pageSize"}},
    ]}).execute()
    end = docs.get(documentId=document_id).execute()["body"]["content"][-1]["endIndex"]
    replies = docs.batchUpdate(documentId=document_id, body={"requests": [
        {"insertTable": {"rows": 2, "columns": 2, "location": {"index": end - 1}}},
        {"createHeader": {"type": "DEFAULT"}}, {"createFooter": {"type": "DEFAULT"}},
    ]}).execute()["replies"]
    header_id, footer_id = replies[1]["createHeader"]["headerId"], replies[2]["createFooter"][
        "footerId"]
    docs.batchUpdate(documentId=document_id, body={"requests": [
        {"insertText": {"location": {"segmentId": header_id, "index": 0},
                        "text": "SỞ GIÁO DỤC VÀ ĐÀO TẠO"}},
        {"insertText": {"location": {"segmentId": footer_id, "index": 0},
                        "text": "Lưu hành nội bộ"}},
    ]}).execute()
    share(owner.service("drive"), document_id, READER)
    page = requests.get(f"{emulator.url}/document/d/{document_id}/edit", params={"as": READER},
                        timeout=30)
    assert page.status_code == 200, page.text
    html = page.text
    assert '<h1 class="para" style="text-align: center">' in html
    assert "Báo cáo tổng kết" in html
    assert '<span class="b">Nội dung</span>' in html
    assert "&lt;script&gt;x&lt;/script&gt;" in html
    assert "Khổ giấy A4, hướng ngang" in html
    assert 'class="doc-table"' in html
    assert 'aria-label="Đầu trang"' in html and "SỞ GIÁO DỤC VÀ ĐÀO TẠO" in html
    assert 'aria-label="Chân trang"' in html and "Lưu hành nội bộ" in html
    refused = requests.get(f"{emulator.url}/document/d/{document_id}", params={"as": STRANGER},
                           timeout=30)
    assert refused.status_code == 403


def test_the_drive_browser_lists_only_what_the_chosen_person_may_see(
    emulator: RunningEmulator, as_user: Callable[[str], Clients]
) -> None:
    owner = as_user(OWNER)
    drive = owner.service("drive")
    folder = drive.files().create(body={"name": "Hồ sơ thi đua",
                                        "mimeType": "application/vnd.google-apps.folder"},
                                  fields="id").execute()["id"]
    shared_sheet = drive.files().create(body={
        "name": "Bảng tổng hợp", "parents": [folder],
        "mimeType": "application/vnd.google-apps.spreadsheet"}, fields="id").execute()["id"]
    drive.files().create(body={"name": "Bí mật <i>riêng</i>",
                               "mimeType": "application/vnd.google-apps.document"}).execute()
    share(drive, folder, READER)
    team = drive.drives().create(requestId="drive-browser-test",
                                 body={"name": "Phòng Tổ chức cán bộ"}).execute()["id"]
    drive.files().create(supportsAllDrives=True, body={
        "name": "Kế hoạch năm", "parents": [team],
        "mimeType": "application/vnd.google-apps.document"}).execute()

    mine = requests.get(emulator.url + "/", params={"as": OWNER}, timeout=30).text
    assert "Hồ sơ thi đua" in mine and "Bí mật &lt;i&gt;riêng&lt;/i&gt;" in mine
    theirs = requests.get(emulator.url + "/", params={"as": READER}, timeout=30).text
    assert "Hồ sơ thi đua" in theirs and "Bí mật" not in theirs
    inside = requests.get(f"{emulator.url}/drive/folders/{folder}", params={"as": READER},
                          timeout=30)
    assert inside.status_code == 200
    assert "Bảng tổng hợp" in inside.text and "Bảng tính" in inside.text
    assert f"/spreadsheets/d/{shared_sheet}/edit" in inside.text
    assert OWNER in inside.text  # the owner column
    refused = requests.get(f"{emulator.url}/drive/folders/{folder}", params={"as": STRANGER},
                           timeout=30)
    assert refused.status_code == 403
    assert "Phòng Tổ chức cán bộ" in mine and "Phòng Tổ chức cán bộ" not in theirs
    in_team = requests.get(f"{emulator.url}/drive/folders/{team}", params={"as": OWNER},
                           timeout=30).text
    assert "Kế hoạch năm" in in_team and "Bộ nhớ dùng chung «Phòng Tổ chức cán bộ»" in in_team
    assert requests.get(f"{emulator.url}/drive/folders/{team}", params={"as": READER},
                        timeout=30).status_code == 403


def test_the_sign_in_form_sets_the_cookie_that_chooses_who_browses(
    emulator: RunningEmulator, as_user: Callable[[str], Clients]
) -> None:
    session = requests.Session()
    answer = session.post(f"{emulator.url}/whoami", data={"email": READER, "next": "/?as=x"},
                          allow_redirects=False, timeout=30)
    assert answer.status_code == 303 and answer.headers["Location"] == "/"
    assert session.cookies.get("emulator_user") == READER
    page = session.get(emulator.url + "/", timeout=30).text
    assert f'value="{READER}"' in page
    off_site = session.post(f"{emulator.url}/whoami", timeout=30, allow_redirects=False,
                            data={"email": READER, "next": "//evil.example/"})
    assert off_site.headers["Location"] == "/"
