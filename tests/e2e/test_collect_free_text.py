"""Free text is stored as typed, never parsed, and never cut: a formula stays a string, markup
stays verbatim, and an answer longer than a cell is continued in «Nội dung dài», whole."""

from __future__ import annotations

from typing import Any

from tests.e2e import collect_helpers as helpers
from tests.e2e.collect_helpers import OVERFLOW_TITLE, YEAR_END, Province, assert_projection

collect_snapshot = helpers.collect_snapshot  # fixture
province = helpers.province  # fixture

FORMULA = '=IMPORTXML("http://x","//a")'
SCRIPT = "<script>alert(1)</script>"
CELL_LIMIT = 50_000  # UTF-16 units
# The header is «Khó khăn, vướng mắc»; matching its beginning keeps the test about the
# free text, not the wording.
LONG_HEADER = "Khó khăn"


def long_text(seed: str, length: int = 120_000) -> str:
    """Text whose every stretch is different, so a piece lost, doubled or misplaced shows."""
    words = []
    number = 0
    while sum(map(len, words)) < length:
        words.append(f"{seed}{number:06d} ")
        number += 1
    return "".join(words)[:length - 1] + "."  # Forms trims a trailing space


def units(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def emoji_text(seed: str, length: int) -> str:
    """Text of ``length`` UTF-16 units, mostly emoji (two units each), every stretch
    different."""
    words = []
    number = 0
    while sum(map(units, words)) < length:
        words.append(f"{seed}{number:05d}😀😀😀😀😀😀😀😀🇻🇳 ")
        number += 1
    text = "".join(words)
    while units(text) > length - 1:
        text = text[:-1]
    return text + "."


def typed_cells(province: Province, tab: str, response_id: str) -> dict[str, dict[str, Any]]:
    """The row's cells as stored (``userEnteredValue``), by header, through spreadsheets.get."""
    answer = province.sheets_api().spreadsheets().get(
        spreadsheetId=province.unit_sheet(unit_of(province, response_id)),
        ranges=[f"'{tab}'!A1:AZ50"], includeGridData=True,
        fields="sheets.data.rowData.values.userEnteredValue").execute()
    rows = answer["sheets"][0]["data"][0]["rowData"]
    header = [c.get("userEnteredValue", {}).get("stringValue") for c in rows[0]["values"]]
    for row in rows[1:]:
        values = row.get("values", [])
        if values and values[0].get("userEnteredValue", {}).get("stringValue") == response_id:
            return {h: c.get("userEnteredValue", {}) for h, c in zip(header, values, strict=False)}
    raise AssertionError(f"{response_id} not found in {tab}")


def unit_of(province: Province, response_id: str) -> str:
    person = province.person(province.responses[response_id].email)
    assert person is not None
    return person.unit_code


def overflow_pieces(province: Province, code: str, response_id: str) -> list[list[Any]]:
    rows = province.values(province.unit_sheet(code), [f"'{OVERFLOW_TITLE}'!A2:E"])[0]
    return [row for row in rows if row and row[0] == response_id]


def whole_text(province: Province, tab: str, response_id: str) -> str:
    """The cell's text without its continuation mark, followed by its pieces, in order."""
    cells = typed_cells(province, tab, response_id)
    header = next(h for h in cells if h and h.startswith(LONG_HEADER))
    cell = cells[header]["stringValue"]
    assert units(cell) <= CELL_LIMIT
    head, mark, where = cell.rpartition(f"… (phần tiếp theo ở tab «{OVERFLOW_TITLE}», dòng ")
    assert mark, "the cell says where its text continues"
    pieces = [p for p in overflow_pieces(province, unit_of(province, response_id), response_id)
              if p[1] == tab]  # the history's own pieces are the other tab's
    rows = province.values(province.unit_sheet(unit_of(province, response_id)),
                           [f"'{OVERFLOW_TITLE}'!A1:E"])[0]
    first = int(where.rstrip(")"))
    assert rows[first - 1][0] == response_id, "the mark names the first continuation row"
    assert all(units(str(p[4])) <= CELL_LIMIT for p in pieces)
    assert [p[3] for p in pieces] == list(range(2, 2 + len(pieces))), pieces
    assert {(p[1], p[2]) for p in pieces} == {(tab, header)}
    return head + "".join(str(p[4]) for p in pieces)


def test_a_typed_formula_and_markup_are_stored_as_strings_verbatim(province: Province) -> None:
    binh = province.submit_as("ke-hoach-nhom-2", "binhnd@sgddt-demo.edu.vn", "x",
                              ho_ten=FORMULA, tc1_noi_dung=SCRIPT)
    province.collect()
    cells = typed_cells(province, "Kế hoạch", binh.response_id)
    assert cells["Họ và tên"] == {"stringValue": FORMULA}
    assert cells["Tiêu chí 1"]["stringValue"].startswith(f"Nội dung: {SCRIPT}\n")
    assert_projection(province)


def test_a_120000_character_answer_is_kept_whole_and_replaced_whole_when_edited(
        province: Province) -> None:
    original = long_text("a")
    lien = province.submit_as("ca-nam-nhom-2", "liennp@sgddt-demo.edu.vn", "c1",
                              kho_khan=original)
    province.submit_as("ca-nam-nhom-2", "nhungnt@sgddt-demo.edu.vn", "c1",
                       kho_khan=long_text("b", 60_000))
    province.collect(today=YEAR_END)
    assert whole_text(province, "Cả năm", lien.response_id) == original
    edited = long_text("c", 110_000)
    province.edit(lien.response_id, "c2", kho_khan=edited)
    province.collect(today=YEAR_END, full=True)
    assert whole_text(province, "Cả năm", lien.response_id) == edited
    assert_projection(province, YEAR_END)


def test_an_answer_of_emoji_is_split_by_utf16_units_and_kept_whole(province: Province) -> None:
    """30 000 emoji are 30 000 characters to Python but 60 000 units to a cell's limit."""
    only_emoji = "😀" * 30_000
    mixed = emoji_text("e", 130_000)
    lien = province.submit_as("ca-nam-nhom-2", "liennp@sgddt-demo.edu.vn", "e1",
                              kho_khan=only_emoji)
    nhung = province.submit_as("ca-nam-nhom-2", "nhungnt@sgddt-demo.edu.vn", "e1",
                               kho_khan=mixed)
    outcome = province.collect(today=YEAR_END)
    assert outcome.complete
    assert whole_text(province, "Cả năm", lien.response_id) == only_emoji
    assert whole_text(province, "Cả năm", nhung.response_id) == mixed
