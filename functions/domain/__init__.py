"""The pure core: the plan's model, routing and form definitions. No Google, no I/O."""

from functions.domain.directory import Directory
from functions.domain.form_builder import build_forms
from functions.domain.forms import FormSpec, FormTemplate, QuestionKind, QuestionSpec, form_key
from functions.domain.model import (
    Answer,
    Criterion,
    Framework,
    Group,
    Period,
    PeriodKind,
    Response,
    Staff,
    Unit,
)
from functions.domain.positions import PositionRule
from functions.domain.routing import RouteSource, Routing, route
from functions.domain.templating import TemplateError, render

__all__ = [
    "Answer",
    "Criterion",
    "Directory",
    "FormSpec",
    "FormTemplate",
    "Framework",
    "Group",
    "Period",
    "PeriodKind",
    "PositionRule",
    "QuestionKind",
    "QuestionSpec",
    "Response",
    "RouteSource",
    "Routing",
    "Staff",
    "TemplateError",
    "Unit",
    "build_forms",
    "form_key",
    "render",
    "route",
]
