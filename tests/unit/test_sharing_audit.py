"""Which permissions on a unit Sheet the settings do not cover, on Drive's own listing shapes
(shared-drive items carry ``permissionDetails``; My Drive items do not)."""

from __future__ import annotations

from typing import Any

from functions.services.sharing_audit import unlisted

DRIVE = "0AGuongmauDemoDrive"


def member(email: str, role: str, *direct: str) -> dict[str, Any]:
    """A shared drive member as Drive lists it on a file: inherited, plus any direct role."""
    details = [{"permissionType": "member", "role": role, "inherited": True,
                "inheritedFrom": DRIVE}]
    details += [{"permissionType": "file", "role": r, "inherited": False} for r in direct]
    return {"id": email, "type": "user", "emailAddress": email,
            "role": max([role, *direct], key=["reader", "writer", "organizer"].index),
            "permissionDetails": details}


def found(permissions: list[dict[str, Any]], allowed: dict[str, str]) -> list[tuple[str, str]]:
    return [(str(p["id"]), role) for p, role, _ in unlisted(permissions, allowed)]


def test_the_shared_drive_members_are_not_the_units_to_report() -> None:
    assert found([member("sa@x.iam.gserviceaccount.com", "organizer"),
                  member("theodoi@so.edu.vn", "reader")], {}) == []


def test_a_member_given_a_role_on_the_sheet_itself_is_judged_by_that_role() -> None:
    assert found([member("ht@so.edu.vn", "reader", "writer")], {}) == [("ht@so.edu.vn",
                                                                        "writer")]
    assert found([member("ht@so.edu.vn", "organizer", "writer")],
                 {"ht@so.edu.vn": "writer"}) == []


def test_my_drive_listings_have_no_details_and_the_owner_is_never_reported() -> None:
    permissions = [{"id": "o", "type": "user", "role": "owner", "emailAddress": "a@so.edu.vn"},
                   {"id": "anyoneWithLink", "type": "anyone", "role": "reader"},
                   {"id": "r", "type": "user", "role": "reader", "emailAddress": "R@so.edu.vn"}]
    assert found(permissions, {"r@so.edu.vn": "reader"}) == [("anyoneWithLink", "reader")]
