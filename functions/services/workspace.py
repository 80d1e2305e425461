"""The ports a service needs, wired once from the client factory (real or emulator)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from functions.adapters.clients import Clients
from functions.adapters.drive import Drive
from functions.adapters.errors import GoogleApiError, NotConnected, TransportError, call
from functions.adapters.forms import Forms
from functions.adapters.sheets import Sheets
from functions.adapters.storage import ObjectStore
from functions.config.settings import Settings

Report = Callable[[str], None]


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


def service_account_of(clients: Clients) -> str:
    """The email of the identity the clients act as (Drive's about.get)."""
    about: dict[str, Any] = call("drive", clients.service("drive").about().get(fields="user"),
                                 retries=2)
    return str(about["user"]["emailAddress"]).lower()


def connect(clients: Clients, settings: Settings, report: Report = quiet) -> Workspace:
    """The ports; raises NotConnected when the first call (who am I?) cannot be made."""
    target = clients.target.emulator_url
    try:
        service_account = service_account_of(clients)
    except TransportError as error:
        raise NotConnected("unreachable", target, error.message) from error
    except GoogleApiError as error:
        if error.status != 401:
            raise
        raise NotConnected("credentials", target, error.message) from error
    return Workspace(
        drive=Drive(clients.service("drive")),
        forms=Forms(clients.service("forms")),
        sheets=Sheets(clients.gspread),
        state=ObjectStore(clients.service("storage"), settings.storage.state_bucket),
        service_account=service_account,
        report=report,
    )
