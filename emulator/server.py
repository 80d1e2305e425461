"""The HTTP front of the emulator: routes Google's REST paths to handlers, over real HTTP.

Request flow: control endpoints and people's pages first; otherwise the discovery document
resolves the method, the call is counted, faults and quotas apply, the body is checked against
the method's request schema, the handler runs under the state lock, the ``fields`` mask trims
the answer, and changed state is flushed to disk.
"""

from __future__ import annotations

import contextlib
import json
import logging
import socket
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from werkzeug.serving import BaseWSGIServer, make_server
from werkzeug.wrappers import Request, Response

from emulator import control, discovery, fieldmask, schema, uploads
from emulator.core import Call, Config, Emulator, Raw
from emulator.errors import ApiError
from emulator.faults import DropConnection, Hang
from emulator.quota import buckets_of
from emulator.services import HANDLERS, load_all

LENIENT_APIS = frozenset({"drive", "storage"})  # the real Drive ignores unknown body fields


def json_response(body: Any, status: int = 200) -> Response:
    return Response(
        json.dumps(body, ensure_ascii=False, separators=(",", ":")),
        status=status,
        content_type="application/json; charset=UTF-8",
    )


def error_response(error: ApiError, api: str) -> Response:
    return json_response(error.body(api), error.code)


def _api_of_path(path: str) -> str:
    for prefix, api in (("drive/", "drive"), ("upload/drive/", "drive"), ("storage/", "storage"),
                        ("v4/", "sheets"), ("v1/forms", "forms"), ("v1/documents", "docs"),
                        ("v1/projects", "pubsub"), ("gmail/", "gmail"),
                        ("upload/gmail/", "gmail")):
        if path.lstrip("/").startswith(prefix):
            return api
    return "sheets"


class EmulatorApp:
    """The WSGI application."""

    def __init__(self, emulator: Emulator) -> None:
        load_all()
        self.emulator = emulator

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Any:
        request = Request(environ)
        try:
            response = self.dispatch(request)
        except DropConnection as dropped:
            if isinstance(dropped, Hang):
                self.emulator.faults.hold()  # outside the lock: the emulator keeps serving
            sock = environ.get("werkzeug.socket")
            if sock is not None:
                with contextlib.suppress(OSError):  # the client may be gone (killed) by now
                    sock.shutdown(socket.SHUT_RDWR)
            response = Response(b"", status=500)
        return response(environ, start_response)

    def dispatch(self, request: Request) -> Response:
        environ = request.environ
        raw_path = environ.get("RAW_URI") or environ.get("REQUEST_URI") or request.path
        raw_path = raw_path.split("?", 1)[0]
        if raw_path.startswith("/_emulator/"):
            with self.emulator.lock:
                return control.dispatch(self.emulator, request, raw_path)
        if raw_path.startswith("/batch/"):
            return uploads.batch(self, request)
        if "upload_id" in request.args:
            return uploads.resume(self, request)
        resolved = discovery.resolve(request.method, raw_path)
        if resolved is None:
            from emulator import pages

            page = pages.dispatch(self.emulator, request, raw_path)
            if page is not None:
                return page
            api = _api_of_path(raw_path)
            return error_response(ApiError(404, f"Not found: {request.method} {raw_path}"), api)
        method, params = resolved
        try:
            media: tuple[bytes, str] | None = None
            body: Any = None
            if method.is_upload:
                kind = request.args.get("uploadType", "media")
                if kind == "resumable":
                    return uploads.start_resumable(self, request, method, params)
                body, media = uploads.parse_upload(request, kind)
            elif request.get_data():
                try:
                    body = json.loads(request.get_data())
                except ValueError as exc:
                    raise ApiError(400, f"Invalid JSON payload received. {exc}") from exc
            return self.call(method, params, request, body, media)
        except ApiError as error:
            return error_response(error, method.api)

    def user_of(self, request: Request) -> str:
        header = request.headers.get("Authorization", "")
        token = header.split(" ", 1)[1].strip() if header.lower().startswith("bearer ") else ""
        return token.lower() if "@" in token else self.emulator.config.service_account

    def call(
        self,
        method: discovery.Method,
        params: dict[str, str],
        request: Request,
        body: Any,
        media: tuple[bytes, str] | None,
    ) -> Response:
        """Runs one resolved API call (also used for each part of a batch)."""
        emulator = self.emulator
        user = self.user_of(request)
        with emulator.lock:
            emulator.calls[method.id] += 1
            try:
                lose_answer = emulator.faults.check(method.id)
                emulator.quotas.charge(method.api, buckets_of(method.api, method.id,
                                                              method.http_method), user)
                raw_body = body
                if body is not None and method.request_schema:
                    body = schema.validate(method.service, method.request_schema, body,
                                           strict=method.api not in LENIENT_APIS)
                handler = HANDLERS.get(method.id)
                if handler is None:
                    raise ApiError(404, f"Method {method.id} is not implemented by the "
                                        "guongmau emulator.")
                call = Call(emulator, method, params, request.args, body, user,
                            media=media[0] if media else None,
                            media_type=media[1] if media else None, raw_body=raw_body)
                result = handler(call)
            except ApiError as error:
                return error_response(error, method.api)
            finally:
                if method.http_method != "GET":
                    emulator.store.flush()
        if lose_answer:
            raise lose_answer  # the effect stands; the caller never hears of it
        if isinstance(result, Response):
            return result
        if isinstance(result, Raw):
            return Response(result.content, status=result.status, content_type=result.content_type,
                            headers=result.headers)
        if result is None:
            return Response(b"", status=204)
        fields = request.args.get("fields")
        if fields:
            result = fieldmask.apply(result, fieldmask.parse(fields))
        return json_response(result)


@dataclass
class RunningEmulator:
    """An emulator served on a background thread (tests, the embedded demo)."""

    emulator: Emulator
    server: BaseWSGIServer
    thread: threading.Thread

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_port}"

    def stop(self) -> None:
        self.server.shutdown()
        self.thread.join(timeout=10)
        self.server.server_close()
        self.emulator.pusher.close()
        with self.emulator.lock:
            self.emulator.store.flush()


def start(
    data_dir: Path | None = None, port: int = 0, config: Config | None = None
) -> RunningEmulator:
    """Serves an emulator on 127.0.0.1 (an ephemeral port by default) in a daemon thread."""
    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # no line per request
    emulator = Emulator(data_dir, config)
    server = make_server("127.0.0.1", port, EmulatorApp(emulator), threaded=True)
    emulator.base_url = f"http://127.0.0.1:{server.server_port}"
    # A short poll interval lets stop() return at once (tests start and stop many emulators).
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05},
                              name="emulator", daemon=True)
    thread.start()
    return RunningEmulator(emulator, server, thread)


def serve(port: int, data_dir: Path | None, config: Config | None = None) -> None:
    """Serves in the foreground until interrupted (``guongmau emulator``)."""
    running = start(data_dir, port, config)
    try:
        running.thread.join()
    except KeyboardInterrupt:
        pass
    finally:
        running.stop()
