"""Throughput of the emulator on simple calls: ``python -m emulator.bench [--seconds 5]``.

Starts an in-process emulator (quotas off), makes a small spreadsheet, form and doc as a user,
then repeats each simple call for ``--seconds`` over real HTTP, through the real clients
(google-api-python-client, gspread) and through a raw keep-alive ``requests.Session``, and
prints calls per second. Single-threaded: one client waits for each answer, as the service does.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import requests

from emulator.core import Config
from emulator.server import RunningEmulator, start
from functions.adapters.clients import Clients, Target

USER = "bench@sgddt-demo.edu.vn"


@dataclass(frozen=True)
class Measure:
    name: str
    calls: int
    seconds: float
    error: str = ""

    @property
    def rate(self) -> float:
        return self.calls / self.seconds if self.seconds else 0.0


def measure(name: str, call: Callable[[], Any], seconds: float) -> Measure:
    """Repeats ``call`` for ``seconds`` (at least once); a failing call ends the row."""
    calls, began = 0, time.perf_counter()
    try:
        while True:
            call()
            calls += 1
            elapsed = time.perf_counter() - began
            if elapsed >= seconds:
                return Measure(name, calls, elapsed)
    except Exception as exc:  # the row says what failed; the others still run
        return Measure(name, calls, time.perf_counter() - began, f"{type(exc).__name__}: {exc}")


def _fixtures(clients: Clients) -> dict[str, str]:
    """Ids of a small spreadsheet (3×3 values), a form and a doc, made by ``clients``."""
    ids: dict[str, str] = {}
    sheets = clients.service("sheets").spreadsheets()
    ids["sheet"] = sheets.create(body={"properties": {"title": "Đo thông lượng"}},
                                 fields="spreadsheetId").execute()["spreadsheetId"]
    sheets.values().update(spreadsheetId=ids["sheet"], range="A1:C3", valueInputOption="RAW",
                           body={"values": [["Đơn vị", "Số", "Ghi chú"], ["A", "1", "x"],
                                            ["B", "2", "y"]]}).execute()
    ids["form"] = clients.service("forms").forms().create(
        body={"info": {"title": "Đo thông lượng"}}).execute()["formId"]
    ids["doc"] = clients.service("docs").documents().create(
        body={"title": "Đo thông lượng"}).execute()["documentId"]
    return ids


def run(seconds: float, running: RunningEmulator | None = None) -> list[Measure]:
    """Measures every simple call; starts (and stops) an emulator unless one is given."""
    own = running is None
    running = running or start(config=Config(quotas_enabled=False))
    try:
        clients = Clients(Target(emulator_url=running.url, user=USER))
        ids = _fixtures(clients)
        sheets = clients.service("sheets").spreadsheets()
        drive = clients.service("drive").files()
        forms = clients.service("forms").forms()
        docs = clients.service("docs").documents()
        worksheet = clients.gspread.open_by_key(ids["sheet"]).sheet1
        session = requests.Session()
        session.trust_env = False  # no proxy or netrc look-ups per call: the raw HTTP rate
        session.headers["Authorization"] = f"Bearer {USER}"
        url = running.url

        def raw(path: str) -> Callable[[], Any]:
            def get() -> Any:
                answer = session.get(url + path, timeout=30)
                answer.raise_for_status()
                return answer.content
            return get

        plan: list[tuple[str, Callable[[], Any]]] = [
            ("sheets values.get A1:C3 (googleapiclient)",
             sheets.values().get(spreadsheetId=ids["sheet"], range="A1:C3").execute),
            ("sheets values.get A1:C3 (gspread)", lambda: worksheet.get("A1:C3")),
            ("drive files.get (googleapiclient)",
             drive.get(fileId=ids["sheet"], fields="id,name,mimeType").execute),
            ("forms forms.get (googleapiclient)", forms.get(formId=ids["form"]).execute),
            ("docs documents.get (googleapiclient)", docs.get(documentId=ids["doc"]).execute),
            ("sheets values.get A1:C3 (requests, raw HTTP)",
             raw(f"/v4/spreadsheets/{ids['sheet']}/values/A1:C3")),
            ("drive files.get (requests, raw HTTP)",
             raw(f"/drive/v3/files/{ids['sheet']}?fields=id,name")),
        ]
        return [measure(name, call, seconds) for name, call in plan]
    finally:
        if own:
            running.stop()


def table(rows: list[Measure]) -> str:
    width = max(len(r.name) for r in rows)
    lines = [f"{'Lời gọi':<{width}}  {'số lần':>7}  {'giây':>6}  {'lần/giây':>9}"]
    for row in rows:
        line = f"{row.name:<{width}}  {row.calls:>7}  {row.seconds:>6.2f}  {row.rate:>9.1f}"
        lines.append(line + (f"  LỖI: {row.error}" if row.error else ""))
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m emulator.bench",
        description="Đo thông lượng của trình giả lập (số lời gọi mỗi giây) qua HTTP thật.")
    parser.add_argument("--seconds", type=float, default=5.0,
                        help="thời gian đo cho mỗi loại lời gọi (mặc định 5 giây)")
    arguments = parser.parse_args(argv)
    rows = run(arguments.seconds)
    print("Thông lượng trình giả lập (một luồng, hạn mức tắt, 127.0.0.1):")
    print(table(rows))
    return 1 if any(r.error for r in rows) else 0


if __name__ == "__main__":
    raise SystemExit(main())
