"""Control endpoints under ``/_emulator/`` for tests, benchmarks and the demo.

Contract paths (tests and benchmarks rely on them):
- ``GET /_emulator/calls`` → ``{"total": N, "methods": {"<discovery method id>": n}}``;
  ``DELETE`` resets the counters.
- ``POST /_emulator/faults`` with ``{"method", "status", "count"}`` or ``{"rate", "seed"}``;
  status 403, 429, 500, 503, "drop" (connection closed unanswered) or "drop-after" (handled,
  then the answer lost), "hang" or "hang-after" (held unanswered, before or after being
  handled, until the faults are cleared); ``"after": N`` lets the first N matching calls
  through; a 403 takes ``"reason"``: ``userRateLimitExceeded`` (the default),
  ``rateLimitExceeded`` or ``sharingRateLimitExceeded``; ``GET`` → ``{"rules", "hanging"}``
  (calls held now); ``DELETE`` clears them and lets held calls go.
- ``POST /_emulator/quotas`` ``{"enabled": bool, "windowSeconds": s, "limits": {"sheets.write":
  [per project, per user]}}`` (every key optional; the counts restart). ``windowSeconds``
  compresses time: the limits then apply per window of that length instead of per minute.
  ``GET`` answers the same keys and ``refused``: calls refused over a limit since the reset.
- ``POST /_emulator/drive-config`` ``{"listingDelaySeconds": N}``: files.list hides files
  younger than N seconds (listings are not read-after-write consistent); files.get sees them.
- ``POST /_emulator/forms/{formId}/responses`` submits a response (registered by the Forms
  service module).
- ``GET /_emulator/gmail/outbox`` → ``{"messages": [{"id", "from", "to": [...], "subject",
  "text"}]}``: what ``gmail.users.messages.send`` sent, oldest first, subject and plain text
  decoded (services/gmail.py); ``/gmail/outbox`` shows it to people.
Others: ``POST /_emulator/clock`` ``{"advance": seconds}``;
``POST /_emulator/pubsub/subscriptions`` ``{"topic", "pushEndpoint"}`` (``DELETE`` with the
same body removes it); ``GET /_emulator/pubsub/deliveries`` → ``{"delivered", "waiting",
"dropped", "threads"}`` (pushes made, queued, dropped; delivery threads alive, at most 8);
``POST /_emulator/groups`` ``{"email", "members"}``; ``POST /_emulator/reset``.

Refusal modes (each makes the emulator answer as a Workspace or project that lacks a
preparation step would; ``guongmau check-google`` must report each as refused):
- ``POST /_emulator/forms/{formId}/legacy``: the form (the admin's template) is a legacy form,
  without ``publishSettings``; its copies are legacy too (services/forms.py).
- ``POST /_emulator/pubsub/topics`` ``{"topic", "exists": bool, "formsPublisher": bool}``: the
  topic is missing, or Forms' publisher lost its right on it: ``watches.create`` answers 403
  (services/pubsub_topics.py).
- ``POST /_emulator/drive/refused-permissions`` ``{"types": ["domain"]}``: Drive refuses
  permissions of these types, as a Workspace whose sharing policy forbids them
  (services/drive_permissions.py); ``{"types": []}`` lifts it.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

from werkzeug.wrappers import Request, Response

from emulator.core import Emulator
from emulator.errors import ApiError

ControlHandler = Callable[[Emulator, Any, dict[str, str]], Any]
_ROUTES: list[tuple[str, re.Pattern[str], ControlHandler]] = []


def route(verb: str, pattern: str) -> Callable[[ControlHandler], ControlHandler]:
    """Registers a control handler ``(emulator, json_body, path_params) -> JSON``."""

    def register(handler: ControlHandler) -> ControlHandler:
        _ROUTES.append((verb, re.compile(pattern), handler))
        return handler

    return register


def refusal(emulator: Emulator, request: Request) -> ApiError | None:
    """Why a control request is refused: these endpoints can wipe or forge the state, so a web
    page open in the same browser must not reach them (no CORS preflight guards a "simple"
    POST). Refused: any ``Origin`` but the emulator's own (browsers send it with every
    cross-origin POST and DELETE), a cross-site fetch, and a body or content type that is
    not JSON (an HTML form can send only form or plain-text bodies). Our own tools send JSON
    through ``requests`` (no ``Origin``), or no body at all."""
    port = emulator.base_url.rsplit(":", 1)[-1]
    origin = request.headers.get("Origin")
    if origin is not None and origin not in (f"http://127.0.0.1:{port}",
                                             f"http://localhost:{port}"):
        return ApiError(403, f"Control endpoints refuse requests from origin {origin}.")
    if request.headers.get("Sec-Fetch-Site") in ("cross-site", "same-site"):
        return ApiError(403, "Control endpoints refuse cross-site requests.")
    if (request.content_type or request.get_data()) and request.mimetype != "application/json":
        return ApiError(415, "Control endpoints take a JSON body (Content-Type: "
                             "application/json) or none.", status="UNSUPPORTED_MEDIA_TYPE")
    return None


def dispatch(emulator: Emulator, request: Request, raw_path: str) -> Response:
    from emulator.server import error_response, json_response

    refused = refusal(emulator, request)
    if refused is not None:
        return error_response(refused, "control")
    for verb, pattern, handler in _ROUTES:
        found = pattern.fullmatch(raw_path)
        if found and verb == request.method:
            try:
                body = json.loads(request.get_data() or b"null")
                result = handler(emulator, body, found.groupdict())
            except ApiError as error:
                return error_response(error, "control")
            except (ValueError, KeyError, TypeError) as exc:
                return error_response(ApiError(400, f"Bad control request: {exc}"), "control")
            finally:
                emulator.store.flush()
            return json_response({} if result is None else result)
    return error_response(ApiError(404, f"No control endpoint {request.method} {raw_path}"),
                          "control")


@route("GET", "/_emulator/gmail/outbox")
def _outbox(emulator: Emulator, body: Any, params: dict[str, str]) -> Any:
    from emulator.services.gmail import outbox

    keys = ("id", "from", "to", "subject", "text")
    return {"messages": [{key: sent[key] for key in keys} for sent in outbox(emulator.store)]}


@route("GET", "/_emulator/calls")
def _calls(emulator: Emulator, body: Any, params: dict[str, str]) -> Any:
    return {"total": sum(emulator.calls.values()), "methods": dict(sorted(emulator.calls.items()))}


@route("DELETE", "/_emulator/calls")
def _reset_calls(emulator: Emulator, body: Any, params: dict[str, str]) -> Any:
    emulator.calls.clear()


@route("POST", "/_emulator/faults")
def _add_fault(emulator: Emulator, body: Any, params: dict[str, str]) -> Any:
    emulator.faults.add(body)
    return {"rules": len(emulator.faults.rules)}


@route("GET", "/_emulator/faults")
def _faults(emulator: Emulator, body: Any, params: dict[str, str]) -> Any:
    return {"rules": len(emulator.faults.rules), "hanging": emulator.faults.hanging}


@route("DELETE", "/_emulator/faults")
def _clear_faults(emulator: Emulator, body: Any, params: dict[str, str]) -> Any:
    emulator.faults.clear()


@route("POST", "/_emulator/clock")
def _clock(emulator: Emulator, body: Any, params: dict[str, str]) -> Any:
    emulator.clock.advance(float(body.get("advance", 0)))
    return {"now": emulator.timestamp()}


@route("POST", "/_emulator/quotas")
def _quotas(emulator: Emulator, body: Any, params: dict[str, str]) -> Any:
    if "enabled" in body:
        emulator.quotas.enabled = bool(body["enabled"])
    if "windowSeconds" in body:
        window = float(body["windowSeconds"])
        if window <= 0:
            raise ApiError(400, "windowSeconds must be positive")
        emulator.quotas.window_seconds = window
    for key, (project, user) in body.get("limits", {}).items():
        api, bucket = key.split(".")
        emulator.quotas.limits[(api, bucket)] = (int(project), int(user))
    emulator.quotas.reset()
    return emulator.quotas.describe()


@route("GET", "/_emulator/quotas")
def _quota_state(emulator: Emulator, body: Any, params: dict[str, str]) -> Any:
    return emulator.quotas.describe()


@route("POST", "/_emulator/pubsub/subscriptions")
def _subscribe(emulator: Emulator, body: Any, params: dict[str, str]) -> Any:
    topic, endpoint = str(body["topic"]), str(body["pushEndpoint"])
    subscriptions = emulator.store.get("pubsub", topic) or {"endpoints": []}
    if endpoint not in subscriptions["endpoints"]:
        subscriptions["endpoints"].append(endpoint)
    emulator.store.put("pubsub", topic, subscriptions)
    return subscriptions


@route("DELETE", "/_emulator/pubsub/subscriptions")
def _unsubscribe(emulator: Emulator, body: Any, params: dict[str, str]) -> Any:
    topic, endpoint = str(body["topic"]), str(body["pushEndpoint"])
    subscriptions = emulator.store.get("pubsub", topic) or {"endpoints": []}
    subscriptions["endpoints"] = [e for e in subscriptions["endpoints"] if e != endpoint]
    emulator.store.put("pubsub", topic, subscriptions)
    return subscriptions


@route("GET", "/_emulator/pubsub/deliveries")
def _deliveries(emulator: Emulator, body: Any, params: dict[str, str]) -> Any:
    pusher = emulator.pusher
    return {"delivered": pusher.delivered, "waiting": pusher.waiting(),
            "dropped": pusher.dropped, "threads": pusher.threads}


@route("POST", "/_emulator/groups")
def _group(emulator: Emulator, body: Any, params: dict[str, str]) -> Any:
    members = sorted({str(m).lower() for m in body.get("members", [])})
    return emulator.store.put("groups", str(body["email"]).lower(), {"members": members})


@route("POST", "/_emulator/reset")
def _reset(emulator: Emulator, body: Any, params: dict[str, str]) -> Any:
    emulator.store.clear()
    emulator.calls.clear()
    emulator.faults.clear()
    emulator.quotas.reset()
    emulator.listing_delay_seconds = 0.0


@route("GET", "/_emulator/health")
def _health(emulator: Emulator, body: Any, params: dict[str, str]) -> Any:
    return {"ok": True, "serviceAccount": emulator.config.service_account}


@route("POST", "/_emulator/drives")
def _shared_drive(emulator: Emulator, body: Any, params: dict[str, str]) -> Any:
    """What a Workspace admin does once by hand: a shared drive with a chosen id and members
    (``{"id", "name", "members": [{"email", "role", "type"}], "restrictions": {}}``).
    Idempotent: members are merged into an existing drive."""
    from emulator.services.drive_common import permission_id_of

    drive_id = str(body["id"])
    drive = emulator.store.get("drives", drive_id) or {
        "id": drive_id, "name": body.get("name", drive_id), "createdTime": emulator.timestamp(),
        "restrictions": {}, "hidden": False, "permissions": []}
    drive["restrictions"].update(body.get("restrictions", {}))
    for member in body.get("members", []):
        email = str(member["email"]).lower()
        drive["permissions"] = [p for p in drive["permissions"] if p.get("emailAddress") != email]
        drive["permissions"].append({"id": permission_id_of(email),
                                     "type": member.get("type", "user"),
                                     "role": member.get("role", "reader"), "emailAddress": email})
    emulator.store.put("drives", drive_id, drive)
    return {"id": drive_id, "members": len(drive["permissions"])}
