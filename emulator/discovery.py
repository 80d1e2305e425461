"""The official discovery documents, read from the installed google-api-python-client.

They are the emulator's single source for paths, HTTP verbs and request/response schemas, so
the emulator routes exactly the URLs the real client libraries build and checks bodies against
the same schemas Google publishes.
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import googleapiclient

SERVICES = ("sheets.v4", "drive.v3", "forms.v1", "docs.v1", "storage.v1", "pubsub.v1",
            "gmail.v1")
_DOCUMENTS = Path(googleapiclient.__file__).parent / "discovery_cache" / "documents"


@functools.cache
def document(service: str) -> dict[str, Any]:
    """The discovery document of ``service`` (e.g. ``"sheets.v4"``)."""
    with open(_DOCUMENTS / f"{service}.json", encoding="utf-8") as handle:
        return json.load(handle)


@dataclass(frozen=True)
class Method:
    """One REST method of one API, as its discovery document describes it."""

    id: str  # e.g. "sheets.spreadsheets.values.get"
    service: str  # e.g. "sheets.v4"
    http_method: str
    path: str  # full path template below the root, e.g. "drive/v3/files/{fileId}"
    request_schema: str | None
    response_schema: str | None
    is_upload: bool = False

    @property
    def api(self) -> str:
        """Short API name: sheets, drive, forms, docs, storage, pubsub or gmail."""
        return self.service.split(".")[0]


def _walk(resource: dict[str, Any]) -> Iterator[dict[str, Any]]:
    yield from resource.get("methods", {}).values()
    for child in resource.get("resources", {}).values():
        yield from _walk(child)


def methods() -> Iterator[Method]:
    """Every method of every emulated API, upload variants included."""
    for service in SERVICES:
        doc = document(service)
        for raw in _walk(doc):
            template = raw.get("flatPath", raw["path"])
            common = {
                "id": raw["id"],
                "service": service,
                "http_method": raw["httpMethod"],
                "request_schema": raw.get("request", {}).get("$ref"),
                "response_schema": raw.get("response", {}).get("$ref"),
            }
            yield Method(path=doc["servicePath"] + template, **common)
            upload = raw.get("mediaUpload", {}).get("protocols", {})
            paths = {p["path"].lstrip("/") for p in upload.values() if "path" in p}
            for upload_path in sorted(paths):
                yield Method(path=upload_path, is_upload=True, **common)


_PARAM = re.compile(r"\{\+?(\w+)\}")


@dataclass(frozen=True)
class Route:
    method: Method
    pattern: re.Pattern[str]
    specificity: int  # literal characters: more literal text wins over a bare parameter

    def match(self, raw_path: str) -> dict[str, str] | None:
        found = self.pattern.fullmatch(raw_path)
        if found is None:
            return None
        return {name: unquote(value) for name, value in found.groupdict().items()}


def _compile(method: Method) -> Route:
    pattern, last = "", 0
    for param in _PARAM.finditer(method.path):
        pattern += re.escape(method.path[last : param.start()])
        # Ids never contain "/" or ":"; ranges ("A1:B2") and object names may contain ":".
        pattern += f"(?P<{param.group(1)}>[^/]+?)"
        last = param.end()
    pattern += re.escape(method.path[last:])
    literal = len(_PARAM.sub("", method.path))
    return Route(method, re.compile(pattern), literal)


@functools.cache
def routes() -> dict[str, tuple[Route, ...]]:
    """Routes by HTTP verb, most specific first."""
    table: dict[str, list[Route]] = {}
    for method in methods():
        table.setdefault(method.http_method, []).append(_compile(method))
    return {
        verb: tuple(sorted(found, key=lambda r: -r.specificity)) for verb, found in table.items()
    }


def resolve(http_method: str, raw_path: str) -> tuple[Method, dict[str, str]] | None:
    """The method a request targets and its path parameters, or None."""
    for route in routes().get(http_method, ()):
        params = route.match(raw_path.lstrip("/"))
        if params is not None:
            return route.method, params
    return None


@functools.cache
def by_id() -> dict[str, Method]:
    """Non-upload methods by discovery id."""
    return {m.id: m for m in methods() if not m.is_upload}
