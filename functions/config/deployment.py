"""Load a whole deployment: settings, units, roster and the plan data, validated up front."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from functions.config.errors import Problems
from functions.config.plan import load_plan
from functions.config.roster import read_roster
from functions.config.settings import Settings
from functions.config.settings_reader import merge, parse_settings
from functions.config.units import read_units
from functions.config.yamlread import load_yaml
from functions.domain.directory import Directory
from functions.domain.form_builder import build_forms
from functions.domain.forms import FormSpec, FormTemplate
from functions.domain.model import Framework, Group, Period, Staff, Unit
from functions.domain.templating import TemplateError, render
from functions.paths import data_dir


@dataclass(frozen=True)
class Deployment:
    settings: Settings
    units: tuple[Unit, ...]
    staff: tuple[Staff, ...]
    frameworks: tuple[Framework, ...]
    templates: tuple[FormTemplate, ...]
    forms: tuple[FormSpec, ...]

    @property
    def periods(self) -> tuple[Period, ...]:
        return self.settings.periods

    @property
    def active_units(self) -> tuple[Unit, ...]:
        return tuple(unit for unit in self.units if unit.active)

    def directory(self) -> Directory:
        return Directory(self.units, self.staff)

    def framework(self, group: Group) -> Framework:
        return next(f for f in self.frameworks if f.group == group)

    def form(self, key: str) -> FormSpec:
        for form in self.forms:
            if form.key == key:
                return form
        raise KeyError(key)


def load(path: Path, forms_dir: Path | None = None) -> Deployment:
    """Read and validate everything; raise ConfigError listing every problem found."""
    problems = Problems()
    plan = load_plan(forms_dir or data_dir("forms"), problems)
    shown = _display(path)
    data = load_yaml(path, shown, problems)
    problems.raise_if_any()
    assert data is not None
    settings = parse_settings(merge(plan.defaults, data), path.resolve(), problems, shown)
    units = read_units(settings.units_file, _display(settings.units_file), problems)
    staff: tuple[Staff, ...] = ()
    if settings.roster_file is not None:
        roster = settings.roster_file
        staff = read_roster(roster, _display(roster), units, settings.position_rule, problems)
    if not any(unit.active for unit in units) and not problems:
        shown_units = _display(settings.units_file)
        problems.add(shown_units, None, None, "không có đơn vị nào đang hoạt động")
    forms: tuple[FormSpec, ...] = ()
    if not problems:
        try:
            forms = build_forms(
                plan.templates, plan.frameworks, settings.periods, context(settings), units
            )
        except TemplateError as error:
            problems.add(shown, None, None, f"lỗi mẫu văn bản biểu mẫu: {error}")
    problems.raise_if_any()
    return Deployment(settings, units, staff, plan.frameworks, plan.templates, forms)


def context(settings: Settings) -> dict[str, object]:
    """The deployment-wide placeholders of the texts in forms/ and docs_templates/."""
    agency = settings.agency
    values: dict[str, object] = {
        "so": agency.display_name,
        "co_quan_chu_quan": agency.parent,
        "co_quan": agency.name,
        "ky_hieu": agency.abbreviation,
        "dia_danh": agency.place,
        "tinh": agency.province,
        "lien_he": agency.contact,
        "mo_hinh": settings.model,
        "giai_doan": settings.phase,
        "nam": settings.year,
        "chuyen_de": settings.theme,
        "so_nam_luu_tru": settings.retention_years,
    }
    values["thong_bao"] = render(settings.privacy_notice, values)
    return values


def _display(path: Path) -> str:
    """The path as the user would type it: relative to the working directory when inside it."""
    try:
        return os.path.relpath(path)
    except ValueError:
        return str(path)
