"""A ``spreadsheets.get`` with a ``fields`` mask builds only what the mask asks for (a sync's
read skips the protections and dimension sizes of a unit Sheet); its answer must stay
exactly a broader read's answer trimmed by the mask.

(Not the unmasked answer trimmed: with a cell mask, cells are trimmed before trailing empty
rows and values are, as recorded from Google; see ``sheets_grid.grid_data``.)"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from benchmarks.emulator_sheets import READ_FIELDS, Bench
from emulator import fieldmask

EVERY_PART = ("sheets(properties,bandedRanges,protectedRanges,merges,conditionalFormats,"
              "basicFilter,data(startRow,startColumn,rowMetadata,columnMetadata,rowData(values("
              "{cells}))))")
MASKS = (  # (mask, the cells the broader read asks for)
    (READ_FIELDS, "userEnteredValue"),  # the collection's read
    ("sheets(properties(sheetId,title),bandedRanges,protectedRanges)", "userEnteredValue"),
    ("sheets.data.rowMetadata.pixelSize,sheets.data.rowData.values.userEnteredFormat",
     "userEnteredFormat"),
    ("sheets(data(startRow,columnMetadata))", "userEnteredValue"),
    ("sheets/properties/gridProperties", "note"),
)


@pytest.fixture(scope="module")
def unit_sheet(tmp_path_factory: pytest.TempPathFactory) -> tuple[Bench, str, list[str]]:
    bench = Bench(Path(tmp_path_factory.mktemp("masked")))
    sheet = bench.new_sheet()
    bench.build(sheet)
    tab = bench.layout.tabs[0]
    bench.sync_write(sheet, tab.sheet_id, 1, 30, 12)
    ranges = [f"'{t.title}'!A2:H" for t in bench.layout.tabs[:2]] + [
        f"'{bench.layout.text('roster', 'title')}'!A2:A"]
    return bench, sheet, ranges


def _get(bench: Bench, sheet: str, ranges: list[str], *query: tuple[str, str]) -> Any:
    return bench.call("GET", f"/v4/spreadsheets/{sheet}",
                      query_string=[("ranges", r) for r in ranges] + list(query))


@pytest.mark.parametrize(("mask", "cells"), MASKS)
def test_a_masked_read_answers_a_broader_reads_answer_trimmed_by_its_mask(
    unit_sheet: tuple[Bench, str, list[str]], mask: str, cells: str
) -> None:
    bench, sheet, ranges = unit_sheet
    broader = _get(bench, sheet, ranges, ("fields", EVERY_PART.format(cells=cells)))
    assert all(one["protectedRanges"] for one in broader["sheets"]), "a part to leave out"
    assert _get(bench, sheet, ranges, ("fields", mask)) == fieldmask.apply(
        broader, fieldmask.parse(mask))
