"""Pages for people: a Drive browser, fillable forms, live sheets and readable docs."""

from __future__ import annotations

from werkzeug.wrappers import Request, Response

from emulator.core import Emulator


def dispatch(emulator: Emulator, request: Request, raw_path: str) -> Response | None:
    """The page at ``raw_path``, or None when no page lives there."""
    return None
