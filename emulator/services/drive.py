"""Drive v3 files: create (folders, Google types, uploads, imports), get, update, copy, delete,
generateIds, export, emptyTrash; and about.get. Listing is in ``drive_list``.

References (developers.google.com/workspace/drive/api/reference/rest/v3/files/...):
- generateIds: ids for ``create``/``copy``. Drive refuses a pre-generated id for the Docs Editors
  formats (Docs, Sheets, Slides, Drawings, Forms): 403 "Generated IDs are not supported for Docs
  Editors formats." (not in the reference; observed live and reported by several public
  projects, and googleapis/google-api-go-client#2334 for copy, reason generatedIdNotSupported).
  An id that Drive did not generate answers 400 "The provided file ID is not usable." (reported
  by public fakes written against the live API; the reason ``invalid`` is a guess).
- export: only Docs Editors files ("Export only supports Docs Editors files.", 403
  fileNotExportable); at most 10 MB (403 exportSizeLimitExceeded, "This file is too large to be
  exported."); an unsupported type answers 400 "The requested conversion is not supported."
- get ``alt=media`` downloads blobs only (403 fileNotDownloadable for Google types).
- A file has one parent (2020 single-parent model): "Increasing the number of parents is not
  allowed." (403 cannotAddParent).
"""

from __future__ import annotations

from typing import Any

from emulator import files
from emulator.core import Call, Raw
from emulator.errors import ApiError
from emulator.services import handles
from emulator.services.drive_common import (
    BLOBS,
    EDITORS_TYPES,
    GENERATED,
    GOOGLE_PREFIX,
    RANK,
    all_drives,
    blob,
    insufficient,
    load,
    not_found,
    organiser_rank,
    put_blob,
    rank,
    render,
)

EXPORT_LIMIT = 10 * 1024 * 1024  # files.export: "The exported content is limited to 10MB."
IMPORTS = {files.DOCUMENT: ("text/html", "text/plain",
                            "application/vnd.openxmlformats-officedocument"
                            ".wordprocessingml.document"),
           files.SPREADSHEET: ("text/csv",)}
SETTABLE = ("description", "starred", "copyRequiresWriterPermission", "viewersCanCopyContent")


def _check_parents(call: Call, parents: list[str]) -> None:
    """A parent in a shared drive is invisible without supportsAllDrives (as any such item)."""
    for parent_id in parents:
        parent = call.store.get("files", parent_id)
        in_drive = call.store.get("drives", parent_id) is not None or bool(
            parent and parent.get("driveId"))
        if in_drive and not all_drives(call):
            raise not_found(parent_id)


def _check_new_id(call: Call, file_id: str | None, mime_type: str) -> None:
    if file_id is None:
        return
    if mime_type in EDITORS_TYPES:
        raise ApiError(403, "Generated IDs are not supported for Docs Editors formats.",
                       reason="generatedIdNotSupported")
    if call.store.get("files", file_id) is not None:
        raise ApiError(409, "A file already exists with the provided ID.", reason="duplicate")
    if call.store.get(GENERATED, file_id) is None:
        raise ApiError(400, "The provided file ID is not usable.", reason="invalid",
                       location="file.id")


def _import(call: Call, file: dict[str, Any], data: bytes, media_type: str) -> None:
    content = files.CONTENT_TYPES.get(file["mimeType"])
    if content is None or content.import_media is None:
        raise ApiError(400, "The requested conversion is not supported.", reason="badRequest",
                       location="convertTo")
    content.import_media(call.emulator, file["id"], data, media_type.split(";")[0].strip())


@handles("drive.files.create")
def create(call: Call) -> Any:
    body = dict(call.body or {})
    media, media_type = call.media, (call.media_type or "application/octet-stream")
    mime_type = body.get("mimeType") or (media_type if media is not None else
                                         "application/octet-stream")
    importing = media is not None and mime_type.startswith(GOOGLE_PREFIX)
    if importing and media_type.split(";")[0].strip() not in IMPORTS.get(mime_type, ()):
        raise ApiError(400, "The requested conversion is not supported.", reason="badRequest",
                       location="convertTo")
    parents = list(body.get("parents") or [])
    _check_parents(call, parents)
    _check_new_id(call, body.get("id"), mime_type)
    extra = {key: body[key] for key in SETTABLE if key in body}
    for key in ("appProperties", "properties"):
        extra[key] = {k: str(v) for k, v in (body.get(key) or {}).items()}
    if "writersCanShare" in body:
        extra["writersCanShare"] = bool(body["writersCanShare"])
    if media is not None and not importing:
        extra["originalFilename"] = body.get("originalFilename") or body.get("name") or "Untitled"
    record = files.new_file(call.emulator, call.user, name=body.get("name") or "Untitled",
                            mime_type=mime_type, parents=parents, file_id=body.get("id"),
                            extra=extra, with_content=not importing)
    if importing:
        assert media is not None
        try:
            _import(call, record, media, media_type)
        except ApiError:
            call.store.delete("files", record["id"])
            raise
    elif not mime_type.startswith(GOOGLE_PREFIX):
        put_blob(call.emulator, record, media or b"", mime_type)
    return render(call, record)


@handles("drive.files.get")
def get(call: Call) -> Any:
    file = load(call, call.params["fileId"])
    if call.arg("alt") == "media":
        data = blob(call.emulator, file["id"])
        if data is None:
            raise ApiError(403, "Only files with binary content can be downloaded. Use Export "
                                "with Docs Editors files.", reason="fileNotDownloadable",
                           location="alt")
        return Raw(data, file["mimeType"])
    return render(call, file)


def _merge(file: dict[str, Any], key: str, changes: dict[str, Any]) -> None:
    current = file.setdefault(key, {})
    for name, value in changes.items():
        if value is None:
            current.pop(name, None)
        else:
            current[name] = str(value)


def _set_trashed(call: Call, file: dict[str, Any], trashed: bool, explicit: bool) -> None:
    file["trashed"] = trashed
    file["explicitlyTrashed"] = trashed and explicit
    if trashed:
        file["trashedTime"] = call.emulator.timestamp()
    else:
        file.pop("trashedTime", None)
    call.store.touch("files", file["id"])
    for child in children(call, file["id"]):
        if explicit or not child.get("explicitlyTrashed"):
            _set_trashed(call, child, trashed, False)


def children(call: Call, folder_id: str) -> list[dict[str, Any]]:
    return [f for f in call.store.collection("files").values()
            if folder_id in (f.get("parents") or [])]


def _move(call: Call, file: dict[str, Any]) -> None:
    add = [p for p in (call.arg("addParents") or "").split(",") if p]
    remove = [p for p in (call.arg("removeParents") or "").split(",") if p]
    if not add and not remove:
        return
    if rank(call, file) < organiser_rank(file) and file.get("driveId"):
        raise insufficient()
    parents = [p for p in file.get("parents") or [] if p not in remove] + [
        p for p in add if p not in (file.get("parents") or [])]
    if len(parents) > 1:
        raise ApiError(403, "Increasing the number of parents is not allowed.",
                       reason="cannotAddParent")
    drive_id: str | None = None
    for parent_id in add:
        _check_parents(call, [parent_id])
        if call.store.get("drives", parent_id) is not None:
            if rank(call, {"id": parent_id, "driveId": parent_id}) < RANK["writer"]:
                raise not_found(parent_id)
            drive_id = parent_id
        else:
            parent = load(call, parent_id, "writer")
            if parent["mimeType"] != files.FOLDER:
                raise ApiError(400, "The specified parent is not a folder.")
            drive_id = parent.get("driveId")
    file["parents"] = parents
    if add:
        _rehome(call, file, drive_id)


def _rehome(call: Call, file: dict[str, Any], drive_id: str | None) -> None:
    """Moves a file (and a folder's contents) into a shared drive or into My Drive."""
    if drive_id:
        file["driveId"] = drive_id
        file.pop("ownerEmail", None)
    elif file.get("driveId"):
        file.pop("driveId")
        file["ownerEmail"] = call.user
    call.store.touch("files", file["id"])
    for child in children(call, file["id"]):
        _rehome(call, child, drive_id)


@handles("drive.files.update")
def update(call: Call) -> Any:
    file = load(call, call.params["fileId"], "writer")
    body = dict(call.body or {})
    raw = call.raw_body if isinstance(call.raw_body, dict) else body
    if ("trashed" in body or "writersCanShare" in body) and rank(call, file) < organiser_rank(
            file):
        raise insufficient()
    _move(call, file)
    name = body.get("name")
    if name and name != file["name"]:
        file["name"] = name
        content = files.CONTENT_TYPES.get(file["mimeType"])
        if content is not None:
            content.rename(call.emulator, file["id"], name)
    for key in SETTABLE:
        if key in body:
            file[key] = body[key]
    for key in ("appProperties", "properties"):
        if isinstance(raw.get(key), dict):
            _merge(file, key, raw[key])
    if "writersCanShare" in body and not file.get("driveId"):
        # Not populated for items in shared drives (File.writersCanShare): ignored there.
        file["writersCanShare"] = bool(body["writersCanShare"])
    if "trashed" in body and bool(body["trashed"]) != bool(file.get("trashed")):
        _set_trashed(call, file, bool(body["trashed"]), True)
    if call.media is not None:
        if file["mimeType"].startswith(GOOGLE_PREFIX):
            _import(call, file, call.media, call.media_type or "application/octet-stream")
        else:
            put_blob(call.emulator, file, call.media, file["mimeType"])
    files.touch(call.emulator, file["id"])
    return render(call, file)


def delete_tree(call: Call, file: dict[str, Any]) -> None:
    for child in children(call, file["id"]):
        delete_tree(call, child)
    content = files.CONTENT_TYPES.get(file["mimeType"])
    if content is not None:
        content.delete(call.emulator, file["id"])
    call.store.delete(BLOBS, file["id"])
    call.store.delete("files", file["id"])


@handles("drive.files.delete")
def delete(call: Call) -> Any:
    file = load(call, call.params["fileId"])
    if rank(call, file) < organiser_rank(file):
        raise insufficient()
    delete_tree(call, file)
    return None


@handles("drive.files.emptyTrash")
def empty_trash(call: Call) -> Any:
    for file in list(call.store.collection("files").values()):
        if call.store.get("files", file["id"]) is None or not file.get("explicitlyTrashed"):
            continue
        drive_id = call.arg("driveId")
        if (file.get("driveId") or None) != (drive_id or None):
            continue
        if rank(call, file) >= organiser_rank(file):
            delete_tree(call, file)
    return None


@handles("drive.files.copy")
def copy(call: Call) -> Any:
    source = load(call, call.params["fileId"])
    if source["mimeType"] == files.FOLDER:
        raise ApiError(403, "This file cannot be copied by the user.", reason="cannotCopyFile")
    body = dict(call.body or {})
    parents = list(body.get("parents") or source.get("parents") or [])
    _check_parents(call, parents)
    _check_new_id(call, body.get("id"), source["mimeType"])
    name = body.get("name") or f"Copy of {source['name']}"
    extra: dict[str, Any] = {key: body[key] for key in SETTABLE if key in body}
    if "description" in source and "description" not in extra:
        extra["description"] = source["description"]
    for key in ("appProperties", "properties"):
        # Guess (unverified live): a copy does not inherit the source's app/custom properties.
        extra[key] = {k: str(v) for k, v in (body.get(key) or {}).items()}
    record = files.new_file(call.emulator, call.user, name=name, mime_type=source["mimeType"],
                            parents=parents, file_id=body.get("id"), extra=extra,
                            with_content=False)
    content = files.CONTENT_TYPES.get(source["mimeType"])
    if content is not None:
        content.copy(call.emulator, source["id"], record["id"], name)
    data = blob(call.emulator, source["id"])
    if data is not None:
        put_blob(call.emulator, record, data, source["mimeType"])
    return render(call, record)


@handles("drive.files.generateIds")
def generate_ids(call: Call) -> Any:
    count = call.int_arg("count", 10)
    if not 1 <= count <= 1000:
        raise ApiError(400, f"Invalid value '{count}'. Values must be within the range: "
                            "[1, 1000]", reason="invalid", location="count")
    space = call.arg("space") or "drive"
    kind = call.arg("type") or "files"
    if space not in ("drive", "appDataFolder") or kind not in ("files", "shortcuts"):
        raise ApiError(400, "Invalid Value", reason="invalid",
                       location="space" if space not in ("drive", "appDataFolder") else "type")
    ids = []
    for _ in range(count):
        new_id = call.emulator.new_id(33)
        while call.store.get(GENERATED, new_id) is not None:
            new_id = call.emulator.new_id(33)
        call.store.put(GENERATED, new_id, {"user": call.user, "space": space, "type": kind})
        ids.append(new_id)
    return {"kind": "drive#generatedIds", "space": space, "ids": ids}


@handles("drive.files.export")
def export(call: Call) -> Any:
    file = load(call, call.params["fileId"])
    mime_type = call.arg("mimeType") or ""
    if file["mimeType"] not in EDITORS_TYPES:
        raise ApiError(403, "Export only supports Docs Editors files.",
                       reason="fileNotExportable")
    content = files.CONTENT_TYPES.get(file["mimeType"])
    data = content.export(call.emulator, file["id"], mime_type) if content else None
    if data is None:
        raise ApiError(400, "The requested conversion is not supported.", reason="badRequest",
                       location="convertTo")
    if len(data) > EXPORT_LIMIT:
        raise ApiError(403, "This file is too large to be exported.",
                       reason="exportSizeLimitExceeded")
    return Raw(data, mime_type)


@handles("drive.about.get")
def about(call: Call) -> Any:
    if not call.arg("fields"):
        raise ApiError(400, "The 'fields' parameter is required for this method.",
                       reason="required", location="fields")
    config = call.emulator.config
    storage_less = call.user == config.service_account and not config.service_account_has_storage
    used = sum(int(f.get("size", "0")) for f in call.store.collection("files").values()
               if f.get("ownerEmail") == call.user)
    from emulator.services.drive_common import user_resource

    return {
        "kind": "drive#about",
        "user": {**user_resource(call.user), "me": True},
        "storageQuota": {"limit": "0" if storage_less else str(15 * 1024**3),
                         "usage": str(used), "usageInDrive": str(used),
                         "usageInDriveTrash": "0"},
        "canCreateDrives": True,
        "maxUploadSize": "5497558138880",
        "importFormats": {mime: [target] for target, mimes in IMPORTS.items() for mime in mimes},
        "exportFormats": {mime: ["application/pdf", "text/html", "text/plain"]
                          for mime in EDITORS_TYPES},
    }


@handles("drive.comments.list")
def list_comments(call: Call) -> Any:
    """The emulator keeps no comments: an empty list (gspread's copy reads them)."""
    if not call.arg("fields"):
        raise ApiError(400, "The 'fields' parameter is required for this method.",
                       reason="required", location="fields")
    load(call, call.params["fileId"])
    return {"kind": "drive#commentList", "comments": []}
