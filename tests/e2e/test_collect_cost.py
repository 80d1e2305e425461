"""What a run costs, counted by the emulator: nothing new costs no Sheets call at all; one
new response costs one write to its unit, one to the Sở overview and one read of the unit;
the reconcile redraws a unit without news only when a period opens or the roster changes."""

from __future__ import annotations

from datetime import date

from tests.e2e import collect_helpers as helpers
from tests.e2e.collect_helpers import TODAY, Province, assert_projection

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


def test_the_reconcile_redraws_units_without_news_only_when_a_period_opens(
        province: Province) -> None:
    settled(province)
    province.collect(full=True, today=date(2025, 2, 1))
    assert sheets_calls(province) == {}, "no period opened since the last drawing"
    first_quarter = date(2025, 3, 21)  # «Quý I» opened on 20/03
    province.collect(full=True, today=first_quarter)
    units = sum(1 for unit in province.deployment.units if unit.active)
    assert sheets_calls(province) == {UNIT_WRITE: units + 1, "sheets.spreadsheets.get": units}
    assert_projection(province, first_quarter)  # «Chưa nộp» and the missing lists for Quý I
    province.control.reset_calls()
    province.collect(full=True, today=date(2025, 3, 22))
    assert sheets_calls(province) == {}
    assert first_quarter > TODAY
