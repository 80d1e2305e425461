"""`guongmau demo`: provision, then live through every period of the year on the emulator."""

from __future__ import annotations

import random
import socket
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import requests

from emulator.cli_entry import empty_directory
from emulator.server import RunningEmulator, start
from functions.adapters.clients import Clients, Target
from functions.config import load
from functions.config.sample import write_sample
from functions.demo.simulation import Simulation
from functions.domain.model import PeriodKind
from functions.services import emulator_setup, reports, runner
from functions.services.provision import provision
from functions.services.workspace import connect

Say = Callable[[str], None]
PREFERRED_PORT = 8765


def _free(port: int) -> int:
    with socket.socket() as probe:
        return port if probe.connect_ex(("127.0.0.1", port)) != 0 else 0


def run_year(directory: Path, say: Say) -> RunningEmulator:
    """Runs the year; returns the emulator, still serving, for the caller to keep or stop."""
    if not (directory / "guongmau.yaml").is_file():
        write_sample(directory)
    loaded = load(directory / "guongmau.yaml")  # a configuration error stops before starting
    data = directory / "du-lieu-gia-lap"
    empty_directory(data)
    running = start(data, _free(PREFERRED_PORT))
    url = running.url
    say(f"Trình giả lập Google Workspace: {url}")
    deployment = emulator_setup.prepare(url, loaded)
    ws = connect(Clients(Target(emulator_url=url)), deployment.settings)
    simulation = Simulation(deployment, ws, url, random.Random(2025))
    for period in deployment.periods:
        today = period.opens + timedelta(days=3)
        say(f"\n== {period.label} (mở {period.opens:%d/%m}, hạn {period.deadline:%d/%m/%Y}) ==")
        actions = provision(deployment, ws, today).actions
        say(f"Chuẩn bị: {len(actions)} việc (tạo mới hoặc mở/đóng biểu mẫu).")
        sent = sum(simulation.submit(f"{period.id}-nhom-{group}", share)
                   for group, share in ((1, 0.95), (2, 0.85)))
        outcome = runner.run(deployment, ws, every_form=True, today=today)
        say(f"{sent} người đã gửi; đồng bộ ghi {outcome.units_written} bảng đơn vị.")
        if period.kind is PeriodKind.PLAN:
            say(f"Thủ trưởng đã xác nhận {simulation.heads_confirm(0.7)} kế hoạch.")
            name = simulation.revise_confirmed_plan()
            simulation.outsider()
            again = runner.run(deployment, ws, every_form=True, today=today)
            say(f"{name} sửa kế hoạch đã gửi (nếu đã được xác nhận, bảng ghi «Đã sửa sau xác "
                "nhận» để thủ trưởng xác nhận lại); một người ngoài danh sách nhân sự gửi phiếu "
                f"(xếp theo đơn vị đã chọn, có ghi chú): đồng bộ ghi {again.units_written} bảng.")
        if period.kind is PeriodKind.YEAR:
            say(f"Thủ trưởng đã ghi đánh giá cho {simulation.heads_evaluate()} người; đánh dấu "
                f"{simulation.heads_mark()} ô biểu dương, nhắc nhở, cách làm hay.")
    final = runner.run(deployment, ws, full=True, today=deployment.periods[-1].deadline)
    say(f"\nĐối soát cuối năm: đọc lại {final.listed} câu trả lời; {final.changed} câu còn "
        "thiếu trong bảng đơn vị đã được ghi bổ sung.")
    admin = emulator_setup.admin_of(deployment)
    say("\nBáo cáo (Google Docs, kèm DOCX và PDF) của Sở và của từng đơn vị, theo từng kỳ:")
    for period in deployment.periods:
        made = reports.make_reports(deployment, ws, period.kind, period.report_day).published
        say(f"  {period.label}: {len(made)} văn bản; báo cáo của Sở: "
            f"{url}/document/d/{made[0].doc_id}?as={admin}")
    postings = reports.make_postings(deployment, ws, deployment.periods[-1].report_day)
    say("Niêm yết công khai kế hoạch Nhóm 1 của từng đơn vị:")
    for posted in postings.published:
        say(f"  {posted.title}: {url}/document/d/{posted.doc_id}?as={admin}")
    calls = requests.get(f"{url}/_emulator/calls", timeout=30).json()
    say(f"Tổng số lệnh gọi API cả năm: {calls['total']}.")
    say(f"Xem Drive, biểu mẫu, bảng theo dõi (khi trình giả lập còn chạy): "
        f"{url}/?as={emulator_setup.admin_of(deployment)}")
    return running
