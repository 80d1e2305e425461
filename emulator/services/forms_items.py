"""``forms.batchUpdate``: the requests that change a form's items, info and settings.

Reference: developers.google.com/workspace/forms/api/reference/rest/v1/forms/batchUpdate and
its Request kinds. All requests of one call apply atomically (on a copy) or none does.
Messages marked "guess" were not seen in a recording of Google's answers.
"""

from __future__ import annotations

import copy
from typing import Any

from emulator.errors import ApiError
from emulator.services import forms_model

ITEM_KINDS = ("questionItem", "questionGroupItem", "pageBreakItem", "textItem", "imageItem",
              "videoItem")
QUESTION_KINDS = ("choiceQuestion", "textQuestion", "scaleQuestion", "dateQuestion",
                  "timeQuestion", "fileUploadQuestion", "rowQuestion", "ratingQuestion")
INFO_MASK = ("title", "description")
SETTINGS_MASK = ("emailCollectionType", "quizSettings", "quizSettings.isQuiz")


def bad(message: str) -> ApiError:
    return ApiError(400, message)


def _mask(update_mask: str | None, where: str) -> list[str]:
    paths = [path.strip() for path in (update_mask or "").split(",") if path.strip()]
    if not paths:
        raise bad(f"Invalid requests[{where}]: updateMask is required.")  # guess
    return paths


def _index(location: dict[str, Any] | None, size: int, where: str, *, inclusive: bool) -> int:
    if not location or "index" not in location:
        raise bad(f"Invalid requests[{where}]: location is required.")  # guess
    index = int(location["index"])
    limit = size if inclusive else size - 1
    if index < 0 or index > limit:
        raise bad(f"Invalid requests[{where}]: The location index {index} is out of "
                  f"bounds (the form has {size} items).")  # guess
    return index


def _get_path(value: dict[str, Any], path: list[str]) -> Any:
    for part in path:
        if not isinstance(value, dict) or part not in value:
            return None
        value = value[part]
    return value


def _set_path(target: dict[str, Any], path: list[str], value: Any) -> None:
    for part in path[:-1]:
        target = target.setdefault(part, {})
    if value is None:
        target.pop(path[-1], None)
    else:
        target[path[-1]] = copy.deepcopy(value)


def apply_mask(target: dict[str, Any], source: dict[str, Any], paths: list[str],
               allowed: tuple[str, ...] | None, where: str) -> None:
    """FieldMask semantics: each path is copied from ``source`` (cleared when absent there)."""
    for path in paths:
        if path == "*":
            for key in list(target):
                if allowed is None or key in allowed:
                    target.pop(key)
            target.update(copy.deepcopy(source))
            continue
        if allowed is not None and path not in allowed:
            raise bad(f"Invalid requests[{where}]: Invalid field mask path '{path}'.")  # guess
        parts = path.split(".")
        _set_path(target, parts, _get_path(source, parts))


def _check_question(question: dict[str, Any], where: str) -> None:
    kinds = [kind for kind in QUESTION_KINDS if kind in question]
    if len(kinds) != 1:
        raise bad(f"Invalid requests[{where}]: A question must have exactly one kind.")  # guess
    choice = question.get("choiceQuestion")
    if choice is not None:
        if choice.get("type") in (None, "CHOICE_TYPE_UNSPECIFIED"):
            raise bad(f"Invalid requests[{where}]: Choice type must be specified.")  # guess
        if not choice.get("options"):
            raise bad(f"Invalid requests[{where}]: Choice questions must have at least one "
                      "option.")  # guess
        values = [option.get("value", "") for option in choice["options"]
                  if not option.get("isOther")]
        if len(values) != len(set(values)):
            raise bad(f"Invalid requests[{where}]: Duplicate option values.")  # guess


def _assign_ids(item: dict[str, Any], taken: set[str], where: str) -> list[str]:
    """Fills missing item and question ids; checks given ones are free. Returns question ids."""
    kinds = [kind for kind in ITEM_KINDS if kind in item]
    if len(kinds) != 1:
        raise bad(f"Invalid requests[{where}]: An item must have exactly one kind.")  # guess
    given = item.get("itemId")
    if given is not None and given in taken:
        raise bad(f"Invalid requests[{where}]: The item ID {given} is already in use.")  # guess
    item["itemId"] = given or forms_model.new_hex_id(taken)
    taken.add(item["itemId"])
    questions: list[dict[str, Any]] = []
    if "questionItem" in item:
        question = item["questionItem"].setdefault("question", {})
        _check_question(question, where)
        questions.append(question)
    if "questionGroupItem" in item:
        group = item["questionGroupItem"]
        if not group.get("questions"):
            raise bad(f"Invalid requests[{where}]: A question group needs questions.")  # guess
        questions.extend(group["questions"])
    ids = []
    for question in questions:
        qid = question.get("questionId")
        if qid is not None and qid in taken:
            raise bad(f"Invalid requests[{where}]: The question ID {qid} is already in "
                      "use.")  # guess
        question["questionId"] = qid or forms_model.new_hex_id(taken)
        taken.add(question["questionId"])
        ids.append(question["questionId"])
    return ids


def _create_item(form: dict[str, Any], request: dict[str, Any], where: str) -> dict[str, Any]:
    item = copy.deepcopy(request.get("item") or {})
    index = _index(request.get("location"), len(form["items"]), where, inclusive=True)
    ids = _assign_ids(item, forms_model.taken_ids(form), where)
    form["items"].insert(index, item)
    reply: dict[str, Any] = {"itemId": item["itemId"]}
    if ids:
        reply["questionId"] = ids
    return {"createItem": reply}


def _update_item(form: dict[str, Any], request: dict[str, Any], where: str) -> dict[str, Any]:
    index = _index(request.get("location"), len(form["items"]), where, inclusive=False)
    current = form["items"][index]
    updated = copy.deepcopy(current)
    apply_mask(updated, request.get("item") or {}, _mask(request.get("updateMask"), where),
               None, where)
    updated["itemId"] = current["itemId"]
    old_question = current.get("questionItem", {}).get("question", {})
    new_question = updated.get("questionItem", {}).get("question")
    if new_question is not None and "questionId" in old_question:
        new_question.setdefault("questionId", old_question["questionId"])
    taken = forms_model.taken_ids({"items": form["items"][:index] + form["items"][index + 1:]})
    taken.discard(updated["itemId"])
    _assign_ids({**updated, "itemId": None}, taken, where)
    form["items"][index] = updated
    return {}


def _delete_item(form: dict[str, Any], request: dict[str, Any], where: str) -> dict[str, Any]:
    index = _index(request.get("location"), len(form["items"]), where, inclusive=False)
    del form["items"][index]
    return {}


def _move_item(form: dict[str, Any], request: dict[str, Any], where: str) -> dict[str, Any]:
    size = len(form["items"])
    origin = _index(request.get("originalLocation"), size, where, inclusive=False)
    target = _index(request.get("newLocation"), size, where, inclusive=False)
    form["items"].insert(target, form["items"].pop(origin))
    return {}


def _update_info(form: dict[str, Any], request: dict[str, Any], where: str) -> dict[str, Any]:
    paths = _mask(request.get("updateMask"), where)
    if "documentTitle" in paths:
        # Info.documentTitle: "cannot be modified by a batchUpdate request. Please use the
        # Google Drive API" (Form reference page).
        raise bad(f"Invalid requests[{where}]: document_title cannot be modified through "
                  "batchUpdate. Use the Drive API.")  # message: guess
    apply_mask(form["info"], request.get("info") or {}, paths, INFO_MASK, where)
    return {}


def _update_settings(form: dict[str, Any], request: dict[str, Any], where: str) -> dict[str, Any]:
    paths = _mask(request.get("updateMask"), where)
    apply_mask(form["settings"], request.get("settings") or {}, paths, SETTINGS_MASK, where)
    form["settings"].setdefault("emailCollectionType", "DO_NOT_COLLECT")
    return {}


HANDLERS = {
    "createItem": _create_item,
    "updateItem": _update_item,
    "deleteItem": _delete_item,
    "moveItem": _move_item,
    "updateFormInfo": _update_info,
    "updateSettings": _update_settings,
}


def apply(
    record: dict[str, Any], requests: list[dict[str, Any]]
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """The form changed by every request (a new dict), and one reply per request."""
    form = {key: copy.deepcopy(record[key]) for key in ("info", "settings", "items")}
    replies = []
    for position, request in enumerate(requests):
        kind = next(iter(request))  # the core checked there is exactly one kind
        replies.append(HANDLERS[kind](form, request[kind], str(position)))
    return form, replies
