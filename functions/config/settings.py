"""The deployment's settings file (guongmau.yaml), read once into frozen dataclasses."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from functions.domain.model import Period
from functions.domain.positions import PositionRule


@dataclass(frozen=True)
class Agency:
    """The Sở, as the header and signature of its documents name it."""

    parent: str  # cơ quan chủ quản: "ỦY BAN NHÂN DÂN TỈNH MINH SƠN"
    name: str  # cơ quan: "SỞ GIÁO DỤC VÀ ĐÀO TẠO"
    display_name: str  # in running text: "Sở Giáo dục và Đào tạo tỉnh Minh Sơn"
    abbreviation: str  # ký hiệu: "SGDĐT"
    place: str  # địa danh: "Minh Sơn"
    signer: str  # người ký
    signer_title: str  # chức vụ người ký: "GIÁM ĐỐC"
    contact: str  # who to ask about personal data: an email or phone number
    province: str = ""  # in running text: "tỉnh Minh Sơn" (the {tinh} of the criteria texts)


class ResponderKind(StrEnum):
    DOMAIN = "domain"
    GROUP = "group"
    ANYONE = "anyone"


@dataclass(frozen=True)
class Responders:
    """Who may open the forms: everyone in a Workspace domain (unverified on Google: see
    README), the members of a Google Group, or anyone with the link."""

    kind: ResponderKind
    domain: str | None = None
    group: str | None = None  # the group's address (kind GROUP)


@dataclass(frozen=True)
class Storage:
    shared_drive_id: str | None
    folder_id: str | None
    responders: Responders
    form_template_id: str | None = None  # a form made once by hand (see README); None: emulator
    state_bucket: str = "guongmau-state"  # Cloud Storage bucket: sync state and the lease
    so_readers: str | None = None  # a Google Group of the Sở's readers: one grant sees everything
    remove_unlisted_sharing: bool = False  # unit Sheets' grants the settings lack: removed, or
    # (default) only reported
    data_region: str = "any"  # the Workspace data regions policy the Sở set (DATA_REGIONS)


# Google Workspace's data regions policy: no preference, United States or Europe (Admin console;
# the record states what the settings say, the policy itself is set by the Workspace admin).
DATA_REGIONS = ("any", "us", "europe")


@dataclass(frozen=True)
class Schedule:
    """Cron lines (Cloud Scheduler syntax) in `time_zone`."""

    time_zone: str
    reconcile: str
    renew_watches: str
    reminders: str
    reports: str
    provision: str = "0 1 * * *"  # daily: opens and closes forms by the periods' dates
    retention: str = "0 3 * * 0"  # weekly (status expects a success within 8 days); cheap
    # when nothing is due: a few listings


@dataclass(frozen=True)
class Notifications:
    email: bool
    reply_to: str | None
    remind_days_before: tuple[int, ...]
    sender: str | None = None  # the Sở mailbox reminders are sent as; None: no reminders
    # Mails a run may send: a Workspace mailbox sends about 2 000 a day
    # (support.google.com/a/answer/166852).
    daily_limit: int = 2000
    # A Sở without delegation sends through its own mail server (host:port); None: Gmail API.
    smtp_server: str | None = None
    smtp_username: str | None = None

    @property
    def reminders_on(self) -> bool:
        return self.email and self.sender is not None


@dataclass(frozen=True)
class Pacing:
    """The quota limiter: its window, and limits overriding Google's published figures
    (``adapters/pacing.py``). A shorter window compresses time (benchmarks)."""

    window_seconds: float = 60.0
    limits: tuple[tuple[str, str, int, int], ...] = ()  # (api, bucket, per project, per user)
    enabled: bool = True


@dataclass(frozen=True)
class Settings:
    path: Path  # the settings file itself
    agency: Agency
    model: str  # "Trên làm gương mẫu mực, dưới tích cực làm theo"
    phase: str  # "2023-2025"
    year: int
    theme: str  # chuyên đề of the year
    privacy_notice: str  # a template: may use the same placeholders as forms/
    retention_years: int
    periods: tuple[Period, ...]
    storage: Storage
    pubsub_topic: str | None
    schedule: Schedule
    notifications: Notifications
    position_rule: PositionRule
    units_file: Path
    roster_file: Path | None
    pacing: Pacing = Pacing()

    def period(self, period_id: str) -> Period:
        for period in self.periods:
            if period.id == period_id:
                return period
        raise KeyError(period_id)
