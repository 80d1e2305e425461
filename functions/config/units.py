"""The units file: `Mã đơn vị`, `Tên đơn vị`, `Email thủ trưởng` [, `Email theo dõi`,
`Loại đơn vị`, `Trạng thái`]."""

from __future__ import annotations

from pathlib import Path

from functions.config import emails
from functions.config.errors import Problems
from functions.config.tables import Row, read_table
from functions.domain.model import Unit
from functions.domain.text import fold

CODE, NAME, HEADS = "Mã đơn vị", "Tên đơn vị", "Email thủ trưởng"
READERS, KIND, STATUS = "Email theo dõi", "Loại đơn vị", "Trạng thái"
ACTIVE_WORDS = ("", "hoạt động", "đang hoạt động")
RETIRED_WORDS = ("ngừng hoạt động", "đã ngừng hoạt động", "giải thể", "đã giải thể", "sáp nhập",
                 "đã sáp nhập")


def read_units(path: Path, display: str, problems: Problems) -> tuple[Unit, ...]:
    table = read_table(path, display, (CODE, NAME, HEADS), (READERS, KIND, STATUS), problems)
    if table is None:
        return ()
    units: list[Unit] = []
    seen: dict[str, int] = {}
    for row in table.rows:
        unit = _unit(row, display, problems)
        if unit is None:
            continue
        key = fold(unit.code)
        if key in seen:
            problems.add(display, row.number, CODE,
                         f"mã đơn vị «{unit.code}» trùng với dòng {seen[key]}")
            continue
        seen[key] = row.number
        units.append(unit)
    return tuple(units)


def _unit(row: Row, display: str, problems: Problems) -> Unit | None:
    cells = row.cells
    ok = True
    for column in (CODE, NAME):
        if column in cells and not cells[column]:
            problems.add(display, row.number, column, "ô trống")
            ok = False
    status = fold(cells.get(STATUS, ""))
    if status not in ACTIVE_WORDS and status not in RETIRED_WORDS:
        problems.add(display, row.number, STATUS,
                     f"giá trị «{cells[STATUS]}» không hợp lệ; để trống nếu đơn vị đang hoạt "
                     "động, hoặc ghi «ngừng hoạt động»")
        ok = False
    active = status not in RETIRED_WORDS
    heads = _emails(row, HEADS, display, problems, required=active)
    readers = _emails(row, READERS, display, problems, required=False)
    if not ok or heads is None or readers is None:
        return None
    return Unit(
        code=cells.get(CODE, ""),
        name=cells.get(NAME, ""),
        kind=cells.get(KIND, ""),
        head_emails=heads,
        reader_emails=readers,
        active=active,
    )


def _emails(
    row: Row, column: str, display: str, problems: Problems, *, required: bool
) -> tuple[str, ...] | None:
    if column not in row.cells:
        return ()
    addresses = emails.split(row.cells[column])
    if required and not addresses:
        problems.add(display, row.number, column, "ô trống")
        return None
    bad = [address for address in addresses if not emails.is_valid(address)]
    for address in bad:
        problems.add(display, row.number, column, f"địa chỉ email không hợp lệ: «{address}»")
    return None if bad else tuple(dict.fromkeys(addresses))
