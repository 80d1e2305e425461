"""`guongmau demo`: provision, then live through every period of the year on the emulator.

The demo's clock ends inside the year-end period, so its forms stay open: a visitor can fill
one (the last lines print a link for someone who has not answered yet, and the command that
reopens the emulator later) and watch the row arrive in the unit's Sheet.
"""

from __future__ import annotations

import dataclasses
import random
import shlex
import socket
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from urllib.parse import quote

import requests

from emulator.cli_entry import empty_directory
from emulator.core import Config
from emulator.server import RunningEmulator, start
from functions.adapters.clients import Clients, Target
from functions.clock import local_today
from functions.config import Deployment, load
from functions.config.sample import school_year, write_sample
from functions.demo.simulation import Simulation
from functions.domain.model import PeriodKind
from functions.services import emulator_setup, remind, reports, runner
from functions.services.provision import provision
from functions.services.provision_units import form_links
from functions.services.registry import RegistryStore
from functions.services.workspace import Workspace, connect

Say = Callable[[str], None]
PREFERRED_PORT = 8765
DATA = "du-lieu-gia-lap"
# The year passes in minutes, and so do Google's per-minute quotas: the emulator counts them over
# one second (a minute of quota) and the service paces to that window, so the demo keeps Google's
# pace (and its waits, which were 100 of its 130 seconds) at the year's compression.
QUOTA_WINDOW_SECONDS = 1.0


def _free(port: int) -> int:
    with socket.socket() as probe:
        return port if probe.connect_ex(("127.0.0.1", port)) != 0 else 0


@dataclass
class DemoYear:
    """The year just lived: the emulator still serving, and the demo's «today» (the year-end
    period is open on it)."""

    running: RunningEmulator
    deployment: Deployment
    ws: Workspace
    today: date
    config: Path
    data: Path

    def collect(self) -> int:
        """Brings new answers into the unit Sheets (what Pub/Sub and the schedule do on Google)."""
        return runner.run(self.deployment, self.ws, every_form=True, today=self.today).changed


def _with_mailbox(deployment: Deployment) -> Deployment:
    """The sample names no sending mailbox (reminders stay off until a Sở names its own): the
    demo sends as its reply-to address, into the emulator's outbox."""
    notes = deployment.settings.notifications
    if not notes.email or notes.sender or not notes.reply_to:
        return deployment
    settings = dataclasses.replace(deployment.settings, notifications=dataclasses.replace(
        notes, sender=notes.reply_to))
    return dataclasses.replace(deployment, settings=settings)


def run_year(directory: Path, say: Say) -> DemoYear:
    """Runs the year; returns it with the emulator still serving, to keep or stop."""
    if not (directory / "guongmau.yaml").is_file():
        write_sample(directory, year=school_year(local_today()), only_missing=True)
    loaded = load(directory / "guongmau.yaml")  # a configuration error stops before starting
    data = directory / DATA
    empty_directory(data)
    running = start(data, _free(PREFERRED_PORT), Config(quota_window_seconds=QUOTA_WINDOW_SECONDS))
    url = running.url
    say(f"Trình giả lập Google Workspace: {url}")
    deployment = emulator_setup.prepare(url, loaded)
    deployment = _with_mailbox(deployment)
    ws = connect(Clients(Target(emulator_url=url)), deployment.settings)
    send = remind.mailbox(Clients(Target(emulator_url=url)),
                          deployment.settings.notifications.sender or "", ws.gate)
    simulation = Simulation(deployment, ws, url, random.Random(2025))
    today = deployment.periods[0].opens
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
        reminded = remind.remind(deployment, ws, send, period.deadline - timedelta(days=2),
                                 period.kind)
        say(f"Thư nhắc 2 ngày trước hạn: {reminded.sent} thư cho người chưa nộp, "
            f"{reminded.digests} thư tổng hợp cho thủ trưởng.")
        if period.kind is PeriodKind.YEAR:
            say(f"Thủ trưởng đã ghi đánh giá cho {simulation.heads_evaluate()} người; đánh dấu "
                f"{simulation.heads_mark()} ô biểu dương, nhắc nhở, cách làm hay.")
    final = runner.run(deployment, ws, full=True, today=today)
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
    outbox = requests.get(f"{url}/_emulator/gmail/outbox", timeout=30).json()["messages"]
    say(f"Thư đã gửi cả năm: {len(outbox)} (xem tại {url}/gmail/outbox).")
    calls = requests.get(f"{url}/_emulator/calls", timeout=30).json()
    say(f"Tổng số lệnh gọi API cả năm: {calls['total']}.")
    return DemoYear(running, deployment, ws, today, directory / "guongmau.yaml", data)


def try_it(demo: DemoYear) -> list[str]:
    """Where to look: the Sở's Drive and overview, and the open year-end form for someone who
    has not answered yet, with their unit's Sheet (where the answer will appear)."""
    url, deployment = demo.running.url, demo.deployment
    admin = emulator_setup.admin_of(deployment)
    registry = RegistryStore(demo.ws.state, deployment.settings.year).load()
    lines = [f"Drive của Sở (biểu mẫu, bảng theo dõi): {url}/?as={admin}"]
    if registry.overview.get("id"):
        lines.append(f"Bảng tổng hợp của Sở: {url}/spreadsheets/d/{registry.overview['id']}"
                     f"?as={admin}")
    for spec in deployment.forms:
        entry = registry.forms.get(spec.key, {})
        if spec.period is not PeriodKind.YEAR or not entry.get("accepting"):
            continue
        answered = {r.get("respondentEmail") for r in demo.ws.forms.responses(entry["id"])}
        for person in deployment.staff:
            unit = deployment.directory().unit(person.unit_code)
            sheet = registry.units.get(person.unit_code, {}).get("sheet")
            if person.group is not spec.group or person.email in answered or not unit or not sheet:
                continue
            link = next(link for link in form_links(deployment, registry, unit)
                        if link.title == spec.title)
            head = unit.head_emails[0] if unit.head_emails else admin
            return [*lines,
                    f"Biểu mẫu «{spec.title}» còn mở; điền thử với tư cách {person.name} "
                    f"({unit.name}, chưa nộp): {link.url}&as={quote(person.email)}",
                    f"Bảng theo dõi của {unit.name} (câu trả lời sẽ hiện ở đây): "
                    f"{url}/spreadsheets/d/{sheet}?as={quote(head)}"]
    return lines


def reopen(demo: DemoYear) -> list[str]:
    """The exact commands that bring the demo back after its emulator stopped."""
    program = ".venv/bin/guongmau" if Path(".venv/bin/guongmau").exists() else "guongmau"
    port = demo.running.url.rsplit(":", 1)[-1]
    address = f"http://127.0.0.1:{port}"
    return [
        f"Trình giả lập đã dừng; dữ liệu của năm chạy thử được giữ trong {demo.data}.",
        f"Mở lại: {program} emulator --data {shlex.quote(str(demo.data))} --port {port} "
        f"rồi mở {address}/?as={emulator_setup.admin_of(demo.deployment)}",
        f"Sau khi điền thử, đưa câu trả lời vào bảng: GUONGMAU_EMULATOR={address} {program} "
        f"--config {shlex.quote(str(demo.config))} collect --hom-nay {demo.today.isoformat()}",
    ]
