"""The fill page's model of a form: its questions as the page shows them, the answers read
from Google's ``entry.<n>`` fields, and the checks the page makes before submitting.

Pure functions over the Forms API's resource shapes (Form, Item, Question, FormResponse): no
state, no HTTP, so they read as the rules they are.

Field names are those of Google's responder page: ``entry.<n>`` where ``<n>`` is the question
id read as a hexadecimal number (repeated for checkboxes); an "other" choice posts
``__other_option__`` with its text in ``entry.<n>.other_option_response``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from werkzeug.datastructures import MultiDict

OTHER = "__other_option__"
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def entry_number(question_id: str) -> int:
    """The pre-fill number of a question: its id read as hexadecimal.

    >>> entry_number("0000000a")
    10
    """
    return int(question_id, 16)


@dataclass
class Question:
    """One answerable question, with what the page shows in it right now."""

    question_id: str
    title: str
    control: str  # short, paragraph, radio, checkbox, dropdown, scale, rating, date, datetime, time
    required: bool = False
    description: str = ""
    options: list[str] = field(default_factory=list)
    has_other: bool = False
    low: int = 1
    high: int = 5
    low_label: str = ""
    high_label: str = ""
    values: list[str] = field(default_factory=list)
    other_text: str = ""
    error: str = ""

    @property
    def entry(self) -> str:
        return f"entry.{entry_number(self.question_id)}"

    @property
    def scale(self) -> list[int]:
        return list(range(self.low, self.high + 1))


@dataclass
class Block:
    """One item of the page: a question, a grid of row questions, or text (title only)."""

    kind: str  # question, grid, text, section
    title: str = ""
    description: str = ""
    questions: list[Question] = field(default_factory=list)
    columns: list[str] = field(default_factory=list)
    grid_control: str = "radio"


def _question(raw: dict[str, Any], title: str, description: str) -> Question:
    question_id = raw["questionId"]
    base = {"question_id": question_id, "title": title, "description": description,
            "required": bool(raw.get("required"))}
    if "choiceQuestion" in raw:
        choice = raw["choiceQuestion"]
        control = {"RADIO": "radio", "CHECKBOX": "checkbox", "DROP_DOWN": "dropdown"}.get(
            choice.get("type", ""), "radio")
        options = [o.get("value", "") for o in choice.get("options", []) if not o.get("isOther")]
        has_other = any(o.get("isOther") for o in choice.get("options", []))
        return Question(control=control, options=options, has_other=has_other, **base)
    if "scaleQuestion" in raw:
        scale = raw["scaleQuestion"]
        return Question(control="scale", low=int(scale.get("low", 1)),
                        high=int(scale.get("high", 5)), low_label=scale.get("lowLabel", ""),
                        high_label=scale.get("highLabel", ""), **base)
    if "ratingQuestion" in raw:
        level = int(raw["ratingQuestion"].get("ratingScaleLevel", 5))
        return Question(control="rating", low=1, high=level, **base)
    if "dateQuestion" in raw:
        with_time = raw["dateQuestion"].get("includeTime")
        return Question(control="datetime" if with_time else "date", **base)
    if "timeQuestion" in raw:
        return Question(control="time", **base)
    paragraph = raw.get("textQuestion", {}).get("paragraph")
    return Question(control="paragraph" if paragraph else "short", **base)


def blocks_of(form: dict[str, Any]) -> list[Block]:
    """The page's blocks, in the form's item order."""
    blocks = []
    for item in form.get("items", []):
        title, description = item.get("title", ""), item.get("description", "")
        if "questionItem" in item:
            question = _question(item["questionItem"]["question"], title, description)
            blocks.append(Block("question", title, description, [question]))
        elif "questionGroupItem" in item:
            group = item["questionGroupItem"]
            columns = group.get("grid", {}).get("columns", {})
            rows = [
                _question({**q, "choiceQuestion": columns},
                          q.get("rowQuestion", {}).get("title", ""), "")
                for q in group.get("questions", [])
            ]
            blocks.append(Block("grid", title, description, rows,
                                columns=[o.get("value", "") for o in columns.get("options", [])],
                                grid_control="checkbox" if columns.get("type") == "CHECKBOX"
                                else "radio"))
        elif "pageBreakItem" in item:
            blocks.append(Block("section", title, description))
        else:  # textItem, imageItem, videoItem: shown by their title and description
            blocks.append(Block("text", title, description))
    return blocks


def questions_of(blocks: list[Block]) -> list[Question]:
    return [q for block in blocks for q in block.questions]


def fill(questions: list[Question], fields: MultiDict[str, str]) -> None:
    """Puts the values of ``entry.<n>`` fields (a POST or pre-fill parameters) in the questions."""
    for question in questions:
        keep_spaces = question.control == "paragraph"  # line breaks of a long answer stay
        # Browsers post a textarea's line breaks as CRLF (HTML spec); answers keep "\n".
        values = [v.replace("\r\n", "\n") if keep_spaces else v.strip()
                  for v in fields.getlist(question.entry)]
        values = [v for v in values if v.strip()]
        if OTHER in values:
            question.other_text = fields.get(f"{question.entry}.other_option_response", "").strip()
        _set_values(question, values)


def fill_from_response(questions: list[Question], response: dict[str, Any]) -> None:
    """Puts a submitted response's answers back in the questions (editing a response)."""
    answers = response.get("answers", {})
    for question in questions:
        answer = answers.get(question.question_id, {})
        values = [a.get("value", "") for a in answer.get("textAnswers", {}).get("answers", [])]
        _set_values(question, values)


def _set_values(question: Question, values: list[str]) -> None:
    """Keeps known choices as values; an unknown value of a choice with "other" is its text."""
    if question.has_other:
        known = [v for v in values if v in question.options or v == OTHER]
        unknown = [v for v in values if v not in question.options and v != OTHER]
        if unknown:
            question.other_text = question.other_text or unknown[0]
            known = [*known, OTHER] if OTHER not in known else known
        values = known
    question.values = values


def answers_of(questions: list[Question]) -> dict[str, list[str]]:
    """The answers to submit, by question id (the "other" text replaces its marker)."""
    answers: dict[str, list[str]] = {}
    for question in questions:
        values = [question.other_text if v == OTHER else v for v in question.values]
        values = [v for v in values if v]
        if values:
            answers[question.question_id] = values
    return answers


def check(questions: list[Question]) -> bool:
    """Sets a Vietnamese ``error`` on each question answered wrongly; True when all are fine."""
    for question in questions:
        question.error = _problem(question)
    return not any(q.error for q in questions)


def _problem(question: Question) -> str:
    values = question.values
    if not values:
        return "Đây là câu hỏi bắt buộc." if question.required else ""
    if OTHER in values and not question.other_text:
        return "Vui lòng nhập nội dung cho lựa chọn «Mục khác»."
    if question.control in ("radio", "dropdown", "scale", "rating", "date", "datetime", "time",
                            "short", "paragraph") and len(values) > 1:
        return "Chỉ được chọn một câu trả lời."
    if question.control in ("radio", "checkbox", "dropdown"):
        allowed = set(question.options) | ({OTHER} if question.has_other else set())
        if any(v not in allowed for v in values):
            return "Lựa chọn không hợp lệ."
    if question.control in ("scale", "rating") and not (
        values[0].isdigit() and question.low <= int(values[0]) <= question.high
    ):
        return f"Hãy chọn một giá trị từ {question.low} đến {question.high}."
    if question.control in ("date", "datetime"):
        try:
            date.fromisoformat(values[0][:10])
        except ValueError:
            return "Ngày không hợp lệ."
    if question.control == "time" and not re.fullmatch(r"\d{1,2}:\d{2}(:\d{2})?", values[0]):
        return "Giờ không hợp lệ."
    return ""


def mark_api_error(questions: list[Question], message: str) -> bool:
    """Marks the question an API validation message names; True when one was found."""
    for question in questions:
        if question.question_id in message:
            question.error = "Câu trả lời cho câu hỏi này không hợp lệ."
            return True
    return False
