"""Drive v3 shared drives: create (idempotent by ``requestId``), get, list, update, delete,
hide/unhide. Members are permissions on the drive id (``drive_permissions``).

reference/rest/v3/drives/...:
- create: "A repeated request by the same user and with the same request ID will avoid creating
  duplicates ... If the shared drive already exists a 409 error will be returned." The drive id
  is not the request id. Restrictions cannot be set at creation (Drive.restrictions).
- get/update/delete of a drive the caller is not a member of: 404 "Shared drive not found: <id>".
- delete: a drive with items answers 403 cannotDeleteResourceWithChildren.
"""

from __future__ import annotations

from typing import Any

from emulator import paging
from emulator.core import Call
from emulator.errors import ApiError
from emulator.services import handles
from emulator.services.drive_common import RANK, insufficient, permission_id_of, rank

RESTRICTIONS = ("adminManagedRestrictions", "copyRequiresWriterPermission", "domainUsersOnly",
                "driveMembersOnly", "sharingFoldersRequiresOrganizerPermission")


def _held(call: Call, drive_id: str) -> int:
    return rank(call, {"id": drive_id, "driveId": drive_id})


def _load(call: Call, role: str = "reader") -> dict[str, Any]:
    drive_id = call.params["driveId"]
    drive = call.store.get("drives", drive_id)
    held = _held(call, drive_id) if drive is not None else 0
    if drive is None or held == 0:
        raise ApiError(404, f"Shared drive not found: {drive_id}", location="driveId")
    if held < RANK[role]:
        raise insufficient()
    return drive  # type: ignore[no-any-return,unused-ignore]


def render(call: Call, drive: dict[str, Any]) -> dict[str, Any]:
    held = _held(call, drive["id"])
    organizer = held >= RANK["organizer"]
    writer = held >= RANK["writer"]
    return {
        "kind": "drive#drive", "id": drive["id"], "name": drive["name"],
        "createdTime": drive["createdTime"], "hidden": bool(drive.get("hidden")),
        "colorRgb": drive.get("colorRgb", "#4986e7"), "themeId": drive.get("themeId", ""),
        "restrictions": {key: bool((drive.get("restrictions") or {}).get(key))
                         for key in RESTRICTIONS},
        "capabilities": {
            "canAddChildren": writer, "canComment": held >= RANK["commenter"],
            "canCopy": True, "canDeleteDrive": organizer, "canDownload": True,
            "canEdit": writer, "canListChildren": True, "canManageMembers": organizer,
            "canReadRevisions": writer, "canRename": writer, "canRenameDrive": organizer,
            "canShare": organizer, "canDeleteChildren": held >= RANK["fileOrganizer"],
            "canTrashChildren": held >= RANK["fileOrganizer"],
            "canChangeDomainUsersOnlyRestriction": organizer,
            "canChangeDriveMembersOnlyRestriction": organizer,
            "canChangeCopyRequiresWriterPermissionRestriction": organizer,
            "canChangeSharingFoldersRequiresOrganizerPermissionRestriction": organizer,
            "canChangeDriveBackground": organizer, "canResetDriveRestrictions": organizer,
            "canChangeDownloadRestriction": organizer,
        },
    }


@handles("drive.drives.create")
def create(call: Call) -> Any:
    request_id = call.arg("requestId")
    if not request_id:
        raise ApiError(400, "Required parameter: requestId", reason="required",
                       location="requestId")
    key = f"{call.user}\n{request_id}"
    if call.store.get("driveRequests", key) is not None:
        raise ApiError(409, "A shared drive with this request ID already exists.",
                       reason="duplicate")
    body = call.body or {}
    drive_id = "0A" + call.emulator.new_id(19)[1:]
    drive: dict[str, Any] = {
        "id": drive_id, "name": body.get("name") or "Untitled", "createdTime":
        call.emulator.timestamp(), "restrictions": {}, "hidden": False,
        "permissions": [{"id": permission_id_of(call.user), "type": "user",
                         "role": "organizer", "emailAddress": call.user}],
    }
    for key_name in ("colorRgb", "themeId"):
        if key_name in body:
            drive[key_name] = body[key_name]
    call.store.put("drives", drive_id, drive)
    call.store.put("driveRequests", key, {"driveId": drive_id})
    return render(call, drive)


@handles("drive.drives.get")
def get(call: Call) -> Any:
    return render(call, _load(call))


@handles("drive.drives.list")
def list_drives(call: Call) -> Any:
    mine = [d for d in call.store.collection("drives").values() if _held(call, d["id"]) > 0]
    mine.sort(key=lambda d: d["createdTime"])
    shown, following = paging.page(mine, call.arg("pageToken"), call.int_arg("pageSize", 10))
    answer: dict[str, Any] = {"kind": "drive#driveList",
                              "drives": [render(call, d) for d in shown]}
    if following:
        answer["nextPageToken"] = following
    return answer


@handles("drive.drives.update")
def update(call: Call) -> Any:
    drive = _load(call, "organizer")
    body = call.body or {}
    if "name" in body:
        drive["name"] = body["name"]
    for key_name in ("colorRgb", "themeId"):
        if key_name in body:
            drive[key_name] = body[key_name]
    restrictions = drive.setdefault("restrictions", {})
    for key_name, value in (body.get("restrictions") or {}).items():
        if key_name in RESTRICTIONS:
            restrictions[key_name] = bool(value)
    call.store.touch("drives", drive["id"])
    return render(call, drive)


@handles("drive.drives.delete")
def delete(call: Call) -> Any:
    drive = _load(call, "organizer")
    items = [f for f in call.store.collection("files").values() if f.get("driveId") == drive["id"]]
    if items:
        raise ApiError(403, "The shared drive cannot be deleted because it contains one or more "
                            "items.", reason="cannotDeleteResourceWithChildren")
    call.store.delete("drives", drive["id"])
    return None


@handles("drive.drives.hide", "drive.drives.unhide")
def hide(call: Call) -> Any:
    drive = _load(call)
    drive["hidden"] = call.method.id.endswith(".hide")
    call.store.touch("drives", drive["id"])
    return render(call, drive)
