"""When a year's personal data must go, and what happens to each kind of thing it left.

A year's end is the last deadline of its plan (the «cả năm» report: after it nobody submits
and the evaluation is made). The plan in the settings is the current year's; an earlier year's
end is that date moved to its year (the plan's calendar repeats). The data is kept for
``retention_years`` after that day, the anniversary included, and goes from the day after.
The current year (and any later one) is never past its period, whatever the dates say.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from functions.domain.model import Period

ANONYMISED_KEY = "guongmauRetention"  # appProperties mark of a file already anonymised
ANONYMISED = "anonymised"
ANONYMOUS = "(đã ẩn danh)"  # what replaces a person's name in a kept report
POSTING_PREFIX = "niem-yet|"  # report keys of the units' public postings of Nhóm 1 plans
# The Sở's processing record (`data record`): its data-protection file, naming no staff member;
# it must outlive the data it describes.
PROCESSING_RECORD_KEY = "ho-so-xu-ly"


class Action(StrEnum):
    DELETE = "xóa"
    ANONYMISE = "ẩn danh"


@dataclass(frozen=True)
class Horizon:
    """One year's retention: its end, the last day its data is kept, and whether it is past."""

    year: int
    ends: date
    kept_until: date
    past: bool


@dataclass(frozen=True)
class Fate:
    action: Action
    label: str  # what the thing is, for people
    reason: str  # why it goes this way, for people


def shifted(day: date, years: int) -> date:
    """``day`` moved by ``years`` (29 February becomes 28 February in a common year).

    >>> shifted(date(2024, 2, 29), 1)
    datetime.date(2025, 2, 28)
    """
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def year_end(periods: Iterable[Period], plan_year: int, year: int) -> date:
    """The end of ``year``: the last deadline of the plan of ``plan_year``, moved to ``year``."""
    return shifted(max(period.deadline for period in periods), year - plan_year)


def horizon(periods: Iterable[Period], plan_year: int, year: int, retention_years: int,
            today: date) -> Horizon:
    """Whether ``year``'s personal data is past its retention period on ``today``."""
    ends = year_end(periods, plan_year, year)
    kept_until = shifted(ends, retention_years)
    return Horizon(year, ends, kept_until, past=year < plan_year and today > kept_until)


_STATE = Fate(Action.DELETE, "dữ liệu trạng thái",
              "sổ ghi câu trả lời đã đồng bộ, thư nhắc đã gửi, nhật ký chạy (có email, họ tên)")
_FATES = {
    "form": Fate(Action.DELETE, "biểu mẫu",
                 "xóa biểu mẫu là cách duy nhất xóa các câu trả lời của nó trên Google Forms"),
    "unit-sheet": Fate(Action.DELETE, "bảng theo dõi của đơn vị",
                       "kế hoạch, báo cáo, tự đánh giá và đánh giá của từng người"),
    "so-overview": Fate(Action.ANONYMISE, "bảng tổng hợp của Sở",
                        "giữ số liệu của đơn vị; xóa các phiếu cách ly (email, nội dung trả "
                        "lời) và danh sách quyền chia sẻ (email)"),
    "report-doc": Fate(Action.ANONYMISE, "báo cáo (Google Docs)",
                       "văn bản của Sở giữ lại với số liệu; họ tên được thay bằng "
                       f"«{ANONYMOUS}»"),
    "report-docx": Fate(Action.DELETE, "báo cáo (DOCX)",
                        "bản sao có họ tên; văn bản Google Docs đã ẩn danh được giữ"),
    "report-pdf": Fate(Action.DELETE, "báo cáo (PDF)",
                       "bản sao có họ tên; bản đã ký số nằm trong hệ thống văn bản của Sở"),
}
_POSTING = Fate(Action.DELETE, "niêm yết công khai",
                "kế hoạch có họ tên của từng người Nhóm 1; việc niêm yết đã hết mục đích")
KEPT_KINDS = frozenset({"folder", "unit-folder"})  # names of units and years: no person


def file_fate(kind: str, key: str) -> Fate | None:
    """What retention does to a file of ``kind`` (its appProperties); None: kept as it is
    (folders, and kinds this module does not know: never delete what we cannot judge)."""
    if key == PROCESSING_RECORD_KEY:
        return None
    if kind == "report-doc" and key.startswith(POSTING_PREFIX):
        return _POSTING
    return _FATES.get(kind)


def state_fate() -> Fate:
    """Every state object of a past year goes: it exists to run the year, and several of
    them name people (ledgers of response ids, reminder logs, report snapshots)."""
    return _STATE
