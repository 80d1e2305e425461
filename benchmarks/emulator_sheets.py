"""The emulator's Sheets costs that a province run multiplies: building one unit Sheet (one
batchUpdate of ~180 requests), a sync write (``appendDimension`` + ``updateCells`` rows in one
batchUpdate), the sync's reads (``spreadsheets.get`` with ranges and a ``fields`` mask,
``values.batchGet``) and persisting the spreadsheet afterwards.

In-process, through werkzeug's test client (no sockets), with the data persisted to a temporary
directory as a served emulator does. Run: ``python -m benchmarks.emulator_sheets``.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from werkzeug.test import Client

from emulator.core import Config, Emulator
from emulator.server import EmulatorApp
from functions.blueprints.layout import load_unit_layout
from functions.blueprints.unit_sheet import FormLink, build_requests
from functions.config import load

ADMIN = "admin@sgddt-demo.edu.vn"
HEADERS = {"Authorization": f"Bearer {ADMIN}"}
SAMPLE = Path(__file__).resolve().parent.parent / "functions" / "config" / "sample" / (
    "guongmau.yaml")
READ_FIELDS = ("sheets(properties(sheetId,gridProperties.rowCount),"
               "data(startRow,startColumn,rowData.values.userEnteredValue))")


def _ms(action: Callable[[], Any], repeat: int) -> tuple[float, Any]:
    """Median milliseconds of ``repeat`` runs and the last result."""
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = action()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times), result


class Bench:
    def __init__(self, directory: Path) -> None:
        self.emulator = Emulator(directory, Config(quotas_enabled=False))
        self.client = Client(EmulatorApp(self.emulator))
        deployment = load(SAMPLE)
        self.layout = load_unit_layout(7)
        self.requests = build_requests(
            self.layout, {"mo_hinh": deployment.settings.model, "nam": "2025",
                          "ten_don_vi": "THPT A", "ma_don_vi": "A"},
            deployment.periods, [FormLink("KH", "Nhóm 1", "http://x")], ADMIN)

    def call(self, method: str, path: str, **kwargs: Any) -> Any:
        answer = self.client.open(path, method=method, headers=HEADERS, **kwargs)
        if answer.status_code != 200:
            raise RuntimeError(f"{method} {path}: {answer.status_code} {answer.get_data()!r}")
        return answer.json

    def new_sheet(self) -> str:
        made = self.call("POST", "/v4/spreadsheets", json={"properties": {"title": "x"}})
        return str(made["spreadsheetId"])

    def build(self, spreadsheet_id: str) -> Any:
        return self.call("POST", f"/v4/spreadsheets/{spreadsheet_id}:batchUpdate",
                         json={"requests": self.requests})

    def sync_write(self, spreadsheet_id: str, sheet_id: int, first_row: int, rows: int,
                   width: int) -> Any:
        values = [{"values": [{"userEnteredValue": {"stringValue": f"r{first_row + r}c{c}"}}
                              for c in range(width)]} for r in range(rows)]
        requests: list[dict[str, Any]] = [
            {"appendDimension": {"sheetId": sheet_id, "dimension": "ROWS", "length": rows}},
            {"updateCells": {"start": {"sheetId": sheet_id, "rowIndex": first_row,
                                       "columnIndex": 0},
                             "rows": values, "fields": "userEnteredValue"}}]
        return self.call("POST", f"/v4/spreadsheets/{spreadsheet_id}:batchUpdate",
                         json={"requests": requests})

    def read_grid(self, spreadsheet_id: str, ranges: list[str]) -> Any:
        return self.call("GET", f"/v4/spreadsheets/{spreadsheet_id}",
                         query_string=[("ranges", r) for r in ranges] + [("fields",
                                                                          READ_FIELDS)])

    def batch_get(self, spreadsheet_id: str, ranges: list[str]) -> Any:
        return self.call("GET", f"/v4/spreadsheets/{spreadsheet_id}/values:batchGet",
                         query_string=[("ranges", r) for r in ranges] + [
                             ("valueRenderOption", "UNFORMATTED_VALUE")])


def _persist(store: Any, spreadsheet_id: str) -> None:
    store.touch("spreadsheets", spreadsheet_id)
    store.flush()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=5, help="runs per figure (median)")
    parser.add_argument("--syncs", type=int, default=10,
                        help="sync writes of 30 rows done before the measured one")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as directory:
        bench = Bench(Path(directory))
        store = bench.emulator.store
        ids = [bench.new_sheet() for _ in range(args.repeat)]
        pending = iter(ids)
        build_ms, _ = _ms(lambda: bench.build(next(pending)), args.repeat)
        flush_ms, _ = _ms(lambda: _persist(store, ids[0]), 3)
        target = ids[0]
        tab = bench.layout.tabs[0]
        width = 20
        sheet_id = tab.sheet_id
        row = 1
        for _ in range(args.syncs):
            bench.sync_write(target, sheet_id, row, 30, width)
            row += 30

        def one_sync() -> Any:
            nonlocal row
            answer = bench.sync_write(target, sheet_id, row, 30, width)
            row += 30
            return answer

        sync_ms, _ = _ms(one_sync, args.repeat)
        sync_flush_ms, _ = _ms(lambda: _persist(store, target), 3)
        ranges = [f"'{t.title}'!A:X" for t in bench.layout.tabs[:2]]
        read_ms, grid = _ms(lambda: bench.read_grid(target, ranges), args.repeat)
        values_ms, got = _ms(lambda: bench.batch_get(target, ranges), args.repeat)
        files = list(Path(directory, "spreadsheets").glob("*.json"))
        size_kb = max(f.stat().st_size for f in files) / 1024
        read_rows = sum(len(d.get("rowData", [])) for s in grid["sheets"] for d in s["data"])
        value_rows = sum(len(v.get("values", [])) for v in got["valueRanges"])
        print(f"unit Sheet build ({len(bench.requests)} requests): {build_ms:8.1f} ms")
        print(f"  persist the built Sheet (store.flush):      {flush_ms:8.1f} ms")
        print(f"sync write (appendDimension + 30 rows x {width} cells, after {args.syncs} "
              f"syncs): {sync_ms:8.1f} ms")
        print(f"  persist after the sync (store.flush):       {sync_flush_ms:8.1f} ms, "
              f"largest spreadsheet file {size_kb:.0f} KiB")
        print(f"read: spreadsheets.get ranges + fields mask ({read_rows} rows): "
              f"{read_ms:8.1f} ms")
        print(f"read: values.batchGet ({value_rows} rows):                  {values_ms:8.1f} ms")


if __name__ == "__main__":
    main()
