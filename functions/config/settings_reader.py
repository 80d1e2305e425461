"""Parse guongmau.yaml (merged over forms/defaults.yaml) into `Settings`, recording problems."""

from __future__ import annotations

import re
from collections.abc import Mapping
from itertools import pairwise
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from functions.config import emails
from functions.config.errors import Problems
from functions.config.settings import (
    DATA_REGIONS,
    Agency,
    Notifications,
    Pacing,
    ResponderKind,
    Responders,
    Schedule,
    Settings,
    Storage,
)
from functions.config.yamlread import Section
from functions.domain.model import Period, PeriodKind
from functions.domain.positions import PositionRule

TOP_KEYS = {"agency", "model", "phase", "year", "theme", "privacy_notice", "retention_years",
            "periods", "storage", "pubsub_topic", "schedule", "notifications", "position_rule",
            "files", "pacing"}
_CRON = re.compile(r"^\S+( \S+){4}$")
_TOPIC = re.compile(r"^projects/[^/\s]+/topics/[^/\s]+$")
_PHASE = re.compile(r"^(\d{4})\s*-\s*(\d{4})$")
YEARS = (2000, 2100)  # as the command line's --year accepts
RETENTION_YEARS = (1, 100)  # data kept at least a year after the evaluation year ends


def merge(defaults: Mapping[str, Any], data: Mapping[str, Any]) -> dict[str, Any]:
    """`data` over `defaults`, mappings merged key by key, anything else replaced."""
    merged = dict(defaults)
    for key, value in data.items():
        if isinstance(value, Mapping) and isinstance(merged.get(key), Mapping):
            merged[key] = merge(merged[key], value)
        else:
            merged[key] = value
    return merged


def parse_settings(
    data: Mapping[str, Any], path: Path, problems: Problems, display: str | None = None
) -> Settings:
    """Settings of the file at `path` (files resolved next to it); problems name `display`."""
    root = Section(data, display or str(path), problems)
    root.unknown_keys(TOP_KEYS)
    year = root.integer("year", bounds=YEARS)
    phase = root.text("phase")
    _check_phase(root, phase, year)
    files = root.section("files")
    files.unknown_keys({"units", "roster"})
    units_file = files.text("units")
    roster_file = files.optional_text("roster")
    return Settings(
        path=path,
        agency=_agency(root.section("agency")),
        model=root.text("model"),
        phase=phase,
        year=year,
        theme=root.text("theme"),
        privacy_notice=root.text("privacy_notice"),
        retention_years=root.integer("retention_years", bounds=RETENTION_YEARS),
        periods=_periods(root.section("periods"), year),
        storage=_storage(root.section("storage")),
        pubsub_topic=_topic(root),
        schedule=_schedule(root.section("schedule")),
        notifications=_notifications(root.section("notifications")),
        position_rule=_rule(root.section("position_rule")),
        units_file=path.parent / units_file,
        roster_file=path.parent / roster_file if roster_file else None,
        pacing=_pacing(root.section("pacing")),
    )


def _agency(section: Section) -> Agency:
    section.unknown_keys({"parent", "name", "display_name", "abbreviation", "place", "province",
                          "signer", "signer_title", "contact"})
    name, place = section.text("name"), section.text("place")
    return Agency(
        parent=section.text("parent"),
        name=name,
        display_name=section.text("display_name", name),
        abbreviation=section.text("abbreviation"),
        place=place,
        signer=section.text("signer"),
        signer_title=section.text("signer_title"),
        contact=section.text("contact"),
        province=section.text("province", f"tỉnh {place}"),
    )


def _check_phase(root: Section, phase: str, year: int) -> None:
    match = _PHASE.match(phase)
    if phase and not match:
        root.problem("phase", f"«{phase}» không hợp lệ; ghi theo dạng 2023-2025")
    elif match and year and not int(match[1]) <= year <= int(match[2]):
        root.problem("year", f"năm {year} nằm ngoài giai đoạn {phase}")


def _periods(section: Section, year: int) -> tuple[Period, ...]:
    section.unknown_keys({kind.value for kind in PeriodKind})
    periods = []
    for kind in PeriodKind:
        entry = section.section(kind.value)
        entry.unknown_keys({"label", "opens", "deadline", "report"})
        opens, deadline = entry.day("opens", year, None), entry.day("deadline", year, None)
        label = entry.text("label")
        if opens is None or deadline is None:
            continue
        if deadline < opens:
            entry.problem("deadline", f"hạn nộp {deadline:%d/%m/%Y} trước ngày mở {opens:%d/%m/%Y}")
        if year and not year <= opens.year <= year + 1:
            entry.problem("opens", f"ngày mở {opens:%d/%m/%Y} không thuộc năm {year}")
        report = entry.day("report", year, None) if "report" in entry.data else None
        if report is not None and report < deadline:
            entry.problem("report", f"ngày làm báo cáo {report:%d/%m/%Y} trước hạn nộp "
                                    f"{deadline:%d/%m/%Y}")
        periods.append(Period(kind, year, label, opens, deadline, report))
    _check_order(section, periods)
    return tuple(periods)


def _check_order(section: Section, periods: list[Period]) -> None:
    """The periods follow the plan's order (PeriodKind): each opens and closes after the one
    before it, so that «quý III» cannot silently come before «6 tháng»."""
    order = ", ".join(kind.value for kind in PeriodKind)
    for before, period in pairwise(periods):
        for key, mine, theirs in (("opens", period.opens, before.opens),
                                  ("deadline", period.deadline, before.deadline)):
            if mine <= theirs:
                what = "ngày mở" if key == "opens" else "hạn nộp"
                section.problem(f"{period.id}.{key}", (
                    f"{what} {mine:%d/%m/%Y} của «{period.label}» phải sau {what} "
                    f"{theirs:%d/%m/%Y} của kỳ liền trước «{before.label}»; các kỳ theo thứ tự "
                    f"{order}"))
                break  # one line per misplaced period


def _storage(section: Section) -> Storage:
    section.unknown_keys({"shared_drive_id", "folder_id", "responders", "form_template_id",
                          "state_bucket", "so_readers", "unlisted_sharing", "data_region"})
    unlisted = section.text("unlisted_sharing", "report")
    region = section.text("data_region", "any")
    if region not in DATA_REGIONS:
        section.problem("data_region", f"«{region}» không hợp lệ; ghi «any» (không chỉ định "
                        "vùng), «us» (Hoa Kỳ) hoặc «europe» (châu Âu), như chính sách vùng dữ "
                        "liệu đặt trong Google Workspace")
    if unlisted not in ("report", "remove"):
        section.problem("unlisted_sharing", f"«{unlisted}» không hợp lệ; ghi «report» (chỉ báo) "
                        "hoặc «remove» (tự gỡ)")
    return Storage(
        shared_drive_id=section.optional_text("shared_drive_id"),
        folder_id=section.optional_text("folder_id"),
        responders=_responders(section),
        form_template_id=section.optional_text("form_template_id"),
        state_bucket=section.text("state_bucket", "guongmau-state"),
        so_readers=_optional_email(section, "so_readers"),
        remove_unlisted_sharing=unlisted == "remove",
        data_region=region,
    )


def _responders(section: Section) -> Responders:
    text = section.text("responders", "anyone")
    kind, _, rest = text.partition(":")
    rest = rest.strip().lower()
    if text == ResponderKind.ANYONE:
        return Responders(ResponderKind.ANYONE)
    if kind == ResponderKind.DOMAIN and "." in rest:
        return Responders(ResponderKind.DOMAIN, domain=rest)
    if kind == ResponderKind.GROUP and emails.is_valid(emails.normalise(rest)):
        return Responders(ResponderKind.GROUP, group=emails.normalise(rest))
    section.problem("responders", f"«{text}» không hợp lệ; ghi «domain:ten-mien.edu.vn», "
                    "«group:dia-chi-nhom@ten-mien.edu.vn» hoặc «anyone»")
    return Responders(ResponderKind.ANYONE)


def _optional_email(section: Section, key: str) -> str | None:
    value = section.optional_text(key)
    if value is None:
        return None
    value = emails.normalise(value)
    if not emails.is_valid(value):
        section.problem(key, f"địa chỉ email không hợp lệ: «{value}»")
    return value


def _topic(root: Section) -> str | None:
    topic = root.optional_text("pubsub_topic")
    if topic and not _TOPIC.match(topic):
        root.problem("pubsub_topic", f"«{topic}» không hợp lệ; ghi theo dạng "
                     "projects/<dự án>/topics/<tên>")
    return topic


def _schedule(section: Section) -> Schedule:
    lines = {}
    keys = ("provision", "reconcile", "renew_watches", "reminders", "reports", "retention")
    section.unknown_keys({"time_zone", *keys})
    for key in keys:
        lines[key] = section.text(key)
        if lines[key] and not _CRON.match(lines[key]):
            section.problem(key, f"«{lines[key]}» không phải dòng cron 5 trường")
    return Schedule(time_zone=_time_zone(section), **lines)


def _time_zone(section: Section) -> str:
    name = section.text("time_zone")
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):  # ValueError: a path-like or empty name
        if name:
            section.problem("time_zone", f"múi giờ «{name}» không có; ghi tên múi giờ IANA, ví "
                            "dụ Asia/Ho_Chi_Minh")
    return name


def _notifications(section: Section) -> Notifications:
    section.unknown_keys({"email", "reply_to", "remind_days_before", "sender", "daily_limit",
                          "smtp_server", "smtp_username"})
    reply_to = section.optional_text("reply_to")
    sender = _optional_email(section, "sender")
    limit = section.integer("daily_limit", 2000, bounds=(1, 100_000))
    if reply_to and not emails.is_valid(emails.normalise(reply_to)):
        section.problem("reply_to", f"địa chỉ email không hợp lệ: «{reply_to}»")
    days = section.texts("remind_days_before")
    if not all(day.isdigit() for day in days):
        section.problem("remind_days_before", "phải là danh sách số ngày, ví dụ [7, 2]")
        days = ()
    return Notifications(
        email=section.flag("email", True),
        reply_to=emails.normalise(reply_to) if reply_to else None,
        remind_days_before=tuple(int(day) for day in days),
        sender=sender,
        daily_limit=limit,
        smtp_server=section.optional_text("smtp_server"),
        smtp_username=section.optional_text("smtp_username"),
    )


def _rule(section: Section) -> PositionRule:
    section.unknown_keys({"group_1", "not_group_1"})
    group_one = section.texts("group_1")
    if not group_one:
        section.problem("group_1", "danh sách chức vụ Nhóm 1 trống")
    return PositionRule(group_one, section.texts("not_group_1"))


PACED_BUCKETS = {"sheets": ("read", "write"), "forms": ("read", "expensive", "write"),
                 "docs": ("read", "write"), "drive": ("read", "write", "sharing")}


def _pacing(section: Section) -> Pacing:
    """``window_seconds`` (default 60), ``limits: {"sheets.write": [300, 60]}`` (per project,
    per user, per window) and ``enabled`` (default true)."""
    section.unknown_keys({"window_seconds", "limits", "enabled"})
    window = section.data.get("window_seconds", 60)
    if isinstance(window, bool) or not isinstance(window, int | float) or window <= 0:
        section.problem("window_seconds", "phải là một số giây lớn hơn 0")
        window = 60
    limits = section.section("limits")
    parsed = []
    for key, value in limits.data.items():
        api, _, bucket = str(key).partition(".")
        if bucket not in PACED_BUCKETS.get(api, ()):
            limits.problem(str(key), "hạn mức không có; dùng dạng «sheets.write», «forms.read», "
                                     "«drive.sharing»...")
        elif (not isinstance(value, list) or len(value) != 2
              or not all(isinstance(n, int) and not isinstance(n, bool) and n > 0
                         for n in value)):
            limits.problem(str(key), "phải là [số lượt cho dự án, số lượt cho một người dùng], "
                                     "ví dụ [300, 60]")
        else:
            parsed.append((api, bucket, int(value[0]), int(value[1])))
    return Pacing(float(window), tuple(parsed), section.flag("enabled", True))
