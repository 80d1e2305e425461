"""Offset paging behind opaque page tokens, as list methods answer (tokens carry no meaning a
client may rely on; a token not made here is refused)."""

from __future__ import annotations

import base64
from collections.abc import Sequence
from typing import TypeVar

from emulator.errors import ApiError

T = TypeVar("T")


def _token(offset: int) -> str:
    return base64.urlsafe_b64encode(f"o:{offset}".encode()).decode().rstrip("=")


def _offset(token: str | None) -> int:
    if not token:
        return 0
    try:
        text = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)).decode()
        return int(text.removeprefix("o:"))
    except ValueError as exc:
        raise ApiError(400, "Invalid Value", reason="invalid", location="pageToken") from exc


def page(items: Sequence[T], token: str | None, size: int) -> tuple[list[T], str | None]:
    """The page of ``items`` that ``token`` starts, and the token of the next (None: last).

    >>> page("abcde", None, 2)
    (['a', 'b'], 'bzoy')
    >>> page("abcde", "bzo0", 2)
    (['e'], None)
    """
    start = _offset(token)
    following = _token(start + size) if start + size < len(items) else None
    return list(items[start:start + size]), following
