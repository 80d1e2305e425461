"""Pages for people: a Drive browser, fillable forms, live sheets and readable docs.

Each page module registers its routes (a regular expression over the raw path, and the HTTP
verbs it answers); ``dispatch`` finds the page and runs it under the emulator's state lock, as
API handlers run, so a page never sees a half-made change.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from werkzeug.wrappers import Request, Response

from emulator.core import Emulator

Page = Callable[[Emulator, Request, dict[str, str]], Response]
_ROUTES: list[tuple[frozenset[str], re.Pattern[str], Page]] = []


def page(pattern: str, verbs: tuple[str, ...] = ("GET",)) -> Callable[[Page], Page]:
    """Registers a page for paths matching ``pattern`` (named groups become parameters)."""

    def register(handler: Page) -> Page:
        _ROUTES.append((frozenset(verbs), re.compile(pattern), handler))
        return handler

    return register


def _load() -> None:
    """Imports the page modules (once) so that their routes register."""
    import importlib

    for name in ("drive_browser", "form_page", "form_settings", "sheet_page", "doc_page",
                 "outbox_page"):
        importlib.import_module(f"{__name__}.{name}")


def dispatch(emulator: Emulator, request: Request, raw_path: str) -> Response | None:
    """The page at ``raw_path``, or None when no page lives there."""
    _load()
    for verbs, pattern, handler in _ROUTES:
        found = pattern.fullmatch(raw_path)
        if found is None:
            continue
        if request.method not in verbs:
            return Response("Phương thức không được hỗ trợ.", status=405,
                            content_type="text/plain; charset=utf-8")
        with emulator.lock:
            try:
                return handler(emulator, request, found.groupdict())
            finally:
                emulator.store.flush()
    return None
