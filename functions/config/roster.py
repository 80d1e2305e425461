"""The roster file: `Họ và tên`, `Email`, `Chức vụ`, `Mã đơn vị` [, `Nhóm`, `Email khác`]."""

from __future__ import annotations

from pathlib import Path

from functions.config import emails
from functions.config.errors import Problems
from functions.config.tables import Row, read_table
from functions.domain.model import Group, Staff, Unit
from functions.domain.positions import PositionRule
from functions.domain.text import fold

NAME, EMAIL, POSITION, UNIT = "Họ và tên", "Email", "Chức vụ", "Mã đơn vị"
GROUP, OTHER_EMAILS = "Nhóm", "Email khác"
_GROUP_WORDS = {"1": Group.ONE, "nhóm 1": Group.ONE, "2": Group.TWO, "nhóm 2": Group.TWO}


def read_roster(
    path: Path, display: str, units: tuple[Unit, ...], rule: PositionRule, problems: Problems
) -> tuple[Staff, ...]:
    table = read_table(
        path, display, (NAME, EMAIL, POSITION, UNIT), (GROUP, OTHER_EMAILS), problems
    )
    if table is None:
        return ()
    by_code = {fold(unit.code): unit for unit in units}
    owners: dict[str, tuple[int, str]] = {}  # email -> (row, column) where first seen
    staff: list[Staff] = []
    for row in table.rows:
        person = _person(row, display, by_code, rule, problems)
        duplicate = _claim_emails(row, display, owners, problems)
        if person is not None and not duplicate:
            staff.append(person)
    return tuple(staff)


def _person(
    row: Row, display: str, by_code: dict[str, Unit], rule: PositionRule, problems: Problems
) -> Staff | None:
    cells = row.cells
    ok = True
    for column in (NAME, EMAIL, POSITION, UNIT):
        if column in cells and not cells[column]:
            problems.add(display, row.number, column, "ô trống")
            ok = False
    unit = by_code.get(fold(cells.get(UNIT, "")))
    if cells.get(UNIT) and unit is None:
        problems.add(display, row.number, UNIT,
                     f"mã đơn vị «{cells[UNIT]}» không có trong danh sách đơn vị")
        ok = False
    elif unit is not None and not unit.active:
        problems.add(display, row.number, UNIT,
                     f"đơn vị «{unit.code}» ({unit.name}) đã ngừng hoạt động")
        ok = False
    group_text = fold(cells.get(GROUP, ""))
    if group_text and group_text not in _GROUP_WORDS:
        problems.add(display, row.number, GROUP,
                     f"giá trị «{cells[GROUP]}» không hợp lệ; chỉ ghi 1, 2 hoặc để trống")
        ok = False
    email = emails.normalise(cells.get(EMAIL, ""))
    others = tuple(emails.split(cells.get(OTHER_EMAILS, "")))
    if not ok or unit is None or not email or not _valid(row, display, email, others, problems):
        return None
    explicit = _GROUP_WORDS.get(group_text)
    return Staff(
        name=cells[NAME],
        email=email,
        position=cells[POSITION],
        unit_code=unit.code,
        group=explicit or rule.group_of(cells[POSITION]),
        group_explicit=explicit is not None,
        other_emails=others,
    )


def _valid(row: Row, display: str, email: str, others: tuple[str, ...], problems: Problems) -> bool:
    ok = True
    for column, address in ((EMAIL, email), *((OTHER_EMAILS, other) for other in others)):
        if not emails.is_valid(address):
            problems.add(display, row.number, column, f"địa chỉ email không hợp lệ: «{address}»")
            ok = False
    return ok


def _claim_emails(
    row: Row, display: str, owners: dict[str, tuple[int, str]], problems: Problems
) -> bool:
    """Record this row's addresses; report (and return True) when one was already used."""
    duplicate = False
    mine = [(EMAIL, emails.normalise(row.cells.get(EMAIL, "")))]
    mine += [(OTHER_EMAILS, other) for other in emails.split(row.cells.get(OTHER_EMAILS, ""))]
    for column, address in mine:
        if not address:
            continue
        if address in owners:
            first_row, first_column = owners[address]
            where = "trên cùng dòng" if first_row == row.number else f"ở dòng {first_row}"
            problems.add(display, row.number, column,
                         f"email «{address}» trùng với email đã có {where} (cột «{first_column}»)")
            duplicate = True
        else:
            owners[address] = (row.number, column)
    return duplicate
