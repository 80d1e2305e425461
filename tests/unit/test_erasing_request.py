"""How an erasure rewrites one response row (pure): the person's identity and texts go, the
cells the reports count stay, and each cell is found by the header the Sheet shows."""

from __future__ import annotations

from typing import Any

from functions.blueprints.layout import load_unit_layout
from functions.services.erasure import erasing_request
from functions.services.personal_data import RESPONSE, Found

LAYOUT = load_unit_layout(7)
PLANS = LAYOUT.tabs[0]
TOKEN = "Đã xóa 1a2b3c4d"


def shown(headers: list[str], request: dict[str, Any]) -> dict[str, Any]:
    cells = request["updateCells"]["rows"][0]["values"]
    return {header: next(iter(cell.get("userEnteredValue", {}).values()), None)
            for header, cell in zip(headers, cells, strict=True)}


def row_of(headers: list[str]) -> tuple[Any, ...]:
    filled = {"Mã phản hồi": "r-1", "Phiên bản": "2025-01-10T08:00:00.000000Z",
              "Thời điểm gửi": "15:00 10/01/2025", "Họ và tên": "Đào Phương Nhung",
              "Email": "nhungdp@sgddt-demo.edu.vn", "Chức vụ": "Giáo viên", "Nhóm": "Nhóm 2",
              "Trạng thái": "Hiệu lực", "Tiêu chí 1": "Nội dung: riêng", "Cam kết": "Có",
              "Lưu ý": "", "Xác nhận": True, "Ghi chú": "ghi chú của thủ trưởng"}
    return tuple(filled.get(header, "") for header in headers)


def test_a_response_row_keeps_what_reports_count_and_loses_who_and_what_was_written() -> None:
    headers = [column.header for column in PLANS.columns]
    found = Found(RESPONSE, "s", "THPT-LQD", PLANS.title, PLANS.sheet_id, 4, tuple(headers),
                  row_of(headers))
    request = erasing_request(LAYOUT, found, TOKEN)
    assert request["updateCells"]["start"] == {"sheetId": PLANS.sheet_id, "rowIndex": 4,
                                               "columnIndex": 0}
    after = shown(headers, request)
    assert after["Mã phản hồi"] == after["Email"] == TOKEN
    assert after["Họ và tên"] == "(đã xóa theo yêu cầu)"
    assert (after["Nhóm"], after["Trạng thái"], after["Xác nhận"]) == ("Nhóm 2", "Hiệu lực", True)
    assert after["Thời điểm gửi"] == "15:00 10/01/2025"
    for gone in ("Chức vụ", "Tiêu chí 1", "Cam kết", "Ghi chú"):
        assert after[gone] is None, gone


def test_a_sheet_lacking_a_layout_column_keeps_the_heads_cells_in_their_place() -> None:
    headers = [column.header for column in PLANS.columns if column.header != "Cam kết"]
    found = Found(RESPONSE, "s", "THPT-LQD", PLANS.title, PLANS.sheet_id, 4, tuple(headers),
                  row_of(headers))
    after = shown(headers, erasing_request(LAYOUT, found, TOKEN))
    assert after["Xác nhận"] is True and after["Ghi chú"] is None
    assert len(after) == len(headers)  # nothing written past the Sheet's own columns
