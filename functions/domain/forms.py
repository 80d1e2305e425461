"""Form definitions: templates read from forms/*.yaml and the concrete forms built from them."""

from __future__ import annotations

from dataclasses import dataclass, replace
from enum import StrEnum

from functions.domain.model import Group, PeriodKind


class QuestionKind(StrEnum):
    SHORT_TEXT = "short_text"
    PARAGRAPH = "paragraph"
    DROPDOWN = "dropdown"
    RADIO = "radio"
    CHECKBOX = "checkbox"
    DATE = "date"
    SECTION = "section"  # a page break with a title and a description; collects no answer


@dataclass(frozen=True)
class QuestionSpec:
    """One item of a form. `key` is stable across years; Google's question id maps to it."""

    key: str
    kind: QuestionKind
    title: str
    description: str = ""
    required: bool = False
    options: tuple[str, ...] = ()
    options_from: str | None = None  # "units": filled from the active units
    periods: tuple[PeriodKind, ...] = ()  # empty: every period of the form
    criterion: int | None = None  # set on the questions repeated per criterion

    @property
    def collects_answer(self) -> bool:
        return self.kind is not QuestionKind.SECTION


@dataclass(frozen=True)
class FormTemplate:
    """A form as written in forms/: identity + `before` + per criterion + `after`."""

    key: str  # "ke-hoach", "bao-cao"
    periods: tuple[PeriodKind, ...]
    title: str
    description: str
    before: tuple[QuestionSpec, ...]
    per_criterion: tuple[QuestionSpec, ...]
    after: tuple[QuestionSpec, ...]


@dataclass(frozen=True)
class FormSpec:
    """A concrete form of one period and one group, texts rendered, ready to build."""

    key: str  # "ke-hoach-nhom-1", "quy-1-nhom-2"
    template_key: str
    period: PeriodKind
    group: Group
    title: str
    description: str
    questions: tuple[QuestionSpec, ...]

    def question(self, key: str) -> QuestionSpec:
        for question in self.questions:
            if question.key == key:
                return question
        raise KeyError(key)

    @property
    def answer_keys(self) -> tuple[str, ...]:
        return tuple(q.key for q in self.questions if q.collects_answer)


def form_key(period: PeriodKind, group: Group) -> str:
    """The key of the form of one period and one group.

    >>> form_key(PeriodKind.Q1, Group.TWO)
    'quy-1-nhom-2'
    """
    return f"{period.value}-nhom-{group.value}"


def with_options(question: QuestionSpec, options: tuple[str, ...]) -> QuestionSpec:
    return replace(question, options=options)
