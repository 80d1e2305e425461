"""Form responses: submission (control endpoint and the pages' helper), ``responses.list/get``.

Stored: collection ``responses`` in chunks (``forms_model.responses_of``), in creation order.
A record is the FormResponse plus ``_createMicros``, ``_lastMicros`` and ``_seq``.

Times, as Google writes them: ``createTime`` in milliseconds, ``lastSubmittedTime`` in
microseconds (real answers: ``"createTime": "2024-06-19T16:05:51.394Z", "lastSubmittedTime":
"2024-06-19T16:05:51.394652Z"``), so the two differ on an untouched response. Both strictly
increase within a form, so a ``timestamp >`` cursor never skips or repeats a response.

``responses.list`` ``filter``: Google documents ``timestamp > T`` and ``timestamp >= T`` but not
WHICH time it compares. DELIBERATE CHOICE: the emulator compares ``createTime`` by default, so
a filtered list shows only new responses and the service must never rely on the filter to see
edits (it must also scan unfiltered lists on ``lastSubmittedTime``). Evidence the other way
exists: vm0-ai/vm0#25163 (2026-08) probed production and found ``lastSubmittedTime``, with
microsecond precision. ``POST /_emulator/forms-config {"filterCompares": "lastSubmittedTime"}``
switches the emulator to that reading, so code can be tested against both.
"""

from __future__ import annotations

import base64
import json
import re
import secrets
from typing import Any

from emulator.control import route
from emulator.core import Call, Emulator
from emulator.errors import ApiError
from emulator.services import forms_model, forms_watches, handles
from emulator.store import copied

MAX_PAGE = 5000  # responses.list pageSize: "at most 5000 responses are returned"
FILTER = re.compile(r"\s*timestamp\s*(>=|>)\s*(\S+)\s*")
FILTER_FIELDS = ("createTime", "lastSubmittedTime")
CONFIG_KEY = "config"  # in collection "formsEmulator"


def _public(record: dict[str, Any], collects_email: bool) -> dict[str, Any]:
    shown = {key: copied(value) for key, value in record.items()
             if not key.startswith("_")}
    if not collects_email:
        shown.pop("respondentEmail", None)
    return shown


def _collects_email(form: dict[str, Any]) -> bool:
    return form["settings"].get("emailCollectionType", "DO_NOT_COLLECT") in (
        "VERIFIED", "RESPONDER_INPUT")


def _new_response_id() -> str:
    """Shaped like Google's (``ACYDBN`` + URL-safe characters, 71 in all)."""
    return "ACYDBN" + secrets.token_urlsafe(60)[:65].replace("-", "x").replace("_", "y")


def check_answers(form: dict[str, Any], answers: dict[str, list[str]]) -> None:
    """400 unless ``answers`` fits the form's questions (ids, required, choices, counts)."""
    questions = forms_model.questions(form)
    for question_id, values in answers.items():
        question = questions.get(question_id)
        if question is None:
            raise ApiError(400, f"Unknown question ID: {question_id}.")
        if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
            raise ApiError(400, f"Answers to question {question_id} must be a list of strings.")
        choice = question.get("choiceQuestion")
        if len(values) > 1 and (choice is None or choice.get("type") != "CHECKBOX"):
            raise ApiError(400, f"Question {question_id} takes a single answer.")
        if choice is not None:
            options = choice.get("options", [])
            allowed = {option.get("value") for option in options if not option.get("isOther")}
            has_other = any(option.get("isOther") for option in options)
            for value in values:
                if value not in allowed and not has_other:
                    raise ApiError(400, f"'{value}' is not an option of question "
                                        f"{question_id}.")
    for question_id, question in questions.items():
        if question.get("required") and not any(v.strip() for v in answers.get(question_id, [])):
            raise ApiError(400, f"Question {question_id} is required.")


def submit_response(
    emulator: Emulator,
    form_id: str,
    respondent_email: str | None,
    answers: dict[str, list[str]],
    response_id: str | None = None,
) -> dict[str, Any]:
    """Submits (or, with ``response_id``, edits) a response; returns it as the API shows it.

    Honours the publish state and the settings the API cannot set; does not check who may
    respond (the fill page does). Notifies the form's RESPONSES watches.
    """
    form = forms_model.stored(emulator, form_id)
    state = forms_model.publish_state(form)
    if not state.get("isPublished"):
        raise ApiError(400, "This form is not published: it does not accept responses.")
    if not state.get("isAcceptingResponses"):
        raise ApiError(400, "This form is no longer accepting responses.")
    email = (respondent_email or "").strip().lower() or None
    if _collects_email(form) and email is None:
        raise ApiError(400, "This form collects email addresses: respondentEmail is required.")
    answers = {qid: [str(v) for v in values] for qid, values in answers.items()
               if values and any(str(v) != "" for v in values)}
    check_answers(form, answers)
    extra = forms_model.form_extra_settings(emulator, form_id)
    now = forms_model.micros_now(emulator)
    if response_id is not None:
        record = next((r for r in forms_model.responses_of(emulator, form)
                       if r["responseId"] == response_id), None)
        if record is None:
            raise ApiError(404, f"Response {response_id} was not found.")
        if not extra["allowResponseEdits"]:
            raise ApiError(400, "This form does not allow respondents to edit their responses.")
        if email is None or record.get("respondentEmail") != email:
            raise ApiError(403, "This response belongs to another respondent.")
        micros = forms_model.next_micros(form, now)
    else:
        if extra["limitOneResponsePerUser"]:
            if email is None:
                raise ApiError(400, "This form accepts one response per person: the "
                                    "respondent's email is required.")
            if email in forms_model.respondents(emulator, form):
                raise ApiError(400, "This form accepts only one response per person, and "
                                    f"{email} has already responded.")
        micros = forms_model.next_micros(form, now, after_millis=True)
        record = {
            "formId": form_id,
            "responseId": _new_response_id(),
            "createTime": forms_model.format_time(micros, precision=3),
            "_createMicros": micros - micros % 1000,
        }
        forms_model.append_response(emulator, form, record)
    record["lastSubmittedTime"] = forms_model.format_time(micros)
    record["_lastMicros"] = micros
    if email is not None:
        record["respondentEmail"] = email  # kept even when not collected; shown only if it is
        forms_model.respondents(emulator, form).add(email)
    record["answers"] = {
        qid: {"questionId": qid, "textAnswers": {"answers": [{"value": v} for v in values]}}
        for qid, values in answers.items()
    }
    forms_model.touch_response(emulator, form, record)
    forms_model.save(emulator, form, content_changed=False)
    forms_watches.notify(emulator, form_id, "RESPONSES")
    return _public(record, _collects_email(form))


def _filter_field(emulator: Emulator) -> str:
    config = emulator.store.get("formsEmulator", CONFIG_KEY) or {}
    return str(config.get("filterCompares", "createTime"))


def _parse_filter(text: str) -> tuple[str, int]:
    found = FILTER.fullmatch(text)
    moment = forms_model.parse_time(found.group(2)) if found else None
    if found is None or moment is None:
        # Guess at the wording; Google answers 400 INVALID_ARGUMENT for a bad filter.
        raise ApiError(400, f"Invalid filter: {text!r}. Supported: 'timestamp > T' or "
                            "'timestamp >= T' with T in RFC 3339 UTC (Zulu) format.")
    return found.group(1), moment


def _token(offset: int, filter_text: str) -> str:
    raw = json.dumps({"o": offset, "f": filter_text}).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _untoken(token: str, filter_text: str) -> int:
    try:
        data = json.loads(base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)))
        offset, used = int(data["o"]), str(data["f"])
    except (ValueError, KeyError, TypeError) as exc:
        raise ApiError(400, "Invalid page token.") from exc  # guess
    if used != filter_text:
        # The docs: keep the same filter across pages. Wording: guess.
        raise ApiError(400, "The filter must not change between pages.")
    return offset


@handles("forms.forms.responses.list")
def list_responses(call: Call) -> Any:
    emulator = call.emulator
    form_id = call.params["formId"]
    form = forms_model.load(emulator, call.user, form_id, "writer")
    filter_text = call.arg("filter") or ""
    page_size = call.int_arg("pageSize", 0)
    if page_size < 0:
        raise ApiError(400, "page_size must not be negative.")  # guess
    page_size = MAX_PAGE if page_size in (0, None) else min(page_size, MAX_PAGE)
    records = forms_model.responses_of(emulator, form)
    if filter_text.strip():
        operator, moment = _parse_filter(filter_text)
        key = "_createMicros" if _filter_field(emulator) == "createTime" else "_lastMicros"
        if operator == ">":
            records = [r for r in records if r[key] > moment]
        else:
            records = [r for r in records if r[key] >= moment]
    token = call.arg("pageToken")
    offset = _untoken(token, filter_text) if token else 0
    page = records[offset:offset + page_size]
    answer: dict[str, Any] = {}
    if page:
        collects = _collects_email(form)
        answer["responses"] = [_public(r, collects) for r in page]
    if offset + page_size < len(records):
        answer["nextPageToken"] = _token(offset + page_size, filter_text)
    return answer


@handles("forms.forms.responses.get")
def get_response(call: Call) -> Any:
    form_id, response_id = call.params["formId"], call.params["responseId"]
    form = forms_model.load(call.emulator, call.user, form_id, "writer")
    for record in forms_model.responses_of(call.emulator, form):
        if record["responseId"] == response_id:
            return _public(record, _collects_email(form))
    raise ApiError(404, forms_model.NOT_FOUND)


@route("POST", r"/_emulator/forms/(?P<formId>[^/]+)/responses")
def _submit(emulator: Emulator, body: Any, params: dict[str, str]) -> Any:
    body = body or {}
    answers = body.get("answers") or {}
    if not isinstance(answers, dict):
        raise ApiError(400, "answers must be an object {questionId: [values]}.")
    return submit_response(emulator, params["formId"], body.get("respondentEmail"),
                           answers, body.get("responseId"))


@route("POST", r"/_emulator/forms/(?P<formId>[^/]+)/responses:batch")
def _submit_many(emulator: Emulator, body: Any, params: dict[str, str]) -> Any:
    """Seeds many responses in one request (tests, benchmarks): ``{"responses": [body, ...]}``
    with each body as for ``/responses``; stops at the first refusal, keeping those before."""
    submitted = []
    for one in (body or {}).get("responses", []):
        submitted.append(_submit(emulator, one, params))
    return {"responses": submitted}


@route("POST", r"/_emulator/forms-config")
def _config(emulator: Emulator, body: Any, params: dict[str, str]) -> Any:
    field = (body or {}).get("filterCompares", "createTime")
    if field not in FILTER_FIELDS:
        raise ApiError(400, f"filterCompares must be one of {', '.join(FILTER_FIELDS)}.")
    return emulator.store.put("formsEmulator", CONFIG_KEY, {"filterCompares": field})
