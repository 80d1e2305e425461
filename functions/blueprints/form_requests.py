"""Forms batchUpdate requests from a FormSpec (pure): the difference between a live form and
the spec, in one call. The same requests fill a blank copy (everything is created) and change
a built form in place (every question id, and so every response, is kept)."""

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


SETTINGS = {"updateSettings": {"settings": {"emailCollectionType": "VERIFIED"},
                               "updateMask": "emailCollectionType"}}


def matched_ids(spec: FormSpec, current: Mapping[str, Any],
                known: Mapping[str, str]) -> dict[str, str]:
    """key → itemId of the live items that stand for ``spec``'s questions: the ``known`` ids
    still on the form, then, for each other question in order, the first unclaimed live item
    with the same content (made by an attempt whose answer was lost, or by a run whose record
    was never saved). Live items left unclaimed are not ours to keep (twins, the template's
    default question) and ``update_requests`` deletes them.
    """
    live = [item for item in current.get("items", []) if "itemId" in item]
    live_ids = {item["itemId"] for item in live}
    found = {key: item_id for key, item_id in known.items() if item_id in live_ids}
    claimed = set(found.values())
    for question in spec.questions:
        if question.key in found:
            continue
        wanted = _without_defaults(item_body(question))
        for item in live:
            if item["itemId"] not in claimed and \
                    _without_defaults(_comparable(item)) == wanted:
                found[question.key] = item["itemId"]
                claimed.add(item["itemId"])
                break
    return found


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
    if current.get("settings", {}).get("emailCollectionType") != "VERIFIED":
        requests.append(SETTINGS)
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
