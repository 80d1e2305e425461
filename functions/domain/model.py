"""The plan's vocabulary: groups, criteria, periods, units, staff and responses (pure data)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from enum import IntEnum, StrEnum


class Group(IntEnum):
    """Who does what (plan II.1): Nhóm 1 sets the example, Nhóm 2 follows it."""

    ONE = 1  # "Làm gương mẫu mực": leaders
    TWO = 2  # "Tích cực làm theo": everyone else

    @property
    def label(self) -> str:
        return f"Nhóm {self._value_}"  # not .value, a slower descriptor: asked once per row

    @property
    def other(self) -> Group:
        return Group.TWO if self is Group.ONE else Group.ONE


class PeriodKind(StrEnum):
    """The reporting periods of plan II.3.4; the values are the ids used on the command line."""

    PLAN = "ke-hoach"
    Q1 = "quy-1"
    HALF_YEAR = "6-thang"
    Q3 = "quy-3"
    YEAR = "ca-nam"

    @property
    def is_report(self) -> bool:
        return self is not PeriodKind.PLAN


@dataclass(frozen=True)
class Criterion:
    number: int
    title: str  # short, fit for a form question
    text: str  # the official wording of the annex


@dataclass(frozen=True)
class Framework:
    """One annex of the plan: the criteria of a group."""

    group: Group
    content: str  # "Làm gương mẫu mực" / "Tích cực làm theo"
    annex: str  # "Phụ lục 1"
    title: str  # "Khung tiêu chí nội dung “Làm gương mẫu mực”"
    members: str  # who belongs to the group, as the plan says it
    note: str  # extra wording for this group's forms (e.g. the public posting of Nhóm 1 plans)
    criteria: tuple[Criterion, ...]

    def criterion(self, number: int) -> Criterion:
        for criterion in self.criteria:
            if criterion.number == number:
                return criterion
        raise KeyError(number)


@dataclass(frozen=True)
class Period:
    kind: PeriodKind
    year: int
    label: str  # "Báo cáo quý I"
    opens: date
    deadline: date
    report: date | None = None  # the day the reports are made (settings); None: the default

    @property
    def id(self) -> str:
        return self.kind.value

    @property
    def report_day(self) -> date:
        """When the scheduled reports of the period are made: the day after its deadline
        unless the settings name another."""
        return self.report or self.deadline + timedelta(days=1)


@dataclass(frozen=True)
class Unit:
    """A đơn vị or trường học. The code is its identity; the name may change between years."""

    code: str
    name: str
    kind: str = ""  # "Loại đơn vị": phòng thuộc Sở, trường THPT, trung tâm...
    head_emails: tuple[str, ...] = ()
    reader_emails: tuple[str, ...] = ()
    active: bool = True

    @property
    def choice_label(self) -> str:
        """How the unit appears in the forms' "Đơn vị" list."""
        return f"{self.name} ({self.code})"


@dataclass(frozen=True)
class Staff:
    name: str
    email: str
    position: str
    unit_code: str
    group: Group
    group_explicit: bool = False  # True when the roster's "Nhóm" column set the group
    other_emails: tuple[str, ...] = ()

    @property
    def emails(self) -> tuple[str, ...]:
        return (self.email, *self.other_emails)


Answer = str | tuple[str, ...]


@dataclass(frozen=True)
class Response:
    """One form response, its answers keyed by our question keys (not Google's ids)."""

    response_id: str
    form_key: str
    period: PeriodKind
    group: Group  # the group whose form was filled
    respondent_email: str | None
    created: datetime
    last_submitted: datetime
    answers: Mapping[str, Answer] = field(default_factory=dict)
    year: int | None = None

    def text(self, key: str) -> str:
        """The answer as one string ("" when unanswered)."""
        value = self.answers.get(key, "")
        return value if isinstance(value, str) else "; ".join(value)
