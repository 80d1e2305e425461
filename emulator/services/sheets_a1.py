"""A1 notation: parsing Google's range strings and writing them back as Google does.

Ranges inside the emulator are half-open, 0-based ``Cells`` (``None`` = unbounded), the same
convention as the API's ``GridRange``. Google answers with bounded ranges (``Sheet1!A1:Z1000``)
and quotes a sheet title only when it has to (``'My sheet'!A1``, ``'D3'!A1:D1``; recorded).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_CELL_SIDE = re.compile(r"([A-Za-z]{0,3})(\d*)")
_PLAIN_TITLE = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_LOOKS_LIKE_CELL = re.compile(r"[A-Za-z]{1,3}\d+|[Rr]\d*[Cc]\d*")


@dataclass(frozen=True)
class Cells:
    """A block of cells: rows ``start_row..end_row`` and columns ``start_col..end_col``."""

    start_row: int = 0
    end_row: int | None = None
    start_col: int = 0
    end_col: int | None = None

    def bounded(self, row_count: int, col_count: int) -> Cells:
        """The block with its open ends closed at the grid's size."""
        return Cells(
            self.start_row,
            row_count if self.end_row is None else self.end_row,
            self.start_col,
            col_count if self.end_col is None else self.end_col,
        )


def col_letters(index: int) -> str:
    """
    >>> col_letters(0), col_letters(25), col_letters(26), col_letters(701), col_letters(702)
    ('A', 'Z', 'AA', 'ZZ', 'AAA')
    """
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def col_index(letters: str) -> int:
    """
    >>> col_index("A"), col_index("z"), col_index("AA"), col_index("AAA")
    (0, 25, 26, 702)
    """
    value = 0
    for char in letters.upper():
        value = value * 26 + ord(char) - 64
    return value - 1


def split_sheet(text: str) -> tuple[str | None, str | None]:
    """(sheet title, cells part) of a range; a missing part is None.

    >>> split_sheet("'My sheet'!A1:B2")
    ('My sheet', 'A1:B2')
    >>> split_sheet("'It''s'")
    ("It's", None)
    >>> split_sheet("Sheet1!A:A")
    ('Sheet1', 'A:A')
    >>> split_sheet("A1:B2")
    (None, 'A1:B2')
    """
    if text.startswith("'"):
        pos, title = 1, ""
        while pos < len(text):
            if text[pos] == "'":
                if text[pos + 1 : pos + 2] == "'":
                    title += "'"
                    pos += 2
                    continue
                break
            title += text[pos]
            pos += 1
        rest = text[pos + 1 :]
        if rest.startswith("!"):
            return title, rest[1:] or None
        return title, None
    if "!" in text:
        title, rest = text.rsplit("!", 1)
        return title, rest or None
    return None, text


def parse_cells(text: str) -> Cells | None:
    """The cells of an A1 reference without sheet, or None when it is not one (a name).

    >>> parse_cells("A1")
    Cells(start_row=0, end_row=1, start_col=0, end_col=1)
    >>> parse_cells("B2:C")
    Cells(start_row=1, end_row=None, start_col=1, end_col=3)
    >>> parse_cells("1:1")
    Cells(start_row=0, end_row=1, start_col=0, end_col=None)
    >>> parse_cells("A2:2")
    Cells(start_row=1, end_row=2, start_col=0, end_col=None)
    >>> parse_cells("D4:A1")
    Cells(start_row=0, end_row=4, start_col=0, end_col=4)
    >>> parse_cells("NamedRange") is None
    True
    """
    parts = text.split(":")
    if len(parts) > 2:
        return None
    sides = [_CELL_SIDE.fullmatch(part) for part in parts]
    if any(side is None or not side.group(0) for side in sides):
        return None
    (left_col, left_row) = sides[0].groups()  # type: ignore[union-attr]
    if len(parts) == 1:
        if not (left_col and left_row) or int(left_row) == 0:
            return None
        row, col = int(left_row) - 1, col_index(left_col)
        return Cells(row, row + 1, col, col + 1)
    (right_col, right_row) = sides[1].groups()  # type: ignore[union-attr]
    if (left_row and int(left_row) == 0) or (right_row and int(right_row) == 0):
        return None
    if not left_col and not right_col and not (left_row and right_row):
        return None
    if not left_row and not right_row and not (left_col and right_col):
        return None
    rows = sorted([int(left_row) - 1 if left_row else -1, int(right_row) - 1 if right_row else -1])
    cols = sorted([col_index(left_col) if left_col else -1,
                   col_index(right_col) if right_col else -1])
    start_row = 0 if not left_row else (rows[0] if rows[0] >= 0 else rows[1])
    end_row = None if not right_row else rows[1] + 1
    if left_row and right_row:
        start_row, end_row = rows[0], rows[1] + 1
    start_col = 0 if not left_col else (cols[0] if cols[0] >= 0 else cols[1])
    end_col = None if not right_col else cols[1] + 1
    if left_col and right_col:
        start_col, end_col = cols[0], cols[1] + 1
    return Cells(start_row, end_row, start_col, end_col)


def quote_title(title: str) -> str:
    """A sheet title as Google writes it in a range.

    >>> quote_title("Sheet1"), quote_title("D3"), quote_title("My sheet"), quote_title("It's")
    ('Sheet1', "'D3'", "'My sheet'", "'It''s'")
    """
    if _PLAIN_TITLE.fullmatch(title) and not _LOOKS_LIKE_CELL.fullmatch(title):
        return title
    return "'" + title.replace("'", "''") + "'"


def cells_a1(cells: Cells) -> str:
    """A bounded block in A1 notation (a single cell as ``B2``).

    >>> cells_a1(Cells(0, 1000, 0, 26))
    'A1:Z1000'
    >>> cells_a1(Cells(1, 2, 1, 2))
    'B2'
    >>> cells_a1(Cells(0, None, 0, 1))
    'A:A'
    """
    def corner(row: int | None, col: int | None) -> str:
        return (col_letters(col) if col is not None else "") + (
            str(row + 1) if row is not None else "")

    end_row = None if cells.end_row is None else cells.end_row - 1
    end_col = None if cells.end_col is None else cells.end_col - 1
    start = corner(cells.start_row if cells.end_row is not None else None,
                   cells.start_col if cells.end_col is not None else None)
    if cells.end_row is not None and cells.end_col is not None and (
        end_row == cells.start_row and end_col == cells.start_col
    ):
        return start
    return f"{start}:{corner(end_row, end_col)}"


def range_a1(title: str, cells: Cells) -> str:
    """
    >>> range_a1("My sheet", Cells(0, 2, 0, 2))
    "'My sheet'!A1:B2"
    """
    return f"{quote_title(title)}!{cells_a1(cells)}"
