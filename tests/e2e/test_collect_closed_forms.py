"""The reconcile's fixed cost does not grow with the year: a form closed at its last complete
pass is not listed again (a small read of its publish state instead), unless the roster changed
where its responses go, or the form was opened again (by provisioning or by hand)."""

from __future__ import annotations

from datetime import date

from functions.services.provision import provision
from tests.e2e import collect_helpers as helpers
from tests.e2e.collect_helpers import TODAY, Province, assert_projection
from tests.e2e.test_collect_routing import STRANGER, add_to_roster, quarantine, retire

collect_snapshot = helpers.collect_snapshot  # fixture
province = helpers.province  # fixture

START = TODAY  # the plan period is open, every report period still closed
YEAR_END = date(2025, 12, 20)  # every period over: every form closed
LIST = "forms.forms.responses.list"
STATE = "forms.forms.get"  # the publish state of a form recorded closed


def settle(province: Province, today: date) -> dict[str, int]:
    """Provisioning opens and closes the forms as of ``today``, a reconcile collects; then
    the calls of one idle reconcile."""
    provision(province.deployment, province.ws, today)
    assert province.collect(full=True, today=today).complete
    province.control.reset_calls()
    assert province.collect(full=True, today=today).complete
    return province.calls()


def test_an_idle_reconcile_at_year_end_costs_no_more_calls_than_one_at_the_start_of_the_year(
        province: Province) -> None:
    for key in province.registry["forms"]:  # a response in every form, while all are open
        group = 1 if key.endswith("nhom-1") else 2
        province.submit_as(key, "tuannq@sgddt-demo.edu.vn" if group == 1
                           else "binhnd@sgddt-demo.edu.vn", key)
    start = settle(province, START)
    late = province.submit_as("ke-hoach-nhom-2", "tungmm@sgddt-demo.edu.vn", "late")
    end = settle(province, YEAR_END)

    assert start[LIST] == 2 and start[STATE] == 8, start  # the plan forms are open
    assert LIST not in end and end[STATE] == 10, end
    assert not [m for m in (*start, *end) if m.startswith("sheets.")], (start, end)
    assert sum(end.values()) <= sum(start.values()), (start, end)
    plans = helpers.shown_unit(province, "SO-GDPT")[0]["Kế hoạch"]
    assert late.response_id in {row["Mã phản hồi"] for row in plans}


def test_a_roster_change_after_closing_releases_a_quarantined_response_of_a_closed_form(
        province: Province) -> None:
    retire(province, "GDNN-GDTX-ST")  # the unit still listed on the form no longer exists
    guest = province.submit_as("quy-1-nhom-2", STRANGER, "q1", unit_code="GDNN-GDTX-ST")
    idle = settle(province, START)  # «Quý I» closes with the response held
    assert idle[LIST] == 2, idle  # only the plan forms are listed
    assert set(quarantine(province)) == {guest.response_id}

    add_to_roster(province, row={"Họ và tên": "Khách Mới", "Email": STRANGER,
                                 "Chức vụ": "Giáo viên", "Mã đơn vị": "THPT-CVA"})
    province.control.reset_calls()
    assert province.collect(full=True, today=START).complete
    assert province.calls()[LIST] == 10  # the directory changed: every form listed again
    assert quarantine(province) == {}
    assert_projection(province, START)
    province.control.reset_calls()
    province.collect(full=True, today=START)
    assert province.calls()[LIST] == 2


def test_a_closed_form_opened_again_by_provisioning_or_by_hand_is_listed_again(
        province: Province) -> None:
    settle(province, START)
    by_hand = province.form_id("quy-1-nhom-2")
    province.ws.forms.publish(by_hand, accepting=True)  # someone reopens it in Google Forms
    late = province.submit_as("quy-1-nhom-2", "binhnd@sgddt-demo.edu.vn", "late")
    province.control.reset_calls()
    province.collect(full=True, today=START)  # (its notification was lost)
    assert province.calls()[LIST] == 3
    assert late.response_id in province.responses
    assert_projection(province, START)
    province.ws.forms.publish(by_hand, accepting=False)

    # Opened and closed again by provisioning between two reconciles (the period's dates
    # changed and changed back), a response arriving meanwhile, its notification lost.
    provision(province.deployment, province.ws, date(2025, 3, 25))
    reopened = province.submit_as("quy-1-nhom-1", "tuannq@sgddt-demo.edu.vn", "reopened")
    provision(province.deployment, province.ws, START)
    province.control.reset_calls()
    province.collect(full=True, today=START)
    assert province.calls()[LIST] >= 3, "the forms closed again are listed"
    assert reopened.response_id in province.responses
    assert_projection(province, START)
