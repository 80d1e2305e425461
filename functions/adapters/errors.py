"""Our errors for talking to Google, whatever client made the call.

    GoogleApiError        a call failed: Google's HTTP status and message (exit 4 in the CLI)
    └── TransportError    no answer at all: the connection dropped, timed out or was refused
    NotConnected          the very first contact failed: no credentials, an emulator address
                          that is malformed or not answering, Google unreachable (exit 5)

Calls go through ``retry.Gate``, which translates them with ``translated`` and retries.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager

import google.auth.exceptions
import gspread
import httplib2
from googleapiclient.errors import HttpError


class GoogleApiError(Exception):
    """A failed Google API call: HTTP status, Google's message and (Drive) reason."""

    def __init__(self, status: int, message: str, reason: str = "", api: str = "") -> None:
        super().__init__(f"{api} {status}: {message}".strip())
        self.status = status
        self.message = message
        self.reason = reason
        self.api = api


class TransportError(GoogleApiError, ConnectionError):
    """A call that got no HTTP answer (status 0). Also a ConnectionError, so that code retrying
    dropped connections (``except OSError``) keeps seeing it."""

    def __init__(self, api: str, cause: BaseException) -> None:
        detail = str(cause) or type(cause).__name__
        super().__init__(0, f"{type(cause).__name__}: {detail}"[:300], "transport", api)


class NotConnected(Exception):
    """Work could not start: ``kind`` is ``credentials``, ``bad-url`` or ``unreachable``;
    ``target`` is the emulator address, or None for Google."""

    def __init__(self, kind: str, target: str | None, detail: str = "") -> None:
        super().__init__(f"{kind} {target or 'Google'}: {detail}".strip())
        self.kind = kind
        self.target = target
        self.detail = detail


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
    except google.auth.exceptions.RefreshError as exc:
        # Google refused the credentials (e.g. delegation not allowed). Verified only offline:
        # here a made-up key cannot reach Google and fails as a transport error instead.
        raise GoogleApiError(401, str(exc)[:300], "authError", api) from exc
    except GoogleApiError:
        raise
    except (OSError, httplib2.HttpLib2Error, google.auth.exceptions.TransportError) as exc:
        # requests' and http.client's connection errors are OSErrors; httplib2 has its own.
        raise TransportError(api, exc) from exc
