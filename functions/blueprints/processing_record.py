"""The Sở's processing record (hồ sơ xử lý dữ liệu cá nhân) as a document (pure): one table of
what data, whose, why, where, who sees it, how long, the processor and the legal bases, all
from the settings, the units, the roster and the forms, in the wording of
docs_templates/ho_so_xu_ly.yaml and the page of the reports (``report_docx``)."""

from __future__ import annotations

import re
import string
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from functools import cache
from typing import Any

from functions.blueprints.report_content import Context, fill
from functions.blueprints.report_docx import Document, Para, Signer, Table
from functions.config import roster
from functions.config.deployment import Deployment, context
from functions.config.yamlread import strict_load
from functions.domain.forms import FormTemplate
from functions.domain.model import PeriodKind
from functions.domain.notice import notice_version
from functions.domain.retention import horizon
from functions.domain.text import nfc
from functions.paths import data_dir

ROSTER_FIELDS = (roster.NAME, roster.EMAIL, roster.POSITION, roster.UNIT, roster.GROUP,
                 roster.OTHER_EMAILS)
_SPACES = re.compile(r"\s+")


@cache
def wording() -> dict[str, Any]:
    return dict(strict_load(data_dir("docs_templates") / "ho_so_xu_ly.yaml"))


@dataclass(frozen=True)
class Facts:
    """What the record states beyond the settings: known only where it runs."""

    service_account: str
    day: date


class _Blank(dict[str, object]):
    """Placeholders a question title may use that the record has no value for (the criterion
    number, the group): left out."""

    def __missing__(self, key: str) -> str:
        return ""


def _title(text: str, values: Mapping[str, object]) -> str:
    filled = string.Formatter().vformat(text, (), _Blank(values))
    return nfc(_SPACES.sub(" ", filled)).rstrip(" :–-")


def _questions(template: FormTemplate, values: Mapping[str, object]) -> tuple[str, str]:
    """(the questions asked once, those asked per criterion) of a form, as titles."""
    once = [q for q in (*template.before, *template.after) if q.collects_answer]
    each = [q for q in template.per_criterion if q.collects_answer]
    titles = [_title(q.title, values) for q in once]
    return "; ".join(dict.fromkeys(titles)), "; ".join(
        dict.fromkeys(_title(q.title, values) for q in each))


def data_lines(deployment: Deployment) -> str:
    """The categories of personal data: the roster's fields, the verified email, each form's
    questions, what units type; one line each."""
    words, values = wording()["muc"], context(deployment.settings)
    lines = [fill(words["du_lieu_danh_sach"], truong_danh_sach=", ".join(ROSTER_FIELDS))
             if deployment.settings.roster_file is not None else words["du_lieu_khong_danh_sach"],
             words["du_lieu_email"]]
    labels = wording()["bieu_mau"]
    for template in deployment.templates:
        once, each = _questions(template, values)
        if each:
            once = f"{once}; {fill(words['du_lieu_tieu_chi'], cau_hoi=each)}"
        lines.append(fill(words["du_lieu_bieu_mau"], bieu_mau=labels.get(template.key,
                                                                           template.key),
                          cau_hoi=once))
    lines.append(words["du_lieu_don_vi"])
    return "\n".join(f"- {line}" for line in lines)


def record_document(deployment: Deployment, facts: Facts) -> Document:
    settings, words = deployment.settings, wording()
    agency, storage = settings.agency, settings.storage
    ctx = Context(settings, PeriodKind.PLAN, facts.day)
    units = deployment.active_units
    kept = horizon(deployment.periods, settings.year, settings.year, settings.retention_years,
                   facts.day)  # as `data retention` counts it
    values = ctx.values(
        ky_hieu=agency.abbreviation, lien_he=agency.contact, chuyen_de=settings.theme,
        tai_khoan_dich_vu=facts.service_account, so_don_vi=len(units),
        so_nguoi=len(deployment.staff), drive=storage.shared_drive_id or storage.folder_id or "",
        vung_luu_tru=words["muc"]["vung"][storage.data_region], bo_chua=storage.state_bucket,
        so_thu_truong=len({e for u in units for e in u.head_emails}),
        so_nguoi_theo_doi=len({e for u in units for e in u.reader_emails}),
        nhom_so=storage.so_readers or "", so_nam_luu_tru=settings.retention_years,
        ket_thuc=f"{kept.ends:%d/%m/%Y}", het_han=f"{kept.kept_until:%d/%m/%Y}",
        phien_ban=notice_version(str(context(settings)["thong_bao"])))
    muc = words["muc"]
    rows: list[tuple[str | int, ...]] = []
    for number, key in enumerate(("ben_kiem_soat", "ben_xu_ly", "muc_dich", "du_lieu",
                                  "chu_the", "noi_luu", "nguoi_xem", "thoi_han", "thong_bao",
                                  "can_cu", "quyen"), start=1):
        text = data_lines(deployment) if key == "du_lieu" else fill(muc[f"{key}_noi_dung"],
                                                                      **values)
        rows.append((str(number), muc[key], text))
    body = (Para(fill(words["mo_dau"], **values)), Table(tuple(words["cot"]), tuple(rows)))
    return Document(
        ctx.letterhead(agency.parent, agency.name, agency.abbreviation,
                       number=words["so_ky_hieu"]),
        words["loai_van_ban"], fill(words["trich_yeu"], **values), body,
        words["noi_nhan_tieu_de"], tuple(fill(line, **values) for line in words["noi_nhan"]),
        Signer(agency.signer_title, agency.signer))


def file_title(deployment: Deployment, day: date) -> str:
    ctx = Context(deployment.settings, PeriodKind.PLAN, day)
    return fill(wording()["tieu_de_tep"], **ctx.values())
