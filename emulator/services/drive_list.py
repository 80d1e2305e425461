"""Drive v3 ``files.list``: the caller's visible files, filtered by ``q``, ordered and paged.

reference/rest/v3/files/list and guides/enable-shareddrives:
- ``corpora`` defaults to ``user``; ``drive`` needs ``driveId`` and the other way round ("The
  driveId parameter must be specified if and only if corpora is set to drive.").
- Shared-drive items are listed only with ``supportsAllDrives=true`` and
  ``includeItemsFromAllDrives=true``; ``corpora=drive``/``allDrives`` without the latter is refused
  (403 teamDriveIncludeItemsRequired; message as reported by public fakes, unverified).
- Trashed files are listed unless the query says ``trashed = false``.
- ``pageSize`` defaults to 100, at most 1000.
- Not read-after-write consistent: a file just created may be missing from a listing for a
  while (GOOGLE_FACTS; Google publishes no bound). ``POST /_emulator/drive-config
  {"listingDelaySeconds": N}`` hides files younger than N seconds (emulator clock) from
  ``files.list``; ``files.get`` still sees them. 0 (the default) lists everything at once.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from emulator import acl, control, paging
from emulator.core import Call, Emulator
from emulator.errors import ApiError
from emulator.services import handles
from emulator.services.drive_common import all_drives, rank, render
from emulator.services.drive_query import parse

ORDER_KEYS = ("name", "createdTime", "modifiedTime", "folder", "name_natural", "quotaBytesUsed",
              "recency", "starred", "viewedByMeTime", "sharedWithMeTime", "modifiedByMeTime")


def holds(file: dict[str, Any], role_list: str, email: str) -> bool:
    """``'<email>' in owners|writers|readers`` (direct grants only)."""
    email = email.lower()
    if role_list == "owners":
        return bool(file.get("ownerEmail") == email)
    least = acl.ROLE_RANK["writer" if role_list == "writers" else "reader"]
    if file.get("ownerEmail") == email:
        return True
    return any(p.get("emailAddress", "").lower() == email and p.get("view") != "published"
               and acl.ROLE_RANK.get(p.get("role", ""), 0) >= least
               for p in file.get("permissions", []))


def _sort(found: list[dict[str, Any]], order_by: str | None) -> list[dict[str, Any]]:
    keys = [part.strip().split() for part in (order_by or "").split(",") if part.strip()]
    for words in reversed(keys):
        key, descending = words[0], len(words) > 1 and words[1].lower() == "desc"
        if key not in ORDER_KEYS:
            raise ApiError(400, "Invalid Value", reason="invalid", location="orderBy")

        def value(file: dict[str, Any], key: str = key) -> Any:
            if key == "folder":
                return file["mimeType"] != "application/vnd.google-apps.folder"
            if key in ("name", "name_natural"):
                return file["name"].lower()
            if key == "quotaBytesUsed":
                return int(file.get("size", "0"))
            if key == "starred":
                return bool(file.get("starred"))
            return str(file.get(key) or file.get("modifiedTime", ""))

        found.sort(key=value, reverse=descending)
    return found


def _scope(call: Call) -> tuple[str, str | None, bool]:
    corpora = call.arg("corpora") or "user"
    drive_id = call.arg("driveId") or call.arg("teamDriveId")
    include = call.flag("includeItemsFromAllDrives") or call.flag("includeTeamDriveItems")
    if corpora not in ("user", "drive", "allDrives", "domain"):
        raise ApiError(400, "Invalid Value", reason="invalid", location="corpora")
    if (corpora == "drive") != bool(drive_id):
        raise ApiError(400, "The driveId parameter must be specified if and only if corpora is "
                            "set to drive.", reason="invalid", location="driveId")
    if corpora in ("drive", "allDrives") and not include:
        raise ApiError(403, "The includeItemsFromAllDrives parameter must be set to true when "
                            f"corpora is set to {corpora}.",
                       reason="teamDriveIncludeItemsRequired", location="includeItemsFromAllDrives")
    if include and not all_drives(call):
        raise ApiError(403, "The includeItemsFromAllDrives parameter may only be set to true "
                            "when supportsAllDrives is set to true.",
                       reason="teamDriveIncludeItemsRequired", location="supportsAllDrives")
    if drive_id:
        drive = call.store.get("drives", drive_id)
        if drive is None or rank(call, {"id": drive_id, "driveId": drive_id}) == 0:
            raise ApiError(404, f"Shared drive not found: {drive_id}", location="driveId")
    return corpora, drive_id, include


@handles("drive.files.list")
def list_files(call: Call) -> Any:
    _corpora, drive_id, include = _scope(call)
    match = parse(call.arg("q"))
    page_size = call.int_arg("pageSize", 100)
    if not 1 <= page_size <= 1000:
        raise ApiError(400, f"Invalid value '{page_size}'. Values must be within the range: "
                            "[1, 1000]", reason="invalid", location="pageSize")
    found = []
    delay = call.emulator.listing_delay_seconds
    for file in call.store.collection("files").values():
        if delay and _age(call.emulator, file) < delay:
            continue
        in_drive = file.get("driveId")
        if drive_id and in_drive != drive_id:
            continue
        if in_drive and not include:
            continue
        # The query first: it is a few dict look-ups, the access check walks the parents and
        # their permissions (files.list at province scale scanned thousands of files a call).
        if not match(file) or rank(call, file) == 0:
            continue
        found.append(file)
    found = _sort(found, call.arg("orderBy"))
    shown, following = paging.page(found, call.arg("pageToken"), page_size)
    answer: dict[str, Any] = {"kind": "drive#fileList", "incompleteSearch": False,
                              "files": [render(call, f) for f in shown]}
    if following:
        answer["nextPageToken"] = following
    return answer


def _age(emulator: Emulator, file: dict[str, Any]) -> float:
    created = datetime.fromisoformat(str(file["createdTime"]).replace("Z", "+00:00"))
    return emulator.clock.now() - created.timestamp()


@control.route("POST", "/_emulator/drive-config")
def _drive_config(emulator: Emulator, body: Any, params: dict[str, str]) -> Any:
    """``{"listingDelaySeconds": N}``: new files stay out of files.list for N seconds."""
    if "listingDelaySeconds" in body:
        delay = float(body["listingDelaySeconds"])
        if delay < 0:
            raise ApiError(400, "listingDelaySeconds must not be negative")
        emulator.listing_delay_seconds = delay
    return {"listingDelaySeconds": emulator.listing_delay_seconds}
