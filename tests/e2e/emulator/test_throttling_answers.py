"""How the emulator throttles: Drive answers 403 with a rate-limit reason in its older error
shape (injected, or when its quota or a sharing limit is spent); Sheets answers 429; the quota
window can be compressed. Raw client calls (no retries), so the answers themselves are seen."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from typing import Any

import pytest
from googleapiclient.errors import HttpError

from functions.adapters.clients import Clients
from tests.conftest import Control
from tests.e2e.emulator.test_drive_files import drive_of, new_folder, new_shared_drive

ALL = {"supportsAllDrives": True}


def drive_error(call: Any) -> tuple[int, dict[str, Any]]:
    with pytest.raises(HttpError) as raised:
        call.execute(num_retries=0)
    return int(raised.value.resp.status), json.loads(raised.value.content)["error"]


def share(clients: Clients, folder: str, email: str) -> Any:
    return drive_of(clients).permissions().create(
        fileId=folder, body={"type": "user", "role": "reader", "emailAddress": email},
        sendNotificationEmail=False, **ALL)


@pytest.mark.parametrize("reason", ["userRateLimitExceeded", "rateLimitExceeded",
                                    "sharingRateLimitExceeded"])
def test_an_injected_403_carries_its_rate_limit_reason_in_drives_error_shape(
        clients: Clients, control: Control, reason: str) -> None:
    folder = new_folder(clients, new_shared_drive(clients))
    control.post("faults", {"method": "drive.files.get", "status": 403, "reason": reason,
                            "count": 1})
    status, error = drive_error(drive_of(clients).files().get(fileId=folder, **ALL))
    assert status == 403 and error["code"] == 403
    assert error["errors"][0]["reason"] == reason
    assert drive_of(clients).files().get(fileId=folder, **ALL).execute()["id"] == folder


def test_a_403_fault_refuses_a_reason_that_is_not_a_rate_limit(control: Control) -> None:
    with pytest.raises(Exception, match="400"):
        control.post("faults", {"method": "*", "status": 403, "reason": "forbidden",
                                "count": 1})


def test_drive_over_its_quota_answers_403_user_rate_limit_until_the_window_passes(
        clients: Clients, control: Control) -> None:
    folder = new_folder(clients, new_shared_drive(clients))
    control.post("quotas", {"enabled": True, "windowSeconds": 0.5,
                            "limits": {"drive.read": [100, 2]}})
    start = time.time()
    if start % 0.5 > 0.3:  # keep the three calls inside one window
        time.sleep(0.5 - start % 0.5)
    for _ in range(2):
        drive_of(clients).files().get(fileId=folder, **ALL).execute()
    status, error = drive_error(drive_of(clients).files().get(fileId=folder, **ALL))
    assert (status, error["errors"][0]["reason"]) == (403, "userRateLimitExceeded")
    time.sleep(0.5)
    assert drive_of(clients).files().get(fileId=folder, **ALL).execute()["id"] == folder


def test_sharing_over_the_sharing_limit_answers_403_sharing_rate_limit(
        clients: Clients, control: Control) -> None:
    folder = new_folder(clients, new_shared_drive(clients))
    control.post("quotas", {"enabled": True, "windowSeconds": 3600,
                            "limits": {"drive.sharing": [100, 1]}})
    share(clients, folder, "gv.a@sgddt-demo.edu.vn").execute()
    status, error = drive_error(share(clients, folder, "gv.b@sgddt-demo.edu.vn"))
    assert (status, error["errors"][0]["reason"]) == (403, "sharingRateLimitExceeded")
    drive_of(clients).files().get(fileId=folder, **ALL).execute()  # other calls still pass


def test_sheets_over_its_quota_still_answers_429(
        as_user: Callable[[str], Clients], control: Control) -> None:
    sheets = as_user("gv.a@sgddt-demo.edu.vn").service("sheets").spreadsheets()
    created = sheets.create(body={"properties": {"title": "Thử"}}).execute()
    control.post("quotas", {"enabled": True, "windowSeconds": 3600,
                            "limits": {"sheets.read": [100, 1]}})
    sheets.get(spreadsheetId=created["spreadsheetId"]).execute()
    with pytest.raises(HttpError) as raised:
        sheets.get(spreadsheetId=created["spreadsheetId"]).execute(num_retries=0)
    assert raised.value.resp.status == 429
    assert json.loads(raised.value.content)["error"]["status"] == "RESOURCE_EXHAUSTED"
