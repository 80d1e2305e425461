"""Drive file records, shared by every API: creation rules and the hooks of Google file types.

A Sheet, Form or Doc is one Drive file record (collection ``files``) plus its content in its
own collection (``spreadsheets``, ``forms``, ``documents``). The API that owns a Google file
type registers a ``ContentType`` so that Drive can create, copy, rename, delete and export
files of that type without knowing their insides.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from emulator import acl
from emulator.core import Emulator
from emulator.errors import ApiError

FOLDER = "application/vnd.google-apps.folder"
SPREADSHEET = "application/vnd.google-apps.spreadsheet"
FORM = "application/vnd.google-apps.form"
DOCUMENT = "application/vnd.google-apps.document"


@dataclass(frozen=True)
class ContentType:
    """How Drive handles one Google file type's content (all ids are Drive file ids)."""

    create: Callable[[Emulator, str, str], None]  # (emulator, file_id, title)
    copy: Callable[[Emulator, str, str, str], None]  # (emulator, source_id, new_id, title)
    rename: Callable[[Emulator, str, str], None]  # (emulator, file_id, title)
    delete: Callable[[Emulator, str], None]
    # (emulator, file_id, mime type) -> bytes, or None when that export is not offered
    export: Callable[[Emulator, str, str], bytes | None]
    # (emulator, file_id, uploaded bytes, their MIME type): Drive's import of an upload into this
    # Google type (HTML or DOCX into a Doc). None when the type imports nothing.
    import_media: Callable[[Emulator, str, bytes, str], None] | None = None


CONTENT_TYPES: dict[str, ContentType] = {}


def register(mime_type: str, content: ContentType) -> None:
    CONTENT_TYPES[mime_type] = content


def new_file(
    emulator: Emulator,
    user: str,
    *,
    name: str,
    mime_type: str,
    parents: list[str] | None = None,
    file_id: str | None = None,
    extra: dict[str, Any] | None = None,
    with_content: bool = True,
) -> dict[str, Any]:
    """Creates a file record as ``user`` (and its empty content for a Google type).

    Rules as Google applies them: a parent must be writable by the caller; a file without a
    parent lands in the caller's My Drive, which a storage-less service account does not have;
    a pre-generated id already in use answers 409.
    """
    store = emulator.store
    if file_id is not None and store.get("files", file_id) is not None:
        raise ApiError(409, "A file already exists with the provided ID.", reason="duplicate")
    drive_id = None
    if parents:
        if len(parents) > 1:
            raise ApiError(400, "A shared drive item must have exactly one parent.")
        parent_id = parents[0]
        drive = store.get("drives", parent_id)
        if drive is not None:
            if acl.rank_of(store, user, {"id": parent_id, "driveId": parent_id}) < acl.ROLE_RANK[
                "writer"
            ]:
                raise ApiError(404, f"File not found: {parent_id}.", location="fileId")
            drive_id = parent_id
        else:
            parent = acl.require(store, user, parent_id, "writer")
            if parent.get("mimeType") != FOLDER:
                raise ApiError(400, "The specified parent is not a folder.")
            drive_id = parent.get("driveId")
    elif (user == emulator.config.service_account
          and not emulator.config.service_account_has_storage):
        raise ApiError(
            403,
            "Service Accounts do not have storage quota. Leverage shared drives "
            "(https://developers.google.com/workspace/drive/api/guides/about-shareddrives), "
            "or use OAuth delegation instead.",
            reason="storageQuotaExceeded",
        )
    now = emulator.timestamp()
    record: dict[str, Any] = {
        "kind": "drive#file",
        "id": file_id or emulator.new_id(),
        "name": name,
        "mimeType": mime_type,
        "parents": list(parents) if parents else [],
        "createdTime": now,
        "modifiedTime": now,
        "trashed": False,
        "version": "1",
        "permissions": [],
        "appProperties": {},
        "properties": {},
    }
    if drive_id:
        record["driveId"] = drive_id
    else:
        record["ownerEmail"] = user
    record.update(extra or {})
    store.put("files", record["id"], record)
    content = CONTENT_TYPES.get(mime_type)
    if with_content and content is not None:
        content.create(emulator, record["id"], name)
    return record


def touch(emulator: Emulator, file_id: str) -> None:
    """Marks a file modified (its content changed)."""
    record = emulator.store.get("files", file_id)
    if record is not None:
        record["modifiedTime"] = emulator.timestamp()
        record["version"] = str(int(record.get("version", "1")) + 1)
        emulator.store.touch("files", file_id)


def rename(emulator: Emulator, file_id: str, title: str) -> None:
    """Renames the Drive record (called when an API renames its own content)."""
    record = emulator.store.get("files", file_id)
    if record is not None and record["name"] != title:
        record["name"] = title
        touch(emulator, file_id)
