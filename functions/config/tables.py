"""Read the units and roster files (CSV or XLSX) into rows keyed by their header names."""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from functions.config import legacy_text
from functions.config.encoding import NotUtf8, decode
from functions.config.errors import Problems
from functions.domain.text import fold, nfc

LEGACY_SHOWN = 5  # cells in legacy encodings named one by one, per file


@dataclass(frozen=True)
class Row:
    number: int  # as a spreadsheet counts: the header is row 1
    cells: dict[str, str]  # canonical column name -> NFC, stripped text ("" when empty)


@dataclass(frozen=True)
class Table:
    file: str
    columns: tuple[str, ...]  # canonical names of the expected columns present in the file
    rows: tuple[Row, ...]


def read_table(
    path: Path,
    display: str,
    required: tuple[str, ...],
    optional: tuple[str, ...],
    problems: Problems,
) -> Table | None:
    """The table, or None (with problems recorded) when it cannot be read at all.

    Header names are matched ignoring case, spacing and tone-mark placement; a missing required
    column is a problem on row 1 and leaves no rows. Empty rows are skipped.
    """
    try:
        raw = _read_rows(path)
    except (OSError, NotUtf8, ValueError) as error:
        problems.add(display, None, None, str(error))
        return None
    if not raw:
        problems.add(display, None, None, "tệp trống, không có dòng tiêu đề")
        return None
    wanted = {fold(name): name for name in (*required, *optional)}
    positions = {wanted[fold(h)]: i for i, h in enumerate(raw[0]) if fold(h) in wanted}
    missing = [name for name in required if name not in positions]
    for name in missing:
        problems.add(display, 1, name, "thiếu cột bắt buộc")
    if missing:  # the rows cannot be read without it: report the header only
        return None
    rows = []
    width = len(raw[0])
    for index, values in enumerate(raw[1:], start=2):
        if not any(value for value in values):
            continue
        if any(values[width:]):
            problems.add(display, index, None,
                         f"dòng có {len(values)} ô, nhiều hơn {width} cột của dòng tiêu đề; có thể "
                         "một ô chứa dấu phẩy mà không đặt trong dấu ngoặc kép")
        cells = {
            name: (values[i] if i < len(values) else "") for name, i in positions.items()
        }
        rows.append(Row(index, cells))
    _refuse_legacy_text(rows, display, problems)
    return Table(display, tuple(positions), tuple(rows))


def _refuse_legacy_text(rows: list[Row], display: str, problems: Problems) -> None:
    """Cells typed in TCVN3/VNI (valid UTF-8, wrong letters): each of the first few is named,
    then one line counts the rest, since a whole file converted wrongly has hundreds."""
    found = [(row.number, column, message) for row in rows for column, value in row.cells.items()
             if (message := legacy_text.problem(value)) is not None]
    for number, column, message in found[:LEGACY_SHOWN]:
        problems.add(display, number, column, message)
    if len(found) > LEGACY_SHOWN:
        problems.add(display, None, None,
                     f"còn {len(found) - LEGACY_SHOWN} ô khác cũng không phải chữ Unicode; hãy "
                     "chuyển cả tệp sang Unicode như trên")


def _read_rows(path: Path) -> list[list[str]]:
    if not path.is_file():
        raise ValueError(f"không tìm thấy tệp {path}")
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        return _xlsx_rows(path)
    if suffix == ".xls":
        raise ValueError(
            "định dạng Excel cũ (.xls) không được hỗ trợ; hãy lưu thành .xlsx hoặc CSV UTF-8"
        )
    return _csv_rows(decode(path.read_bytes()))


def _csv_rows(text: str) -> list[list[str]]:
    first_line = text.split("\n", 1)[0]
    delimiter = max(",;\t", key=first_line.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    return [[nfc(cell) for cell in row] for row in reader]


def _xlsx_rows(path: Path) -> list[list[str]]:
    from openpyxl import load_workbook  # imported here: only XLSX users pay for it

    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError) as error:
        raise ValueError(f"không đọc được tệp Excel ({error})") from None
    try:
        sheet = workbook.worksheets[0]
        return [_cells(row) for row in sheet.iter_rows(values_only=True)]
    finally:
        workbook.close()


def _cells(values: Iterable[object]) -> list[str]:
    return [_cell_text(value) for value in values]


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime | date):
        return value.isoformat()
    return nfc(str(value))
