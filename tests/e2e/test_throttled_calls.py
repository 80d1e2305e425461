"""Throttled calls are retried by the one policy: Drive's rate-limit 403s (single calls, batches,
creates), a sharing limit with a longer back-off, and never forever."""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from functions.adapters.clients import Clients
from functions.adapters.drive import FOLDER, SPREADSHEET, Drive, Grant
from functions.adapters.errors import GoogleApiError
from functions.adapters.retry import Gate, RetryPolicy
from functions.services.files import ensure_file
from functions.services.workspace import Workspace
from tests.conftest import Control

ORG = "sgddt-demo.edu.vn"
BACKOFF, SHARING_BACKOFF = 0.01, 0.05


class Waits:
    """The gate's sleep: records each wait instead of sleeping."""

    def __init__(self) -> None:
        self.seconds: list[float] = []

    def __call__(self, seconds: float) -> None:
        self.seconds.append(seconds)


@pytest.fixture
def waits() -> Waits:
    return Waits()


@pytest.fixture
def drive(clients: Clients, waits: Waits) -> Drive:
    policy = RetryPolicy(retries=3, backoff_seconds=BACKOFF,
                         sharing_backoff_seconds=SHARING_BACKOFF, jitter=lambda: 1.0)
    return Drive(clients.service("drive"), Gate(policy, sleep=waits))


def new_folder(drive: Drive) -> tuple[str, str]:
    """(shared drive id, folder id)."""
    shared = drive.service.drives().create(requestId=str(uuid.uuid4()),
                                           body={"name": "Sở"}).execute()
    folder = drive.create("Đơn vị", FOLDER, shared["id"], {"guongmau": "test"},
                          file_id=drive.generate_ids(1)[0])
    return str(shared["id"]), str(folder["id"])


@pytest.mark.parametrize(("reason", "waited"), [
    ("userRateLimitExceeded", [BACKOFF, 2 * BACKOFF]),
    ("rateLimitExceeded", [BACKOFF, 2 * BACKOFF]),
    ("sharingRateLimitExceeded", [SHARING_BACKOFF, 2 * SHARING_BACKOFF]),
])
def test_a_drive_call_refused_with_a_rate_limit_403_is_retried_sharing_waiting_longer(
        drive: Drive, control: Control, waits: Waits, reason: str, waited: list[float]) -> None:
    _, folder = new_folder(drive)
    control.post("faults", {"method": "drive.files.get", "status": 403, "reason": reason,
                            "count": 2})
    assert drive.get(folder)["id"] == folder
    assert waits.seconds == waited


def test_a_batch_of_grants_refused_for_sharing_is_retried_until_all_land(
        drive: Drive, control: Control, waits: Waits) -> None:
    _, folder = new_folder(drive)
    control.post("faults", {"method": "drive.permissions.create", "status": 403,
                            "reason": "sharingRateLimitExceeded", "count": 2})
    grants = [Grant("user", "reader", email=f"gv.{n}@{ORG}") for n in range(3)]
    ids = drive.grant(folder, grants, notify=False)
    assert len(set(ids)) == 3
    held = {p.get("emailAddress") for p in drive.permissions(folder)}
    assert {g.email for g in grants} <= held
    assert waits.seconds == [SHARING_BACKOFF]  # both refusals came in the same batch


def test_a_rate_limited_create_is_retried_and_leaves_exactly_one_file(
        drive: Drive, control: Control) -> None:
    shared, folder = new_folder(drive)
    ws = Workspace(drive=drive, forms=Any, sheets=Any, state=Any, service_account="")
    props = {"guongmau": "unit-sheet", "guongmauKey": "THPT-A"}
    control.post("faults", {"method": "drive.files.create", "status": 403,
                            "reason": "userRateLimitExceeded", "count": 2})
    control.reset_calls()
    file_id, created = ensure_file(ws, shared, props,
                                   lambda: drive.create("Bảng", SPREADSHEET, folder, props))
    methods = control.calls()["methods"]
    assert methods["drive.files.create"] == 3  # refused twice (it did not run), then made
    assert methods["drive.files.list"] == 2  # looked once before and once after: not per try
    assert created
    assert [f["id"] for f in drive.find(shared, props)] == [file_id]


def test_a_call_throttled_without_end_fails_after_the_bounded_retries_with_its_reason(
        drive: Drive, control: Control, waits: Waits) -> None:
    _, folder = new_folder(drive)
    control.post("faults", {"method": "drive.files.get", "status": 403,
                            "reason": "rateLimitExceeded", "rate": 1.0})
    with pytest.raises(GoogleApiError) as raised:
        drive.get(folder)
    assert (raised.value.status, raised.value.reason) == (403, "rateLimitExceeded")
    assert len(waits.seconds) == 3


def test_a_forbidden_403_is_not_retried(drive: Drive, control: Control, waits: Waits) -> None:
    with pytest.raises(GoogleApiError) as raised:
        drive.get("1" + "x" * 43)  # nobody's file: 404, and a permission 403 is not a limit
    assert raised.value.status == 404
    assert waits.seconds == []
