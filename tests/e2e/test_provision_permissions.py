"""Who can reach what after provisioning: the forms' responders follow the settings exactly (a
changed setting leaves no stale grant), through the real Drive client against the emulator."""

from __future__ import annotations

from typing import Any

from tests.e2e import test_provision_helpers as helpers
from tests.e2e.test_provision_helpers import Province

province = helpers.province  # fixtures
provisioned_snapshot = helpers.provisioned_snapshot

SAMPLE_RESPONDERS = "responders: domain:sgddt-demo.edu.vn"
STAFF_GROUP = "canbo-giaovien@sgddt-demo.edu.vn"


def set_responders(province: Province, value: str) -> None:
    path = province.config_dir / "guongmau.yaml"
    text = path.read_text(encoding="utf-8")
    assert SAMPLE_RESPONDERS in text
    path.write_text(text.replace(SAMPLE_RESPONDERS, f"responders: {value}"), encoding="utf-8")
    province.reload()


def responders_of(province: Province, form_id: str) -> list[dict[str, Any]]:
    """The form's published-view permissions, as Drive lists them."""
    drive = province.clients().service("drive")
    listed = drive.permissions().list(
        fileId=form_id, supportsAllDrives=True, includePermissionsForView="published",
        fields="permissions(type,role,domain,emailAddress,view)").execute()["permissions"]
    return [p for p in listed if p.get("view") == "published"]


def test_opening_the_forms_to_anyone_replaces_the_domain_grant_and_sends_no_notification(
    province: Province,
) -> None:
    set_responders(province, "anyone")
    outcome = province.provision()
    for spec in province.deployment.forms:
        assert responders_of(province, province.form_id(spec.key)) == [
            {"type": "anyone", "role": "reader", "view": "published"}], (spec.key, outcome)
    province.fresh_calls()
    assert province.provision().actions == []
    assert province.writes() == {}


def test_a_google_group_of_staff_can_be_the_only_responders(province: Province) -> None:
    set_responders(province, f"group:{STAFF_GROUP}")
    province.provision()
    for spec in province.deployment.forms:
        assert responders_of(province, province.form_id(spec.key)) == [
            {"type": "group", "role": "reader", "emailAddress": STAFF_GROUP,
             "view": "published"}], spec.key
