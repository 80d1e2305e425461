"""What a run costs, counted by the emulator: nothing new costs no Sheets call at all; one
new response costs one write to its unit, one to the Sở overview and one read of the unit;
a period opening or closing writes no Sheet at all (what is drawn is true whatever the day);
a Sheet drawn by an earlier version is drawn again once."""

from __future__ import annotations

from datetime import date

from functions.blueprints.unit_sheet import MISSING_TITLE_ROW
from functions.services.rendered import RenderedViews
from tests.e2e import collect_helpers as helpers
from tests.e2e.collect_helpers import (
    TODAY,
    Province,
    assert_projection,
    expected,
    shown_unit,
)

collect_snapshot = helpers.collect_snapshot  # fixture
province = helpers.province  # fixture

FORMS = 10
UNIT_WRITE = "sheets.spreadsheets.batchUpdate"


def sheets_calls(province: Province) -> dict[str, int]:
    return {m: n for m, n in province.calls().items() if m.startswith("sheets.")}


def settled(province: Province) -> None:
    """A response collected and one reconcile done (it draws each unit once after
    provisioning), then the counters reset."""
    province.submit_as("ke-hoach-nhom-2", "binhnd@sgddt-demo.edu.vn", "s1")
    province.collect(full=True)
    province.control.reset_calls()


def test_a_run_with_nothing_new_makes_no_sheets_call_at_all(province: Province) -> None:
    settled(province)
    province.collect()
    assert sheets_calls(province) == {}
    province.collect(full=True)
    assert sheets_calls(province) == {}
    assert province.calls()["forms.forms.responses.list"] == 2 * FORMS  # a page per form


def test_one_new_response_costs_one_unit_write_one_overview_write_and_one_unit_read(
        province: Province) -> None:
    settled(province)
    province.submit_as("ke-hoach-nhom-2", "tungmm@sgddt-demo.edu.vn", "n1")
    province.collect(form_keys=["ke-hoach-nhom-2"])  # as its notification starts it
    assert sheets_calls(province) == {UNIT_WRITE: 2, "sheets.spreadsheets.get": 1}
    assert province.calls()["forms.forms.responses.list"] == 1
    province.control.reset_calls()
    province.submit_as("ke-hoach-nhom-1", "tuannq@sgddt-demo.edu.vn", "n2")
    province.collect(full=True)
    assert sheets_calls(province) == {UNIT_WRITE: 2, "sheets.spreadsheets.get": 1}
    assert_projection(province)


def test_a_period_opening_or_closing_writes_no_sheet_and_heads_still_read_the_right_thing(
        province: Province) -> None:
    settled(province)  # drawn on TODAY: only the plan period open
    first_quarter = date(2025, 3, 21)  # «Quý I» opened on 20/03
    for day in (date(2025, 3, 1), first_quarter, date(2025, 4, 6), date(2025, 11, 20)):
        province.collect(full=True, today=day)
        assert sheets_calls(province) == {}, f"a unit Sheet or the Sở overview written on {day}"
    # What a head reads on any of those days is still true: the periods' dates, «Chưa nộp»,
    # and for a period not yet open when the unit was drawn, how many, not yet who.
    roster_header, overview = province.values(province.unit_sheet("SO-VP"), [
        "'Danh sách'!E1:I1", f"'Tổng quan'!A{MISSING_TITLE_ROW + 2}:A"])
    assert roster_header[0][:2] == ["Kế hoạch (mở 02/01/2025, hạn 28/02/2025)",
                                    "Quý I (mở 20/03/2025, hạn 05/04/2025)"]
    staff = len(province.staff("SO-VP"))
    assert [f"Quý I (mở 20/03/2025, hạn 05/04/2025): {staff} người chưa nộp (xem tab Danh sách)"
            ] in overview
    assert_projection(province, TODAY)

    # The unit's next write (a response) lists the names of the periods open by then.
    province.control.reset_calls()
    province.submit_as("quy-1-nhom-2", "binhnd@sgddt-demo.edu.vn", "q1")
    province.collect(form_keys=["quy-1-nhom-2"], today=first_quarter)
    assert sheets_calls(province) == {UNIT_WRITE: 2, "sheets.spreadsheets.get": 1}
    assert shown_unit(province, "SO-VP")[3] == expected(province, first_quarter).missing["SO-VP"]


def test_unit_sheets_drawn_by_an_earlier_version_are_drawn_again_once(
        province: Province) -> None:
    settled(province)
    units = [unit.code for unit in province.deployment.units if unit.active]
    views = RenderedViews(province.ws.state, province.deployment.settings.year)
    for code in units:  # as an earlier version left them: its drawing, its view keys
        province.sheets_api().spreadsheets().values().update(
            spreadsheetId=province.unit_sheet(code), range="'Danh sách'!F2",
            valueInputOption="RAW", body={"values": [["Chưa đến kỳ"]]}).execute()
        views.record(code, "drawn by version 1")
    views.save()
    province.control.reset_calls()
    province.collect(full=True)
    assert sheets_calls(province) == {UNIT_WRITE: len(units) + 1,
                                      "sheets.spreadsheets.get": len(units)}
    assert_projection(province)  # «Chưa đến kỳ» is gone
    province.control.reset_calls()
    province.collect(full=True)
    assert sheets_calls(province) == {}
