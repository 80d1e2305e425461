"""What ``guongmau data erase`` tells the operator, from an erasure's outcome (texts:
``sheets_templates/personal_data.yaml``, ``erase``)."""

from __future__ import annotations

from functions.blueprints.layout import load_yaml
from functions.services.erasure import ErasureOutcome


def erasure_lines(outcome: ErasureOutcome, email: str, dry_run: bool) -> list[str]:
    texts = load_yaml("personal_data.yaml")["erase"]
    held = outcome.holdings
    lines = []
    if outcome.total:
        lines.append(texts["heading"].format(dong_tu="Sẽ xóa" if dry_run else "Đã xóa",
                                             email=email, emails=", ".join(held.emails)))
        lines += [texts["place"].format(noi=place, so=count)
                  for place, count in sorted(outcome.removed.items())]
    else:
        lines.append(texts["nothing"].format(email=email))
    if held.responses:
        lines.append(texts["forms"].format(so=len(held.responses)))
        lines += [texts["form_line"].format(bieu_mau=r.form_title, luc=r.last_submitted,
                                            ma=r.response_id, form_id=r.form_id)
                  for r in held.responses]
        lines.append(texts["tombstone"])
    if outcome.left_by_roster and held.on_roster is not None:
        lines.append(texts["roster"].format(ma_don_vi=held.on_roster.unit_code,
                                            so=len(outcome.left_by_roster),
                                            email=held.on_roster.email))
    if held.report_entries or held.report_docs:
        lines.append(texts["reports"])
        lines += [texts["report_doc"].format(ten=title, doc_id=doc_id)
                  for title, doc_id in held.report_docs]
    lines.append(texts["dry_run"] if dry_run else texts["record"].format(ten=outcome.record))
    return lines
