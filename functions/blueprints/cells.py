"""Typed Sheets cells. Free text always goes in as ``stringValue``: a typed ``=IMPORTXML(...)``
stays text, exactly as a RAW write would keep it (a formula needs ``formulaValue``)."""

from __future__ import annotations

from typing import Any

Cell = dict[str, Any]
# Characters a Sheets cell holds; Google answers 400 above it. Counted in UTF-16 code units,
# as JavaScript counts (an emoji is two): whether Google counts units or code points is
# unverified, and units are the safe side (GOOGLE_FACTS; the emulator counts units too).
CELL_LIMIT = 50_000


def text(value: str) -> Cell:
    return {"userEnteredValue": {"stringValue": value}}


def number(value: float) -> Cell:
    return {"userEnteredValue": {"numberValue": value}}


def boolean(value: bool) -> Cell:
    return {"userEnteredValue": {"boolValue": value}}


def blank() -> Cell:
    return {}


def value_of(item: object) -> Cell:
    """A cell for a plain Python value (str, bool, int/float or None), or a made cell."""
    if item is None:
        return blank()
    if isinstance(item, dict):  # a cell already made (a value with its format)
        return item
    if isinstance(item, bool):
        return boolean(item)
    if isinstance(item, int | float):
        return number(item)
    return text(str(item))


def rows(values: list[list[object]]) -> list[dict[str, Any]]:
    # Text inline: a province's first sync draws a million cells, most of them text.
    if len(values) == 1:
        return [{"values": [{"userEnteredValue": {"stringValue": item}} if type(item) is str
                            else value_of(item) for item in values[0]]}]
    # A block of rows repeats its texts down a column (the history: ~15 rows per response
    # naming the same response, tab, time, email and headers; 6 million cells at a
    # province's first sync): an equal text is one shared cell, the request reads the same.
    made: dict[str, Cell] = {}
    found = []
    for row in values:
        drawn = []
        for item in row:
            if type(item) is str:
                cell = made.get(item)
                if cell is None:
                    cell = made[item] = {"userEnteredValue": {"stringValue": item}}
            else:
                cell = value_of(item)
            drawn.append(cell)
        found.append({"values": drawn})
    return found


def update_cells(sheet_id: int, row: int, column: int, values: list[list[object]],
                 fields: str = "userEnteredValue") -> dict[str, Any]:
    """One ``updateCells`` writing ``values`` at an explicit position (idempotent when retried)."""
    return {"updateCells": {"start": {"sheetId": sheet_id, "rowIndex": row, "columnIndex": column},
                            "rows": rows(values), "fields": fields}}


def grid_range(sheet_id: int, rows_: tuple[int | None, int | None] = (None, None),
               columns: tuple[int | None, int | None] = (None, None)) -> dict[str, Any]:
    found: dict[str, Any] = {"sheetId": sheet_id}
    for name, value in (("startRowIndex", rows_[0]), ("endRowIndex", rows_[1]),
                        ("startColumnIndex", columns[0]), ("endColumnIndex", columns[1])):
        if value is not None:
            found[name] = value
    return found


def length(text: str) -> int:
    """``text``'s length as a cell's limit counts it: UTF-16 code units.

    >>> length("Việt"), length("😀"), length("a😀")
    (4, 2, 3)
    """
    return len(text.encode("utf-16-le")) // 2


def too_long(text: str) -> bool:
    """Whether ``text`` overflows one cell (cheap for the short texts of almost every cell)."""
    return len(text) > CELL_LIMIT // 2 and length(text) > CELL_LIMIT


def fit(text: str, mark: str = "…") -> str:
    """``text`` cut to one cell, ``mark`` at the cut: for cells that only point at a response
    (the quarantine), where a respondent's overlong answer must not fail the whole write.

    >>> fit("ab"), len(fit("😀" * 30_000)) <= CELL_LIMIT
    ('ab', True)
    """
    if not too_long(text):
        return text
    return split_long(text, CELL_LIMIT - length(mark))[0] + mark


def split_long(value: str, limit: int = CELL_LIMIT - 200) -> list[str]:
    """``value`` in pieces of at most ``limit`` UTF-16 units each (room left for a
    continuation mark), cut between characters, never inside one.

    >>> split_long("ab😀c", limit=2)
    ['ab', '😀', 'c']
    """
    if length(value) == len(value):  # no character outside the BMP: units are characters
        return [value[start:start + limit] for start in range(0, len(value), limit)] or [""]
    pieces, start, used = [], 0, 0
    for index, character in enumerate(value):
        units = 2 if ord(character) > 0xFFFF else 1
        if used + units > limit:
            pieces.append(value[start:index])
            start, used = index, 0
        used += units
    pieces.append(value[start:])
    return pieces


def column_letter(index: int) -> str:
    """A1 letters of a 0-based column index.

    >>> column_letter(0), column_letter(25), column_letter(26), column_letter(701)
    ('A', 'Z', 'AA', 'ZZ')
    """
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters
