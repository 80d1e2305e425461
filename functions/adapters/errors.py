"""Our one error type for anything a Google API answered, whatever client made the call."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

import gspread
from googleapiclient.errors import HttpError

T = TypeVar("T")


class GoogleApiError(Exception):
    """A failed Google API call: HTTP status, Google's message and (Drive) reason."""

    def __init__(self, status: int, message: str, reason: str = "", api: str = "") -> None:
        super().__init__(f"{api} {status}: {message}".strip())
        self.status = status
        self.message = message
        self.reason = reason
        self.api = api


def _from_body(status: int, content: bytes | str, api: str) -> GoogleApiError:
    try:
        error = json.loads(content)["error"]
        reasons = [item.get("reason", "") for item in error.get("errors", [])]
        return GoogleApiError(status, str(error.get("message", "")), (reasons or [""])[0], api)
    except (ValueError, KeyError, TypeError, AttributeError):
        text = content.decode(errors="replace") if isinstance(content, bytes) else content
        return GoogleApiError(status, text[:500], "", api)


def from_http_error(exc: HttpError, api: str) -> GoogleApiError:
    return _from_body(int(exc.resp.status), exc.content, api)


@contextmanager
def translated(api: str) -> Iterator[None]:
    """Turns client-library errors raised inside the block into GoogleApiError."""
    try:
        yield
    except HttpError as exc:
        raise from_http_error(exc, api) from exc
    except gspread.exceptions.APIError as exc:
        raise _from_body(exc.code, exc.response.content, api) from exc


def call(api: str, request: Any, retries: int) -> Any:
    """Executes a google-api-python-client request with bounded retries, translating errors."""
    with translated(api):
        return request.execute(num_retries=retries)


def call_fn(api: str, function: Callable[[], T]) -> T:
    with translated(api):
        return function()
