"""``forms.watches``: create, list, renew, delete, and the Pub/Sub notifications they send.

Facts (developers.google.com/workspace/forms/api/reference/rest/v1/forms.watches and
.../guides/push-notifications): the only target is a Cloud Pub/Sub topic; event types SCHEMA
(edits to the form's content or settings) and RESPONSES (new and edited responses); a watch
expires seven days after creation, and ``watches.renew`` resets that to seven days from now.
The notification's **attributes** are ``formId``, ``watchId`` and ``eventType``; the message
has no data (the guide's sample notification; vm0-ai/vm0#25163 saw "no data field at all" in
production). Observed on Google (vm0-ai/vm0#25163, 2026-08): a second create for the same
(user, project, form, event type) answers 400 FAILED_PRECONDITION; deleting a missing watch
answers 403 "Watch not found or permission denied."; a watch on an unpublished form is ACTIVE.

Stored: collection ``watches``, key formId → ``{"watches": [Watch + "owner"]}``. The emulator
has one project, so "per project" is "per form, event type and calling user".
"""

from __future__ import annotations

import re
import secrets
from typing import Any

from emulator import pubsub
from emulator.core import Call, Emulator
from emulator.errors import ApiError
from emulator.services import forms_model, handles, pubsub_topics

WEEK_MICROS = 7 * 24 * 3600 * 1_000_000
TOPIC = re.compile(r"projects/[a-z][a-z0-9-]{4,28}[a-z0-9]/topics/[A-Za-z][\w.~+%-]{2,254}")
WATCH_ID = re.compile(r"[a-z][a-z0-9-]{2,62}")  # CreateWatchRequest.watchId: 4-63 of [a-z0-9-]
MISSING = "Watch not found or permission denied."


def _book(emulator: Emulator, form_id: str) -> dict[str, Any]:
    book = emulator.store.get("watches", form_id)
    if book is None:
        book = emulator.store.put("watches", form_id, {"watches": []})
    return book


def _public(watch: dict[str, Any]) -> dict[str, Any]:
    """The Watch resource. Guess: an expired watch stays listed (still ACTIVE, past its
    expireTime) until deleted; State has only ACTIVE and SUSPENDED. It no longer notifies."""
    return {key: value for key, value in watch.items() if key not in ("owner", "expireMicros")}


def _new_watch_id() -> str:
    raw = secrets.token_hex(16)
    return f"{raw[:8]}-{raw[8:12]}-{raw[12:16]}-{raw[16:20]}-{raw[20:]}"


@handles("forms.forms.watches.create")
def create(call: Call) -> Any:
    emulator = call.emulator
    form_id = call.params["formId"]
    forms_model.load(emulator, call.user, form_id, "reader")
    body = call.body or {}
    watch = body.get("watch") or {}
    topic = (watch.get("target") or {}).get("topic", {}).get("topicName", "")
    event_type = watch.get("eventType", "EVENT_TYPE_UNSPECIFIED")
    if event_type not in ("SCHEMA", "RESPONSES"):
        raise ApiError(400, "Invalid watch.event_type: an event type is required.")  # guess
    if not TOPIC.fullmatch(topic):
        raise ApiError(400, f"Invalid topic name: '{topic}'. Expected "
                            "projects/{project}/topics/{topic}.")  # guess
    refused = pubsub_topics.refusal(emulator, topic)
    if refused is not None:
        raise refused
    watch_id = body.get("watchId")
    book = _book(emulator, form_id)
    if watch_id is not None and not WATCH_ID.fullmatch(watch_id):
        raise ApiError(400, "Invalid watch_id: it must be 4-63 characters of a-z, 0-9 and "
                            "'-'.")  # guess
    for existing in book["watches"]:
        if watch_id is not None and existing["id"] == watch_id:
            raise ApiError(409, f"A watch with ID {watch_id} already exists.")  # guess
        if existing["eventType"] == event_type and existing["owner"] == call.user:
            # Observed: 400 FAILED_PRECONDITION naming the (end user, project, form,
            # event type) key; exact wording not recorded.
            raise ApiError(
                400,
                f"A watch already exists for this (end user, project, form, event type): "
                f"watch {existing['id']} on form {form_id} for {event_type}.",
                status="FAILED_PRECONDITION",
            )
    now = forms_model.micros_now(emulator)
    record = {
        "id": watch_id or _new_watch_id(),
        "target": {"topic": {"topicName": topic}},
        "eventType": event_type,
        "createTime": forms_model.format_time(now),
        "expireTime": forms_model.format_time(now + WEEK_MICROS),
        "state": "ACTIVE",
        "owner": call.user,
        "expireMicros": now + WEEK_MICROS,
    }
    book["watches"].append(record)
    emulator.store.touch("watches", form_id)
    return _public(record)


@handles("forms.forms.watches.list")
def list_watches(call: Call) -> Any:
    emulator = call.emulator
    form_id = call.params["formId"]
    forms_model.load(emulator, call.user, form_id, "reader")
    book = emulator.store.get("watches", form_id) or {"watches": []}
    return {"watches": [_public(watch) for watch in book["watches"]]}


def _find(call: Call) -> tuple[dict[str, Any], dict[str, Any]]:
    form_id, watch_id = call.params["formId"], call.params["watchId"]
    try:
        forms_model.load(call.emulator, call.user, form_id, "reader")
    except ApiError as error:
        raise ApiError(403, MISSING) from error
    book = call.emulator.store.get("watches", form_id) or {"watches": []}
    for watch in book["watches"]:
        if watch["id"] == watch_id:
            return book, watch
    raise ApiError(403, MISSING)


@handles("forms.forms.watches.renew")
def renew(call: Call) -> Any:
    _, watch = _find(call)
    now = forms_model.micros_now(call.emulator)
    watch["expireMicros"] = now + WEEK_MICROS
    watch["expireTime"] = forms_model.format_time(now + WEEK_MICROS)
    watch["state"] = "ACTIVE"  # renew "also clears this error information" (errorType)
    watch.pop("errorType", None)
    call.emulator.store.touch("watches", call.params["formId"])
    return _public(watch)


@handles("forms.forms.watches.delete")
def delete(call: Call) -> Any:
    book, watch = _find(call)
    book["watches"].remove(watch)
    call.emulator.store.touch("watches", call.params["formId"])
    return {}


def notify(emulator: Emulator, form_id: str, event_type: str) -> int:
    """Publishes one notification per ACTIVE, unexpired watch of ``event_type`` on the form.

    Returns how many were published.
    """
    book = emulator.store.get("watches", form_id) or {"watches": []}
    now = forms_model.micros_now(emulator)
    sent = 0
    for watch in book["watches"]:
        if watch["eventType"] != event_type or watch["state"] != "ACTIVE":
            continue
        if watch["expireMicros"] <= now:
            continue
        attributes = {"formId": form_id, "watchId": watch["id"], "eventType": event_type}
        pubsub.publish(emulator, watch["target"]["topic"]["topicName"], attributes)
        sent += 1
    return sent


def drop_all(emulator: Emulator, form_id: str) -> None:
    emulator.store.delete("watches", form_id)
