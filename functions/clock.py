"""Today's date where the units work. `GUONGMAU_HOM_NAY` pins it (tests; a demo on a given day).

A function's clock is UTC, seven hours behind Vietnam's: the date is read in the deployment's
`schedule.time_zone`. Read at call time, never at import.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from datetime import date, datetime
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


def local_now(time_zone: str | None = None) -> datetime:
    """The wall clock in `time_zone`: what a person in the units reads on their watch."""
    return datetime.now(ZoneInfo(time_zone or DEFAULT_ZONE))
