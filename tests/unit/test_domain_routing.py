"""Routing a response: roster first, then the unit on the form, else quarantine with a reason."""

from __future__ import annotations

from datetime import UTC, datetime

from functions.domain import (
    Directory,
    Group,
    PeriodKind,
    Response,
    RouteSource,
    Staff,
    Unit,
    route,
)

UNITS = (
    Unit("THPT-A", "Trường THPT A", "Trường THPT", ("hta@demo.edu.vn",)),
    Unit("SO-VP", "Văn phòng Sở", "Phòng thuộc Sở", ("cvp@demo.edu.vn",)),
    Unit("THPT-CU", "Trường THPT Cũ", active=False),
    Unit("X-1", "Trường Trùng Tên"),
    Unit("X-2", "Trường Trùng Tên"),
)
STAFF = (
    Staff("Nguyễn Văn An", "annv@demo.edu.vn", "Hiệu trưởng", "THPT-A", Group.ONE),
    Staff("Trần Thị Bình", "binhtt@demo.edu.vn", "Giáo viên", "THPT-A", Group.TWO,
          other_emails=("binh@gmail.com",)),
    Staff("Lê Văn Cũ", "culv@demo.edu.vn", "Giáo viên", "THPT-CU", Group.TWO),
)
DIRECTORY = Directory(UNITS, STAFF)
NOW = datetime(2025, 2, 1, 8, 0, tzinfo=UTC)


def response(email: str | None, group: Group = Group.TWO, unit: str = "") -> Response:
    answers = {"ho_ten": "Ai đó", "don_vi": unit} if unit else {"ho_ten": "Ai đó"}
    return Response("r1", f"ke-hoach-nhom-{group.value}", PeriodKind.PLAN, group, email, NOW, NOW,
                    answers)


def test_a_roster_email_routes_to_the_persons_unit_whatever_the_form_says() -> None:
    routing = route(response("binhtt@demo.edu.vn", unit="Văn phòng Sở (SO-VP)"), DIRECTORY)
    assert (routing.unit_code, routing.source, routing.quarantined) == (
        "THPT-A", RouteSource.ROSTER, False)
    assert routing.staff is not None and routing.staff.name == "Trần Thị Bình"


def test_another_address_of_the_person_routes_like_the_main_one() -> None:
    routing = route(response("Binh@Gmail.com"), DIRECTORY)
    assert routing.unit_code == "THPT-A"
    assert routing.source is RouteSource.ROSTER


def test_filling_the_other_groups_form_is_flagged_not_moved() -> None:
    routing = route(response("annv@demo.edu.vn", group=Group.TWO), DIRECTORY)
    assert routing.unit_code == "THPT-A"
    assert routing.wrong_form
    assert routing.group is Group.ONE


def test_filling_ones_own_groups_form_is_not_flagged() -> None:
    assert not route(response("annv@demo.edu.vn", group=Group.ONE), DIRECTORY).wrong_form


def test_an_unknown_email_routes_by_the_unit_label_chosen_on_the_form() -> None:
    routing = route(response("moi@demo.edu.vn", unit="Văn phòng Sở (SO-VP)"), DIRECTORY)
    assert (routing.unit_code, routing.source) == ("SO-VP", RouteSource.FORM)
    assert routing.staff is None and not routing.wrong_form


def test_the_unit_on_the_form_matches_by_code_or_exact_name() -> None:
    assert route(response("moi@demo.edu.vn", unit="thpt-a"), DIRECTORY).unit_code == "THPT-A"
    by_name = route(response("moi@demo.edu.vn", unit=" trường thpt a "), DIRECTORY)
    assert by_name.unit_code == "THPT-A"


def test_an_unknown_email_without_a_unit_is_quarantined_with_a_reason() -> None:
    routing = route(response("moi@demo.edu.vn"), DIRECTORY)
    assert routing.quarantined
    assert routing.reason == (
        "Email moi@demo.edu.vn không có trong danh sách nhân sự và phiếu không ghi đơn vị."
    )


def test_an_unknown_unit_on_the_form_is_quarantined_and_quoted() -> None:
    routing = route(response("moi@demo.edu.vn", unit="Trường THPT Z"), DIRECTORY)
    assert routing.quarantined
    assert "«Trường THPT Z» không khớp mã hay tên đơn vị nào" in routing.reason


def test_an_ambiguous_unit_name_is_quarantined() -> None:
    routing = route(response("moi@demo.edu.vn", unit="Trường Trùng Tên"), DIRECTORY)
    assert routing.quarantined and "X-1, X-2" in routing.reason


def test_a_retired_unit_is_quarantined_for_roster_and_form_alike() -> None:
    assert route(response("culv@demo.edu.vn"), DIRECTORY).quarantined
    assert "ngừng hoạt động" in route(response("x@demo.edu.vn", unit="THPT-CU"), DIRECTORY).reason


def test_a_response_without_email_is_quarantined_unless_it_names_a_unit() -> None:
    assert "không thu được email" in route(response(None), DIRECTORY).reason
    assert route(response(None, unit="SO-VP"), DIRECTORY).unit_code == "SO-VP"


def test_without_a_roster_every_response_routes_by_the_form() -> None:
    routing = route(response("annv@demo.edu.vn", unit="SO-VP"), Directory(UNITS))
    assert (routing.unit_code, routing.source) == ("SO-VP", RouteSource.FORM)
