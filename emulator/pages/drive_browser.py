"""The Drive browser: shared drives, folders and files, as the chosen person sees them.

Visibility is Drive's own (``emulator.acl``): a file is listed when the person holds any role
on it, through ownership, a permission, a parent folder or shared-drive membership.
"""

from __future__ import annotations

from typing import Any

from werkzeug.wrappers import Request, Response

from emulator import acl, files
from emulator.core import Emulator
from emulator.pages import layout, page

TYPE_LABELS = {
    files.FOLDER: "Thư mục",
    files.SPREADSHEET: "Bảng tính",
    files.FORM: "Biểu mẫu",
    files.DOCUMENT: "Tài liệu",
    "application/pdf": "PDF",
    "text/html": "Trang HTML",
    "text/plain": "Văn bản",
    "text/csv": "CSV",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "Word (DOCX)",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "Excel (XLSX)",
}


def open_link(record: dict[str, Any]) -> str | None:
    """Where a person opens ``record`` in the emulator (None: no page for that type)."""
    file_id = record["id"]
    return {
        files.FOLDER: f"/drive/folders/{file_id}",
        files.SPREADSHEET: f"/spreadsheets/d/{file_id}/edit",
        files.FORM: f"/forms/d/e/{file_id}/viewform",
        files.DOCUMENT: f"/document/d/{file_id}/edit",
    }.get(record.get("mimeType", ""))


def _drive_rank(store: Any, user: str, drive_id: str) -> int:
    return acl.rank_of(store, user, {"id": drive_id, "driveId": drive_id})


def _row(store: Any, user: str, record: dict[str, Any]) -> dict[str, Any]:
    drive = store.get("drives", record.get("driveId") or "")
    owner = record.get("ownerEmail") or (f"Bộ nhớ dùng chung «{drive['name']}»" if drive else "")
    mime = record.get("mimeType", "")
    return {
        "name": record.get("name", ""),
        "type": TYPE_LABELS.get(mime, mime),
        "owner": owner,
        "modified": record.get("modifiedTime"),
        "link": open_link(record),
        "is_folder": mime == files.FOLDER,
        # a form's editors also get its settings page
        "settings": f"/forms/d/{record['id']}/edit" if mime == files.FORM
        and acl.rank_of(store, user, record) >= acl.ROLE_RANK["writer"] else None,
    }


def _sorted_rows(store: Any, user: str, records: list[dict[str, Any]]) -> list[dict[str, Any]]:
    rows = [_row(store, user, r) for r in records]
    return sorted(rows, key=lambda r: (not r["is_folder"], r["name"].casefold()))


def _visible(store: Any, user: str, record: dict[str, Any]) -> bool:
    return not record.get("trashed") and acl.rank_of(store, user, record) > 0


def _children(store: Any, user: str, parent_id: str) -> list[dict[str, Any]]:
    return [
        record for record in store.collection("files").values()
        if (record.get("parents") or [None])[0] == parent_id and _visible(store, user, record)
    ]


def _shared_with_me(store: Any, user: str) -> list[dict[str, Any]]:
    """Files the person sees that no listed drive, folder or My Drive already leads to."""
    found = []
    for record in store.collection("files").values():
        if not _visible(store, user, record) or record.get("ownerEmail") == user:
            continue
        drive_id = record.get("driveId")
        if drive_id and _drive_rank(store, user, drive_id) > 0:
            continue
        parents = record.get("parents") or []
        parent = store.get("files", parents[0]) if parents else None
        if parent is not None and _visible(store, user, parent):
            continue
        found.append(record)
    return found


@page(r"/")
def home(emulator: Emulator, request: Request, params: dict[str, str]) -> Response:
    store, user = emulator.store, layout.current_user(request)
    drives = sorted(
        (d for d in store.collection("drives").values() if _drive_rank(store, user, d["id"]) > 0),
        key=lambda d: str(d.get("name", "")).casefold(),
    )
    mine = [
        r for r in store.collection("files").values()
        if user and r.get("ownerEmail") == user and not r.get("parents") and not r.get("trashed")
    ]
    return layout.render(
        emulator, request, "drive_home.html", title="Ổ đĩa",
        drives=drives, mine=_sorted_rows(store, user, mine),
        shared=_sorted_rows(store, user, _shared_with_me(store, user)),
    )


@page(r"/drive/folders/(?P<folder_id>[^/]+)")
def folder(emulator: Emulator, request: Request, params: dict[str, str]) -> Response:
    store, user = emulator.store, layout.current_user(request)
    folder_id = params["folder_id"]
    drive = store.get("drives", folder_id)
    if drive is not None:
        if _drive_rank(store, user, folder_id) == 0:
            return layout.forbidden(emulator, request,
                                    "Bạn không có quyền xem bộ nhớ dùng chung này.")
        name, trail = drive.get("name", ""), []
    else:
        record = acl.find_file(store, folder_id, include_trashed=False)
        if record is None or record.get("mimeType") != files.FOLDER:
            return layout.not_found(emulator, request, "Không tìm thấy thư mục này.")
        if acl.rank_of(store, user, record) == 0:
            return layout.forbidden(emulator, request, "Bạn không có quyền xem thư mục này.")
        name, trail = record.get("name", ""), _trail(store, user, record)
    return layout.render(
        emulator, request, "drive_folder.html", title=name, name=name, trail=trail,
        rows=_sorted_rows(store, user, _children(store, user, folder_id)),
    )


def _trail(store: Any, user: str, record: dict[str, Any]) -> list[dict[str, str]]:
    """The visible ancestors of a folder, outermost first (breadcrumbs)."""
    trail: list[dict[str, str]] = []
    seen = {record["id"]}
    parents = record.get("parents") or []
    while parents and parents[0] not in seen:
        parent_id = parents[0]
        seen.add(parent_id)
        drive = store.get("drives", parent_id)
        if drive is not None:
            if _drive_rank(store, user, parent_id) > 0:
                trail.append({"name": drive.get("name", ""), "link": f"/drive/folders/{parent_id}"})
            break
        parent = store.get("files", parent_id)
        if parent is None or not _visible(store, user, parent):
            break
        trail.append({"name": parent.get("name", ""), "link": f"/drive/folders/{parent_id}"})
        parents = parent.get("parents") or []
    return list(reversed(trail))


@page(r"/whoami", verbs=("POST",))
def choose_user(emulator: Emulator, request: Request, params: dict[str, str]) -> Response:
    """The sign-in stand-in: remembers the chosen email in a cookie and goes back."""
    email = request.form.get("email", "").strip().lower()
    target = request.form.get("next", "/")
    if not target.startswith("/") or target.startswith("//"):
        target = "/"  # never redirect off the emulator
    response = layout.redirect(_without_as(target))
    if email:
        response.set_cookie(layout.COOKIE, email, path="/", samesite="Lax", httponly=True)
    else:
        response.delete_cookie(layout.COOKIE, path="/")
    return response


def _without_as(target: str) -> str:
    """Drops an ``as=`` parameter from a local URL so that the new cookie takes effect."""
    from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

    parts = urlsplit(target)
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k != "as"]
    return urlunsplit(("", "", parts.path, urlencode(query), ""))
