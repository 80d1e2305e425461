"""Who may do what to a file: Drive's permission model, shared by every emulated API.

Every Sheet, Form, Doc and folder is a record in the ``files`` collection (Drive's File fields).
Access comes from ownership, the file's permissions, its parent folders' permissions
(inherited), and membership of its shared drive. A form's responders hold a permission with
``view: "published"``; it lets them fill the form and nothing else.
"""

from __future__ import annotations

from typing import Any

from emulator.errors import ApiError

ROLE_RANK = {
    "reader": 1,
    "commenter": 2,
    "writer": 3,
    "fileOrganizer": 4,
    "organizer": 5,
    "owner": 6,
}


def _matches(permission: dict[str, Any], user: str, groups: dict[str, Any]) -> bool:
    kind = permission.get("type")
    if kind == "anyone":
        return True
    if not user:
        return False
    if kind == "user":
        return bool(permission.get("emailAddress", "").lower() == user)
    if kind == "domain":
        return user.rsplit("@", 1)[-1] == permission.get("domain", "").lower()
    if kind == "group":
        group = groups.get(permission.get("emailAddress", "").lower()) or {}
        return user in group.get("members", [])
    return False


def _best(permissions: list[dict[str, Any]], user: str, groups: dict[str, Any]) -> int:
    best = 0
    for permission in permissions:
        if permission.get("view") == "published":
            continue
        if _matches(permission, user, groups):
            best = max(best, ROLE_RANK.get(permission.get("role", ""), 0))
    return best


def rank_of(store: Any, user: str, file: dict[str, Any]) -> int:
    """The highest role rank ``user`` holds on ``file`` (0: no access)."""
    groups = store.collection("groups")
    best, seen = 0, set()
    current: dict[str, Any] | None = file
    while current is not None and current["id"] not in seen:
        seen.add(current["id"])
        if current.get("ownerEmail") == user:
            best = max(best, ROLE_RANK["owner"])
        best = max(best, _best(current.get("permissions", []), user, groups))
        parents = current.get("parents") or []
        current = store.get("files", parents[0]) if parents else None
    drive = store.get("drives", file.get("driveId") or "")
    if drive is not None:
        best = max(best, _best(drive.get("permissions", []), user, groups))
    return best


def can_respond(store: Any, user: str, file: dict[str, Any]) -> bool:
    """Whether ``user`` may fill the form ``file`` (a published-view grant, or any access)."""
    groups = store.collection("groups")
    for permission in file.get("permissions", []):
        if permission.get("view") == "published" and _matches(permission, user, groups):
            return True
    return rank_of(store, user, file) > 0


def find_file(store: Any, file_id: str, *, include_trashed: bool = True) -> dict[str, Any] | None:
    file = store.get("files", file_id)
    if file is None or (file.get("trashed") and not include_trashed):
        return None
    return file


def require(
    store: Any,
    user: str,
    file_id: str,
    role: str = "reader",
    *,
    hidden_status: int = 404,
    not_found_message: str | None = None,
) -> dict[str, Any]:
    """The file, if ``user`` holds at least ``role`` on it.

    A file the user cannot see at all answers ``hidden_status`` (Drive: 404, as if absent;
    Sheets: 403, as recorded from Google); one seen with too low a role answers 403.
    """
    file = find_file(store, file_id)
    message = not_found_message or f"File not found: {file_id}."
    if file is None:
        raise ApiError(404, message, location="fileId")
    rank = rank_of(store, user, file)
    if rank == 0:
        if hidden_status == 404:
            raise ApiError(404, message, location="fileId")
        raise ApiError(hidden_status, "The caller does not have permission",
                       reason="insufficientFilePermissions")
    if rank < ROLE_RANK[role]:
        raise ApiError(403, "The caller does not have permission",
                       reason="insufficientFilePermissions")
    return file
