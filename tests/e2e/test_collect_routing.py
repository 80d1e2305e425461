"""Where responses land without a perfect roster: by the unit picked, in the quarantine when
nothing matches (never dropped), moved to their unit once the roster is fixed, and a person who
filled the other group's form flagged where they are, not moved."""

from __future__ import annotations

import csv
from pathlib import Path

from tests.e2e import collect_helpers as helpers
from tests.e2e.collect_helpers import (
    NOT_IN_ROSTER,
    QUARANTINE_TITLE,
    Province,
    assert_projection,
)

collect_snapshot = helpers.collect_snapshot  # fixture
province = helpers.province  # fixture

STRANGER = "khach.moi@example.com"
PERSONAL = "hoa.canhan@gmail.com"  # Lê Thu Hoa's own address, not yet in the roster


def edit_csv(path: Path, change: object) -> None:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    rows = change(rows)  # type: ignore[operator]
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)


def retire(province: Province, code: str) -> None:
    """The unit closes; its staff leave the roster (a retired unit may have none)."""
    def change(rows: list[dict[str, str]]) -> list[dict[str, str]]:
        for row in rows:
            if row["Mã đơn vị"] == code:
                row["Trạng thái"] = "Ngừng hoạt động"
        return rows
    edit_csv(province.config_dir / "don_vi.csv", change)
    edit_csv(province.config_dir / "nhan_su.csv",
             lambda rows: [row for row in rows if row["Mã đơn vị"] != code])
    province.reload()


def add_to_roster(province: Province, row: dict[str, str] | None = None,
                  alias: tuple[str, str] | None = None) -> None:
    def change(rows: list[dict[str, str]]) -> list[dict[str, str]]:
        if row is not None:
            rows.append({**dict.fromkeys(rows[0], ""), **row})
        if alias is not None:
            for found in rows:
                if found["Email"] == alias[0]:
                    found["Email khác"] = alias[1]
        return rows
    edit_csv(province.config_dir / "nhan_su.csv", change)
    province.reload()


def quarantine(province: Province) -> dict[str, list[str]]:
    rows = province.values(province.overview_id, [f"'{QUARANTINE_TITLE}'!A2:G"])[0]
    return {str(row[0]): [str(cell) for cell in row] for row in rows if row and row[0]}


def plan_rows(province: Province, code: str) -> dict[str, dict[str, object]]:
    rows = province.values(province.unit_sheet(code), ["'Kế hoạch'!A1:Z"])[0]
    return {str(r[0]): dict(zip(rows[0], r, strict=False)) for r in rows[1:] if r and r[0]}


def test_a_respondent_not_in_the_roster_lands_in_the_unit_they_picked_with_a_note(
        province: Province) -> None:
    guest = province.submit_as("ke-hoach-nhom-2", STRANGER, "g1", unit_code="THPT-CVA")
    province.collect()
    row = plan_rows(province, "THPT-CVA")[guest.response_id]
    assert NOT_IN_ROSTER in str(row["Lưu ý"])
    assert quarantine(province) == {}
    assert_projection(province)


def test_a_person_who_filled_the_other_groups_form_is_flagged_not_moved(
        province: Province) -> None:
    binh = province.submit_as("ke-hoach-nhom-1", "binhnd@sgddt-demo.edu.vn", "w1")
    province.collect()
    row = plan_rows(province, "SO-VP")[binh.response_id]
    assert row["Nhóm"] == "Nhóm 2"
    assert "thuộc Nhóm 2 nhưng đã điền biểu mẫu của Nhóm 1" in str(row["Lưu ý"])
    assert_projection(province)


def test_unplaceable_responses_wait_in_the_quarantine_and_move_once_the_roster_is_fixed(
        province: Province) -> None:
    retire(province, "GDNN-GDTX-ST")  # the unit still listed on the form no longer exists
    guest = province.submit_as("ke-hoach-nhom-2", STRANGER, "q1", unit_code="GDNN-GDTX-ST")
    hoa = province.submit_as("ke-hoach-nhom-2", PERSONAL, "q1", unit_code="GDNN-GDTX-ST")
    province.collect()
    held = quarantine(province)
    assert set(held) == {guest.response_id, hoa.response_id}
    assert "ngừng hoạt động" in held[guest.response_id][6]
    assert STRANGER in held[guest.response_id][6]
    assert_projection(province)
    province.edit(guest.response_id, "q2")  # an edit while held is rewritten in place
    province.collect(full=True)
    assert set(quarantine(province)) == {guest.response_id, hoa.response_id}
    assert_projection(province)

    add_to_roster(province, row={"Họ và tên": "Khách Mới", "Email": STRANGER,
                                 "Chức vụ": "Giáo viên", "Mã đơn vị": "THPT-CVA"})
    province.collect(full=True)
    assert set(quarantine(province)) == {hoa.response_id}
    assert guest.response_id in plan_rows(province, "THPT-CVA")
    assert_projection(province)

    add_to_roster(province, alias=("hoalt@sgddt-demo.edu.vn", PERSONAL))
    province.collect(full=True)
    assert quarantine(province) == {}
    assert plan_rows(province, "SO-TCCB")[hoa.response_id]["Nhóm"] == "Nhóm 2"
    assert_projection(province)


def test_a_response_moves_between_units_when_the_roster_places_its_author_elsewhere(
        province: Province) -> None:
    guest = province.submit_as("ke-hoach-nhom-2", STRANGER, "m1", unit_code="THPT-CVA")
    province.collect()
    assert guest.response_id in plan_rows(province, "THPT-CVA")
    add_to_roster(province, row={"Họ và tên": "Khách Mới", "Email": STRANGER,
                                 "Chức vụ": "Giáo viên", "Mã đơn vị": "THPT-LQD"})
    province.collect(full=True)
    assert guest.response_id in plan_rows(province, "THPT-LQD")
    assert guest.response_id not in plan_rows(province, "THPT-CVA")
    assert_projection(province)


def test_a_roster_change_that_keeps_the_unit_redraws_the_row_with_the_new_group_and_note(
        province: Province) -> None:
    guest = province.submit_as("ke-hoach-nhom-2", STRANGER, "g1", unit_code="THPT-CVA")
    province.collect()
    before = plan_rows(province, "THPT-CVA")[guest.response_id]
    assert before["Nhóm"] == "Nhóm 2" and NOT_IN_ROSTER in str(before["Lưu ý"])

    add_to_roster(province, row={"Họ và tên": "Khách Mới", "Email": STRANGER,
                                 "Chức vụ": "Phó Hiệu trưởng", "Mã đơn vị": "THPT-CVA"})
    province.collect(full=True)

    after = plan_rows(province, "THPT-CVA")[guest.response_id]
    assert after["Nhóm"] == "Nhóm 1"  # the roster now places them in Nhóm 1
    assert NOT_IN_ROSTER not in str(after["Lưu ý"])
    assert "Nhóm 1" in str(after["Lưu ý"])  # ...who filled Nhóm 2's form: flagged, not moved
    assert_projection(province)


def test_a_held_response_with_an_overlong_name_is_shown_cut_and_does_not_stop_the_run(
        province: Province) -> None:
    retire(province, "GDNN-GDTX-ST")
    name = "😀" * 30_000  # 60 000 UTF-16 units: more than a cell holds
    guest = province.submit_as("ke-hoach-nhom-2", STRANGER, "q1", unit_code="GDNN-GDTX-ST",
                               ho_ten=name)
    assert province.collect().complete
    shown = quarantine(province)[guest.response_id][3]
    assert shown.endswith("…") and name.startswith(shown[:-1])
    assert len(shown.encode("utf-16-le")) // 2 <= 50_000
