"""Cost of collection at province scale: one response per staff member (60 000 across 2 000
units by default) collected by the service, next to a naive one-append-per-response approach
run on the same data (``python -m benchmarks.collect_cost [--units N] [--naive-limit M]
[--quota-window S]``).

The emulator runs in its own process, so the CPU time measured here is the service's alone;
each step (provision, seed, collect) also reports the emulator's CPU, and the run the peak
memory of both processes (the service's peak RSS over the collection alone) and the bytes of
state the collection read and wrote. Quotas are off unless
``--quota-window`` is given: then the emulator enforces Google's per-minute quotas over
windows of S seconds (compressed time) and the service paces itself to them. The least time
under Google's quotas is computed from the call counts at the per-user limits (one service
account is one user), not measured.
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import socket
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import TypeVar

import requests

from benchmarks.province import Province, plan_answers
from benchmarks.quota_time import least_minutes
from functions.adapters.clients import Clients, Target
from functions.config import Deployment, load
from functions.domain.routing import route
from functions.progress import no_progress, on_console
from functions.services import emulator_setup, runner
from functions.services.form_responses import to_response
from functions.services.provision import provision
from functions.services.registry import RegistryStore
from functions.services.workspace import Progress, Workspace, connect

TODAY = date(2025, 2, 20)
T = TypeVar("T")
SEED_BATCH = 500
APPEND = "sheets.spreadsheets.values.append"


def _port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _serve(data: Path, quota_window: float | None = None
           ) -> tuple[subprocess.Popen[bytes], str]:
    port = _port()
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    quotas = ["--no-quotas"] if quota_window is None else ["--quota-window", str(quota_window)]
    process = subprocess.Popen([sys.executable, "-m", "emulator", "--port", str(port),
                                "--data", str(data), *quotas], env=env,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    for _ in range(200):
        try:
            requests.get(f"{url}/_emulator/health", timeout=1)
            return process, url
        except requests.ConnectionError:
            time.sleep(0.05)
    process.kill()
    raise RuntimeError("the emulator did not start")


@contextmanager
def served_province(units: int, progress: Progress = no_progress
                    ) -> Iterator[tuple[Deployment, Workspace, str]]:
    """A generated province of ``units`` on an emulator of its own (quotas off), connected; the
    emulator stops when the block exits."""
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        config = Province(units).write(root / "province")
        process, url = _serve(root / "emulator")
        try:
            deployment = emulator_setup.prepare(url, load(config))
            yield deployment, connect(Clients(Target(emulator_url=url)), deployment.settings,
                                      progress=progress), url
        finally:
            process.terminate()
            process.wait(timeout=30)


def _seed(deployment: Deployment, ws: Workspace, url: str, period: str = "ke-hoach") -> int:
    """One plan (or ``period``'s report) per staff member, submitted straight into the forms
    (as Google would hold)."""
    registry = RegistryStore(ws.state, deployment.settings.year).load()
    rng = random.Random(7)
    directory = deployment.directory()
    total = 0
    for group in (1, 2):
        key = f"{period}-nhom-{group}"
        spec, entry = deployment.form(key), registry.forms[key]
        batch: list[dict[str, object]] = []
        for person in (p for p in deployment.staff if p.group.value == group):
            answers = plan_answers(spec, entry["questions"], person,
                                   directory.unit(person.unit_code), rng)
            batch.append({"respondentEmail": person.email, "answers": answers})
            if len(batch) == SEED_BATCH:
                total += _post(url, entry["id"], batch)
                batch = []
        total += _post(url, entry["id"], batch)
    return total


def _post(url: str, form_id: str, batch: list[dict[str, object]]) -> int:
    if batch:
        requests.post(f"{url}/_emulator/forms/{form_id}/responses:batch",
                      json={"responses": batch}, timeout=600).raise_for_status()
    return len(batch)


def _calls(url: str, reset: bool = False) -> Counter[str]:
    found = Counter(requests.get(f"{url}/_emulator/calls", timeout=30).json()["methods"])
    if reset:
        requests.delete(f"{url}/_emulator/calls", timeout=30)
    return found


def naive(deployment: Deployment, ws: Workspace, clients: Clients, limit: int) -> int:
    """The approach we do not take: list, route, and one values.append per response. Every
    response is listed and routed; only the first ``limit`` are appended (a sample)."""
    registry = RegistryStore(ws.state, deployment.settings.year).load()
    directory = deployment.directory()
    appended = 0
    for key in ("ke-hoach-nhom-1", "ke-hoach-nhom-2"):
        spec, entry = deployment.form(key), registry.forms[key]
        questions = {qid: qkey for qkey, qid in entry["questions"].items()}
        for raw in ws.forms.responses(entry["id"]):
            response = to_response(raw, spec, questions, deployment.settings.year)
            unit = route(response, directory).unit_code
            sheet = registry.units.get(unit or "", {}).get("sheet")
            if not sheet or appended >= limit:
                continue
            row = [response.response_id, response.respondent_email or "",
                   "\n".join(response.text(k) for k in spec.answer_keys)]
            ws.gate.run("sheets", "write", lambda sheet=sheet, row=row:  # paced as ours are
                        clients.gspread.http_client.values_append(
                            sheet, "'Kế hoạch'!A1", params={"valueInputOption": "RAW"},
                            body={"values": [row]}))
            appended += 1
    return appended


def collect_process(config: Path, url: str) -> tuple[str, float, float]:
    """``guongmau collect --full`` in a process of its own, as a function instance runs it:
    its output, its peak resident memory (MB) and its CPU seconds."""
    command = [str(Path(sys.executable).parent / "guongmau"), "--config", str(config), "collect",
               "--full", "--gioi-han", "36000", "--hom-nay", TODAY.isoformat()]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    done = subprocess.run(command, env={**os.environ, "GUONGMAU_EMULATOR": url},
                          capture_output=True, text=True, check=False)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)  # the emulator is not waited for yet
    cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    return done.stdout.strip() + done.stderr[-2000:], after.ru_maxrss / 1024, cpu


def cpu_seconds(pid: int) -> float:
    """User + system CPU of a process so far (Linux ``/proc``)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def peak_mb(pid: int | str = "self") -> float:
    """Peak resident memory (VmHWM) of a process, in MB (Linux ``/proc``)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


def reset_peak() -> None:
    """Starts this process's VmHWM again from its current size (Linux ``clear_refs``)."""
    Path("/proc/self/clear_refs").write_text("5")


class Steps:
    """Wall time, service CPU and emulator CPU of each step, printed as it ends."""

    def __init__(self, emulator_pid: int) -> None:
        self.pid = emulator_pid
        self.lines: list[str] = []

    def run(self, label: str, action: Callable[[], T]) -> T:
        wall, cpu, emulator = time.monotonic(), time.process_time(), cpu_seconds(self.pid)
        result = action()
        line = (f"{label:10} {time.monotonic() - wall:9.1f} s {time.process_time() - cpu:9.1f} s "
                f"{cpu_seconds(self.pid) - emulator:9.1f} s")
        self.lines.append(line)
        print(line, flush=True)
        return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--units", type=int, default=2000)
    parser.add_argument("--naive-limit", type=int, default=None,
                        help="append at most this many responses the naive way (default: all)")
    parser.add_argument("--quota-window", type=float, default=None, metavar="S",
                        help="enforce the quotas per window of S seconds (default: quotas off)")
    parser.add_argument("--process", action="store_true",
                        help="collect with `guongmau collect --full` in a process of its own and "
                             "report its peak memory (what a function instance needs)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        config = Province(args.units).write(root / "province")
        process, url = _serve(root / "emulator", args.quota_window)
        try:
            deployment = emulator_setup.prepare(url, load(config))
            clients = Clients(Target(emulator_url=url))
            ws = connect(clients, deployment.settings, progress=on_console())
            steps = Steps(process.pid)
            print(f"{'bước/step':10} {'thực/wall':>11} {'CPU dịch vụ':>11} "
                  f"{'CPU giả lập':>11}", flush=True)
            steps.run("provision", lambda: provision(deployment, ws, TODAY))
            seeded = steps.run("seed", lambda: _seed(deployment, ws, url))
            print(f"{seeded} câu trả lời / responses in {len(deployment.active_units)} đơn vị / "
                  "units", flush=True)
            _calls(url, reset=True)
            if args.process:
                _calls(url, reset=True)
                wall = time.monotonic()
                output, peak, cpu = collect_process(config, url)
                print(f"{output}\ncollect (một tiến trình riêng / own process): thực / wall "
                      f"{time.monotonic() - wall:.1f} s, CPU {cpu:.1f} s, bộ nhớ đỉnh / peak "
                      f"RSS {peak:.0f} MB\n" + "\n".join(
                          f"{method:38} {count:>8}" for method, count
                          in sorted(_calls(url).items())), flush=True)
                return
            reset_peak()
            moved = Counter(ws.state.moved)
            cpu, wall = time.process_time(), time.monotonic()
            outcome = steps.run("collect", lambda: runner.run(
                deployment, ws, full=True, budget_seconds=36_000, today=TODAY))
            ours = (_calls(url, reset=True), time.process_time() - cpu, time.monotonic() - wall)
            service_peak = peak_mb()
            moved = ws.state.moved - moved
            print(f"Trạng thái / state (Cloud Storage): đọc / read {moved['read'] / 1e6:.1f} MB, "
                  f"ghi / written {moved['written'] / 1e6:.1f} MB", flush=True)
            print(f"applied {outcome.changed}, units written {outcome.units_written}",
                  flush=True)
            cpu, wall = time.process_time(), time.monotonic()
            appended = naive(deployment, ws, clients, args.naive_limit or seeded)
            theirs = (_calls(url), time.process_time() - cpu, time.monotonic() - wall)
            print(_table(seeded, appended, ours, theirs))
            print(f"Bộ nhớ đỉnh / peak memory: dịch vụ khi thu thập / service while collecting "
                  f"{service_peak:.0f} MB; trình giả lập / emulator {peak_mb(process.pid):.0f} MB")
        finally:
            process.terminate()
            process.wait(timeout=30)


def _table(seeded: int, appended: int, ours: tuple[Counter[str], float, float],
           theirs: tuple[Counter[str], float, float]) -> str:
    scale = seeded / appended if appended else 0.0
    lines = [f"{'':38} {'guongmau':>14} {'naive (1 append/response)':>28}"]
    methods = sorted(set(ours[0]) | set(theirs[0]))
    for method in methods:
        lines.append(f"{method:38} {ours[0][method]:>14} {theirs[0][method]:>28}")
    ours_min = max(least_minutes(ours[0]).values())
    theirs_calls = Counter(theirs[0])  # the appends scaled to all; lists are all counted
    theirs_calls[APPEND] = round(theirs_calls[APPEND] * scale)
    theirs_min = max(least_minutes(theirs_calls).values())
    lines += [
        f"{'Tổng lượt gọi / total calls':38} {sum(ours[0].values()):>14} "
        f"{sum(theirs[0].values()):>28}",
        f"{'Thời gian CPU / CPU time (s)':38} {ours[1]:>14.1f} {theirs[1]:>28.1f}",
        f"{'Thời gian thực / wall time (s)':38} {ours[2]:>14.1f} {theirs[2]:>28.1f}",
        f"{'Ít nhất theo hạn mức / least (min)':38} {ours_min:>14.0f} {theirs_min:>28.0f}",
    ]
    if appended < seeded:
        lines.append(f"(naive measured on {appended} of {seeded} responses; its least time is "
                     "scaled to all of them)")
    return "\n".join(lines)


if __name__ == "__main__":
    main()
