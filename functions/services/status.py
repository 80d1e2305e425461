"""`guongmau status`: what exists for a year and what looks wrong, from the state store.

Reads only the state bucket (the registry, the reports made, each function's last success):
no Drive, Forms or Sheets call beyond the connection's who-am-I, so it is cheap to run any
time. What it flags: a form's watch expired or expiring within a day (its notifications stop;
the daily renewal has not run), a scheduled function that never succeeded or not within its
expected interval, a unit without its Sheet.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from functions.deploy.table import FUNCTIONS
from functions.services.lease import CasStore
from functions.services.registry import RegistryStore
from functions.services.run_log import last_success

SOON = timedelta(days=1)


@dataclass
class Status:
    lines: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def expected_interval(cron: str) -> timedelta:
    """How long a job on ``cron`` may go between successes before it looks stuck: two hours
    for one that runs every hour or more often, two days for a daily one, eight days when it
    runs only on some days of the week or month."""
    fields = cron.split()
    if len(fields) != 5:
        return timedelta(days=8)
    _, hour, day, _, weekday = fields
    if hour == "*" or hour.startswith("*/"):
        return timedelta(hours=2)
    if day != "*" or weekday != "*":
        return timedelta(days=8)
    return timedelta(days=2)


def _when(text: str) -> datetime | None:
    try:
        found = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except (ValueError, AttributeError):
        return None
    return found if found.tzinfo else None


def year_status(store: CasStore, year: int, schedules: dict[str, str], now: datetime,
                unit_codes: list[str]) -> Status:
    """``schedules``: entry point -> cron line of the scheduled functions."""
    status = Status()
    registry = RegistryStore(store, year, read_only=True).load()
    if registry.empty():
        status.problems.append(f"Năm {year} chưa có gì: chạy «guongmau provision» (hoặc chức "
                               "năng provision) trước.")
        return status
    _forms(status, registry.forms, now)
    _units(status, registry.units, registry.overview, unit_codes)
    made = store.read(f"years/{year}/reports_made.json").value or []
    status.lines.append("Báo cáo đã làm: " + (", ".join(map(str, made)) if made else "chưa có"))
    _jobs(status, store, year, schedules, now)
    return status


def _forms(status: Status, forms: dict[str, dict[str, Any]], now: datetime) -> None:
    status.lines.append(f"Biểu mẫu: {len(forms)}")
    for key, entry in sorted(forms.items()):
        state = "đang nhận trả lời" if entry.get("accepting") else "đóng"
        watch = entry.get("watch") or {}
        expiry = _when(str(watch.get("expireTime", "")))
        shown = expiry.strftime("%Y-%m-%d %H:%M UTC") if expiry else "không có"
        status.lines.append(f"  {key}: {state}; theo dõi đến {shown}")
        if expiry is None:
            status.problems.append(f"Biểu mẫu {key} không được theo dõi: câu trả lời chỉ vào "
                                   "bảng khi đối soát; chạy «guongmau renew-watches».")
        elif expiry <= now:
            status.problems.append(f"Theo dõi biểu mẫu {key} đã hết hạn ({shown}): chạy "
                                   "«guongmau renew-watches» và xem lịch renew_watches.")
        elif expiry - now < SOON:
            status.problems.append(f"Theo dõi biểu mẫu {key} sắp hết hạn ({shown}): lịch "
                                   "renew_watches có chạy không?")


def _units(status: Status, units: dict[str, dict[str, Any]], overview: dict[str, Any],
           unit_codes: list[str]) -> None:
    with_sheet = [code for code in unit_codes if units.get(code, {}).get("sheet")]
    status.lines.append(f"Bảng theo dõi đơn vị: {len(with_sheet)}/{len(unit_codes)}; bảng "
                        f"tổng hợp của Sở: {'có' if overview.get('id') else 'chưa có'}")
    missing = [code for code in unit_codes if code not in with_sheet]
    if missing:
        status.problems.append(f"{len(missing)} đơn vị chưa có bảng theo dõi ("
                               f"{', '.join(missing[:10])}{'…' if len(missing) > 10 else ''}): "
                               "chạy «guongmau provision».")


def _jobs(status: Status, store: CasStore, year: int, schedules: dict[str, str],
          now: datetime) -> None:
    status.lines.append("Lần chạy thành công gần nhất:")
    for function in FUNCTIONS:
        record = last_success(store, year, function.entry_point)
        when = _when(str((record or {}).get("last_success", "")))
        shown = when.strftime("%Y-%m-%d %H:%M UTC") if when else "chưa bao giờ"
        stopped = (record or {}).get("stop_reason")
        status.lines.append(f"  {function.entry_point}: {shown}"
                            + (f" (dừng sớm: {stopped})" if stopped else ""))
        cron = schedules.get(function.entry_point)
        if cron is None:
            continue
        if when is None:
            status.problems.append(f"Lịch {function.entry_point} ({cron}) chưa chạy thành công "
                                   "lần nào: xem Cloud Scheduler và nhật ký của chức năng.")
        elif now - when > expected_interval(cron):
            status.problems.append(f"Lịch {function.entry_point} ({cron}) không chạy thành công "
                                   f"từ {shown}: xem Cloud Scheduler và nhật ký của chức năng.")
