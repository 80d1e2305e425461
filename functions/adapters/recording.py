"""Records HTTP exchanges as a cassette, redacted, in the format of ../shared/recorded/:
``{"interactions": [{"request": {method, uri, body, headers}, "response": {status: {code,
message}, headers, body: {string}}}]}``, in call order.

Both client stacks record here (clients.py): google-api-python-client through
``RecordingHttp`` (an httplib2.Http), gspread through its requests session. Redaction, so that
a Sở may hand its cassette over: no header but the content type (no bearer token); every email
address becomes ``nguoiN@example.com`` (Forms' own publisher, a public address, stays); every
long Google id (33+ characters, with a digit: files, forms, spreadsheets, watches) becomes a
random id of the same length, the same for every occurrence. ``roles`` names the pseudonyms of
the configured ids (shared drive, template form), so a replay can map them to its own.
Binary bodies (uploads, exports) are kept as text with undecodable bytes escaped
(``surrogateescape``, written as JSON escapes in an ASCII file):
``body.encode("utf-8", "surrogateescape")`` gives the bytes back.
"""

from __future__ import annotations

import json
import re
import secrets
import string
import threading
from pathlib import Path
from typing import Any

import httplib2

EMAIL = re.compile(r"[A-Za-z0-9._%+-]+(?:@|%40)[A-Za-z0-9.-]+\.[A-Za-z]{2,}")
LONG_ID = re.compile(r"(?<![A-Za-z0-9_-])(?=[A-Za-z_-]*\d)[A-Za-z0-9_-]{33,}")
PUBLIC_EMAILS = frozenset({"forms-notifications@system.gserviceaccount.com"})
ID_ALPHABET = string.ascii_letters + string.digits


class Recorder:
    """Collects exchanges (thread-safe) and writes them, redacted, as one cassette."""

    def __init__(self, roles: dict[str, str] | None = None) -> None:
        self.interactions: list[dict[str, Any]] = []
        self._lock = threading.Lock()
        self._emails: dict[str, str] = {}
        self._ids: dict[str, str] = {}
        self._made: set[str] = set()
        self._roles = {value: role for role, value in (roles or {}).items() if value}

    def record(self, method: str, uri: str, body: bytes | str | None, request_type: str,
               status: int, reason: str, response_type: str, content: bytes) -> None:
        with self._lock:
            self.interactions.append({
                "request": {"method": method, "uri": self._redact(uri),
                            "body": self._redact(_text(body)) if body else None,
                            "headers": _content_type(request_type)},
                "response": {"status": {"code": status, "message": reason},
                             "headers": _content_type(response_type),
                             "body": {"string": self._redact(_text(content))}},
            })

    def _redact(self, text: str) -> str:
        text = EMAIL.sub(self._email, text)
        for value in sorted(self._roles, key=len, reverse=True):
            if value in text:
                text = text.replace(value, self._pseudonym(value, max(len(value), 33)))
        return LONG_ID.sub(lambda found: self._pseudonym(found.group(0)), text)

    def _email(self, found: re.Match[str]) -> str:
        email = found.group(0).replace("%40", "@").lower()
        if email in PUBLIC_EMAILS:
            return found.group(0)
        alias = self._emails.setdefault(email, f"nguoi{len(self._emails) + 1}@example.com")
        return alias if "%40" not in found.group(0) else alias.replace("@", "%40")

    def _pseudonym(self, value: str, length: int | None = None) -> str:
        if value in self._made:
            return value  # already redacted (a configured id replaced first)
        if value not in self._ids:
            size = length or len(value)
            self._ids[value] = "r3" + "".join(secrets.choice(ID_ALPHABET) for _ in range(size - 2))
            self._made.add(self._ids[value])
        return self._ids[value]

    def roles(self) -> dict[str, str]:
        """pseudonym → role, for the configured ids seen in the exchanges."""
        return {self._ids[value]: role for value, role in self._roles.items()
                if value in self._ids}

    def save(self, directory: Path, name: str) -> Path:
        directory.mkdir(parents=True, exist_ok=True)
        path = directory / f"{name}.json"
        with self._lock:
            cassette = {"interactions": self.interactions, "roles": self.roles()}
        path.write_text(json.dumps(cassette, indent=1), encoding="utf-8")
        return path


def _text(data: bytes | str | None) -> str:
    if data is None:
        return ""
    if isinstance(data, str):
        return data
    return data.decode("utf-8", "surrogateescape")


def _content_type(value: str) -> dict[str, list[str]]:
    return {"Content-Type": [value]} if value else {}


class RecordingHttp(httplib2.Http):
    """httplib2.Http that hands every exchange to a Recorder (batch and upload calls too)."""

    def __init__(self, recorder: Recorder, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.recorder = recorder

    def request(self, uri: str, method: str = "GET", body: Any = None,
                headers: dict[str, str] | None = None, *args: Any,
                **kwargs: Any) -> tuple[httplib2.Response, bytes]:
        response, content = super().request(uri, method, body, headers, *args, **kwargs)
        request_type = next((v for k, v in (headers or {}).items()
                             if k.lower() == "content-type"), "")
        self.recorder.record(method, uri, body, request_type, int(response.status),
                             str(response.reason), response.get("content-type", ""), content)
        return response, content
