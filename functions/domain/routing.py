"""Where a response belongs: roster first, then the unit answered on the form, else quarantine."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from functions.domain.directory import Directory
from functions.domain.model import Group, Response, Staff

UNIT_QUESTION = "don_vi"


class RouteSource(StrEnum):
    ROSTER = "roster"  # the respondent's email is in the roster
    FORM = "form"  # the unit the respondent chose on the form
    NONE = "none"  # quarantined


@dataclass(frozen=True)
class Routing:
    unit_code: str | None
    group: Group
    source: RouteSource
    staff: Staff | None = None
    wrong_form: bool = False  # the person filled the other group's form
    reason: str = ""  # Vietnamese, shown in the quarantine tab

    @property
    def quarantined(self) -> bool:
        return self.unit_code is None


def route(response: Response, directory: Directory) -> Routing:
    """Place one response. Pure: same inputs, same answer."""
    person = directory.person(response.respondent_email)
    if person is not None:
        return _by_roster(response, person, directory)
    answered = response.text(UNIT_QUESTION).strip()
    if not answered:
        return _quarantine(response, f"{_who(response)} và phiếu không ghi đơn vị.")
    matches = directory.units_named(answered)
    if not matches:
        return _quarantine(
            response,
            f"{_who(response)}; đơn vị ghi trên phiếu «{answered}» không khớp mã hay tên "
            "đơn vị nào.",
        )
    if len(matches) > 1:
        codes = ", ".join(unit.code for unit in matches)
        return _quarantine(
            response,
            f"{_who(response)}; đơn vị ghi trên phiếu «{answered}» trùng tên với nhiều đơn vị "
            f"({codes}).",
        )
    unit = matches[0]
    if not unit.active:
        return _quarantine(
            response, f"{_who(response)}; đơn vị «{unit.name}» đã ngừng hoạt động."
        )
    return Routing(unit.code, response.group, RouteSource.FORM)


def _by_roster(response: Response, person: Staff, directory: Directory) -> Routing:
    unit = directory.unit(person.unit_code)
    if unit is None or not unit.active:
        return _quarantine(
            response,
            f"{person.name} ({person.email}) thuộc đơn vị mã «{person.unit_code}» không có "
            "hoặc đã ngừng hoạt động.",
            person,
        )
    return Routing(
        unit.code,
        person.group,
        RouteSource.ROSTER,
        staff=person,
        wrong_form=person.group != response.group,
    )


def _who(response: Response) -> str:
    if response.respondent_email:
        return f"Email {response.respondent_email} không có trong danh sách nhân sự"
    return "Phiếu không thu được email người trả lời"


def _quarantine(response: Response, reason: str, person: Staff | None = None) -> Routing:
    group = person.group if person else response.group
    return Routing(
        None,
        group,
        RouteSource.NONE,
        staff=person,
        wrong_form=person is not None and person.group != response.group,
        reason=reason,
    )
