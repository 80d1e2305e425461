"""What a unit head types in the people's columns survives every sync (100 of them, with
edits of the responses underneath), except the one documented reset: a confirmed plan that
is edited loses its confirmation and says when the confirmed version had been sent."""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

from functions.blueprints.cells import column_letter
from functions.services.form_responses import parse_time
from tests.e2e import collect_helpers as helpers
from tests.e2e.collect_helpers import (
    EDITED_AFTER_CONFIRMATION,
    LATEST,
    YEAR_END,
    Province,
)

collect_snapshot = helpers.collect_snapshot  # fixture
province = helpers.province  # fixture

HEAD = "ngochtt@sgddt-demo.edu.vn"  # Chánh Văn phòng: the head of SO-VP
PLANS, YEAR = "Kế hoạch", "Cả năm"
EVALUATION = "Hoàn thành tốt nhiệm vụ"


def grid(province: Province, tab: str, user: str | None = None) -> list[list[Any]]:
    answer = province.sheets_api(user).spreadsheets().values().get(
        spreadsheetId=province.unit_sheet("SO-VP"), range=f"'{tab}'!A1:AZ",
        valueRenderOption="UNFORMATTED_VALUE").execute()
    return list(answer.get("values", []))


def cell_of(province: Province, tab: str, response_id: str, header: str) -> str:
    rows = grid(province, tab)
    column = rows[0].index(header)
    row = next(i for i, r in enumerate(rows) if r and r[0] == response_id)
    return f"'{tab}'!{column_letter(column)}{row + 1}"


def value_at(province: Province, tab: str, response_id: str, header: str) -> Any:
    rows = grid(province, tab)
    column = rows[0].index(header)
    row = next(r for r in rows if r and r[0] == response_id)
    return row[column] if column < len(row) else ""


def head_types(province: Province, entries: list[tuple[str, str, str, object]]) -> None:
    """The head types into the Sheet as themself (USER_ENTERED, as in the browser)."""
    data = [{"range": cell_of(province, tab, rid, header), "values": [[value]]}
            for tab, rid, header, value in entries]
    province.sheets_api(HEAD).spreadsheets().values().batchUpdate(
        spreadsheetId=province.unit_sheet("SO-VP"),
        body={"valueInputOption": "USER_ENTERED", "data": data}).execute()


def people_values(province: Province, typed: list[tuple[str, str, str, object]]) -> list[Any]:
    return [value_at(province, tab, rid, header) for tab, rid, header, _ in typed]


def test_typed_columns_survive_a_hundred_syncs_and_edits_of_the_responses_beneath(
        province: Province) -> None:
    binh = province.submit_as("ke-hoach-nhom-2", "binhnd@sgddt-demo.edu.vn", "k1")
    an = province.submit_as("ke-hoach-nhom-2", "anlq@sgddt-demo.edu.vn", "k1")
    lien = province.submit_as("ca-nam-nhom-2", "liennp@sgddt-demo.edu.vn", "c1")
    nhung = province.submit_as("ca-nam-nhom-2", "nhungnt@sgddt-demo.edu.vn", "c1")
    province.collect(today=YEAR_END)
    typed: list[tuple[str, str, str, object]] = [
        (PLANS, binh.response_id, "Xác nhận", True),
        (PLANS, binh.response_id, "Ghi chú", "Đã trao đổi với đồng chí Bình"),
        (PLANS, an.response_id, "Ghi chú", "=IMPORTXML(\"http://x\",\"//a\") chỉ là ghi chú"),
        (YEAR, lien.response_id, "Đánh giá của đơn vị", EVALUATION),
        (YEAR, lien.response_id, "Biểu dương", True),
        (YEAR, lien.response_id, "Ghi chú", "Tiêu biểu của năm"),
        (YEAR, nhung.response_id, "Nhắc nhở", True),
        (YEAR, nhung.response_id, "Ghi chú", "Cần cố gắng hơn"),
    ]
    head_types(province, typed)
    before = people_values(province, typed)
    assert before[0] is True and before[3] == EVALUATION
    for number in range(100):
        if number % 20 == 5:  # edits of the rows beneath the typed values
            province.edit(an.response_id, f"k{number}")
            province.edit(lien.response_id, f"c{number}")
            province.edit(nhung.response_id, f"c{number}")
        if number % 33 == 7:  # and a newcomer
            province.submit_as("ke-hoach-nhom-2", "dunglx@sgddt-demo.edu.vn", f"m{number}")
        province.collect(today=YEAR_END, full=number % 25 == 24)
    assert people_values(province, typed) == before
    assert value_at(province, PLANS, binh.response_id, "Trạng thái") == LATEST
    assert value_at(province, YEAR, lien.response_id, "Tiêu chí 1").startswith(
        "Kết quả: tc1_ket_qua c"), "the edits did land"


def test_an_edited_confirmed_plan_loses_its_confirmation_and_says_when_it_was_confirmed(
        province: Province) -> None:
    binh = province.submit_as("ke-hoach-nhom-2", "binhnd@sgddt-demo.edu.vn", "k1")
    province.collect()
    head_types(province, [(PLANS, binh.response_id, "Xác nhận", True),
                          (PLANS, binh.response_id, "Ghi chú", "Đồng ý")])
    province.collect()
    assert value_at(province, PLANS, binh.response_id, "Xác nhận") is True
    province.edit(binh.response_id, "k2")
    province.collect(full=True)
    confirmed_at = parse_time(binh.last_submitted).astimezone(ZoneInfo("Asia/Ho_Chi_Minh"))
    assert value_at(province, PLANS, binh.response_id, "Xác nhận") is False
    assert value_at(province, PLANS, binh.response_id, "Trạng thái") == (
        f"{EDITED_AFTER_CONFIRMATION}{confirmed_at:%d/%m/%Y %H:%M:%S})")
    assert value_at(province, PLANS, binh.response_id, "Ghi chú") == "Đồng ý"
    assert value_at(province, PLANS, binh.response_id, "Tiêu chí 1").startswith(
        "Nội dung: tc1_noi_dung k2")
    for _ in range(3):  # the warning stays until the head confirms again
        province.collect(full=True)
    assert str(value_at(province, PLANS, binh.response_id, "Trạng thái")).startswith(
        EDITED_AFTER_CONFIRMATION)
