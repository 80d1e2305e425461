"""What every Drive handler shares: loading a file as the caller, Drive's errors, the File resource.

Sources (developers.google.com/workspace/drive/api/...):
- reference/rest/v3/files: without ``fields`` v3 answers only ``kind,id,name,mimeType``.
- guides/enable-shareddrives: an item in a shared drive is "not found" unless the request says
  ``supportsAllDrives=true``.
- Error messages: "File not found: <id>." (reason notFound, location fileId) and "The user does
  not have sufficient permissions for this file." (insufficientFilePermissions), as listed in
  guides/handle-errors.
"""

from __future__ import annotations

import base64
import functools
import hashlib
from typing import Any

from emulator import acl, discovery, files
from emulator.core import Call, Emulator
from emulator.errors import ApiError

BLOBS = "blobs"  # uploaded bytes by file id: {"data": base64, "mimeType"}
GENERATED = "generatedIds"  # ids handed out by files.generateIds: {"user", "space", "type"}
# The Docs Editors formats: Google types whose content lives in another API.
EDITORS_TYPES = frozenset({
    files.DOCUMENT, files.SPREADSHEET, files.FORM,
    "application/vnd.google-apps.presentation", "application/vnd.google-apps.drawing",
})
GOOGLE_PREFIX = "application/vnd.google-apps."
INSUFFICIENT = "The user does not have sufficient permissions for this file."
RANK = acl.ROLE_RANK
WEB_VIEW = {
    files.DOCUMENT: "https://docs.google.com/document/d/{}/edit?usp=drivesdk",
    files.SPREADSHEET: "https://docs.google.com/spreadsheets/d/{}/edit?usp=drivesdk",
    files.FORM: "https://docs.google.com/forms/d/{}/edit?usp=drivesdk",
    files.FOLDER: "https://drive.google.com/drive/folders/{}",
}


def not_found(file_id: str) -> ApiError:
    return ApiError(404, f"File not found: {file_id}.", location="fileId")


def insufficient() -> ApiError:
    return ApiError(403, INSUFFICIENT, reason="insufficientFilePermissions")


@functools.cache
def parameters_of(method_id: str) -> frozenset[str]:
    """The query parameters a Drive method declares in its discovery document."""
    for method in discovery._walk(discovery.document("drive.v3")):
        if method["id"] == method_id:
            return frozenset(method.get("parameters", {}))
    return frozenset()


def all_drives(call: Call) -> bool:
    return call.flag("supportsAllDrives") or call.flag("supportsTeamDrives")


def rank(call: Call, file: dict[str, Any]) -> int:
    return acl.rank_of(call.store, call.user, file)


def load(call: Call, file_id: str, role: str = "reader") -> dict[str, Any]:
    """The file as ``call.user`` may see it, or Drive's 404/403.

    A shared-drive item is invisible (404) to a request without ``supportsAllDrives`` (methods
    that have no such parameter, as files.export, see it anyway); a file the caller cannot see
    at all is 404, one seen with too low a role is 403.
    """
    file = call.store.get("files", file_id)
    takes_flag = "supportsAllDrives" in parameters_of(call.method.id)
    if file is None or (file.get("driveId") and takes_flag and not all_drives(call)):
        raise not_found(file_id)
    held = rank(call, file)
    if held == 0:
        raise not_found(file_id)
    if held < RANK[role]:
        raise insufficient()
    return file  # type: ignore[no-any-return,unused-ignore]


def in_shared_drive(file: dict[str, Any]) -> bool:
    return bool(file.get("driveId"))


def organiser_rank(file: dict[str, Any]) -> int:
    """The rank needed to trash, delete or move: owner in My Drive, fileOrganizer in a shared drive
    (reference/rest/v3/files/delete: "If the file belongs to a shared drive, the user must be an
    organizer on the parent folder"; a content manager (fileOrganizer) may delete files there)."""
    return RANK["fileOrganizer"] if in_shared_drive(file) else RANK["owner"]


def wants(call: Call, name: str) -> bool:
    """Whether the ``fields`` mask asks for ``name`` (``*`` asks for everything)."""
    fields = call.arg("fields") or ""
    return "*" in fields or name in fields


def blob(emulator: Emulator, file_id: str) -> bytes | None:
    stored = emulator.store.get(BLOBS, file_id)
    return None if stored is None else base64.b64decode(stored["data"])


def put_blob(emulator: Emulator, file: dict[str, Any], data: bytes, mime_type: str) -> None:
    emulator.store.put(BLOBS, file["id"], {"data": base64.b64encode(data).decode(),
                                           "mimeType": mime_type})
    file["size"] = str(len(data))
    file["md5Checksum"] = hashlib.md5(data).hexdigest()
    emulator.store.touch("files", file["id"])


def user_resource(email: str) -> dict[str, Any]:
    return {"kind": "drive#user", "displayName": email.split("@")[0], "emailAddress": email,
            "me": False, "permissionId": permission_id_of(email)}


def permission_id_of(grantee: str) -> str:
    """A stable, opaque id per grantee, as Drive's permission ids are (same id on every file)."""
    digest = hashlib.sha256(grantee.lower().encode()).hexdigest()
    return str(int(digest[:16], 16)).rjust(20, "0")


def capabilities(call: Call, file: dict[str, Any], held: int) -> dict[str, bool]:
    """The File's capabilities for a caller holding role rank ``held`` (a useful subset)."""
    shared = in_shared_drive(file)
    folder = file.get("mimeType") == files.FOLDER
    writer = held >= RANK["writer"]
    organiser = held >= organiser_rank(file)
    can_share = writer and (shared or held >= RANK["owner"] or file.get("writersCanShare", True))
    if shared and folder:
        drive = call.store.get("drives", file["driveId"]) or {}
        need = "organizer" if (drive.get("restrictions") or {}).get(
            "sharingFoldersRequiresOrganizerPermission") else "fileOrganizer"
        can_share = held >= RANK[need]
    return {
        "canEdit": writer, "canComment": held >= RANK["commenter"], "canCopy": not folder,
        "canDownload": True, "canReadRevisions": writer, "canRename": writer,
        "canShare": can_share, "canAddChildren": folder and writer,
        "canListChildren": folder, "canRemoveChildren": folder and writer,
        "canDelete": organiser, "canTrash": organiser, "canUntrash": organiser,
        "canModifyContent": writer, "canMoveItemWithinDrive": organiser if shared else writer,
        "canChangeCopyRequiresWriterPermission": writer,
        "canChangeViewersCanCopyContent": writer, "canReadDrive": shared,
    }


def render(call: Call, file: dict[str, Any]) -> dict[str, Any]:
    """The File resource as Drive v3 answers it (all fields; ``fields`` trims it afterwards).

    Without ``fields`` v3 answers only ``kind, id, name, mimeType``.
    """
    brief = {"kind": "drive#file", "id": file["id"], "name": file["name"],
             "mimeType": file["mimeType"]}
    if not call.arg("fields"):
        return brief
    shared = in_shared_drive(file)
    out: dict[str, Any] = {
        **brief,
        "parents": list(file.get("parents") or []),
        "createdTime": file["createdTime"], "modifiedTime": file["modifiedTime"],
        "trashed": bool(file.get("trashed")),
        "explicitlyTrashed": bool(file.get("explicitlyTrashed")),
        "version": file.get("version", "1"),
        "appProperties": dict(file.get("appProperties") or {}),
        "properties": dict(file.get("properties") or {}),
        "starred": bool(file.get("starred")),
        "spaces": ["drive"],
        "viewersCanCopyContent": True,
        "copyRequiresWriterPermission": bool(file.get("copyRequiresWriterPermission")),
        "webViewLink": WEB_VIEW.get(file["mimeType"],
                                    "https://drive.google.com/file/d/{}/view?usp=drivesdk")
        .format(file["id"]),
        "iconLink": f"https://drive-thirdparty.googleusercontent.com/16/type/{file['mimeType']}",
        "hasThumbnail": False, "isAppAuthorized": False, "modifiedByMe": True,
        "quotaBytesUsed": file.get("size", "0"),
    }
    for key in ("description", "size", "md5Checksum", "trashedTime", "originalFilename"):
        if key in file:
            out[key] = file[key]
    if shared:
        out["driveId"] = out["teamDriveId"] = file["driveId"]
    else:
        owner = file.get("ownerEmail", "")
        out["owners"] = [{**user_resource(owner), "me": owner == call.user}]
        out["ownedByMe"] = owner == call.user
        out["writersCanShare"] = bool(file.get("writersCanShare", True))
        out["shared"] = bool(file.get("permissions"))
        out["permissionIds"] = [p["id"] for p in file.get("permissions", [])
                                if p.get("view") != "published"]
        out["permissionIds"].insert(0, permission_id_of(owner))
    if file["mimeType"].startswith(GOOGLE_PREFIX) and file["mimeType"] != files.FOLDER:
        out["exportLinks"] = {
            mime: f"{call.emulator.base_url}/drive/v3/files/{file['id']}/export?mimeType={mime}"
            for mime in ("application/pdf", "text/html", "text/plain")
        }
    if wants(call, "capabilities"):
        out["capabilities"] = capabilities(call, file, rank(call, file))
    if wants(call, "permissions") and not shared:
        from emulator.services.drive_permissions import listed

        out["permissions"] = listed(call, file, published=False)
    return out
