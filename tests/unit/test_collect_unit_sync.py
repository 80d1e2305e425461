"""The pure pieces of collection: a unit Sheet's one write (unit_sync.plan), a response's row
cells (response_cells) and Forms responses read as domain responses (form_responses)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

from functions.blueprints.cells import CELL_LIMIT
from functions.blueprints.layout import PLANS_ID, UnitLayout, load_unit_layout
from functions.blueprints.response_cells import row_values
from functions.blueprints.unit_status import UnitStatus, missing_lists, roster_header
from functions.domain.forms import FormSpec
from functions.domain.model import Group, Period, PeriodKind, Response, Staff, Unit
from functions.domain.routing import RouteSource, Routing
from functions.services.form_responses import format_time, parse_time, to_response
from functions.services.rendered import view_key
from functions.services.unit_sync import Change, TabState, UnitPlan, plan

LAYOUT = load_unit_layout(7)
UNIT = Unit("U1", "Trường Một")
BINH = Staff("Ngô Đức Bình", "binh@x.vn", "Chuyên viên", "U1", Group.TWO)
PERIODS = (Period(PeriodKind.PLAN, 2025, "Kế hoạch", date(2025, 1, 2), date(2025, 2, 28)),
           Period(PeriodKind.Q1, 2025, "Quý I", date(2025, 3, 20), date(2025, 4, 5)))
T0 = datetime(2025, 1, 10, 1, 0, tzinfo=UTC)
TODAY = date(2025, 1, 20)


def change(response_id: str, minutes: int = 0, email: str = "binh@x.vn",
           **answers: str) -> Change:
    moment = T0 + timedelta(minutes=minutes)
    response = Response(response_id, "ke-hoach-nhom-2", PeriodKind.PLAN, Group.TWO, email,
                        T0, moment, {"ho_ten": "Bình", "tc1_noi_dung": "đọc sách", **answers})
    return Change(response, Routing("U1", Group.TWO, RouteSource.ROSTER, staff=BINH),
                  format_time(moment))


def empty_tabs(layout: UnitLayout = LAYOUT) -> dict[int, TabState]:
    return {tab.sheet_id: TabState(tab, 1000) for tab in layout.tabs}


def shown(tabs: dict[int, TabState], *changes: Change, confirmed: bool = False) -> None:
    """Puts rows in the plans tab as a previous sync would have left them."""
    state = tabs[PLANS_ID]
    for one in changes:
        values, _ = row_values(LAYOUT, state.tab, one.response, one.routing, one.version,
                               "Hiệu lực", 2)
        state.rows.append(values[: state.tab.column_of("status") + 1])
        state.confirmed.append(confirmed)


def run_plan(tabs: dict[int, TabState], *changes: Change, **extra: Any) -> UnitPlan:
    return plan(LAYOUT, UNIT, (BINH,), PERIODS, tabs, 1, [], list(changes), TODAY,
                "08:00 20/01/2025", **extra)


def cell_writes(unit_plan: UnitPlan, sheet_id: int = PLANS_ID) -> list[dict[str, Any]]:
    return [r["updateCells"] for r in unit_plan.requests
            if "updateCells" in r
            and r["updateCells"].get("start", {}).get("sheetId") == sheet_id]


def strings(write: dict[str, Any]) -> list[object]:
    return [next(iter(c.get("userEnteredValue", {"": None}).values()))
            for c in write["rows"][0]["values"]]


def test_a_new_response_is_written_below_the_header_and_counts_as_the_latest() -> None:
    unit_plan = run_plan(empty_tabs(), change("r1"))
    (row,) = [w for w in cell_writes(unit_plan) if w["start"]["columnIndex"] == 0]
    assert row["start"]["rowIndex"] == 1
    values = strings(row)
    assert values[0] == "r1" and "Hiệu lực" in values
    assert unit_plan.status.has_submitted(BINH, PERIODS[0])


def test_a_response_already_shown_at_its_version_plans_no_write() -> None:
    tabs = empty_tabs()
    shown(tabs, change("r1"))
    assert run_plan(tabs, change("r1")).requests == []


def test_a_second_submission_marks_the_earlier_row_replaced() -> None:
    tabs = empty_tabs()
    shown(tabs, change("r1"))
    unit_plan = run_plan(tabs, change("r2", minutes=5))
    status_col = tabs[PLANS_ID].tab.column_of("status")
    status_writes = {w["start"]["rowIndex"]: strings(w)[0] for w in cell_writes(unit_plan)
                     if w["start"]["columnIndex"] == status_col}
    assert status_writes == {1: "Đã thay thế (có bản gửi sau)"}


def test_an_edited_confirmed_plan_clears_its_confirmation_and_names_the_confirmed_time() -> None:
    tabs = empty_tabs()
    shown(tabs, change("r1"), confirmed=True)
    unit_plan = run_plan(tabs, change("r1", minutes=30, tc1_noi_dung="sửa"))
    confirm = tabs[PLANS_ID].tab.person_column("confirmed")
    writes = cell_writes(unit_plan)
    assert [strings(w) for w in writes if w["start"]["columnIndex"] == confirm] == [[False]]
    row = next(w for w in writes if w["start"]["columnIndex"] == 0)
    assert "Đã sửa sau xác nhận (bản đã xác nhận gửi lúc 10/01/2025 08:00:00)" in strings(row)


def test_a_sync_writes_no_other_column_people_type_into() -> None:
    tabs = empty_tabs()
    shown(tabs, change("r1"))
    unit_plan = run_plan(tabs, change("r1", minutes=1), change("r2", minutes=2))
    for sheet_id in (tab.sheet_id for tab in LAYOUT.tabs):
        tab = next(t for t in LAYOUT.tabs if t.sheet_id == sheet_id)
        for write in cell_writes(unit_plan, sheet_id):
            last = write["start"]["columnIndex"] + len(write["rows"][0]["values"])
            assert last <= tab.machine_width, f"{tab.title}: {write['start']}"


def test_rows_moving_to_another_unit_are_deleted_last_bottom_row_first() -> None:
    tabs = empty_tabs()
    shown(tabs, change("r1"), change("r2", email="an@x.vn"), change("r3", email="lan@x.vn"))
    unit_plan = run_plan(tabs, removals={"r1", "r3"})
    deletions = [r["deleteDimension"]["range"]["startIndex"] for r in unit_plan.requests
                 if "deleteDimension" in r]
    assert deletions == [3, 1]
    assert list(unit_plan.requests[-2:]) == [r for r in unit_plan.requests
                                             if "deleteDimension" in r]
    assert not unit_plan.status.has_submitted(BINH, PERIODS[0]), "r1 no longer counts here"


def test_a_redraw_without_changes_rewrites_the_status_parts_only() -> None:
    tabs = empty_tabs()
    shown(tabs, change("r1"))
    unit_plan = run_plan(tabs, render=True)
    assert unit_plan.requests and cell_writes(unit_plan) == []


def test_an_answer_longer_than_a_cell_continues_in_the_overflow_tab_whole() -> None:
    text = "".join(f"{n:07d}" for n in range(120_000 // 7))
    tab = LAYOUT.tab_of(PeriodKind.PLAN)
    one = change("r1", ho_ten=text)
    values, pieces = row_values(LAYOUT, tab, one.response, one.routing, one.version,
                                "Hiệu lực", 7)
    name = values[tab.column_of("name")]
    assert isinstance(name, str) and len(name) <= CELL_LIMIT
    head, mark, _ = name.rpartition("… (phần tiếp theo ở tab «Nội dung dài», dòng 7)")
    assert mark and head + "".join(p.text for p in pieces) == text
    assert [p.part for p in pieces] == [2, 3]


def test_forms_answers_are_keyed_by_our_question_keys_and_emails_lowercased() -> None:
    spec = FormSpec("ke-hoach-nhom-2", "ke-hoach", PeriodKind.PLAN, Group.TWO, "Kế hoạch", "",
                    ())
    raw = {"responseId": "r1", "createTime": "2025-01-10T01:00:00.123Z",
           "lastSubmittedTime": "2025-01-10T01:05:00.123456789Z",
           "respondentEmail": " Binh@X.vn ",
           "answers": {"q1": {"textAnswers": {"answers": [{"value": "Bình"}]}},
                       "q2": {"textAnswers": {"answers": [{"value": "a"}, {"value": "b"}]}},
                       "qx": {"textAnswers": {"answers": [{"value": "not ours"}]}}}}
    response = to_response(raw, spec, {"q1": "ho_ten", "q2": "nhieu"}, 2025)
    assert response.answers == {"ho_ten": "Bình", "nhieu": ("a", "b")}
    assert response.respondent_email == "binh@x.vn"
    assert response.last_submitted == parse_time("2025-01-10T01:05:00.123456Z")
    assert format_time(response.last_submitted) == "2025-01-10T01:05:00.123456Z"


def test_a_tab_finds_rows_added_after_a_look_up_and_forgets_deleted_ones() -> None:
    state = empty_tabs()[PLANS_ID]
    assert state.index_of("r1") is None
    shown({PLANS_ID: state}, change("r1"), change("r2", email="an@x.vn"))
    assert (state.index_of("r1"), state.index_of("r2")) == (0, 1)
    state.blank(0)
    assert (state.index_of("r1"), state.index_of("r2")) == (None, 1)


def test_roster_counts_and_missing_lists_agree_on_who_has_submitted() -> None:
    lan = Staff("Lê Lan", "lan@x.vn", "Hiệu trưởng", "U1", Group.ONE, other_emails=("l@y.vn",))
    an = Staff("Vũ An", "an@x.vn", "Giáo viên", "U1", Group.TWO)
    unit_plan = plan(LAYOUT, UNIT, (BINH, lan, an), PERIODS, empty_tabs(), 0, [],
                     [change("r1"), change("r2", email="l@y.vn")], TODAY, "08:00 20/01/2025")
    status = unit_plan.status
    assert status.counts(PERIODS[0]) == (1, 1, 1, 2) and status.rate(PERIODS[0]) == 66.7
    assert status.statuses(PERIODS[0], LAYOUT) == ["Đã nộp", "Đã nộp", "Chưa nộp"]
    assert status.statuses(PERIODS[1], LAYOUT) == ["Chưa nộp"] * 3  # not open: true still
    assert status.missing(PERIODS[0]) == [an]


def _lines(rows: list[list[object]]) -> list[str]:
    return [str(row[0]["userEnteredValue"]["stringValue"] if isinstance(row[0], dict) else row[0])
            for row in rows if row[0] is not None]


def test_what_a_head_reads_stays_true_on_any_day_a_period_not_open_when_drawn_is_counted() -> None:
    status = UnitStatus(UNIT, (BINH,), PERIODS, {}, TODAY)  # drawn before «Quý I» opens
    assert _lines(missing_lists(LAYOUT, status)) == [
        "Kế hoạch (mở 02/01/2025, hạn 28/02/2025): 1 người chưa nộp",
        "Ngô Đức Bình (binh@x.vn)",
        "Quý I (mở 20/03/2025, hạn 05/04/2025): 1 người chưa nộp (xem tab Danh sách)"]
    assert roster_header(LAYOUT, PERIODS[1]) == "Quý I (mở 20/03/2025, hạn 05/04/2025)"
    drawn_later = UnitStatus(UNIT, (BINH,), PERIODS, {PeriodKind.PLAN: {"binh@x.vn"}},
                             date(2025, 3, 20))
    assert _lines(missing_lists(LAYOUT, drawn_later)) == [
        "Kế hoạch (mở 02/01/2025, hạn 28/02/2025): mọi người đã nộp",
        "Quý I (mở 20/03/2025, hạn 05/04/2025): 1 người chưa nộp",
        "Ngô Đức Bình (binh@x.vn)"]


def test_a_unit_is_drawn_again_when_its_periods_dates_change() -> None:
    key = view_key(UNIT, (BINH,), PERIODS)
    moved = (PERIODS[0], Period(PeriodKind.Q1, 2025, "Quý I", date(2025, 3, 25),
                                date(2025, 4, 5)))
    assert view_key(UNIT, (BINH,), moved) != key
    assert view_key(UNIT, (BINH,), PERIODS) == key
