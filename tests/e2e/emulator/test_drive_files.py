"""Drive files through google-api-python-client and gspread: folders, Google types, uploads,
generated ids, get/update/copy/delete, and every JSON answer checked against its schema."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

import gspread
import pytest
from googleapiclient.errors import HttpError
from googleapiclient.http import MediaInMemoryUpload

from functions.adapters.clients import Clients

try:
    from tests.e2e.emulator.contract import assert_matches_schema
except ImportError:  # the shared contract helper has not landed yet: the same check, locally
    from emulator import schema

    def assert_matches_schema(service: str, schema_name: str, body: Any) -> None:
        schema.validate(service, schema_name, body, strict=True)


FOLDER = "application/vnd.google-apps.folder"
SHEET = "application/vnd.google-apps.spreadsheet"
ORG = "sgddt-demo.edu.vn"
ADMIN = f"admin@{ORG}"


def drive_of(clients: Clients) -> Any:
    return clients.service("drive")


def checked(answer: Any, schema_name: str = "File") -> Any:
    assert_matches_schema("drive.v3", schema_name, answer)
    return answer


def error_of(call: Callable[[], Any]) -> tuple[int, str, str]:
    """(status, reason, message) of a call expected to fail."""
    with pytest.raises(HttpError) as caught:
        call()
    import json

    error = json.loads(caught.value.content)["error"]
    return error["code"], error["errors"][0]["reason"], error["message"]


def new_shared_drive(clients: Clients, name: str = "Sở GD&ĐT") -> str:
    drive = checked(drive_of(clients).drives().create(
        requestId=str(uuid.uuid4()), body={"name": name}).execute(), "Drive")
    return str(drive["id"])


def new_folder(clients: Clients, parent: str, name: str = "Đơn vị") -> str:
    folder = checked(drive_of(clients).files().create(
        body={"name": name, "mimeType": FOLDER, "parents": [parent]},
        supportsAllDrives=True, fields="id,name,mimeType,parents,driveId").execute())
    return str(folder["id"])


def test_a_folder_in_a_shared_drive_belongs_to_that_drive(clients: Clients) -> None:
    drive_id = new_shared_drive(clients)
    folder_id = new_folder(clients, drive_id)
    got = checked(drive_of(clients).files().get(
        fileId=folder_id, supportsAllDrives=True, fields="*").execute())
    assert got["driveId"] == drive_id and got["parents"] == [drive_id]
    assert got["mimeType"] == FOLDER and "owners" not in got
    assert got["capabilities"]["canAddChildren"] is True


def test_a_shared_drive_item_is_not_found_without_supports_all_drives(clients: Clients) -> None:
    folder_id = new_folder(clients, new_shared_drive(clients))
    code, reason, message = error_of(
        lambda: drive_of(clients).files().get(fileId=folder_id).execute())
    assert (code, reason, message) == (404, "notFound", f"File not found: {folder_id}.")


def test_get_without_fields_answers_only_kind_id_name_and_mime_type(clients: Clients) -> None:
    folder_id = new_folder(clients, new_shared_drive(clients))
    got = drive_of(clients).files().get(fileId=folder_id, supportsAllDrives=True).execute()
    assert set(got) == {"kind", "id", "name", "mimeType"}


def test_the_storage_less_service_account_cannot_create_in_my_drive(clients: Clients) -> None:
    code, reason, message = error_of(lambda: drive_of(clients).files().create(
        body={"name": "x", "mimeType": FOLDER}).execute())
    assert (code, reason) == (403, "storageQuotaExceeded")
    assert message.startswith("Service Accounts do not have storage quota.")


def test_gspread_create_fails_for_the_storage_less_service_account(clients: Clients) -> None:
    with pytest.raises(gspread.exceptions.APIError) as caught:
        clients.gspread.create("Bảng tổng hợp")
    assert caught.value.response.status_code == 403
    assert "Service Accounts do not have storage quota" in str(caught.value)


def test_a_generated_id_is_honoured_and_a_retried_create_answers_409_without_a_twin(
    clients: Clients,
) -> None:
    drive = drive_of(clients)
    drive_id = new_shared_drive(clients)
    ids = checked(drive.files().generateIds(count=2, space="drive").execute(), "GeneratedIds")
    assert len(ids["ids"]) == 2 and ids["kind"] == "drive#generatedIds"
    body = {"id": ids["ids"][0], "name": "Lease", "mimeType": FOLDER, "parents": [drive_id]}
    made = drive.files().create(body=body, supportsAllDrives=True).execute()
    assert made["id"] == ids["ids"][0]
    code, reason, message = error_of(
        lambda: drive.files().create(body=body, supportsAllDrives=True).execute())
    assert (code, reason, message) == (409, "duplicate",
                                       "A file already exists with the provided ID.")
    twins = drive.files().list(q="name = 'Lease'", corpora="drive", driveId=drive_id,
                               includeItemsFromAllDrives=True, supportsAllDrives=True).execute()
    assert len(twins["files"]) == 1


def test_an_id_the_emulator_did_not_generate_is_not_usable(clients: Clients) -> None:
    drive_id = new_shared_drive(clients)
    code, _reason, message = error_of(lambda: drive_of(clients).files().create(
        body={"id": "1madeUpByTheCaller0000000000000000", "name": "x", "mimeType": FOLDER,
              "parents": [drive_id]}, supportsAllDrives=True).execute())
    assert (code, message) == (400, "The provided file ID is not usable.")


def test_a_generated_id_is_refused_for_a_docs_editors_format(clients: Clients) -> None:
    drive = drive_of(clients)
    drive_id = new_shared_drive(clients)
    generated = drive.files().generateIds(count=1).execute()["ids"][0]
    code, reason, message = error_of(lambda: drive.files().create(
        body={"id": generated, "name": "Sheet", "mimeType": SHEET, "parents": [drive_id]},
        supportsAllDrives=True).execute())
    assert (code, reason) == (403, "generatedIdNotSupported")
    assert message == "Generated IDs are not supported for Docs Editors formats."


def test_a_multipart_upload_is_stored_and_downloaded(clients: Clients) -> None:
    drive = drive_of(clients)
    drive_id = new_shared_drive(clients)
    media = MediaInMemoryUpload("Xin chào".encode(), mimetype="text/plain")
    made = checked(drive.files().create(
        body={"name": "note.txt", "parents": [drive_id]}, media_body=media,
        supportsAllDrives=True, fields="id,name,mimeType,size,md5Checksum").execute())
    assert made["mimeType"] == "text/plain" and made["size"] == str(len("Xin chào".encode()))
    content = drive.files().get_media(fileId=made["id"], supportsAllDrives=True).execute()
    assert content.decode() == "Xin chào"


def test_a_resumable_upload_arrives_whole(clients: Clients) -> None:
    drive = drive_of(clients)
    drive_id = new_shared_drive(clients)
    data = bytes(range(256)) * 2000  # 512 000 bytes, two chunks of 256 KiB
    media = MediaInMemoryUpload(data, mimetype="application/octet-stream", resumable=True,
                                chunksize=256 * 1024)
    made = drive.files().create(body={"name": "big.bin", "parents": [drive_id]},
                                media_body=media, supportsAllDrives=True,
                                fields="id,size").execute()
    assert made["size"] == str(len(data))
    assert drive.files().get_media(fileId=made["id"], supportsAllDrives=True).execute() == data


def test_update_renames_merges_app_properties_and_deletes_a_null_key(clients: Clients) -> None:
    drive = drive_of(clients)
    folder_id = new_folder(clients, new_shared_drive(clients))
    drive.files().update(fileId=folder_id, supportsAllDrives=True,
                         body={"appProperties": {"unit": "u1", "kind": "unit"}}).execute()
    got = checked(drive.files().update(
        fileId=folder_id, supportsAllDrives=True, fields="name,appProperties,description",
        body={"name": "Trường A", "description": "d", "appProperties": {"kind": None}}).execute())
    assert got == {"name": "Trường A", "description": "d", "appProperties": {"unit": "u1"}}


def test_a_file_moves_between_folders_with_add_and_remove_parents(clients: Clients) -> None:
    drive = drive_of(clients)
    drive_id = new_shared_drive(clients)
    first, second = new_folder(clients, drive_id, "A"), new_folder(clients, drive_id, "B")
    child = new_folder(clients, first, "child")
    moved = drive.files().update(fileId=child, addParents=second, removeParents=first,
                                 supportsAllDrives=True, fields="parents").execute()
    assert moved["parents"] == [second]
    code, reason, _ = error_of(lambda: drive.files().update(
        fileId=child, addParents=first, supportsAllDrives=True).execute())
    assert (code, reason) == (403, "cannotAddParent")


def test_trash_then_delete_removes_a_folder_and_its_contents(clients: Clients) -> None:
    drive = drive_of(clients)
    drive_id = new_shared_drive(clients)
    folder = new_folder(clients, drive_id)
    child = new_folder(clients, folder, "child")
    drive.files().update(fileId=folder, body={"trashed": True}, supportsAllDrives=True).execute()
    got = drive.files().get(fileId=child, supportsAllDrives=True,
                            fields="trashed,explicitlyTrashed").execute()
    assert got == {"trashed": True, "explicitlyTrashed": False}
    drive.files().delete(fileId=folder, supportsAllDrives=True).execute()
    code, _, _ = error_of(lambda: drive.files().get(fileId=child, supportsAllDrives=True)
                          .execute())
    assert code == 404


def test_copy_of_a_blob_keeps_its_bytes_and_takes_the_body_name(clients: Clients) -> None:
    drive = drive_of(clients)
    drive_id = new_shared_drive(clients)
    made = drive.files().create(
        body={"name": "a.txt", "parents": [drive_id]}, supportsAllDrives=True,
        media_body=MediaInMemoryUpload(b"abc", mimetype="text/plain")).execute()
    copied = checked(drive.files().copy(
        fileId=made["id"], body={"name": "b.txt", "appProperties": {"k": "v"}},
        supportsAllDrives=True, fields="id,name,parents,appProperties").execute())
    assert copied["name"] == "b.txt" and copied["parents"] == [drive_id]
    assert copied["appProperties"] == {"k": "v"}
    assert drive.files().get_media(fileId=copied["id"], supportsAllDrives=True).execute() == b"abc"


def test_about_reports_the_caller_and_a_zero_quota_for_the_service_account(
    clients: Clients, as_user: Callable[[str], Clients],
) -> None:
    about = checked(drive_of(clients).about().get(fields="user,storageQuota").execute(), "About")
    assert about["storageQuota"]["limit"] == "0" and about["user"]["me"] is True
    person = drive_of(as_user(ADMIN)).about().get(fields="user").execute()
    assert person["user"]["emailAddress"] == ADMIN
    code, _, message = error_of(lambda: drive_of(clients).about().get().execute())
    assert (code, message) == (400, "The 'fields' parameter is required for this method.")
