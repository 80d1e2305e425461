"""Provisioning while Drive's listings lag behind its writes (files.list hides new files for
an hour of emulator time) and creates lose their answers: the look before a retried create
cannot see the first one, so twins are made. Once the listing shows them, the next run trashes
every twin and keeps the file the record names: none stays."""

from __future__ import annotations

from collections import Counter

from googleapiclient.errors import HttpError

from functions.adapters.errors import GoogleApiError
from tests.e2e import test_provision_helpers as helpers
from tests.e2e.test_provision_helpers import Province, state_of

province = helpers.province  # fixtures (the clean run)
provisioned_snapshot = helpers.provisioned_snapshot
empty_province = helpers.empty_province

LAG = 3600  # seconds of emulator time a new file stays out of files.list
LOST_ANSWERS = [
    {"method": "drive.files.create", "status": "drop-after", "rate": 0.3, "seed": 31},
    {"method": "drive.files.copy", "status": "drop-after", "rate": 0.3, "seed": 32},
]


def copies(province: Province) -> Counter[tuple[str, str]]:
    """How many untrashed files carry each (kind, key) of the year."""
    settings = province.deployment.settings
    found = province.ws.drive.find(settings.storage.shared_drive_id or "",
                                   {"guongmauYear": str(settings.year)})
    return Counter((f["appProperties"]["guongmau"], f["appProperties"].get("guongmauKey", ""))
                   for f in found)


def test_twins_made_while_listings_lag_are_trashed_once_listed_keeping_the_recorded_file(
    empty_province: Province, province: Province
) -> None:
    lagging = empty_province
    helpers.with_quick_backoff(lagging)
    lagging.control.post("drive-config", {"listingDelaySeconds": LAG})
    for fault in LOST_ANSWERS:
        lagging.control.post("faults", fault)
    for _ in range(12):
        try:
            lagging.provision()
            break
        except (GoogleApiError, HttpError, OSError):
            continue
    else:
        raise AssertionError("provisioning never completed")
    lagging.control.delete("faults")

    lagging.control.post("clock", {"advance": LAG + 1})  # the listing catches up
    twins = {key: n for key, n in copies(lagging).items() if n > 1}
    assert twins, "the lag made no twin: this test would prove nothing"

    outcome = lagging.provision()
    assert any("tệp trùng" in action for action in outcome.actions), outcome.actions
    assert all(n == 1 for n in copies(lagging).values()), copies(lagging)
    record = lagging.registry()
    for kind, key in twins:
        kept = lagging.find(kind, key)
        assert len(kept) == 1
        if kind == "unit-sheet":
            assert kept[0]["id"] == record["units"][key]["sheet"]
        elif kind == "form":
            assert kept[0]["id"] == record["forms"][key]["id"]
    assert state_of(lagging) == state_of(province)
    lagging.fresh_calls()
    assert lagging.provision().actions == []
    assert lagging.writes() == {}
