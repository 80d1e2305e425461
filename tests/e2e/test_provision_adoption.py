"""Every create of provisioning is adoptable: a create whose answer was lost (the call landed,
the client never heard), or whose record was never saved (the run was killed), is found and
adopted by the next attempt; it is never made twice, and it never blocks later runs."""

from __future__ import annotations

from typing import Any

import pytest

from functions.adapters.errors import GoogleApiError
from functions.blueprints import form_requests
from functions.services import watches
from functions.services.registry import RegistryStore
from functions.services.rendered import RenderedViews
from tests.e2e import test_provision_helpers as helpers
from tests.e2e.test_provision_helpers import Province, edit_units

province = helpers.province  # fixtures
provisioned_snapshot = helpers.provisioned_snapshot
empty_province = helpers.empty_province


def forget(province: Province, edit: Any) -> None:
    """Rewrites the state record as a run killed before saving it would have left it."""
    record = province.registry()
    edit(record)
    RegistryStore(province.ws.state, province.deployment.settings.year).overwrite(record)


def assert_forms_exactly_as_specified(province: Province) -> None:
    for spec in province.deployment.forms:
        entry = province.registry()["forms"][spec.key]
        live = province.ws.forms.get(entry["id"])
        assert len(live["items"]) == len(spec.questions), spec.key
        assert form_requests.update_requests(spec, live, entry["items"]) == [], spec.key
        assert len(province.ws.forms.watches(entry["id"])) == 1, spec.key


def test_a_lost_answer_to_the_form_fill_adds_each_question_once_in_the_same_run(
    empty_province: Province,
) -> None:
    empty_province.control.post("faults", {"method": "forms.forms.batchUpdate",
                                           "status": "drop-after", "count": 1})
    empty_province.provision()
    assert_forms_exactly_as_specified(empty_province)


def test_a_lost_answer_to_a_watch_create_is_adopted_in_the_same_run(
    empty_province: Province,
) -> None:
    empty_province.control.post("faults", {"method": "forms.forms.watches.create",
                                           "status": "drop-after", "count": 1})
    empty_province.provision()
    assert_forms_exactly_as_specified(empty_province)
    for spec in empty_province.deployment.forms:
        entry = empty_province.registry()["forms"][spec.key]
        [live] = empty_province.ws.forms.watches(entry["id"])
        assert entry["watch"]["id"] == live["id"]
    empty_province.fresh_calls()
    assert empty_province.provision().actions == []
    assert empty_province.writes() == {}


def test_a_watch_whose_record_was_lost_is_found_and_adopted_not_created_again(
    province: Province,
) -> None:
    """Killed after the watch landed and before the record was saved: the next run lists the
    form's watches and adopts the one there (a second create would be refused for good)."""
    watched = {key: entry["watch"]["id"] for key, entry in province.registry()["forms"].items()}
    forget(province, lambda record: [entry.pop("watch") for entry in record["forms"].values()])
    province.provision()
    assert province.methods().get("forms.forms.watches.create", 0) == 0
    assert {key: entry["watch"]["id"]
            for key, entry in province.registry()["forms"].items()} == watched
    assert_forms_exactly_as_specified(province)


def test_a_filled_form_whose_record_was_lost_is_adopted_without_writing_it_again(
    province: Province,
) -> None:
    questions = {key: entry["questions"] for key, entry in province.registry()["forms"].items()}
    forget(province, lambda record: [entry.pop("built") for entry in record["forms"].values()])
    province.provision()
    assert province.methods().get("forms.forms.batchUpdate", 0) == 0
    assert {key: entry["questions"]
            for key, entry in province.registry()["forms"].items()} == questions


def test_a_changed_topic_replaces_each_forms_watch_instead_of_failing_on_the_old_one(
    province: Province,
) -> None:
    """Google keeps one RESPONSES watch per form: the old topic's watch is deleted first."""
    config = province.config_dir / "guongmau.yaml"
    old = "projects/guongmau-demo/topics/guongmau-forms"
    new = "projects/guongmau-demo/topics/guongmau-forms-2"
    config.write_text(config.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")
    province.reload()
    province.provision()
    for spec in province.deployment.forms:
        watches = province.ws.forms.watches(province.form_id(spec.key))
        assert [(w["eventType"], w["target"]["topic"]["topicName"]) for w in watches] == [
            ("RESPONSES", new)], spec.key


def test_a_run_stopped_by_an_error_keeps_each_unit_that_landed_and_the_next_run_goes_on(
    empty_province: Province,
) -> None:
    """The fifth unit Sheet's build keeps failing: the run stops (exit 4 in the CLI) but its
    record names the four units built before; the next run reads none of them again."""
    helpers.with_quick_backoff(empty_province)
    empty_province.control.post("faults", {"method": "sheets.spreadsheets.batchUpdate",
                                           "status": 503, "count": 50, "after": 4})
    with pytest.raises(GoogleApiError):
        empty_province.provision()
    empty_province.control.delete("faults")
    codes = [unit.code for unit in empty_province.deployment.units]
    record = empty_province.registry()["units"]
    assert [code for code in codes if record.get(code, {}).get("built")] == codes[:4]
    assert record[codes[4]].get("sheet"), "the fifth Sheet, created, is recorded too"
    rendered = RenderedViews(empty_province.ws.state, empty_province.deployment.settings.year)
    assert sorted(rendered.keys) == sorted(codes[:4])
    empty_province.fresh_calls()
    empty_province.provision()
    calls = empty_province.methods()
    assert calls.get("sheets.spreadsheets.get", 0) == 1  # the fifth Sheet only: built yet?
    left = [unit for unit in empty_province.deployment.units[5:] if unit.active]
    # Their folder and Sheet each, and the Sở overview; nothing for the four recorded.
    assert calls.get("drive.files.create", 0) == 2 * len(left) + 1, calls


def test_a_reader_whose_grant_was_already_revoked_is_taken_off_the_record_without_error(
    province: Province,
) -> None:
    """Killed after the revoke landed and before the record was saved: the next run's revoke
    answers 404, which means done (it used to stop every later run)."""
    sheet = province.unit_sheet("SO-VP")
    gone = province.registry()["units"]["SO-VP"]["grants"]["hieudt@sgddt-demo.edu.vn"]["id"]
    province.ws.drive.revoke(sheet, [gone])  # the earlier run's revoke, landed

    def drop_reader(rows: list[dict[str, str]]) -> None:
        rows[0]["Email theo dõi"] = ""

    edit_units(province, drop_reader)
    province.provision()
    assert "hieudt@sgddt-demo.edu.vn" not in province.registry()["units"]["SO-VP"]["grants"]
    assert "hieudt@sgddt-demo.edu.vn" not in {
        p.get("emailAddress") for p in province.ws.drive.permissions(sheet)}
    province.fresh_calls()
    assert province.provision().actions == [], "the removal is recorded: nothing left to do"


def test_a_lost_answer_to_a_sheet_build_is_adopted_in_the_same_run(
    empty_province: Province, province: Province,
) -> None:
    empty_province.control.post("faults", {"method": "sheets.spreadsheets.batchUpdate",
                                           "status": "drop-after", "count": 1, "after": 2})
    empty_province.provision()  # no error: the build landed, its Sheet has its tabs
    assert helpers.state_of(empty_province) == helpers.state_of(province)


def test_rows_of_the_so_overview_whose_write_failed_are_drawn_by_the_next_run(
    empty_province: Province, province: Province,
) -> None:
    """The overview's build fails for good: the record (saved on the way out) must not say
    its rows are drawn, so the next run draws every one of them."""
    helpers.with_quick_backoff(empty_province)
    builds = len(empty_province.deployment.active_units)
    empty_province.control.post("faults", {"method": "sheets.spreadsheets.batchUpdate",
                                           "status": 503, "count": 50, "after": builds})
    with pytest.raises(GoogleApiError):
        empty_province.provision()
    empty_province.control.delete("faults")
    record = empty_province.registry()
    assert record.get("overview", {}).get("shown", {}) == {}, empty_province.methods()
    empty_province.provision()
    assert helpers.state_of(empty_province) == helpers.state_of(province)


def test_renewing_recreates_a_deleted_watch_and_adopts_one_whose_record_was_lost(
    province: Province,
) -> None:
    forms = province.registry()["forms"]
    deleted, forgotten = sorted(forms)[:2]
    province.ws.forms.delete_watch(forms[deleted]["id"], forms[deleted]["watch"]["id"])
    kept = forms[forgotten]["watch"]["id"]
    forget(province, lambda record: record["forms"][forgotten].pop("watch"))
    renewed = watches.renew_all(province.deployment, province.ws)
    assert len(renewed) == len(forms)
    assert province.methods().get("forms.forms.watches.create") == 1  # the deleted one only
    assert province.registry()["forms"][forgotten]["watch"]["id"] == kept
    assert_forms_exactly_as_specified(province)
