"""Today's date where the units work. `GUONGMAU_HOM_NAY` pins it (tests; a demo on a given day).

A function's clock is UTC, seven hours behind Vietnam's: the date is read in the deployment's
`schedule.time_zone`. Read at call time, never at import.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from functions.config.errors import ConfigError, Problem

ENV_TODAY = "GUONGMAU_HOM_NAY"
DEFAULT_ZONE = "Asia/Ho_Chi_Minh"


def local_today(time_zone: str | None = None,
                environ: Mapping[str, str] | None = None) -> date:
    """The date in `time_zone` (default Asia/Ho_Chi_Minh), unless GUONGMAU_HOM_NAY names one."""
    pinned = (os.environ if environ is None else environ).get(ENV_TODAY, "").strip()
    if pinned:
        try:
            return date.fromisoformat(pinned)
        except ValueError:
            raise ConfigError([Problem(
                f"biến môi trường {ENV_TODAY}", None, None,
                f"ngày «{pinned}» không hợp lệ; ghi theo dạng NĂM-THÁNG-NGÀY, ví dụ 2026-12-01, "
                "hoặc bỏ biến này để dùng ngày hôm nay")]) from None
    return datetime.now(ZoneInfo(time_zone or DEFAULT_ZONE)).date()


def local_now(time_zone: str | None = None) -> str:
    """The wall clock in `time_zone`, as the Sheets show it: «08:15 10/01/2025»."""
    return moment_text(datetime.now(UTC), time_zone)


def moment_text(moment: datetime | str, time_zone: str | None = None) -> str:
    """A moment as people in the units read it: «08:15 10/01/2025» in `time_zone`; an RFC 3339
    text from Google (UTC, «Z») is converted. An unreadable text is shown as it is.

    >>> moment_text("2025-01-10T01:15:02.39Z")
    '08:15 10/01/2025'
    """
    if isinstance(moment, str):
        try:
            parsed = datetime.fromisoformat(moment)
        except ValueError:
            return moment or "?"
        moment = parsed if parsed.tzinfo is not None else parsed.replace(tzinfo=UTC)
    return moment.astimezone(ZoneInfo(time_zone or DEFAULT_ZONE)).strftime("%H:%M %d/%m/%Y")
