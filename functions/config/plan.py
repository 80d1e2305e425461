"""The plan as data: criteria frameworks and form templates from forms/."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from functions.config.errors import Problems
from functions.config.yamlread import Section, load_yaml
from functions.domain.forms import FormTemplate, QuestionKind, QuestionSpec
from functions.domain.model import Criterion, Framework, Group, PeriodKind

FRAMEWORK_FILES = ("frameworks/group-1.yaml", "frameworks/group-2.yaml")
TEMPLATE_FILES = ("plan.yaml", "report.yaml")
IDENTITY_FILE = "identity.yaml"
DEFAULTS_FILE = "defaults.yaml"


@dataclass(frozen=True)
class PlanData:
    frameworks: tuple[Framework, ...]
    templates: tuple[FormTemplate, ...]
    defaults: dict[str, Any]


def load_plan(forms_dir: Path, problems: Problems) -> PlanData:
    def read(name: str) -> tuple[dict[str, Any], Section] | None:
        data = load_yaml(forms_dir / name, str(forms_dir / name), problems)
        return None if data is None else (data, Section(data, str(forms_dir / name), problems))

    frameworks = tuple(
        _framework(loaded[1]) for name in FRAMEWORK_FILES if (loaded := read(name))
    )
    identity = read(IDENTITY_FILE)
    shared = _questions(identity[1], "questions") if identity else ()
    templates = tuple(
        _template(loaded[1], shared) for name in TEMPLATE_FILES if (loaded := read(name))
    )
    defaults = read(DEFAULTS_FILE)
    return PlanData(frameworks, templates, defaults[0] if defaults else {})


def _framework(section: Section) -> Framework:
    criteria = []
    for index, item in enumerate(_items(section, "criteria")):
        entry = Section(item, section.display, section.problems, f"criteria[{index}].")
        criteria.append(
            Criterion(entry.integer("number"), entry.text("title"), entry.text("text"))
        )
    numbers = [criterion.number for criterion in criteria]
    if numbers != list(range(1, len(numbers) + 1)):
        section.problem("criteria", f"tiêu chí phải đánh số liên tục từ 1 (đang là {numbers})")
    group = section.integer("group")
    if group not in (1, 2):
        section.problem("group", "phải là 1 hoặc 2")
    return Framework(
        group=Group(group) if group in (1, 2) else Group.TWO,
        content=section.text("content"),
        annex=section.text("annex"),
        title=section.text("title"),
        members=section.text("members"),
        note=section.text("note", ""),
        criteria=tuple(criteria),
    )


def _template(section: Section, identity: tuple[QuestionSpec, ...]) -> FormTemplate:
    return FormTemplate(
        key=section.text("key"),
        periods=_period_kinds(section, "periods"),
        title=section.text("title"),
        description=section.text("description"),
        before=identity + _questions(section, "before"),
        per_criterion=_questions(section, "per_criterion"),
        after=_questions(section, "after"),
    )


def _questions(section: Section, key: str) -> tuple[QuestionSpec, ...]:
    questions = []
    for index, item in enumerate(_items(section, key)):
        entry = Section(item, section.display, section.problems, f"{key}[{index}].")
        kind_text = entry.text("kind")
        if kind_text not in set(QuestionKind):
            entry.problem("kind", f"loại câu hỏi «{kind_text}» không hợp lệ")
            continue
        questions.append(
            QuestionSpec(
                key=entry.text("key"),
                kind=QuestionKind(kind_text),
                title=entry.text("title"),
                description=entry.text("description", ""),
                required=entry.flag("required", False),
                options=entry.texts("options"),
                options_from=entry.optional_text("options_from"),
                periods=_period_kinds(entry, "periods"),
            )
        )
    return tuple(questions)


def _period_kinds(section: Section, key: str) -> tuple[PeriodKind, ...]:
    kinds = []
    for text in section.texts(key):
        if text in set(PeriodKind):
            kinds.append(PeriodKind(text))
        else:
            section.problem(key, f"kỳ «{text}» không hợp lệ")
    return tuple(kinds)


def _items(section: Section, key: str) -> list[dict[str, Any]]:
    value = section.data.get(key) or []
    if not isinstance(value, list) or not all(isinstance(item, dict) for item in value):
        section.problem(key, "phải là một danh sách các mục")
        return []
    return value
