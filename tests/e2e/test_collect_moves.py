"""A person the roster moves to another unit takes along what the old unit's head typed in
their rows (confirmation, note, evaluation, commend, remind), the note saying where from; a
person who leaves the roster leaves it visible in the quarantine. Never silently dropped, also
when the run crashes between the two units' writes or two people swap units."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest

from functions.blueprints.cells import column_letter
from tests.e2e import collect_helpers as helpers
from tests.e2e.collect_helpers import YEAR_END, Province, assert_projection
from tests.e2e.test_collect_faults import CrashingSheets
from tests.e2e.test_collect_routing import edit_csv, quarantine, retire

collect_snapshot = helpers.collect_snapshot  # fixture
province = helpers.province  # fixture

BINH, TUNG = "binhnd@sgddt-demo.edu.vn", "tungmm@sgddt-demo.edu.vn"  # SO-VP, SO-GDPT
HEADS = {"SO-VP": "ngochtt@sgddt-demo.edu.vn", "SO-GDPT": "tuannq@sgddt-demo.edu.vn"}
PLANS, YEAR = "Kế hoạch", "Cả năm"
MOVED = "Chuyển từ «{}»: xác nhận, đánh giá, ghi chú ở các cột bên cạnh do đơn vị cũ nhập."


def rows_of(province: Province, code: str, tab: str) -> dict[str, dict[str, Any]]:
    rows = province.values(province.unit_sheet(code), [f"'{tab}'!A1:AZ"])[0]
    return {str(r[0]): dict(zip(rows[0], r, strict=False)) for r in rows[1:] if r and r[0]}


def head_types(province: Province, code: str, tab: str, response_id: str,
               typed: dict[str, object]) -> None:
    """The unit's head types into the response's row (USER_ENTERED, as in the browser)."""
    rows = province.values(province.unit_sheet(code), [f"'{tab}'!A1:AZ"])[0]
    row = next(i for i, r in enumerate(rows) if r and r[0] == response_id) + 1
    data = [{"range": f"'{tab}'!{column_letter(rows[0].index(h))}{row}",
             "values": [[value]]} for h, value in typed.items()]
    province.sheets_api(HEADS[code]).spreadsheets().values().batchUpdate(
        spreadsheetId=province.unit_sheet(code),
        body={"valueInputOption": "USER_ENTERED", "data": data}).execute()


def move(province: Province, moves: dict[str, str | None]) -> None:
    """The roster places each email in another unit (None: the person leaves the roster)."""
    def change(rows: list[dict[str, str]]) -> list[dict[str, str]]:
        kept = []
        for row in rows:
            if row["Email"] in moves:
                if moves[row["Email"]] is None:
                    continue
                row["Mã đơn vị"] = str(moves[row["Email"]])
            kept.append(row)
        return kept
    edit_csv(province.config_dir / "nhan_su.csv", change)
    province.reload()


def test_a_moved_person_takes_the_heads_confirmation_evaluation_and_notes_along(
        province: Province) -> None:
    plan = province.submit_as("ke-hoach-nhom-2", BINH, "k1")
    report = province.submit_as("ca-nam-nhom-2", BINH, "c1")
    province.collect(today=YEAR_END)
    head_types(province, "SO-VP", PLANS, plan.response_id,
               {"Xác nhận": True, "Ghi chú": "Kế hoạch tốt"})
    head_types(province, "SO-VP", YEAR, report.response_id,
               {"Đánh giá của đơn vị": "Hoàn thành tốt nhiệm vụ", "Biểu dương": True,
                "Ghi chú": "Tiêu biểu"})
    move(province, {BINH: "SO-GDPT"})
    province.collect(today=YEAR_END, full=True)
    assert plan.response_id not in rows_of(province, "SO-VP", PLANS)
    moved_plan = rows_of(province, "SO-GDPT", PLANS)[plan.response_id]
    moved_report = rows_of(province, "SO-GDPT", YEAR)[report.response_id]
    origin = MOVED.format("Văn phòng Sở")
    assert (moved_plan["Xác nhận"], moved_plan["Ghi chú"]) == (True, f"Kế hoạch tốt\n{origin}")
    assert (moved_report["Đánh giá của đơn vị"], moved_report["Biểu dương"],
            moved_report["Ghi chú"]) == ("Hoàn thành tốt nhiệm vụ", True, f"Tiêu biểu\n{origin}")
    assert_projection(province, YEAR_END)


def test_a_crash_between_the_two_units_writes_loses_nothing_typed(province: Province) -> None:
    plan = province.submit_as("ke-hoach-nhom-2", BINH, "k1")
    province.collect()
    head_types(province, "SO-VP", PLANS, plan.response_id,
               {"Xác nhận": True, "Ghi chú": "Đã duyệt"})
    move(province, {BINH: "SO-GDPT"})
    crashing = CrashingSheets(province.ws.sheets, crash_at=2, after_landing=False)
    with pytest.raises(ConnectionError):
        province.collect(full=True, ws=replace(province.ws, sheets=crashing))  # type: ignore[arg-type]
    assert plan.response_id in rows_of(province, "SO-VP", PLANS), "not deleted before it landed"
    province.collect()
    assert plan.response_id not in rows_of(province, "SO-VP", PLANS)
    moved = rows_of(province, "SO-GDPT", PLANS)[plan.response_id]
    assert moved["Xác nhận"] is True
    assert str(moved["Ghi chú"]).startswith("Đã duyệt\nChuyển từ «Văn phòng Sở»")
    assert_projection(province)


def test_two_people_swapping_units_both_keep_what_their_heads_typed(
        province: Province) -> None:
    binh = province.submit_as("ke-hoach-nhom-2", BINH, "k1")
    tung = province.submit_as("ke-hoach-nhom-2", TUNG, "k1")
    province.collect()
    head_types(province, "SO-VP", PLANS, binh.response_id, {"Ghi chú": "Bình: đạt"})
    head_types(province, "SO-GDPT", PLANS, tung.response_id, {"Xác nhận": True})
    move(province, {BINH: "SO-GDPT", TUNG: "SO-VP"})
    outcome = province.collect(full=True)
    assert outcome.complete
    assert str(rows_of(province, "SO-GDPT", PLANS)[binh.response_id]["Ghi chú"]).startswith(
        "Bình: đạt\n")
    assert rows_of(province, "SO-VP", PLANS)[tung.response_id]["Xác nhận"] is True
    assert_projection(province)


def test_a_person_leaving_the_roster_leaves_what_was_typed_visible_in_the_quarantine(
        province: Province) -> None:
    plan = province.submit_as("ke-hoach-nhom-2", BINH, "k1")
    province.collect()
    head_types(province, "SO-VP", PLANS, plan.response_id,
               {"Xác nhận": True, "Ghi chú": "Đã duyệt"})
    retire(province, "SO-VP")  # its staff leave the roster; the unit they picked is closed
    outcome = province.collect(full=True)
    assert outcome.complete
    reason = quarantine(province).get(plan.response_id, [""] * 7)[6]
    assert "Đơn vị cũ «Văn phòng Sở» đã nhập: Xác nhận: có; Ghi chú: Đã duyệt" in reason
    assert_projection(province)
