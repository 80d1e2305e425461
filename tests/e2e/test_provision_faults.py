"""Provisioning under failures: 503s, 429s and dropped connections on a fraction of calls.
Re-running until it succeeds leaves exactly what a clean run leaves: no twin anywhere."""

from __future__ import annotations

from googleapiclient.errors import HttpError

from functions.adapters.errors import GoogleApiError
from functions.blueprints import form_requests
from functions.services.registry import RegistryStore
from tests.e2e import test_provision_helpers as helpers
from tests.e2e.test_provision_helpers import Province

province = helpers.province  # fixtures (the clean run)
provisioned_snapshot = helpers.provisioned_snapshot
empty_province = helpers.empty_province

FAULTS = [
    # More failures in a row than the clients retry: the run stops after the first form's copy
    # and after the first unit Sheet's create; the next run must adopt both, not twin them.
    {"method": "forms.forms.batchUpdate", "status": 503, "count": 6},
    {"method": "sheets.spreadsheets.batchUpdate", "status": 503, "count": 6},
    {"method": "*", "status": 503, "rate": 0.2, "seed": 11},
    {"method": "*", "status": 429, "rate": 0.05, "seed": 12},
    {"method": "drive.files.create", "status": "drop", "rate": 0.15, "seed": 13},
    {"method": "drive.files.copy", "status": "drop", "rate": 0.15, "seed": 14},
    # Creates that land but whose answer is lost: the next attempt must adopt, not twin.
    {"method": "drive.files.create", "status": "drop-after", "rate": 0.15, "seed": 15},
    {"method": "drive.files.copy", "status": "drop-after", "rate": 0.15, "seed": 16},
    {"method": "sheets.spreadsheets.batchUpdate", "status": "drop-after", "count": 1},
]
MAX_RUNS = 12


def test_runs_cut_by_failures_and_repeated_until_success_leave_no_twin_and_a_clean_state(
    empty_province: Province, province: Province
) -> None:
    faulty = empty_province
    helpers.with_quick_backoff(faulty)
    for fault in FAULTS:
        faulty.control.post("faults", fault)
    failures: list[str] = []
    for _ in range(MAX_RUNS):
        try:
            faulty.provision()
            break
        except (GoogleApiError, HttpError, OSError) as error:  # OSError: a dropped connection
            failures.append(type(error).__name__)
    else:
        raise AssertionError(f"still failing after {MAX_RUNS} runs: {failures}")
    faulty.control.delete("faults")
    assert len(failures) >= 2, failures
    for unit in faulty.deployment.active_units:
        assert len(faulty.find("unit-sheet", unit.code)) == 1, unit.code
        assert len(faulty.find("unit-folder", unit.code)) == 1, unit.code
    for spec in faulty.deployment.forms:
        assert len(faulty.find("form", spec.key)) == 1, spec.key
        entry = faulty.registry()["forms"][spec.key]
        live = faulty.ws.forms.get(entry["id"])
        assert form_requests.update_requests(spec, live, entry["items"]) == []
    assert len(faulty.find("so-overview")) == 1
    assert helpers.state_of(faulty) == helpers.state_of(province)
    faulty.fresh_calls()
    assert faulty.provision().actions == []
    assert faulty.writes() == {}


def test_a_folder_id_reused_after_a_lost_record_does_not_adopt_another_units_folder(
    province: Province,
) -> None:
    """A run stopped before saving its record: the next run may hand a spare id that already
    names another unit's folder to a new one. Drive answers 409; the folder is not adopted."""
    record = province.registry()
    taken = record["units"]["SO-VP"]["folder"]
    lost = record["units"].pop("THPT-CVA")  # as if that unit's creation was never recorded
    record["spare_ids"] = [taken]
    RegistryStore(province.ws.state, province.deployment.settings.year).overwrite(record)
    province.provision()
    again = province.registry()["units"]
    assert again["THPT-CVA"]["folder"] == lost["folder"]  # found again by its appProperties
    assert again["THPT-CVA"]["sheet"] == lost["sheet"]
    assert again["SO-VP"]["folder"] == taken
    assert len(province.find("unit-folder", "THPT-CVA")) == 1
    assert len(province.find("unit-sheet", "THPT-CVA")) == 1


DRIVE_THROTTLING = [
    # Drive throttles with 403 (rarely 429): on creates and copies (which are never resent
    # blindly), on sharing in batches (a longer back-off), on every other call.
    {"method": "drive.files.create", "status": 403, "reason": "userRateLimitExceeded",
     "count": 2},
    {"method": "drive.files.copy", "status": 403, "reason": "rateLimitExceeded", "count": 2},
    {"method": "drive.permissions.create", "status": 403, "reason": "sharingRateLimitExceeded",
     "rate": 0.3, "seed": 21},
    {"method": "drive.*", "status": 403, "reason": "userRateLimitExceeded", "rate": 0.2,
     "seed": 22},
]


def test_a_run_throttled_by_drive_403s_waits_and_completes_in_one_go_like_a_clean_run(
    empty_province: Province, province: Province
) -> None:
    throttled = empty_province
    helpers.with_quick_backoff(throttled)
    for fault in DRIVE_THROTTLING:
        throttled.control.post("faults", fault)
    throttled.provision()  # no error: every refusal was waited out
    throttled.control.delete("faults")
    assert helpers.state_of(throttled) == helpers.state_of(province)
