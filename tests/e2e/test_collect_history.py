"""The edit history: every version of every response stays in «Lịch sử sửa», in the order it
was sent, field by field, written in the same batch as the row (no call added to a sync)."""

from __future__ import annotations

from typing import Any

from tests.e2e import collect_helpers as helpers
from tests.e2e.collect_helpers import OVERFLOW_TITLE, YEAR_END, Province
from tests.e2e.test_collect_free_text import long_text
from tests.e2e.test_collect_people_columns import head_types, value_at

collect_snapshot = helpers.collect_snapshot  # fixture
province = helpers.province  # fixture

HISTORY_TITLE = "Lịch sử sửa"
HISTORY_ID = 98
PLANS = "Kế hoạch"
UNIT_WRITE = "sheets.spreadsheets.batchUpdate"


def history(province: Province, code: str, response_id: str) -> list[list[Any]]:
    """The history rows of ``response_id``: [id, tab, sent at, email, column, text]."""
    rows = province.values(province.unit_sheet(code), [f"'{HISTORY_TITLE}'!A2:F"])[0]
    return [row for row in rows if row and row[0] == response_id]


def versions_of(rows: list[list[Any]], column: str) -> list[str]:
    return [str(row[5]) for row in rows if row[4] == column]


def sheets_calls(province: Province) -> dict[str, int]:
    return {m: n for m, n in province.calls().items() if m.startswith("sheets.")}


def test_every_version_of_a_plan_is_kept_in_order_including_edits_after_confirmation(
        province: Province) -> None:
    binh = province.submit_as("ke-hoach-nhom-2", "binhnd@sgddt-demo.edu.vn", "k1")
    province.collect()
    head_types(province, [(PLANS, binh.response_id, "Xác nhận", True)])
    province.edit(binh.response_id, "k2")
    province.collect()
    assert value_at(province, PLANS, binh.response_id, "Xác nhận") is False
    province.edit(binh.response_id, "k3")
    province.collect(full=True)
    province.collect(full=True)  # a rerun adds nothing
    rows = history(province, "SO-VP", binh.response_id)
    first = versions_of(rows, "Tiêu chí 1")
    assert [text.split("\n")[0] for text in first] == [
        f"Nội dung: tc1_noi_dung {tag}" for tag in ("k1", "k2", "k3")]
    sent = [row[2] for row in rows]
    assert sent == sorted(sent, key=lambda t: (t[6:10], t[3:5], t[:2], t[11:]))
    assert versions_of(rows, "Email") == ["binhnd@sgddt-demo.edu.vn"], \
        "an unchanged field is listed once, with the first version"
    assert {row[1] for row in rows} == {PLANS}
    assert not versions_of(rows, "Trạng thái"), "the sync's own status is not history"


def test_a_new_version_adds_its_history_without_any_further_call(province: Province) -> None:
    binh = province.submit_as("ke-hoach-nhom-2", "binhnd@sgddt-demo.edu.vn", "k1")
    province.collect(full=True)
    province.control.reset_calls()
    province.edit(binh.response_id, "k2")
    province.collect(form_keys=["ke-hoach-nhom-2"])
    assert sheets_calls(province) == {UNIT_WRITE: 2, "sheets.spreadsheets.get": 1}
    assert len(versions_of(history(province, "SO-VP", binh.response_id), "Tiêu chí 1")) == 2


def test_a_long_answer_is_kept_whole_in_the_history_after_it_is_replaced(
        province: Province) -> None:
    original, edited = long_text("a"), long_text("c", 60_000)
    lien = province.submit_as("ca-nam-nhom-2", "liennp@sgddt-demo.edu.vn", "c1",
                              kho_khan=original)
    province.collect(today=YEAR_END)
    province.edit(lien.response_id, "c2", kho_khan=edited)
    province.collect(today=YEAR_END)
    code = "SO-VP"
    overflow = province.values(province.unit_sheet(code), [f"'{OVERFLOW_TITLE}'!A1:E"])[0]
    texts = []
    for cell in versions_of(history(province, code, lien.response_id), "Khó khăn, vướng mắc"):
        head, mark, where = cell.rpartition(f"… (phần tiếp theo ở tab «{OVERFLOW_TITLE}», dòng ")
        assert mark and len(cell.encode("utf-16-le")) // 2 <= 50_000
        first = int(where.rstrip(")")) - 1
        rest = []
        for row in overflow[first:]:
            if row[0] != lien.response_id or row[1] != HISTORY_TITLE or (
                    rest and row[3] == 2):
                break
            rest.append(str(row[4]))
        texts.append(head + "".join(rest))
    assert texts == [original, edited]


def test_a_sheet_built_before_the_history_tab_still_syncs(province: Province) -> None:
    sheet = province.unit_sheet("SO-VP")
    province.sheets_api().spreadsheets().batchUpdate(spreadsheetId=sheet, body={
        "requests": [{"deleteSheet": {"sheetId": HISTORY_ID}}]}).execute()
    binh = province.submit_as("ke-hoach-nhom-2", "binhnd@sgddt-demo.edu.vn", "k1")
    province.collect()
    assert str(value_at(province, PLANS, binh.response_id, "Tiêu chí 1")).startswith(
        "Nội dung: tc1_noi_dung k1")
