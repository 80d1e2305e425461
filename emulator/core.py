"""The emulator's shared state and the request object every handler receives."""

from __future__ import annotations

import secrets
import threading
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from werkzeug.datastructures import MultiDict

from emulator.discovery import Method
from emulator.faults import Faults
from emulator.quota import Clock, QuotaBook

DEFAULT_SERVICE_ACCOUNT = "guongmau@guongmau-emulator.iam.gserviceaccount.com"
DEFAULT_DOMAIN = "sgddt-demo.edu.vn"


@dataclass
class Config:
    service_account: str = DEFAULT_SERVICE_ACCOUNT
    domain: str = DEFAULT_DOMAIN  # the Workspace domain users of the emulated organisation share
    # Service accounts created after 2025-04-15 have no Drive storage: they cannot own files.
    service_account_has_storage: bool = False
    quotas_enabled: bool = True
    quota_window_seconds: float = 60.0  # shorter: compressed time (benchmarks)
    push_timeout: float = 10.0


@dataclass
class Raw:
    """A non-JSON answer (exported file, media download)."""

    content: bytes
    content_type: str
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)


class Emulator:
    """Everything the handlers share. Handlers run one at a time under ``lock``."""

    def __init__(self, data_dir: Path | None = None, config: Config | None = None) -> None:
        from emulator.pubsub import Pusher
        from emulator.store import Store

        self.config = config or Config()
        self.store = Store(data_dir)
        self.clock = Clock()
        self.quotas = QuotaBook(self.clock, enabled=self.config.quotas_enabled,
                                window_seconds=self.config.quota_window_seconds)
        self.faults = Faults()
        self.pusher = Pusher(self.config.push_timeout)
        self.calls: Counter[str] = Counter()
        # Derived look-up tables of the services (never persisted; each knows when it is
        # stale and is built again from the store).
        self.indexes: dict[Any, Any] = {}
        # files.list hides files younger than this (Drive listings are not read-after-write
        # consistent); set with POST /_emulator/drive-config {"listingDelaySeconds": N}.
        self.listing_delay_seconds = 0.0
        self.lock = threading.RLock()
        self.base_url = "http://127.0.0.1"  # set by the server once it has a port

    def now(self) -> datetime:
        return datetime.fromtimestamp(self.clock.now(), UTC)

    def timestamp(self) -> str:
        """RFC 3339 UTC with microseconds, as Google writes times."""
        return self.now().strftime("%Y-%m-%dT%H:%M:%S.%fZ")

    def new_id(self, length: int = 44) -> str:
        """An id shaped like Google's file ids (URL-safe, 44 characters by default)."""
        while True:
            candidate = "1" + secrets.token_urlsafe(length)[: length - 1]
            if self.store.get("files", candidate) is None:
                return candidate


@dataclass
class Call:
    """One API request, resolved and checked, as a handler sees it."""

    emulator: Emulator
    method: Method
    params: dict[str, str]
    query: MultiDict[str, str]
    body: Any
    user: str
    media: bytes | None = None
    media_type: str | None = None
    # The body as sent, nulls kept: Drive deletes an appProperties key sent as null.
    raw_body: Any = None

    @property
    def store(self) -> Any:
        return self.emulator.store

    def arg(self, name: str, default: str | None = None) -> str | None:
        return self.query.get(name, default)

    def flag(self, name: str) -> bool:
        """A boolean query parameter; gspread sends ``True``, googleapiclient ``true``."""
        return str(self.query.get(name, "")).lower() == "true"

    def int_arg(self, name: str, default: int) -> int:
        value = self.query.get(name)
        return default if value in (None, "") else int(value)
