"""Creating a Google-type file exactly once.

Drive refuses pre-generated ids for Docs Editors formats (Sheets, Forms, Docs: error
``generatedIdNotSupported``, seen in googleapis/google-api-go-client#2334), so a create whose
answer was lost cannot be made safe by its id. Instead each file carries appProperties that
name it uniquely (kind, year, key); before creating we look for it, and after a failed attempt
we look again, so an attempt that did land is adopted rather than doubled.

Drive listings are not read-after-write consistent: a file created a moment ago may be missing
from ``files.list``. A create whose answer was lost, followed by a look that cannot see it yet,
makes a twin that neither look catches. ``trash_twins`` closes that: each run lists the year's
files once and trashes any file sharing its kind and key with the one the record keeps. The
window left: a twin lives until the first run after the listing shows it (the daily
provisioning); it is an empty copy, shared with nobody, visible only to the shared drive's
members.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from typing import Any

from functions.adapters.errors import GoogleApiError, TransportError
from functions.services.registry import APP_KEY
from functions.services.workspace import Workspace


def ensure_file(ws: Workspace, drive_id: str, props: dict[str, str],
                create: Callable[[], dict[str, Any]]) -> tuple[str, bool]:
    """(id, created now) of the one file carrying ``props``: found in the shared drive, or
    created. A found file may be half-built by an interrupted run: the caller checks it.
    The gate's policy decides what to retry and how long to wait; a throttled create is
    retried by the gate itself (it did not run), anything else comes back here to look first."""
    gate = ws.drive.gate
    attempt = 0
    while True:
        found = list(ws.drive.find(drive_id, props))
        if found:
            for twin in found[1:]:  # an HTTP-level retry below us may have made a second one
                ws.drive.update(twin["id"], trashed=True)
            return str(found[0]["id"]), False
        try:
            created = str(create()["id"])
        except TransportError as error:  # the connection dropped: landed or not, unknown
            if attempt >= gate.policy.retries:
                raise
            failure: GoogleApiError = error
        except GoogleApiError as error:  # a 5xx: the create may or may not have landed
            if not gate.may_retry(error, attempt):
                raise
            failure = error
        else:
            # httplib2 re-sends a request whose answer failed to arrive ("stale connection"),
            # POSTs included: look once more, keep ours, trash a twin.
            for twin in ws.drive.find(drive_id, props):
                if twin["id"] != created:
                    ws.drive.update(twin["id"], trashed=True)
            return created, True
        gate.pause("drive", "write", attempt, failure)
        attempt += 1


def trash_twins(ws: Workspace, drive_id: str, year: int, keep: set[str]) -> int:
    """Trashes every file of ``year`` that shares its kind and key with a file in ``keep``
    (the record's); groups where the record names none are left alone. One listing (a page per
    1 000 files), a write per twin. Returns the number trashed."""
    groups: dict[tuple[str, str], list[str]] = defaultdict(list)
    for found in ws.drive.find(drive_id, {"guongmauYear": str(year)}):
        props = found.get("appProperties", {})
        groups[(props.get(APP_KEY, ""), props.get("guongmauKey", ""))].append(str(found["id"]))
    trashed = 0
    for ids in groups.values():
        if len(ids) < 2 or not keep.intersection(ids):
            continue
        for twin in ids:
            if twin not in keep:
                ws.drive.update(twin, trashed=True)
                trashed += 1
    return trashed
