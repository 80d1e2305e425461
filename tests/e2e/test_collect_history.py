"""The edit history: every edit of every response stays in «Lịch sử sửa», in the order it was
sent, field by field with the value it replaced, written in the same batch as the row (no call
added to a sync). A first version adds no row: the response's row holds it, then the first
edit's previous values. A history tab built before the previous values' column keeps its rows.
"""

from __future__ import annotations

from itertools import pairwise
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
    """The history rows of ``response_id``: [id, tab, sent at, email, column, new, previous]."""
    rows = province.values(province.unit_sheet(code), [f"'{HISTORY_TITLE}'!A2:G"])[0]
    return [row for row in rows if row and row[0] == response_id]


def versions_of(rows: list[list[Any]], column: str) -> list[str]:
    """Every version of ``column`` the edit rows tell: the first one's previous value, then
    each new value; each edit's previous value is the version before it."""
    edits = [row for row in rows if row[4] == column]
    for before, after in pairwise(edits):
        assert after[6] == before[5], "an edit replaces the version the one before it wrote"
    return [str(edits[0][6])] + [str(row[5]) for row in edits] if edits else []


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
    assert len([row for row in rows if row[4] == "Tiêu chí 1"]) == 2, \
        "two edits; the first version adds no row"
    assert not versions_of(rows, "Email"), "an unchanged field is not history"
    assert {row[1] for row in rows} == {PLANS}
    assert not versions_of(rows, "Trạng thái"), "the sync's own status is not history"


def test_a_new_version_adds_its_history_without_any_further_call(province: Province) -> None:
    binh = province.submit_as("ke-hoach-nhom-2", "binhnd@sgddt-demo.edu.vn", "k1")
    province.collect(full=True)
    assert history(province, "SO-VP", binh.response_id) == [], "a first version is its row"
    province.control.reset_calls()
    province.edit(binh.response_id, "k2")
    province.collect(form_keys=["ke-hoach-nhom-2"])
    assert sheets_calls(province) == {UNIT_WRITE: 2, "sheets.spreadsheets.get": 1}
    rows = [row for row in history(province, "SO-VP", binh.response_id)
            if row[4] == "Tiêu chí 1"]
    assert len(rows) == 1
    assert str(rows[0][6]).startswith("Nội dung: tc1_noi_dung k1")
    assert str(rows[0][5]).startswith("Nội dung: tc1_noi_dung k2")


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
    rows = [row for row in history(province, code, lien.response_id)
            if row[4] == "Khó khăn, vướng mắc"]
    assert len(rows) == 1
    for cell in (rows[0][6], rows[0][5]):  # the previous value, then the new one
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


def history_cells(province: Province, sheet: str) -> dict[tuple[int, int], Any]:
    grid = province.values(sheet, [f"'{HISTORY_TITLE}'!A1:Z"])[0]
    return {(r, c): value for r, row in enumerate(grid) for c, value in enumerate(row)
            if value not in ("", None)}


def test_a_history_tab_built_before_the_previous_values_keeps_every_cell_and_gains_them(
        province: Province) -> None:
    binh = province.submit_as("ke-hoach-nhom-2", "binhnd@sgddt-demo.edu.vn", "k1")
    province.collect()
    sheet = province.unit_sheet("SO-VP")
    api = province.sheets_api()
    # The tab as earlier versions built it: six columns, a row per cell of a first version.
    api.spreadsheets().batchUpdate(spreadsheetId=sheet, body={"requests": [{"deleteDimension": {
        "range": {"sheetId": HISTORY_ID, "dimension": "COLUMNS",
                  "startIndex": 6, "endIndex": 7}}}]}).execute()
    header, shown = province.values(sheet, [f"'{PLANS}'!A1:1", f"'{PLANS}'!A2:2"])
    old_rows = [[binh.response_id, PLANS, "01/12/2026 08:00:00", binh.email, name, value]
                for name, value in zip(header[0], shown[0], strict=False)
                if value not in ("", None) and name not in ("Mã phản hồi", "Trạng thái")]
    api.spreadsheets().values().update(
        spreadsheetId=sheet, range=f"'{HISTORY_TITLE}'!A2", valueInputOption="RAW",
        body={"values": old_rows}).execute()
    before = history_cells(province, sheet)
    assert len(before) == 6 * (len(old_rows) + 1)

    province.edit(binh.response_id, "k2")
    province.collect()
    after = history_cells(province, sheet)
    assert {key: after.get(key) for key in before} == before, "no cell moved or changed"
    assert after[(0, 6)] == "Giá trị trước"
    added = {key: value for key, value in after.items() if key not in before}
    new_rows = sorted({r for r, _ in added} - {0})
    assert new_rows and new_rows[0] == len(old_rows) + 1
    edits = [[after.get((r, c), "") for c in range(7)] for r in new_rows]
    criterion = [row for row in edits if row[4] == "Tiêu chí 1"]
    assert len(criterion) == 1
    assert str(criterion[0][6]).startswith("Nội dung: tc1_noi_dung k1")
    assert str(criterion[0][5]).startswith("Nội dung: tc1_noi_dung k2")
    meta = api.spreadsheets().get(spreadsheetId=sheet, fields=(
        "sheets(properties(sheetId,gridProperties.columnCount),protectedRanges.range)")).execute()
    tab = next(s for s in meta["sheets"] if s["properties"].get("sheetId", 0) == HISTORY_ID)
    assert tab["properties"]["gridProperties"]["columnCount"] == 7
    assert any(p["range"].get("startColumnIndex", 0) <= 6 < p["range"].get("endColumnIndex", 99)
               for p in tab["protectedRanges"]), "the new column is the system's like the rest"

    province.edit(binh.response_id, "k3")
    province.collect()
    assert history_cells(province, sheet)[(0, 6)] == "Giá trị trước"
    meta = api.spreadsheets().get(spreadsheetId=sheet, fields=(
        "sheets(properties(sheetId,gridProperties.columnCount))")).execute()
    assert next(s for s in meta["sheets"] if s["properties"].get("sheetId", 0) == HISTORY_ID)[
        "properties"]["gridProperties"]["columnCount"] == 7, "added once in its life"
