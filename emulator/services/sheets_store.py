"""Loading a spreadsheet for a call (with Google's access rules) and saving it back."""

from __future__ import annotations

from typing import Any

from emulator import acl, files
from emulator.core import Call
from emulator.errors import ApiError

KIND = "spreadsheets"


def load(call: Call, role: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """(Drive record, spreadsheet) of the call's ``spreadsheetId`` if the caller holds ``role``.

    Google answers 403 "The caller does not have permission" (PERMISSION_DENIED) for a
    spreadsheet the caller cannot see (recorded: ClientTest.test_access_private_spreadsheet)
    and 404 "Requested entity was not found." for an id that does not exist.
    """
    spreadsheet_id = call.params["spreadsheetId"]
    doc = call.store.get(KIND, spreadsheet_id)
    record = call.store.get("files", spreadsheet_id)
    if doc is None or record is None or record.get("mimeType") != files.SPREADSHEET:
        raise ApiError(404, "Requested entity was not found.")
    file = acl.require(call.store, call.user, spreadsheet_id, role, hidden_status=403,
                       not_found_message="Requested entity was not found.")
    from emulator.services import sheets_grid

    sheets_grid.migrate(doc)  # spreadsheets stored by earlier versions
    return file, doc


def save(call: Call, doc: dict[str, Any]) -> None:
    call.store.touch(KIND, doc["spreadsheetId"])
    files.touch(call.emulator, doc["spreadsheetId"])
