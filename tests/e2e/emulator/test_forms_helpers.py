"""Shared pieces of the Forms end-to-end tests: a form owner, a dozen items, contract checks."""

from __future__ import annotations

import importlib
import json
from typing import Any

from googleapiclient.errors import HttpError

OWNER = "ht.forms@sgddt-demo.edu.vn"


def checked(schema_name: str, body: Any) -> Any:
    """``body``, after checking it against the Forms response schema (when the shared
    contract helper exists)."""
    try:
        contract = importlib.import_module("tests.e2e.emulator.contract")
    except ModuleNotFoundError:
        return body
    contract.assert_matches_schema("forms", schema_name, body)
    return body


def error_of(error: HttpError) -> dict[str, Any]:
    return json.loads(error.content)["error"]


def create_form(forms: Any, title: str = "Báo cáo tháng") -> dict[str, Any]:
    return checked("Form", forms.forms().create(body={"info": {"title": title}}).execute())


def publish(forms: Any, form_id: str, accepting: bool = True) -> None:
    forms.forms().setPublishSettings(
        formId=form_id,
        body={"publishSettings": {"publishState": {"isPublished": True,
                                                   "isAcceptingResponses": accepting}},
              "updateMask": "publishState"},
    ).execute()


def _question(title: str, question: dict[str, Any], index: int) -> dict[str, Any]:
    return {"createItem": {"item": {"title": title, "questionItem": {"question": question}},
                           "location": {"index": index}}}


def dozen_items() -> list[dict[str, Any]]:
    """Twelve createItem requests of every kind the service uses, in form order."""
    radio = {"type": "RADIO", "options": [{"value": "Có"}, {"value": "Không"}]}
    return [
        _question("Tên đơn vị", {"required": True, "textQuestion": {}}, 0),
        _question("Ghi chú", {"textQuestion": {"paragraph": True}}, 1),
        _question("Đã nộp?", {"required": True, "choiceQuestion": radio}, 2),
        _question("Khối", {"choiceQuestion": {"type": "CHECKBOX", "options": [
            {"value": "6"}, {"value": "7"}, {"value": "8"}, {"value": "9"}]}}, 3),
        _question("Quận", {"choiceQuestion": {"type": "DROP_DOWN", "options": [
            {"value": "Ba Đình"}, {"value": "Cầu Giấy"}]}}, 4),
        _question("Khác", {"choiceQuestion": {"type": "RADIO", "options": [
            {"value": "A"}, {"isOther": True}]}}, 5),
        _question("Mức độ", {"scaleQuestion": {"low": 1, "high": 5, "lowLabel": "Kém",
                                               "highLabel": "Tốt"}}, 6),
        _question("Ngày báo cáo", {"dateQuestion": {"includeYear": True}}, 7),
        {"createItem": {"item": {"title": "Hướng dẫn", "description": "Điền đủ",
                                 "textItem": {}}, "location": {"index": 8}}},
        {"createItem": {"item": {"title": "Phần 2", "pageBreakItem": {}},
                        "location": {"index": 9}}},
        {"createItem": {"item": {"title": "Đánh giá", "questionGroupItem": {
            "questions": [{"rowQuestion": {"title": "Cơ sở vật chất"}},
                          {"rowQuestion": {"title": "Đội ngũ"}}],
            "grid": {"columns": {"type": "RADIO", "options": [{"value": "Đạt"},
                                                              {"value": "Chưa đạt"}]}}}},
            "location": {"index": 10}}},
        _question("Số học sinh", {"textQuestion": {}}, 11),
    ]


def question_ids(form: dict[str, Any]) -> dict[str, str]:
    """Question id by the title of its item (grid rows by their row title)."""
    found = {}
    for item in form.get("items", []):
        question = item.get("questionItem", {}).get("question")
        if question:
            found[item["title"]] = question["questionId"]
        for row in item.get("questionGroupItem", {}).get("questions", []):
            found[row["rowQuestion"]["title"]] = row["questionId"]
    return found
