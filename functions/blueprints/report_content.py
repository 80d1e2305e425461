"""What the reports say (pure): the report model laid out as documents, in the wording of
docs_templates/bao_cao.yaml.

The wording's placeholders are jinja2 (``{{ nam }}``), strict: a misspelt name is an error, not
a blank. Autoescaping is off on purpose: the output is not HTML but DOCX runs, which python-docx
escapes itself; values (what respondents typed) are never parsed as templates.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import cache
from typing import Any

import jinja2

from functions.blueprints.report_docx import Block, Document, Letterhead, Para, Signer, Table
from functions.config.settings import Settings
from functions.config.yamlread import strict_load
from functions.domain.model import Group, PeriodKind, Unit
from functions.domain.report import (
    KindGroup,
    Person,
    UnitFigures,
    by_kind,
    distribution,
    rate,
    total,
)
from functions.domain.text import nfc
from functions.paths import data_dir

_ENV = jinja2.Environment(undefined=jinja2.StrictUndefined, autoescape=False)
ROMAN = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII")


@cache
def wording() -> dict[str, Any]:
    return dict(strict_load(data_dir("docs_templates") / "bao_cao.yaml"))


def fill(text: str, **values: object) -> str:
    return nfc(_ENV.from_string(text).render(**values))


def percent(value: float) -> str:
    """85.0 → "85,0" (Vietnamese decimal comma)."""
    return str(wording()["ty_le_dinh_dang"]).format(value).replace(".", ",")


@dataclass(frozen=True)
class Context:
    settings: Settings
    period: PeriodKind
    day: date

    def values(self, **extra: object) -> dict[str, object]:
        agency = self.settings.agency
        return {"nam": self.settings.year, "ky": wording()["ky"][self.period.value],
                "co_quan": agency.display_name, "mo_hinh": self.settings.model,
                "giai_doan": self.settings.phase, "dia_danh": agency.place,
                "ngay": f"{self.day.day:02d}", "thang": f"{self.day.month:02d}",
                "nam_ky": self.day.year, **extra}

    def letterhead(self, parent: str, issuer: str, symbol: str,
                   number: str | None = None) -> Letterhead:
        words = wording()
        return Letterhead(parent, issuer, fill(number or words["so_ky_hieu"], ky_hieu=symbol),
                          (words["quoc_hieu"], words["tieu_ngu"]),
                          fill(words["noi_ngay"], **self.values()))


def _counts_row(label: str | int, name: str, figures: list[UnitFigures], on_roster: int,
                reports: bool) -> tuple[str | int, ...]:
    sums = total(figures)
    one, two = sums[Group.ONE], sums[Group.TWO]
    everyone = one + two
    row: tuple[str | int, ...] = (label, name, on_roster, one.total, one.registered,
                                  one.confirmed, two.total, two.registered, two.confirmed,
                                  everyone.registered, percent(rate(everyone.registered,
                                                                    everyone.total)))
    if reports:
        row += (one.reported, two.reported, everyone.reported,
                percent(rate(everyone.reported, everyone.total)))
    return row


def summary_table(groups: tuple[KindGroup, ...], reports: bool) -> Table:
    words = wording()["cot"]
    headers = tuple(words["bieu"]) + (tuple(words["bieu_bao_cao"]) if reports else ())
    rows: list[tuple[str | int, ...]] = []
    bold: set[int] = set()
    every: list[UnitFigures] = []
    for number, group in enumerate(groups):
        bold.add(len(rows))
        rows.append(_counts_row(ROMAN[number % len(ROMAN)], group.kind, list(group.units),
                                sum(f.on_roster for f in group.units), reports))
        for index, figures in enumerate(group.units, start=1):
            rows.append(_counts_row(index, figures.unit.name, [figures], figures.on_roster,
                                    reports))
        every += group.units
    bold.add(len(rows))
    rows.append(_counts_row("", words["tong_cong"], every, sum(f.on_roster for f in every),
                            reports))
    return Table(headers, tuple(rows), frozenset(bold), landscape=True)


def _change(now: float, before: float, unit: str = "") -> str:
    """"tăng 5", "giảm 2,5 điểm phần trăm", "không thay đổi" (integers stay integers)."""
    words = wording()["tom_tat"]
    if now == before:
        return str(words["khong_doi"])
    step = abs(now - before)
    shown = str(int(step)) if isinstance(now, int) and isinstance(before, int) else percent(step)
    return fill(words["tang" if now > before else "giam"], so=f"{shown} {unit}".strip())


def summary(ctx: Context, figures: list[UnitFigures],
            previous: tuple[PeriodKind, list[UnitFigures]] | None) -> tuple[Para, ...]:
    words = wording()["tom_tat"]
    sums = total(figures)
    everyone = sums[Group.ONE] + sums[Group.TWO]
    paragraphs = [fill(words["chung"], so_don_vi=len(figures), tong=everyone.total,
                       nhom1=sums[Group.ONE].total, nhom2=sums[Group.TWO].total,
                       dang_ky=everyone.registered,
                       ty_le_dang_ky=percent(rate(everyone.registered, everyone.total)),
                       xac_nhan=everyone.confirmed)]
    if ctx.period.is_report:
        paragraphs.append(fill(words["bao_cao"], ky=wording()["ky"][ctx.period.value],
                               da_nop=everyone.reported,
                               ty_le_nop=percent(rate(everyone.reported, everyone.total)),
                               chua_nop=sum(len(f.missing) for f in figures)))
    if previous is not None:
        kind, before_figures = previous
        before_sums = total(before_figures)
        before = before_sums[Group.ONE] + before_sums[Group.TWO]
        before_done = before.reported if kind.is_report else before.registered
        done = everyone.reported if ctx.period.is_report else everyone.registered
        paragraphs.append(fill(words["so_voi_ky_truoc"], ky_truoc=wording()["ky"][kind.value],
                               thay_doi_nop=_change(done, before_done),
                               thay_doi_dang_ky=_change(
                                   rate(everyone.registered, everyone.total),
                                   rate(before.registered, before.total),
                                   words["diem_phan_tram"])))
    return tuple(Para(text) for text in paragraphs)


def _people_table(people: list[Person]) -> Table:
    headers = tuple(wording()["cot"]["nguoi"])
    return Table(headers, tuple((i, p.name, p.position, p.unit)
                                for i, p in enumerate(people, start=1)))


def year_end(figures: list[UnitFigures]) -> tuple[Block, ...]:
    """Self-ratings and evaluations, commended, reminded, good practices (year end only)."""
    words = wording()
    sections = words["muc"]
    ratings, evaluations = distribution(figures, "self_ratings"), distribution(figures,
                                                                               "evaluations")
    levels = list(dict.fromkeys([*evaluations, *ratings]))
    blocks: list[Block] = [Para(sections["xep_loai"], heading=True),
                           Table(tuple(words["cot"]["xep_loai"]),
                                 tuple((level, ratings.get(level, 0), evaluations.get(level, 0))
                                       for level in levels))]
    for key, attribute in (("bieu_duong", "commended"), ("nhac_nho", "reminded")):
        people = [Person(p.name, p.position, p.group, f.unit.name)
                  for f in figures for p in getattr(f, attribute)]
        blocks.append(Para(sections[key], heading=True))
        blocks.append(_people_table(people) if people else Para(sections["khong_co"]))
    blocks.append(Para(sections["cach_lam_hay"], heading=True))
    practices = [(f.unit.name, p) for f in figures for p in f.practices]
    blocks += [Para(fill(sections["trich_dan"], noi_dung=p.text, ho_ten=p.author.name,
                         chuc_vu=p.author.position, don_vi=unit)) for unit, p in practices]
    if not practices:
        blocks.append(Para(sections["khong_co"]))
    return tuple(blocks)


def missing_annex(ctx: Context, figures: list[UnitFigures], by_unit: bool) -> tuple[Block, ...]:
    sections = wording()["muc"]
    blocks: list[Block] = [Para(fill(sections["phu_luc"], **ctx.values()), bold=True,
                                center=True)]
    headers = tuple(wording()["cot"]["chua_nop"])
    for item in figures:
        if by_unit:
            blocks.append(Para(item.unit.name, heading=True))
        blocks.append(Table(headers, tuple((i, p.name, p.position)
                                           for i, p in enumerate(item.missing, start=1)))
                      if item.missing else Para(sections["phu_luc_khong_co"]))
    return tuple(blocks)


def so_report(ctx: Context, figures: list[UnitFigures], units: tuple[Unit, ...],
              previous: tuple[PeriodKind, list[UnitFigures]] | None) -> Document:
    """The Sở's consolidated report for the period."""
    words, agency = wording(), ctx.settings.agency
    groups = by_kind(figures, [unit.kind for unit in units])
    ordered = [f for group in groups for f in group.units]
    body: list[Block] = [Para(fill(words["so"]["mo_dau"], **ctx.values())),
                         Para(words["muc"]["so_lieu"], heading=True),
                         *summary(ctx, ordered, previous),
                         Para(words["muc"]["bieu"], bold=True, center=True),
                         summary_table(groups, ctx.period.is_report)]
    if ctx.period is PeriodKind.YEAR:
        body += year_end(ordered)
    return Document(
        ctx.letterhead(agency.parent, agency.name, agency.abbreviation), words["loai_van_ban"],
        fill(words["so"]["trich_yeu"], **ctx.values()), tuple(body), words["noi_nhan_tieu_de"],
        tuple(fill(line, **ctx.values()) for line in words["so"]["noi_nhan"]),
        Signer(agency.signer_title, agency.signer), missing_annex(ctx, ordered, by_unit=True))


def unit_report(ctx: Context, figures: UnitFigures, head_name: str,
                previous: tuple[PeriodKind, list[UnitFigures]] | None) -> Document:
    """One unit's report to the Sở for the period, signed by its head."""
    words, agency = wording(), ctx.settings.agency
    values = ctx.values(don_vi=figures.unit.name)
    body: list[Block] = [Para(fill(words["don_vi"]["mo_dau"], **values)),
                         Para(words["muc"]["so_lieu"], heading=True),
                         *summary(ctx, [figures], previous),
                         Para(words["muc"]["bieu"], bold=True, center=True),
                         summary_table(by_kind([figures], []), ctx.period.is_report)]
    if ctx.period is PeriodKind.YEAR:
        body += year_end([figures])
    return Document(
        ctx.letterhead(agency.name, figures.unit.name, figures.unit.code),
        words["loai_van_ban"], fill(words["don_vi"]["trich_yeu"], **values), tuple(body),
        words["noi_nhan_tieu_de"],
        tuple(fill(line, **values) for line in words["don_vi"]["noi_nhan"]),
        Signer(words["don_vi"]["chuc_vu_nguoi_ky"], head_name),
        missing_annex(ctx, [figures], by_unit=False))


def posting(ctx: Context, figures: UnitFigures, head_name: str) -> Document:
    """The unit's public posting of its Nhóm 1 members' confirmed plans."""
    words, agency = wording(), ctx.settings.agency
    text = words["niem_yet"]
    values = ctx.values(don_vi=figures.unit.name)
    body: list[Block] = [Para(fill(text["mo_dau"], **values))]
    for number, (person, entry) in enumerate(figures.plans, start=1):
        body.append(Para(fill(text["nguoi"], stt=number, ho_ten=person.name,
                              chuc_vu=person.position), heading=True))
        body.append(Table(tuple(text["cot"]), tuple((h, t) for h, t in entry.criteria if t)))
        if entry.commitment:
            body.append(Para(fill(text["cam_ket"], cam_ket=entry.commitment), italic=True))
    if not figures.plans:
        body.append(Para(text["khong_co"]))
    return Document(
        ctx.letterhead(agency.name, figures.unit.name, figures.unit.code, text["so_ky_hieu"]),
        text["loai_van_ban"],
        fill(text["trich_yeu"], **values), tuple(body), words["noi_nhan_tieu_de"],
        (), Signer(words["don_vi"]["chuc_vu_nguoi_ky"], head_name))


def file_title(kind: str, ctx: Context, unit: Unit | None = None) -> str:
    """The Drive name of a document: kind is "so", "don_vi" or "niem_yet"."""
    values = ctx.values(don_vi=unit.name if unit else "")
    return fill(wording()[kind]["tieu_de_tep"], **values)
