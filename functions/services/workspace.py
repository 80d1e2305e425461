"""The ports a service needs, wired once from the client factory (real or emulator)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from functions.adapters.clients import Clients
from functions.adapters.drive import Drive
from functions.adapters.errors import GoogleApiError, NotConnected, TransportError
from functions.adapters.forms import Forms
from functions.adapters.pacing import Limiter, limits_with
from functions.adapters.retry import Gate, RetryPolicy
from functions.adapters.sheets import Sheets
from functions.adapters.storage import ObjectStore
from functions.config.settings import Pacing, Settings
from functions.progress import no_progress

Report = Callable[[str], None]
Progress = Callable[[str, int, int], None]  # (label, done, total): see functions/progress.py


def quiet(_: str) -> None:
    """A reporter that says nothing (tests, functions)."""


@dataclass
class Workspace:
    drive: Drive
    forms: Forms
    sheets: Sheets
    state: ObjectStore
    service_account: str  # the identity whose writes the protected ranges allow
    report: Report = quiet
    progress: Progress = no_progress
    gate: Gate = field(default_factory=Gate)  # the pacing and retries every port goes through


def service_account_of(clients: Clients, gate: Gate | None = None) -> str:
    """The email of the identity the clients act as (Drive's about.get), paced by ``gate``'s
    limiter when given."""
    # A few quick retries only: an unreachable address should fail fast as NotConnected.
    first_contact = Gate(RetryPolicy(retries=2, backoff_seconds=0.5),
                         pacer=gate.pacer if gate else None)
    about: dict[str, Any] = first_contact.execute(
        "drive", clients.service("drive").about().get(fields="user"))
    return str(about["user"]["emailAddress"]).lower()


def connect(clients: Clients, settings: Settings, report: Report = quiet,
            gate: Gate | None = None, progress: Progress = no_progress) -> Workspace:
    """The ports of one identity; every call they make passes the same ``gate``. Raises
    NotConnected when the first call (who am I?) cannot be made."""
    target = clients.target.emulator_url
    gate = gate or Gate(pacer=limiter_for(settings.pacing))
    try:
        service_account = service_account_of(clients, gate)
    except TransportError as error:
        raise NotConnected("unreachable", target, error.message) from error
    except GoogleApiError as error:
        if error.status != 401:
            raise
        raise NotConnected("credentials", target, error.message) from error
    return Workspace(
        drive=Drive(clients.service("drive"), gate),
        forms=Forms(clients.service("forms"), gate),
        sheets=Sheets(clients.gspread, gate),
        state=ObjectStore(clients.service("storage"), settings.storage.state_bucket, gate),
        service_account=service_account,
        report=report,
        progress=progress,
        gate=gate,
    )


def limiter_for(pacing: Pacing) -> Limiter | None:
    """The quota limiter the settings ask for (None: pacing off)."""
    if not pacing.enabled:
        return None
    return Limiter(limits_with(pacing.limits), pacing.window_seconds)
