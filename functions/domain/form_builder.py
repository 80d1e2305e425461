"""Expand form templates into the concrete forms of a year: one per period and group."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import replace

from functions.domain.forms import FormSpec, FormTemplate, QuestionSpec, form_key
from functions.domain.model import Framework, Period, Unit
from functions.domain.templating import render

UNITS_SOURCE = "units"


def build_forms(
    templates: Iterable[FormTemplate],
    frameworks: Iterable[Framework],
    periods: Iterable[Period],
    context: Mapping[str, object],
    units: Iterable[Unit],
) -> tuple[FormSpec, ...]:
    """Every form of the year, in period order then group order.

    `context` holds the deployment-wide placeholders (co_quan, nam, chuyen_de, thong_bao...);
    period, group and criterion placeholders are added here.
    """
    choices = tuple(unit.choice_label for unit in units if unit.active)
    by_period = {kind: template for template in templates for kind in template.periods}
    forms = []
    for period in periods:
        template = by_period.get(period.kind)
        if template is None:
            continue
        for framework in sorted(frameworks, key=lambda f: f.group):
            values = {**context, **period_context(period), **group_context(framework)}
            forms.append(_build(template, framework, period, values, choices))
    return tuple(forms)


def period_context(period: Period) -> dict[str, object]:
    return {
        "ky": period.label,
        "ngay_mo": period.opens.strftime("%d/%m/%Y"),
        "han_nop": period.deadline.strftime("%d/%m/%Y"),
    }


def group_context(framework: Framework) -> dict[str, object]:
    return {
        "nhom": framework.group.label,
        "noi_dung_nhom": framework.content,
        "phu_luc": framework.annex,
        "khung_tieu_chi": framework.title,
        "ghi_chu_nhom": framework.note,
    }


def _build(
    template: FormTemplate,
    framework: Framework,
    period: Period,
    values: Mapping[str, object],
    choices: tuple[str, ...],
) -> FormSpec:
    questions: list[QuestionSpec] = [_render(q, values, choices) for q in template.before]
    for criterion in framework.criteria:
        local = {
            **values,
            "n": criterion.number,
            "tieu_de": criterion.title,
            "noi_dung_tieu_chi": render(criterion.text, values),  # may name {tinh}
        }
        for question in template.per_criterion:
            rendered = _render(question, local, choices)
            questions.append(replace(rendered, criterion=criterion.number))
    questions.extend(_render(q, values, choices) for q in template.after)
    kept = tuple(q for q in questions if not q.periods or period.kind in q.periods)
    return FormSpec(
        key=form_key(period.kind, framework.group),
        template_key=template.key,
        period=period.kind,
        group=framework.group,
        title=render(template.title, values),
        description=render(template.description, values),
        questions=kept,
    )


def _render(
    question: QuestionSpec, values: Mapping[str, object], choices: tuple[str, ...]
) -> QuestionSpec:
    options = question.options
    if question.options_from == UNITS_SOURCE:
        options = choices
    return replace(
        question,
        key=render(question.key, values),
        title=render(question.title, values),
        description=render(question.description, values),
        options=tuple(render(option, values) for option in options),
    )
