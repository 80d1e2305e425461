"""What every page shares: the jinja2 environment (autoescape on), who the visitor is, and
the small answers (403, 404, redirect) in Vietnamese.

"Who am I" stands in for Google sign-in: ``?as=<email>`` wins, else the ``emulator_user``
cookie set by the small sign-in form; nobody chosen means an anonymous visitor, who sees only
what is shared with ``anyone``.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any
from urllib.parse import quote

import jinja2
from werkzeug.wrappers import Request, Response

from emulator.core import Emulator

COOKIE = "emulator_user"
VIETNAM = timezone(timedelta(hours=7), "ICT")  # times are shown as a Vietnamese user sees them

ENVIRONMENT = jinja2.Environment(
    loader=jinja2.FileSystemLoader(Path(__file__).parent / "templates"),
    autoescape=True,  # every user-provided text is escaped: a "<script>" answer shows as text
    trim_blocks=True,
    lstrip_blocks=True,
    undefined=jinja2.StrictUndefined,
)


def local_time(timestamp: str | None) -> str:
    """An RFC 3339 UTC time as ``dd/mm/yyyy HH:MM`` in Vietnam's time zone.

    >>> local_time("2025-03-01T17:30:00.000Z")
    '02/03/2025 00:30'
    """
    if not timestamp:
        return ""
    moment = datetime.fromisoformat(timestamp.replace("Z", "+00:00"))
    return moment.astimezone(VIETNAM).strftime("%d/%m/%Y %H:%M")


ENVIRONMENT.filters["local_time"] = local_time
ENVIRONMENT.filters["urlquote"] = lambda value: quote(str(value), safe="")


def current_user(request: Request) -> str:
    """The visitor's email (lower case), or "" when nobody is chosen."""
    chosen = request.args.get("as") or request.cookies.get(COOKIE) or ""
    return chosen.strip().lower()


def remember_user(request: Request, response: Response, user: str | None = None) -> Response:
    """Keeps the chosen identity in the cookie (``?as=`` on a page counts as choosing)."""
    chosen = (user if user is not None else request.args.get("as", "")).strip().lower()
    if chosen and chosen != request.cookies.get(COOKIE):
        response.set_cookie(COOKIE, chosen, path="/", samesite="Lax", httponly=True)
    return response


def render(
    emulator: Emulator,
    request: Request,
    template: str,
    status: int = 200,
    *,
    title: str,
    **context: Any,
) -> Response:
    """A full HTML page from ``templates/<template>``."""
    body = ENVIRONMENT.get_template(template).render(
        title=title,
        user=current_user(request),
        here=request.full_path.rstrip("?"),
        people=known_people(emulator),
        **context,
    )
    response = Response(body, status=status, content_type="text/html; charset=utf-8")
    response.headers["Cache-Control"] = "no-store"
    return remember_user(request, response)


def forbidden(emulator: Emulator, request: Request, message: str) -> Response:
    return render(emulator, request, "message.html", 403, title="Không có quyền truy cập",
                  heading="Không có quyền truy cập", message=message, offer_sign_in=True)


def not_found(
    emulator: Emulator, request: Request, what: str = "Không tìm thấy trang này."
) -> Response:
    return render(emulator, request, "message.html", 404, title="Không tìm thấy",
                  heading="Không tìm thấy", message=what, offer_sign_in=False)


def redirect(location: str) -> Response:
    return Response("", status=303, headers={"Location": location})


def known_people(emulator: Emulator) -> list[str]:
    """Every email the emulator knows (owners, permissions, group members): sign-in hints."""
    store = emulator.store
    people: set[str] = set()
    records = list(store.collection("files").values()) + list(store.collection("drives").values())
    for record in records:
        if record.get("ownerEmail"):
            people.add(record["ownerEmail"])
        for permission in record.get("permissions", []):
            if permission.get("type") in ("user", "group") and permission.get("emailAddress"):
                people.add(permission["emailAddress"].lower())
    for group in store.collection("groups").values():
        people.update(group.get("members", []))
    return sorted(people)
