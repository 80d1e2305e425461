"""Forms batchUpdate requests from a FormSpec (pure): a whole form in one call, and the
in-place changes that keep every question id (and so every response) when texts change."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from urllib.parse import quote

from functions.domain.forms import FormSpec, QuestionKind, QuestionSpec

_CHOICE_TYPES = {QuestionKind.RADIO: "RADIO", QuestionKind.CHECKBOX: "CHECKBOX",
                 QuestionKind.DROPDOWN: "DROP_DOWN"}


def item_body(question: QuestionSpec) -> dict[str, Any]:
    """The Forms ``Item`` for one question (without ids)."""
    item: dict[str, Any] = {"title": question.title}
    if question.description:
        item["description"] = question.description
    if question.kind is QuestionKind.SECTION:
        item["pageBreakItem"] = {}
        return item
    body: dict[str, Any] = {"required": question.required}
    if question.kind in _CHOICE_TYPES:
        body["choiceQuestion"] = {"type": _CHOICE_TYPES[question.kind],
                                  "options": [{"value": option} for option in question.options]}
    elif question.kind is QuestionKind.DATE:
        body["dateQuestion"] = {"includeYear": True}
    else:
        body["textQuestion"] = {"paragraph": question.kind is QuestionKind.PARAGRAPH}
    item["questionItem"] = {"question": body}
    return item


def info(spec: FormSpec) -> dict[str, Any]:
    return {"updateFormInfo": {"info": {"title": spec.title, "description": spec.description},
                               "updateMask": "title,description"}}


def build_requests(spec: FormSpec) -> list[dict[str, Any]]:
    """Fills a blank copied form: info, verified emails, every item in order."""
    return [
        info(spec),
        {"updateSettings": {"settings": {"emailCollectionType": "VERIFIED"},
                            "updateMask": "emailCollectionType"}},
        *({"createItem": {"item": item_body(q), "location": {"index": i}}}
          for i, q in enumerate(spec.questions)),
    ]


def update_requests(spec: FormSpec, current: Mapping[str, Any],
                    item_ids: Mapping[str, str]) -> list[dict[str, Any]]:
    """Changes that bring the live form ``current`` to ``spec`` in place.

    Items are matched by our question key through ``item_ids`` (key → itemId). A changed item is
    updated with its ids kept, so its answers stay attached; a moved one is moved; a new one is
    created at its place; one no longer wanted is deleted. Locations in a batchUpdate apply in
    order, so the live order is tracked as the requests are made.
    """
    live_items = {item["itemId"]: item for item in current.get("items", [])}
    order = [item["itemId"] for item in current.get("items", [])]
    requests: list[dict[str, Any]] = []
    live_info = current.get("info", {})
    if (live_info.get("title"), live_info.get("description", "")) != (spec.title,
                                                                       spec.description):
        requests.append(info(spec))
    wanted_ids = {item_ids[q.key] for q in spec.questions if q.key in item_ids}
    for item_id in reversed(list(order)):
        if item_id not in wanted_ids:
            requests.append({"deleteItem": {"location": {"index": order.index(item_id)}}})
            order.remove(item_id)
    for index, question in enumerate(spec.questions):
        wanted = item_body(question)
        item_id = item_ids.get(question.key, "")
        if item_id not in live_items:
            requests.append({"createItem": {"item": wanted, "location": {"index": index}}})
            order.insert(index, f"new:{question.key}")
            continue
        if order.index(item_id) != index:
            requests.append({"moveItem": {"originalLocation": {"index": order.index(item_id)},
                                          "newLocation": {"index": index}}})
            order.remove(item_id)
            order.insert(index, item_id)
        if _without_defaults(_comparable(live_items[item_id])) != _without_defaults(wanted):
            requests.append({"updateItem": {"item": _with_ids(wanted, live_items[item_id]),
                                            "location": {"index": index}, "updateMask": "*"}})
    return requests


def _comparable(item: Mapping[str, Any]) -> dict[str, Any]:
    """A live item without the ids Google adds, to compare with ``item_body``."""
    found = {key: value for key, value in item.items() if key != "itemId"}
    question = found.get("questionItem", {}).get("question")
    if question is not None:
        question = {k: v for k, v in question.items() if k != "questionId"}
        question.setdefault("required", False)
        found["questionItem"] = {**found["questionItem"], "question": question}
    return found


def _without_defaults(value: Any) -> Any:
    """``value`` without false, empty or zero leaves (0 equals False here): Google's JSON omits
    default values (``"paragraph": false`` comes back as ``textQuestion: {}``), so a live item
    compares equal to the one we built.

    >>> _without_defaults({"textQuestion": {"paragraph": False}, "required": True})
    {'required': True}
    """
    if isinstance(value, dict):
        kept = {key: _without_defaults(item) for key, item in value.items()}
        return {key: item for key, item in kept.items() if item not in (False, "", [], {})}
    if isinstance(value, list):
        return [_without_defaults(item) for item in value]
    return value


def _with_ids(wanted: dict[str, Any], live: Mapping[str, Any]) -> dict[str, Any]:
    updated = {**wanted, "itemId": live["itemId"]}
    if "questionItem" in wanted and "questionItem" in live:
        question_id = live["questionItem"]["question"]["questionId"]
        updated["questionItem"] = {"question": {**wanted["questionItem"]["question"],
                                                "questionId": question_id}}
    return updated


def prefilled_url(responder_uri: str, question_id: str, value: str) -> str:
    """Google's pre-fill link: ``entry.<question id read as hexadecimal>=value``."""
    return f"{responder_uri}?usp=pp_url&entry.{int(question_id, 16)}={quote(value)}"
