"""The reports read a unit Sheet by its headers: a Sheet built before the notice column (one
column fewer, every people's column one to the left) still gives each head's marks."""

from __future__ import annotations

from typing import Any

from functions.blueprints.layout import load_unit_layout
from functions.blueprints.report_rows import entries_from, ranges_for
from functions.domain.model import PeriodKind

LAYOUT = load_unit_layout(7)
YEAR = LAYOUT.tab_of(PeriodKind.YEAR)


def year_grid(without_notice: bool) -> list[list[Any]]:
    columns = [c for c in YEAR.columns if not (without_notice and c.source == "notice")]
    values = {"response_id": "r1", "name": "Nguyễn Văn A", "email": "a@x.vn", "group": "Nhóm 2",
              "status": "Hiệu lực", "answer:tu_xep_loai": "Hoàn thành tốt nhiệm vụ",
              "notice": "0bee0adf0969", "person:evaluation": "Hoàn thành xuất sắc nhiệm vụ",
              "person:commend": True, "person:remind": False}
    row = [values.get(c.source or f"person:{c.key}", "") for c in columns]
    return [[c.header for c in columns], row]


def test_the_range_starts_at_the_header_row() -> None:
    assert ranges_for([YEAR])[0].startswith("'Cả năm'!A1:")


def test_an_old_sheet_and_a_new_one_give_the_same_entry() -> None:
    old = entries_from(LAYOUT, [YEAR], [year_grid(without_notice=True)])
    new = entries_from(LAYOUT, [YEAR], [year_grid(without_notice=False)])
    assert old == new
    (entry,) = new
    assert entry.evaluation == "Hoàn thành xuất sắc nhiệm vụ"
    assert entry.commend is True and entry.remind is False
    assert entry.self_rating == "Hoàn thành tốt nhiệm vụ"
