"""When a year's personal data is past its retention period, and what becomes of each file."""

from __future__ import annotations

from datetime import date

from functions.domain.model import Period, PeriodKind
from functions.domain.retention import Action, file_fate, horizon, year_end

PLAN_YEAR = 2031
PERIODS = (
    Period(PeriodKind.PLAN, PLAN_YEAR, "Đăng ký", date(2031, 1, 5), date(2031, 1, 31)),
    Period(PeriodKind.YEAR, PLAN_YEAR, "Cả năm", date(2031, 11, 20), date(2031, 12, 10)),
)


def _action(kind: str, key: str) -> Action | None:
    fate = file_fate(kind, key)
    return fate.action if fate else None


def test_a_past_year_ends_on_the_plans_last_deadline_moved_to_that_year() -> None:
    assert year_end(PERIODS, PLAN_YEAR, 2025) == date(2025, 12, 10)


def test_data_is_kept_through_the_anniversary_and_goes_the_day_after() -> None:
    assert not horizon(PERIODS, PLAN_YEAR, 2025, 5, date(2030, 12, 10)).past
    found = horizon(PERIODS, PLAN_YEAR, 2025, 5, date(2030, 12, 11))
    assert found.past and found.kept_until == date(2030, 12, 10)


def test_the_current_year_and_later_ones_are_never_past_whatever_the_dates() -> None:
    far = date(2200, 1, 1)
    assert not horizon(PERIODS, PLAN_YEAR, PLAN_YEAR, 1, far).past
    assert not horizon(PERIODS, PLAN_YEAR, PLAN_YEAR + 1, 1, far).past


def test_a_deadline_on_29_february_moves_to_28_february_in_a_common_year() -> None:
    leap = (Period(PeriodKind.YEAR, 2028, "Cả năm", date(2028, 2, 1), date(2028, 2, 29)),)
    assert year_end(leap, 2028, 2027) == date(2027, 2, 28)
    assert horizon(leap, 2028, 2024, 1, date(2025, 3, 1)).kept_until == date(2025, 2, 28)


def test_forms_and_sheets_are_deleted_reports_anonymised_postings_deleted_folders_kept() -> None:
    assert _action("form", "ke-hoach-nhom-1") is Action.DELETE
    assert _action("unit-sheet", "SO-VP") is Action.DELETE
    assert _action("report-doc", "so|ca-nam") is Action.ANONYMISE
    assert _action("report-doc", "niem-yet|SO-VP") is Action.DELETE
    assert _action("so-overview", "") is Action.ANONYMISE
    assert _action("folder", "year") is None
    assert _action("a-kind-added-later", "") is None  # never delete what cannot be judged


def test_the_processing_record_outlives_the_data_it_describes() -> None:
    for kind in ("report-doc", "report-docx", "report-pdf"):
        assert _action(kind, "ho-so-xu-ly") is None
