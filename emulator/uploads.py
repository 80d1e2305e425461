"""Media uploads (simple, multipart, resumable) and the batch endpoint.

These are the wire formats google-api-python-client speaks: ``multipart/related`` for metadata
plus media, a session URI for resumable uploads, and ``multipart/mixed`` of ``application/http``
parts for batches.
"""

from __future__ import annotations

import email
import email.policy
import json
import re
import secrets
from io import BytesIO
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

from werkzeug.test import EnvironBuilder
from werkzeug.wrappers import Request, Response

from emulator import discovery
from emulator.errors import ApiError

if TYPE_CHECKING:
    from emulator.server import EmulatorApp

_sessions: dict[str, dict[str, Any]] = {}


def _parts(content_type: str, payload: bytes) -> list[email.message.Message]:
    head = f"Content-Type: {content_type}\r\nMIME-Version: 1.0\r\n\r\n".encode()
    message = email.message_from_bytes(head + payload, policy=email.policy.HTTP)
    if not message.is_multipart():
        raise ApiError(400, "Multipart body expected.")
    return list(message.iter_parts())


def _payload(part: email.message.Message) -> bytes:
    data = part.get_payload(decode=True)
    return data if isinstance(data, bytes) else str(part.get_payload()).encode()


def parse_upload(request: Request, kind: str) -> tuple[Any, tuple[bytes, str]]:
    """(metadata JSON or None, (media bytes, media type)) of a simple or multipart upload."""
    if kind == "multipart":
        parts = _parts(request.content_type or "", request.get_data())
        if len(parts) != 2:
            raise ApiError(400, "A multipart upload has exactly two parts: metadata and media.")
        metadata = json.loads(_payload(parts[0]) or b"{}")
        media_type = parts[1].get_content_type()
        return metadata, (_payload(parts[1]), media_type)
    if kind == "media":
        return None, (request.get_data(), request.content_type or "application/octet-stream")
    raise ApiError(400, f"Invalid uploadType: {kind}")


def start_resumable(
    app: EmulatorApp, request: Request, method: discovery.Method, params: dict[str, str]
) -> Response:
    upload_id = secrets.token_urlsafe(16)
    body = json.loads(request.get_data() or b"{}")
    _sessions[upload_id] = {
        "method": method,
        "params": params,
        "headers": dict(request.headers),
        "args": request.args.to_dict(flat=False),
        "metadata": body,
        "media_type": request.headers.get("X-Upload-Content-Type", "application/octet-stream"),
        "data": b"",
    }
    query = urlencode({**request.args.to_dict(), "upload_id": upload_id})
    location = f"{app.emulator.base_url}{request.path}?{query}"
    return Response(b"", status=200, headers={"Location": location})


def resume(app: EmulatorApp, request: Request) -> Response:
    session = _sessions.get(request.args["upload_id"])
    if session is None:
        return Response(b"", status=404)
    session["data"] += request.get_data()
    content_range = request.headers.get("Content-Range", "")
    total = content_range.rsplit("/", 1)[-1] if "/" in content_range else ""
    if total not in ("", "*") and len(session["data"]) < int(total):
        return Response(b"", status=308, headers={"Range": f"bytes=0-{len(session['data']) - 1}"})
    if total == "*":
        return Response(b"", status=308, headers={"Range": f"bytes=0-{len(session['data']) - 1}"})
    del _sessions[request.args["upload_id"]]
    original = Request(EnvironBuilder(
        path=request.path, method=session["method"].http_method,
        query_string=urlencode(session["args"], doseq=True),
        headers=list(session["headers"].items()),
    ).get_environ())
    media = (session["data"], session["media_type"])
    return app.call(session["method"], session["params"], original, session["metadata"], media)


def batch(app: EmulatorApp, request: Request) -> Response:
    """Runs each ``application/http`` part as its own call; answers ``multipart/mixed``."""
    boundary = "batch_" + secrets.token_hex(8)
    out = BytesIO()
    for part in _parts(request.content_type or "", request.get_data()):
        inner = _payload(part)
        # googleapiclient writes the inner request with bare "\n" line ends; others use CRLF.
        head, body = ([*re.split(rb"\r?\n\r?\n", inner, maxsplit=1), b""])[:2]
        lines = head.decode().splitlines()
        verb, target = lines[0].split(" ")[:2]
        headers = dict(line.split(": ", 1) for line in lines[1:] if ": " in line)
        if "Authorization" not in headers and "Authorization" in request.headers:
            headers["Authorization"] = request.headers["Authorization"]
        path, _, query = target.partition("?")
        environ = EnvironBuilder(path=path, method=verb, query_string=query,
                                 headers=list(headers.items()),
                                 data=body).get_environ()
        environ["RAW_URI"] = target
        answer = app.dispatch(Request(environ))
        content_id = part.get("Content-ID", "<id+0>")
        out.write(f"--{boundary}\r\nContent-Type: application/http\r\n"
                  f"Content-ID: <response-{content_id.strip('<>')}>\r\n\r\n".encode())
        out.write(f"HTTP/1.1 {answer.status}\r\nContent-Type: {answer.content_type}\r\n\r\n"
                  .encode())
        out.write(answer.get_data() + b"\r\n")
    out.write(f"--{boundary}--\r\n".encode())
    return Response(out.getvalue(), status=200,
                    content_type=f"multipart/mixed; boundary={boundary}")
