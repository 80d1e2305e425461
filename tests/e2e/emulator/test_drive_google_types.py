"""Drive and the Google file types: HTML imported as a Doc, exports, a copied form keeping its
questions, and gspread's Drive calls (open, list, copy, export, share, delete)."""

from __future__ import annotations

from collections.abc import Callable

import gspread
import pytest
from googleapiclient.http import MediaInMemoryUpload

from functions.adapters.clients import Clients
from tests.e2e.emulator.test_drive_files import (
    ORG,
    SHEET,
    checked,
    drive_of,
    error_of,
    new_folder,
    new_shared_drive,
)

DOC = "application/vnd.google-apps.document"
ALL = {"supportsAllDrives": True}
HTML = ("<html><body><h1>Báo cáo sơ kết</h1><p>Đơn vị: <b>Trường A</b></p>"
        "<table><tr><td>Tiêu chí</td><td>Kết quả</td></tr>"
        "<tr><td>1</td><td>Đạt</td></tr></table></body></html>")


def upload_doc(clients: Clients, parent: str) -> str:
    media = MediaInMemoryUpload(HTML.encode(), mimetype="text/html")
    made = checked(drive_of(clients).files().create(
        body={"name": "Báo cáo", "mimeType": DOC, "parents": [parent]}, media_body=media,
        fields="id,name,mimeType", **ALL).execute())
    assert made["mimeType"] == DOC
    return str(made["id"])


def test_html_uploaded_as_a_doc_is_imported_with_its_heading_and_table(clients: Clients) -> None:
    doc_id = upload_doc(clients, new_shared_drive(clients))
    document = clients.service("docs").documents().get(documentId=doc_id).execute()
    content = document["body"]["content"]
    headings = [e for e in content if e.get("paragraph", {}).get("paragraphStyle", {})
                .get("namedStyleType") == "HEADING_1"]
    assert headings, "the <h1> should become a HEADING_1 paragraph"
    tables = [e["table"] for e in content if "table" in e]
    assert tables and tables[0]["rows"] == 2 and tables[0]["columns"] == 2


def test_a_doc_exports_as_text_and_html_but_a_blob_does_not_export(clients: Clients) -> None:
    drive = drive_of(clients)
    drive_id = new_shared_drive(clients)
    doc_id = upload_doc(clients, drive_id)
    text = drive.files().export(fileId=doc_id, mimeType="text/plain").execute().decode()
    assert "Báo cáo sơ kết" in text and "Trường A" in text
    html = drive.files().export(fileId=doc_id, mimeType="text/html").execute().decode()
    assert "Báo cáo sơ kết" in html
    code, _, message = error_of(lambda: drive.files().export(
        fileId=doc_id, mimeType="image/gif").execute())
    assert (code, message) == (400, "The requested conversion is not supported.")
    blob = drive.files().create(body={"name": "a.txt", "parents": [drive_id]}, **ALL,
                                media_body=MediaInMemoryUpload(b"x", mimetype="text/plain"))
    blob_id = blob.execute()["id"]
    code, reason, _ = error_of(lambda: drive.files().export(
        fileId=blob_id, mimeType="text/plain").execute())
    assert (code, reason) == (403, "fileNotExportable")
    code, reason, _ = error_of(lambda: drive.files().get_media(fileId=doc_id, **ALL).execute())
    assert (code, reason) == (403, "fileNotDownloadable")


def test_renaming_a_doc_through_drive_renames_the_document(clients: Clients) -> None:
    doc_id = upload_doc(clients, new_shared_drive(clients))
    drive_of(clients).files().update(fileId=doc_id, body={"name": "Báo cáo 6 tháng"},
                                     **ALL).execute()
    document = clients.service("docs").documents().get(documentId=doc_id).execute()
    assert document["title"] == "Báo cáo 6 tháng"


def test_a_copied_form_keeps_its_questions(
    clients: Clients, as_user: Callable[[str], Clients],
) -> None:
    admin = as_user(f"admin@{ORG}")
    drive_id = new_shared_drive(clients)
    drive_of(clients).permissions().create(fileId=drive_id, body={
        "type": "user", "role": "organizer", "emailAddress": f"admin@{ORG}"}, **ALL).execute()
    forms = admin.service("forms")
    form = forms.forms().create(body={"info": {"title": "Mẫu kế hoạch"}}).execute()
    forms.forms().batchUpdate(formId=form["formId"], body={"requests": [{"createItem": {
        "item": {"title": "Họ và tên", "questionItem": {"question": {
            "required": True, "textQuestion": {}}}},
        "location": {"index": 0}}}]}).execute()
    copied = drive_of(admin).files().copy(fileId=form["formId"], body={
        "name": "Kế hoạch — Trường A", "parents": [drive_id],
        "appProperties": {"unit": "a"}}, fields="id,name,parents,driveId", **ALL).execute()
    assert copied["driveId"] == drive_id and copied["name"] == "Kế hoạch — Trường A"
    got = clients.service("forms").forms().get(formId=copied["id"]).execute()
    assert [item["title"] for item in got["items"]] == ["Họ và tên"]


def test_gspread_opens_lists_copies_shares_and_deletes_through_drive(clients: Clients) -> None:
    drive = drive_of(clients)
    folder = new_folder(clients, new_shared_drive(clients), "Đơn vị")
    made = drive.files().create(body={"name": "Theo dõi — Trường A", "mimeType": SHEET,
                                      "parents": [folder]}, **ALL).execute()
    gc = clients.gspread
    assert gc.open_by_key(made["id"]).title == "Theo dõi — Trường A"
    assert gc.open("Theo dõi — Trường A").id == made["id"]
    listed = gc.list_spreadsheet_files(folder_id=folder)
    assert [f["id"] for f in listed] == [made["id"]]
    copy = gc.copy(made["id"], title="Bản sao", folder_id=folder)
    assert copy.title == "Bản sao"
    csv = gc.export(made["id"], format=gspread.utils.ExportFormat.CSV)
    assert isinstance(csv, bytes)
    copy.share(f"ht.a@{ORG}", perm_type="user", role="writer", notify=False)
    assert any(p.get("emailAddress") == f"ht.a@{ORG}" for p in copy.list_permissions())
    gc.del_spreadsheet(copy.id)
    with pytest.raises(gspread.exceptions.SpreadsheetNotFound):
        gc.open("Bản sao")
