"""The stored form record, its public Form resource, ids, revisions and exact timestamps.

Stored record (collection ``forms``, key = the Drive file id = formId)::

    {"formId", "info", "settings", "items", "publishSettings", "revisionId", "revisions",
     "extraSettings": {"limitOneResponsePerUser", "allowResponseEdits"}, "lastMicros"}

``extraSettings`` holds what the Forms API cannot set nor show (Google keeps these in the form
but the Form resource has no field for them). ``lastMicros`` is the form's time high-water mark,
so that response timestamps strictly increase and a ``timestamp >`` cursor is exact.
"""

from __future__ import annotations

import copy
import secrets
from datetime import UTC, datetime
from typing import Any

from emulator import acl, files
from emulator.core import Emulator
from emulator.errors import ApiError

NOT_FOUND = "Requested entity was not found."
EXTRA_SETTINGS = ("limitOneResponsePerUser", "allowResponseEdits")
KEPT_REVISIONS = 50  # how far back a writeControl.targetRevisionId may point (guess)


def micros_now(emulator: Emulator) -> int:
    return round(emulator.clock.now() * 1_000_000)


def format_time(micros: int, *, precision: int = 6) -> str:
    """RFC 3339 UTC as Google's JSON writes a Timestamp: 0, 3 or 6 fraction digits.

    ``precision=3`` truncates to milliseconds, as Google writes a response's ``createTime``
    (real answers show ``createTime "…:51.394Z"`` next to ``lastSubmittedTime "…:51.394652Z"``).

    >>> format_time(1_700_000_000_123_456)
    '2023-11-14T22:13:20.123456Z'
    >>> format_time(1_700_000_000_123_456, precision=3)
    '2023-11-14T22:13:20.123Z'
    >>> format_time(1_700_000_000_000_000)
    '2023-11-14T22:13:20Z'
    """
    seconds, fraction = divmod(micros, 1_000_000)
    if precision == 3:
        fraction -= fraction % 1000
    base = datetime.fromtimestamp(seconds, UTC).strftime("%Y-%m-%dT%H:%M:%S")
    if fraction == 0:
        return base + "Z"
    if fraction % 1000 == 0:
        return f"{base}.{fraction // 1000:03d}Z"
    return f"{base}.{fraction:06d}Z"


def parse_time(text: str) -> int | None:
    """Microseconds since the epoch of an RFC 3339 UTC ("Z") time, or None when malformed.

    >>> parse_time("2023-11-14T22:13:20.123456789Z")
    1700000000123456
    >>> parse_time("2023-11-14T22:13:20Z")
    1700000000000000
    >>> parse_time("2023-11-14 22:13") is None
    True
    """
    if not text.endswith("Z") or "T" not in text:
        return None
    body = text[:-1]
    fraction = 0
    if "." in body:
        body, digits = body.split(".", 1)
        if not digits.isdigit() or len(digits) > 9:
            return None
        fraction = int(digits[:6].ljust(6, "0"))
    try:
        moment = datetime.strptime(body, "%Y-%m-%dT%H:%M:%S").replace(tzinfo=UTC)
    except ValueError:
        return None
    return int(moment.timestamp()) * 1_000_000 + fraction


def new_hex_id(taken: set[str]) -> str:
    """An 8-hex-digit id, as Google's item and question ids (``entry.<int(id, 16)>`` pre-fills)."""
    while True:
        candidate = secrets.token_hex(4)
        if candidate not in taken and not candidate.startswith("0"):
            return candidate


def empty_record(emulator: Emulator, form_id: str, title: str) -> dict[str, Any]:
    record = {
        "formId": form_id,
        "info": {"title": title, "documentTitle": title},
        "settings": {"emailCollectionType": "DO_NOT_COLLECT"},
        "items": [],
        # Forms created through the API after 2026-06-30 start unpublished
        # (developers.google.com/workspace/forms/api/guides/api-changes-to-google-forms).
        "publishSettings": {"publishState": {"isPublished": False, "isAcceptingResponses": False}},
        "revisionId": "",
        "revisions": [],
        "extraSettings": {name: False for name in EXTRA_SETTINGS},
        "lastMicros": 0,
    }
    bump_revision(record)
    return record


def bump_revision(record: dict[str, Any]) -> str:
    """Gives the form a new revision id (every change does, as on Google)."""
    number = len(record.get("revisions", [])) + int(record.get("revisionBase", 0)) + 1
    revision = f"{number:08d}"
    record["revisionId"] = revision
    history = record.setdefault("revisions", [])
    history.append(revision)
    if len(history) > KEPT_REVISIONS:
        record["revisionBase"] = int(record.get("revisionBase", 0)) + len(history) - KEPT_REVISIONS
        del history[: len(history) - KEPT_REVISIONS]
    return revision


def stored(emulator: Emulator, form_id: str) -> dict[str, Any]:
    """The stored record of a form (no access check), or a 404."""
    record = emulator.store.get("forms", form_id)
    if record is None:
        raise ApiError(404, NOT_FOUND)
    return record


def load(emulator: Emulator, user: str, form_id: str, role: str = "reader") -> dict[str, Any]:
    """The stored record of a form ``user`` holds ``role`` on (Google: 404 absent, 403 hidden)."""
    file = acl.find_file(emulator.store, form_id)
    if file is None or file.get("mimeType") != files.FORM or file.get("trashed"):
        raise ApiError(404, NOT_FOUND)
    acl.require(emulator.store, user, form_id, role, hidden_status=403,
                not_found_message=NOT_FOUND)
    return stored(emulator, form_id)


def save(emulator: Emulator, record: dict[str, Any], *, content_changed: bool = True) -> None:
    emulator.store.touch("forms", record["formId"])
    if content_changed:
        files.touch(emulator, record["formId"])


def form_resource(emulator: Emulator, form_id: str) -> dict[str, Any]:
    """The Form resource as ``forms.get`` answers it (no access check)."""
    record = stored(emulator, form_id)
    form: dict[str, Any] = {
        "formId": form_id,
        "info": copy.deepcopy(record["info"]),
        "settings": copy.deepcopy(record["settings"]),
        "revisionId": record["revisionId"],
        "responderUri": f"{emulator.base_url}/forms/d/e/{form_id}/viewform",
    }
    if record.get("publishSettings") is not None:  # legacy forms have none (Form reference)
        form["publishSettings"] = copy.deepcopy(record["publishSettings"])
    if record["items"]:
        form["items"] = copy.deepcopy(record["items"])
    if form["settings"].get("quizSettings") == {}:
        del form["settings"]["quizSettings"]
    return form


def publish_state(record: dict[str, Any]) -> dict[str, bool]:
    """The form's publish state; a legacy form (no ``publishSettings``) is published and open."""
    settings = record.get("publishSettings")
    if settings is None:
        return {"isPublished": True, "isAcceptingResponses": True}
    state = settings.get("publishState", {})
    return {name: bool(state.get(name)) for name in ("isPublished", "isAcceptingResponses")}


def form_extra_settings(emulator: Emulator, form_id: str) -> dict[str, bool]:
    """The settings the API cannot set: ``limitOneResponsePerUser``, ``allowResponseEdits``."""
    extra = stored(emulator, form_id).get("extraSettings", {})
    return {name: bool(extra.get(name, False)) for name in EXTRA_SETTINGS}


def questions(record: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Every question of the form by questionId (grid rows included)."""
    found: dict[str, dict[str, Any]] = {}
    for item in record["items"]:
        question = item.get("questionItem", {}).get("question")
        if question is not None:
            found[question["questionId"]] = question
        group = item.get("questionGroupItem")
        if group is not None:
            columns = group.get("grid", {}).get("columns", {})
            for row in group.get("questions", []):
                found[row["questionId"]] = {**row, "choiceQuestion": columns}
    return found


def taken_ids(record: dict[str, Any]) -> set[str]:
    ids = {item["itemId"] for item in record["items"] if "itemId" in item}
    return ids | set(questions(record))


def next_micros(record: dict[str, Any], now: int, *, after_millis: bool = False) -> int:
    """A time strictly after the form's last one (bumped by 1 µs, or to the next millisecond
    when ``after_millis``: a new response's millisecond ``createTime`` must also increase)."""
    last = int(record.get("lastMicros", 0))
    floor = (last // 1000 + 1) * 1000 if after_millis else last + 1
    chosen = max(now, floor)
    record["lastMicros"] = chosen
    return chosen


# --- responses storage: chunks of CHUNK responses, so a submission rewrites one small file ------

CHUNK = 100


def _chunk_key(form_id: str, chunk: int) -> str:
    return f"{form_id}#{chunk:05d}"


def responses_of(emulator: Emulator, record: dict[str, Any]) -> list[dict[str, Any]]:
    """The live response records of a form, in creation order (mutate, then touch_response)."""
    found: list[dict[str, Any]] = []
    count = int(record.get("responseCount", 0))
    for chunk in range((count + CHUNK - 1) // CHUNK):
        found.extend(emulator.store.get("responses", _chunk_key(record["formId"], chunk)) or [])
    return found


def respondents(emulator: Emulator, record: dict[str, Any]) -> set[str]:
    """The emails that have responded to a form: a look-up table built once from the stored
    responses and kept while the form's response count is the one it was built at (a
    submission adds its email and the count; anything else makes it be built again). Checking
    "one response per person" by scanning every response made seeding a province quadratic."""
    key, count = ("respondents", record["formId"]), int(record.get("responseCount", 0))
    found = emulator.indexes.get(key)
    if found is None or found[0] != count:
        emails = {str(r["respondentEmail"]) for r in responses_of(emulator, record)
                  if r.get("respondentEmail")}
        found = emulator.indexes[key] = (count, emails)
    return found[1]


def append_response(emulator: Emulator, record: dict[str, Any], response: dict[str, Any]) -> None:
    count = int(record.get("responseCount", 0))
    key = _chunk_key(record["formId"], count // CHUNK)
    chunk = emulator.store.get("responses", key) or emulator.store.put("responses", key, [])
    chunk.append(response)
    response["_seq"] = count
    record["responseCount"] = count + 1
    table = emulator.indexes.get(("respondents", record["formId"]))
    if table is not None and table[0] == count:  # still in step: the caller adds the email
        emulator.indexes[("respondents", record["formId"])] = (count + 1, table[1])
    emulator.store.touch("responses", key)
    emulator.store.touch("forms", record["formId"])


def touch_response(emulator: Emulator, record: dict[str, Any], response: dict[str, Any]) -> None:
    emulator.store.touch("responses", _chunk_key(record["formId"], int(response["_seq"]) // CHUNK))


def drop_responses(emulator: Emulator, record: dict[str, Any]) -> None:
    count = int(record.get("responseCount", 0))
    for chunk in range((count + CHUNK - 1) // CHUNK):
        emulator.store.delete("responses", _chunk_key(record["formId"], chunk))
