"""Drive listing, visibility and sharing: q queries, who sees what, permissions, shared-drive
members and restrictions, and a batch of permission creates counted per inner call."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from functions.adapters.clients import Clients
from tests.e2e.emulator.test_drive_files import (
    FOLDER,
    ORG,
    checked,
    drive_of,
    error_of,
    new_folder,
    new_shared_drive,
)

HEAD = f"ht.a@{ORG}"
CLERK = f"vt.b@{ORG}"
OUTSIDER = "someone@example.org"
ALL = {"supportsAllDrives": True}


def add_member(clients: Clients, drive_id: str, email: str, role: str) -> dict[str, Any]:
    return checked(drive_of(clients).permissions().create(
        fileId=drive_id, body={"type": "user", "role": role, "emailAddress": email},
        sendNotificationEmail=False, **ALL).execute(), "Permission")


def listing(clients: Clients, q: str, **extra: Any) -> list[str]:
    answer = checked(drive_of(clients).files().list(
        q=q, includeItemsFromAllDrives=True, supportsAllDrives=True, orderBy="name",
        fields="nextPageToken,files(id,name)", **extra).execute(), "FileList")
    return [f["name"] for f in answer["files"]]


def test_q_queries_cover_names_types_parents_trash_and_app_properties(clients: Clients) -> None:
    drive = drive_of(clients)
    drive_id = new_shared_drive(clients)
    folder = new_folder(clients, drive_id, "Đơn vị")
    for name, props in (("Trường A", {"unit": "a", "kind": "sheet"}),
                        ("Trường B", {"unit": "b", "kind": "sheet"}),
                        ("O'Brien", {"kind": "doc"})):
        drive.files().create(body={"name": name, "mimeType": FOLDER, "parents": [folder],
                                   "appProperties": props}, **ALL).execute()
    scope = {"corpora": "drive", "driveId": drive_id}
    assert listing(clients, f"'{folder}' in parents", **scope) == ["O'Brien", "Trường A",
                                                                    "Trường B"]
    assert listing(clients, "name = 'O\\'Brien'", **scope) == ["O'Brien"]
    assert listing(clients, "name contains 'Trường' and not name = 'Trường B'",
                   **scope) == ["Trường A"]
    query = ("appProperties has { key='kind' and value='sheet' } and "
             "(appProperties has { key='unit' and value='b' } or name = 'none')")
    assert listing(clients, query, **scope) == ["Trường B"]
    assert listing(clients, f"mimeType != '{FOLDER}'", **scope) == []
    drive.files().update(fileId=folder, body={"trashed": True}, **ALL).execute()
    assert listing(clients, "trashed = false", **scope) == []
    assert "Đơn vị" in listing(clients, "trashed = true", **scope)
    code, reason, message = error_of(lambda: drive.files().list(q="name ~ 'x'").execute())
    assert (code, reason, message) == (400, "invalid", "Invalid Value")


def test_gspread_style_queries_with_double_quotes_are_understood(clients: Clients) -> None:
    drive_id = new_shared_drive(clients)
    folder = new_folder(clients, drive_id, "x")
    assert listing(clients, f'mimeType="{FOLDER}" and name = "x" and parents in "{drive_id}"') \
        == ["x"]
    assert folder


def test_pages_follow_the_page_token(clients: Clients) -> None:
    drive_id = new_shared_drive(clients)
    for index in range(5):
        new_folder(clients, drive_id, f"f{index}")
    names, token = [], None
    while True:
        answer = drive_of(clients).files().list(
            corpora="drive", driveId=drive_id, includeItemsFromAllDrives=True, pageSize=2,
            supportsAllDrives=True, orderBy="name desc", pageToken=token).execute()
        names += [f["name"] for f in answer["files"]]
        token = answer.get("nextPageToken")
        if not token:
            break
    assert names == ["f4", "f3", "f2", "f1", "f0"]


def test_shared_drive_items_are_listed_only_with_all_drives_flags(clients: Clients) -> None:
    drive_id = new_shared_drive(clients)
    new_folder(clients, drive_id, "hidden unless asked")
    plain = drive_of(clients).files().list(q="name = 'hidden unless asked'").execute()
    assert plain["files"] == []
    assert listing(clients, "name = 'hidden unless asked'") == ["hidden unless asked"]
    code, _, message = error_of(lambda: drive_of(clients).files().list(
        corpora="drive", includeItemsFromAllDrives=True, supportsAllDrives=True).execute())
    assert code == 400 and "if and only if corpora is set to drive" in message


def test_each_user_lists_only_what_is_shared_with_them(
    clients: Clients, as_user: Callable[[str], Clients],
) -> None:
    drive = drive_of(clients)
    drive_id = new_shared_drive(clients)
    unit_a, unit_b = new_folder(clients, drive_id, "A"), new_folder(clients, drive_id, "B")
    drive.permissions().create(fileId=unit_a, body={"type": "user", "role": "writer",
                                                    "emailAddress": HEAD}, **ALL).execute()
    head = as_user(HEAD)
    assert listing(head, "trashed = false") == ["A"]
    code, reason, _ = error_of(lambda: drive_of(head).files().get(fileId=unit_b, **ALL).execute())
    assert (code, reason) == (404, "notFound")
    code, reason, message = error_of(lambda: drive_of(head).files().delete(
        fileId=unit_a, **ALL).execute())
    assert (code, reason) == (403, "insufficientFilePermissions")
    assert message == "The user does not have sufficient permissions for this file."
    assert listing(as_user(CLERK), "trashed = false") == []


def test_permissions_create_list_update_delete_and_capabilities(
    clients: Clients, as_user: Callable[[str], Clients],
) -> None:
    drive = drive_of(clients)
    folder = new_folder(clients, new_shared_drive(clients))
    made = checked(drive.permissions().create(
        fileId=folder, body={"type": "user", "role": "reader", "emailAddress": HEAD},
        **ALL).execute(), "Permission")
    assert (made["role"], made["type"]) == ("reader", "user")
    seen = drive_of(as_user(HEAD)).files().get(fileId=folder, fields="capabilities", **ALL)
    assert seen.execute()["capabilities"]["canEdit"] is False
    drive.permissions().update(fileId=folder, permissionId=made["id"], body={"role": "writer"},
                               **ALL).execute()
    listed = checked(drive.permissions().list(fileId=folder, **ALL).execute(), "PermissionList")
    mine = [p for p in listed["permissions"] if p.get("emailAddress") == HEAD]
    assert [p["role"] for p in mine] == ["writer"]
    assert any(p["permissionDetails"][0]["inherited"] for p in listed["permissions"]
               if p.get("role") == "organizer")
    got = checked(drive.permissions().get(fileId=folder, permissionId=made["id"], **ALL)
                  .execute(), "Permission")
    assert got["role"] == "writer"
    drive.permissions().delete(fileId=folder, permissionId=made["id"], **ALL).execute()
    code, _, _ = error_of(lambda: drive_of(as_user(HEAD)).files().get(fileId=folder, **ALL)
                          .execute())
    assert code == 404


def test_a_published_responder_permission_is_listed_only_for_the_published_view(
    clients: Clients,
) -> None:
    drive = drive_of(clients)
    folder = new_folder(clients, new_shared_drive(clients))
    made = drive.permissions().create(fileId=folder, body={
        "type": "domain", "domain": ORG, "role": "reader", "view": "published"}, **ALL).execute()
    assert made["view"] == "published" and made["role"] == "reader"
    plain = drive.permissions().list(fileId=folder, **ALL).execute()["permissions"]
    assert all(p.get("view") != "published" for p in plain)
    published = drive.permissions().list(fileId=folder, includePermissionsForView="published",
                                         **ALL).execute()["permissions"]
    assert [p["id"] for p in published if p.get("view") == "published"] == [made["id"]]
    code, _, _ = error_of(lambda: drive.permissions().create(fileId=folder, body={
        "type": "anyone", "role": "publishedReader"}, **ALL).execute())
    assert code == 400


def test_a_person_without_a_google_account_needs_the_notification(clients: Clients) -> None:
    drive = drive_of(clients)
    folder = new_folder(clients, new_shared_drive(clients))
    code, reason, message = error_of(lambda: drive.permissions().create(
        fileId=folder, body={"type": "user", "role": "reader", "emailAddress": OUTSIDER},
        sendNotificationEmail=False, **ALL).execute())
    assert (code, reason) == (400, "invalidSharingRequest")
    assert message.startswith(f'Bad Request. User message: "You are trying to invite {OUTSIDER}.')
    drive.permissions().create(fileId=folder, body={
        "type": "user", "role": "reader", "emailAddress": OUTSIDER}, **ALL).execute()


def test_shared_drive_restrictions_limit_who_may_be_given_access(
    clients: Clients, as_user: Callable[[str], Clients],
) -> None:
    drive = drive_of(clients)
    drive_id = new_shared_drive(clients)
    folder = new_folder(clients, drive_id)
    updated = checked(drive.drives().update(driveId=drive_id, body={"restrictions": {
        "domainUsersOnly": True, "driveMembersOnly": True,
        "sharingFoldersRequiresOrganizerPermission": True}}).execute(), "Drive")
    assert updated["restrictions"]["domainUsersOnly"] is True
    code, reason, _ = error_of(lambda: drive.permissions().create(fileId=folder, body={
        "type": "user", "role": "reader", "emailAddress": "x@gmail.com"}, **ALL).execute())
    assert (code, reason) == (403, "teamDriveDomainUsersOnlyRestriction")
    code, reason, _ = error_of(lambda: drive.permissions().create(fileId=folder, body={
        "type": "user", "role": "reader", "emailAddress": HEAD}, **ALL).execute())
    assert (code, reason) == (403, "teamDriveTeamMembersOnlyRestriction")
    add_member(clients, drive_id, HEAD, "writer")
    add_member(clients, drive_id, CLERK, "reader")
    code, reason, _ = error_of(lambda: drive_of(as_user(HEAD)).permissions().create(
        fileId=folder, body={"type": "user", "role": "writer", "emailAddress": CLERK},
        **ALL).execute())
    assert (code, reason) == (403, "insufficientFilePermissions")
    drive.permissions().create(fileId=folder, body={
        "type": "user", "role": "writer", "emailAddress": CLERK}, **ALL).execute()


def test_a_writer_cannot_reshare_a_my_drive_file_when_writers_can_share_is_off(
    as_user: Callable[[str], Clients],
) -> None:
    owner = drive_of(as_user(f"admin@{ORG}"))
    folder = owner.files().create(body={"name": "Của tôi", "mimeType": FOLDER}).execute()["id"]
    owner.permissions().create(fileId=folder, body={"type": "user", "role": "writer",
                                                    "emailAddress": HEAD}).execute()
    owner.files().update(fileId=folder, body={"writersCanShare": False}).execute()
    head = drive_of(as_user(HEAD))
    assert head.files().get(fileId=folder, fields="capabilities(canShare)").execute() == {
        "capabilities": {"canShare": False}}
    code, reason, _ = error_of(lambda: head.permissions().create(fileId=folder, body={
        "type": "user", "role": "reader", "emailAddress": CLERK}).execute())
    assert (code, reason) == (403, "insufficientFilePermissions")
    code, reason, _ = error_of(lambda: owner.permissions().create(fileId=folder, body={
        "type": "user", "role": "owner", "emailAddress": HEAD}).execute())
    assert (code, reason) == (403, "forbidden")
    owner.permissions().create(fileId=folder, transferOwnership=True, body={
        "type": "user", "role": "owner", "emailAddress": HEAD}).execute()
    assert head.files().get(fileId=folder, fields="ownedByMe").execute() == {"ownedByMe": True}


def test_shared_drives_are_idempotent_by_request_id_and_listed_for_members(
    clients: Clients, as_user: Callable[[str], Clients],
) -> None:
    drive = drive_of(clients)
    made = drive.drives().create(requestId="req-1", body={"name": "Sở"}).execute()
    code, _, _ = error_of(lambda: drive.drives().create(requestId="req-1",
                                                        body={"name": "Sở"}).execute())
    assert code == 409
    assert [d["id"] for d in drive.drives().list().execute()["drives"]] == [made["id"]]
    assert checked(drive_of(as_user(HEAD)).drives().list().execute(), "DriveList")["drives"] == []
    code, _, message = error_of(lambda: drive_of(as_user(HEAD)).drives().get(
        driveId=made["id"]).execute())
    assert (code, message) == (404, f"Shared drive not found: {made['id']}")
    new_folder(clients, made["id"])
    code, reason, _ = error_of(lambda: drive.drives().delete(driveId=made["id"]).execute())
    assert (code, reason) == (403, "cannotDeleteResourceWithChildren")


def test_a_batch_of_permission_creates_is_counted_per_inner_call(
    clients: Clients, control: Any,
) -> None:
    drive = drive_of(clients)
    folder = new_folder(clients, new_shared_drive(clients))
    control.reset_calls()
    answers: dict[str, Any] = {}

    def collect(request_id: str, response: Any, exception: Any) -> None:
        answers[request_id] = exception or response

    batch = drive.new_batch_http_request(callback=collect)
    for index in range(3):
        batch.add(drive.permissions().create(fileId=folder, body={
            "type": "user", "role": "reader", "emailAddress": f"u{index}@{ORG}"},
            sendNotificationEmail=False, fields="id", **ALL))
    batch.execute()
    assert all(isinstance(a, dict) and a["id"] for a in answers.values()), answers
    assert len(answers) == 3
    assert control.calls()["methods"] == {"drive.permissions.create": 3}


def test_the_notification_parameter_is_refused_on_domain_and_anyone_grants(
    clients: Clients,
) -> None:
    drive = drive_of(clients)
    folder = new_folder(clients, new_shared_drive(clients))
    for body, notify in (({"type": "anyone", "role": "reader"}, False),
                         ({"type": "domain", "domain": ORG, "role": "reader"}, True)):
        code, reason, message = error_of(lambda b=body, n=notify: drive.permissions().create(
            fileId=folder, body=b, sendNotificationEmail=n, **ALL).execute())
        assert (code, reason) == (403, "forbidden"), body
        assert "only applicable for permissions of type 'user' or 'group'" in message
    made = drive.permissions().create(fileId=folder, body={"type": "anyone", "role": "reader"},
                                      **ALL).execute()
    assert made["type"] == "anyone"
    drive.permissions().create(fileId=folder, sendNotificationEmail=False, body={
        "type": "group", "role": "reader", "emailAddress": f"nhom@{ORG}"}, **ALL).execute()
