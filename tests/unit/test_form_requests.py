"""The difference between a live form and its spec (pure): what a fill after a lost answer, or
on an adopted copy, sends."""

from __future__ import annotations

from typing import Any

from functions.blueprints import form_requests
from functions.domain.forms import FormSpec, QuestionKind, QuestionSpec
from functions.domain.model import Group, PeriodKind

SPEC = FormSpec(
    key="ke-hoach-nhom-2", template_key="ke-hoach", period=PeriodKind.PLAN, group=Group.TWO,
    title="Kế hoạch cá nhân", description="Mô tả",
    questions=(QuestionSpec("ho-ten", QuestionKind.SHORT_TEXT, "Họ và tên", required=True),
               QuestionSpec("ke-hoach", QuestionKind.PARAGRAPH, "Kế hoạch")))


def live(*items: tuple[str, dict[str, Any]]) -> dict[str, Any]:
    """A form as Forms returns it: ``items`` are (itemId, body as made by ``item_body``)."""
    return {"formId": "f", "info": {"title": SPEC.title, "description": SPEC.description},
            "settings": {"emailCollectionType": "VERIFIED"},
            "items": [{"itemId": item_id, **body} for item_id, body in items]}


NAME, PLAN = (form_requests.item_body(q) for q in SPEC.questions)


def test_a_blank_copy_gets_its_settings_and_every_question() -> None:
    blank = {"formId": "f", "info": {"title": "Mẫu"}, "settings": {}, "items": []}
    requests = form_requests.update_requests(SPEC, blank, {})
    assert requests[:2] == [form_requests.info(SPEC), form_requests.SETTINGS]
    assert [r["createItem"]["location"]["index"] for r in requests[2:]] == [0, 1]


def test_questions_added_twice_by_a_repeated_call_keep_one_copy_each() -> None:
    form = live(("a", NAME), ("b", PLAN), ("c", NAME), ("d", PLAN))
    ids = form_requests.matched_ids(SPEC, form, {})
    assert ids == {"ho-ten": "a", "ke-hoach": "b"}
    assert form_requests.update_requests(SPEC, form, ids) == [
        {"deleteItem": {"location": {"index": 3}}}, {"deleteItem": {"location": {"index": 2}}}]


def test_a_filled_copy_whose_record_was_lost_needs_no_write() -> None:
    form = live(("a", NAME), ("b", PLAN))
    assert form_requests.update_requests(
        SPEC, form, form_requests.matched_ids(SPEC, form, {})) == []


def test_the_templates_default_question_is_deleted_and_known_ids_win_over_content() -> None:
    default = {"title": "Câu hỏi không có tiêu đề",
               "questionItem": {"question": {"choiceQuestion": {"type": "RADIO"}}}}
    form = live(("x", default), ("a", NAME), ("b", PLAN))
    assert form_requests.matched_ids(SPEC, form, {"ke-hoach": "b"}) == {
        "ke-hoach": "b", "ho-ten": "a"}
    assert form_requests.update_requests(
        SPEC, form, {"ke-hoach": "b", "ho-ten": "a"}) == [
        {"deleteItem": {"location": {"index": 0}}}]
