"""Drive listings are not read-after-write consistent: the emulator can hide new files from
files.list for a while (``POST /_emulator/drive-config {"listingDelaySeconds": N}``, on the
emulator's clock) while files.get sees them at once."""

from __future__ import annotations

import pytest
import requests

from functions.adapters.clients import Clients
from tests.conftest import Control
from tests.e2e.emulator.test_drive_files import drive_of, new_folder, new_shared_drive


def listed(clients: Clients, drive_id: str) -> set[str]:
    answer = drive_of(clients).files().list(
        corpora="drive", driveId=drive_id, includeItemsFromAllDrives=True,
        supportsAllDrives=True, fields="files(id)").execute()
    return {f["id"] for f in answer["files"]}


def test_a_new_file_is_listed_only_after_the_delay_but_read_at_once(
        clients: Clients, control: Control) -> None:
    drive_id = new_shared_drive(clients)
    before = new_folder(clients, drive_id, "Cũ")
    assert control.post("drive-config", {"listingDelaySeconds": 30}) == {
        "listingDelaySeconds": 30}
    control.post("clock", {"advance": 31})  # the older folder has settled
    fresh = new_folder(clients, drive_id, "Mới")

    assert listed(clients, drive_id) == {before}
    got = drive_of(clients).files().get(fileId=fresh, supportsAllDrives=True).execute()
    assert got["id"] == fresh

    control.post("clock", {"advance": 31})
    assert listed(clients, drive_id) == {before, fresh}


def test_without_a_delay_a_new_file_is_listed_at_once(clients: Clients) -> None:
    drive_id = new_shared_drive(clients)
    folder = new_folder(clients, drive_id)
    assert listed(clients, drive_id) == {folder}


def test_a_negative_delay_is_refused(control: Control) -> None:
    with pytest.raises(requests.HTTPError):
        control.post("drive-config", {"listingDelaySeconds": -1})
