"""The province benchmark: ``python -m benchmarks.province --units N [--compress F]``.

The emulator enforces Google's per-minute quotas in compressed time (its window and the
service's ``pacing.window_seconds`` are both a minute divided by F, 34 by default: 34 minutes
of quota take about one), and the service runs each step as its functions would, a run at a
time within the run's budget (3 600 s for HTTP, 540 s for an event, compressed the same way),
again until the step is complete:
provisioning, the full plan collection, a period opening (provisioning opens the form; the
reconcile writes no Sheet: what they show holds whatever the day), one new response (its
notification), an idle reconcile, an edit (its notification, then the reconcile), the plan
period's reports.

For each step: calls per quota bucket; runs made (measured, in compressed time, so the
emulator's and the service's own processing, which is not compressed, counts too) and runs
needed on Google (computed from the calls at the per-user limits, ``pacing.minimum_seconds``);
the service's CPU seconds and the emulator's; the service's peak memory; the least time on
Google (uncompressed). Then the naive one-append-per-response baseline on the same data.
After the collection and after the edit every unit Sheet is read back (quotas paused, calls
not counted): each response in exactly one row (none lost, none twice). Failed runs (a run
that raised) are counted and printed; the command exits 1 unless everything holds.
"""

from __future__ import annotations

import random
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import requests

from benchmarks.collect_cost import (
    APPEND,
    TODAY,
    _calls,
    _seed,
    _serve,
    cpu_seconds,
    naive,
    peak_mb,
    reset_peak,
)
from benchmarks.province import Province, plan_answers
from benchmarks.quota_time import bucket_counts, least_seconds, runs_needed
from functions.adapters.clients import Clients, Target
from functions.adapters.forms import Forms
from functions.adapters.pacing import MINUTE
from functions.adapters.retry import Gate
from functions.adapters.sheets import Sheets
from functions.config import Deployment, load
from functions.domain.model import PeriodKind
from functions.main import EVENT_LIMIT, HTTP_LIMIT
from functions.progress import on_console
from functions.services import emulator_setup, reports, runner
from functions.services.budget import MARGIN
from functions.services.provision import layout_for, provision
from functions.services.registry import RegistryStore
from functions.services.workspace import Workspace, connect

COMPRESS = 34.0  # 34 minutes of quota in about one
MAX_RUNS = 40  # a step still incomplete after this many runs is a failure of the benchmark
NEW_PERIOD = PeriodKind.Q1


@dataclass
class Step:
    label: str
    calls: Counter[str]
    runs: int
    failed: int
    limit: float  # the function's time limit on Google (seconds)
    cpu: float  # the service's
    emulator_cpu: float
    peak_mb: float  # the service's
    wall: float  # compressed
    refused: int  # calls the emulator refused over a quota (the limiter should keep it at 0)

    @property
    def least(self) -> float:
        return least_seconds(self.calls)

    @property
    def google_runs(self) -> int:
        return runs_needed(self.calls, self.limit - MARGIN)


class Bench:
    """Runs each step to completion, one budgeted run after another, and measures it."""

    def __init__(self, url: str, emulator_pid: int, factor: float) -> None:
        self.url, self.pid, self.factor = url, emulator_pid, factor
        self.steps: list[Step] = []

    def budget(self, limit: float) -> float:
        """The run's budget in compressed time: its usable part shrunk, the margin kept."""
        return (limit - MARGIN) / self.factor + MARGIN

    def refused(self) -> int:
        return int(requests.get(f"{self.url}/_emulator/quotas", timeout=30).json()["refused"])

    def step(self, label: str, limit: float, run: Callable[[float], bool]) -> Step:
        _calls(self.url, reset=True)
        refused, emulator = self.refused(), cpu_seconds(self.pid)
        reset_peak()
        cpu, wall = time.process_time(), time.monotonic()
        runs = failed = 0
        while True:
            if runs >= MAX_RUNS:
                raise RuntimeError(f"{label}: still incomplete after {MAX_RUNS} runs")
            runs += 1
            try:
                if run(self.budget(limit)):
                    break
                print(f"  {label}: lần chạy {runs} hết thời gian, lần sau làm tiếp / run {runs} "
                      "stopped on its budget, the next one goes on", flush=True)
            except Exception as error:  # a failed run: counted, and the next run goes on
                failed += 1
                print(f"  {label}: lần chạy {runs} lỗi / run failed: {error!r}", flush=True)
        step = Step(label, _calls(self.url), runs, failed, limit, time.process_time() - cpu,
                    cpu_seconds(self.pid) - emulator, peak_mb(), time.monotonic() - wall,
                    self.refused() - refused)
        self.steps.append(step)
        print(f"  {label}: {runs} lần chạy / runs, {sum(step.calls.values())} lượt gọi / calls, "
              f"{step.wall:.1f} s", flush=True)
        return step


def rows_held(deployment: Deployment, ws: Workspace, sheets: Sheets,
              periods: Iterable[PeriodKind]) -> Counter[str]:
    """Response ids in the units' period tabs, one count per row holding it."""
    registry = RegistryStore(ws.state, deployment.settings.year, read_only=True).load()
    layout = layout_for(deployment)
    ranges = [f"'{layout.tab_of(period).title}'!A2:A" for period in periods]
    held: Counter[str] = Counter()
    for unit in deployment.active_units:
        for values in sheets.read(registry.units[unit.code]["sheet"], ranges):
            held.update(str(row[0]) for row in values if row and row[0])
    return held


def submitted(deployment: Deployment, ws: Workspace, forms: Forms,
              periods: Iterable[PeriodKind]) -> set[str]:
    registry = RegistryStore(ws.state, deployment.settings.year, read_only=True).load()
    keys = [spec.key for spec in deployment.forms if spec.period in periods]
    return {str(raw["responseId"]) for key in keys
            for raw in forms.responses(registry.forms[key]["id"])}


def check_rows(bench: Bench, deployment: Deployment, ws: Workspace,
               periods: tuple[PeriodKind, ...]) -> tuple[int, int, int]:
    """(responses, lost, duplicated), read with quotas paused and calls not counted."""
    window = requests.get(f"{bench.url}/_emulator/quotas", timeout=30).json()["windowSeconds"]
    requests.post(f"{bench.url}/_emulator/quotas", json={"enabled": False}, timeout=30)
    try:
        clients = Clients(Target(emulator_url=bench.url))
        held = rows_held(deployment, ws, Sheets(clients.gspread, Gate()), periods)
        wanted = submitted(deployment, ws, Forms(clients.service("forms"), Gate()), periods)
    finally:
        requests.post(f"{bench.url}/_emulator/quotas",
                      json={"enabled": True, "windowSeconds": window}, timeout=30)
        _calls(bench.url, reset=True)
    lost = len(wanted - set(held))
    doubled = sum(n - 1 for n in held.values() if n > 1) + len(set(held) - wanted)
    print(f"  kiểm tra / check: {len(wanted)} câu trả lời / responses, mất / lost {lost}, "
          f"trùng / duplicated {doubled}", flush=True)
    return len(wanted), lost, doubled


def submit(url: str, deployment: Deployment, ws: Workspace, key: str, email: str,
           response_id: str | None = None, seed: int = 1) -> str:
    """One response of ``email`` to form ``key`` (an edit with ``response_id``)."""
    registry = RegistryStore(ws.state, deployment.settings.year, read_only=True).load()
    entry, person = registry.forms[key], deployment.directory().person(email)
    assert person is not None, email
    answers = plan_answers(deployment.form(key), entry["questions"], person,
                           deployment.directory().unit(person.unit_code), random.Random(seed))
    body: dict[str, object] = {"respondentEmail": email, "answers": answers}
    if response_id:
        body["responseId"] = response_id
    answer = requests.post(f"{url}/_emulator/forms/{entry['id']}/responses", json=body,
                           timeout=30)
    answer.raise_for_status()
    return str(answer.json()["responseId"])


def run_steps(bench: Bench, deployment: Deployment, ws: Workspace) -> list[tuple[int, int, int]]:
    """Every step, in order; returns the row checks (responses, lost, duplicated)."""
    opening = next(p.opens for p in deployment.periods if p.kind is NEW_PERIOD) + timedelta(1)
    checks = []
    bench.step("Khởi tạo / provision", HTTP_LIMIT,
               lambda b: provision(deployment, ws, TODAY, budget_seconds=b).complete)
    seeded = _seed(deployment, ws, bench.url)
    print(f"  {seeded} kế hoạch / plans submitted", flush=True)
    bench.step("Thu thập toàn bộ / full collection", HTTP_LIMIT, lambda b: runner.run(
        deployment, ws, full=True, budget_seconds=b, today=TODAY).complete)
    checks.append(check_rows(bench, deployment, ws, (PeriodKind.PLAN,)))
    bench.step("Mở kỳ: biểu mẫu / opening: forms", HTTP_LIMIT,
               lambda b: provision(deployment, ws, opening, budget_seconds=b).complete)
    bench.step("Mở kỳ: đối soát / opening: reconcile", HTTP_LIMIT, lambda b: runner.run(
        deployment, ws, full=True, budget_seconds=b, today=opening).complete)
    person = next(p for p in deployment.staff if p.group.value == 2)
    key = f"{NEW_PERIOD.value}-nhom-2"
    form_id = RegistryStore(ws.state, deployment.settings.year,
                            read_only=True).load().forms[key]["id"]
    response = submit(bench.url, deployment, ws, key, person.email)
    notified = lambda b: runner.run(deployment, ws, form_ids=[form_id],  # noqa: E731
                                    budget_seconds=b, today=opening).complete
    reconcile = lambda b: runner.run(deployment, ws, full=True,  # noqa: E731
                                     budget_seconds=b, today=opening).complete
    bench.step("1 câu trả lời mới / 1 new response", EVENT_LIMIT, notified)
    bench.step("Không có gì mới / idle reconcile", HTTP_LIMIT, reconcile)
    submit(bench.url, deployment, ws, key, person.email, response_id=response, seed=2)
    bench.step("Sửa: thông báo / edit: notification", EVENT_LIMIT, notified)
    bench.step("Sửa: đối soát / edit: reconcile", HTTP_LIMIT, reconcile)
    checks.append(check_rows(bench, deployment, ws, (PeriodKind.PLAN, NEW_PERIOD)))
    made: set[str] = set()

    def report(budget: float) -> bool:
        outcome = reports.make_reports(deployment, ws, PeriodKind.PLAN, opening,
                                       budget=reports.Budget(frozenset(made),
                                                             time.monotonic() + budget - MARGIN))
        made.update(outcome.keys)
        return outcome.complete

    bench.step("Báo cáo kỳ kế hoạch / plan reports", HTTP_LIMIT, report)
    return checks


def baseline(bench: Bench, deployment: Deployment, ws: Workspace, clients: Clients,
             sample: int) -> tuple[Counter[str], int, int]:
    """The naive collection on the same data, on ``sample`` responses (appended to the unit
    Sheets: run last). Its calls for all the plans are these counts with the appends scaled
    (one per response): returned as (calls for all, measured appends, all responses)."""
    _calls(bench.url, reset=True)
    appended = naive(deployment, ws, clients, sample)
    measured = _calls(bench.url, reset=True)
    responses = len(submitted(deployment, ws, Forms(clients.service("forms"), Gate()),
                              (PeriodKind.PLAN,)))
    _calls(bench.url, reset=True)
    scaled = Counter(measured)
    scaled[APPEND] = responses  # one per response; the listing was all measured
    return scaled, appended, responses


def table(steps: list[Step], factor: float) -> str:
    lines = [f"{'Bước / step':38} {'lần chạy / runs':>16} {'CPU (s)':>13} {'RAM':>7} "
             f"{'lượt gọi':>9} {'ít nhất trên Google':>20}",
             f"{'':38} {'đo / Google':>16} {'dv/giả lập':>13} {'(MB)':>7} {'/ calls':>9} "
             f"{'/ least on Google':>20}"]
    for step in steps:
        lines.append(f"{step.label:38} {step.runs:>9} / {step.google_runs:<4} "
                     f"{step.cpu:>6.1f}/{step.emulator_cpu:<6.1f} {step.peak_mb:>7.0f} "
                     f"{sum(step.calls.values()):>9} {minutes(step.least):>20}")
        lines.append("    " + by_bucket(step.calls))
    lines.append(f"(nén / compressed ×{factor:g}: cửa sổ hạn mức / quota window "
                 f"{MINUTE / factor:.2f} s; một lần chạy đo / one measured run: HTTP "
                 f"{(HTTP_LIMIT - MARGIN) / factor + MARGIN:.0f} s, sự kiện / event "
                 f"{(EVENT_LIMIT - MARGIN) / factor + MARGIN:.0f} s, margin {MARGIN:g} s "
                 "included; CPU: service / emulator; RAM: the service's peak)")
    return "\n".join(lines)


def by_bucket(calls: Counter[str]) -> str:
    return ", ".join(f"{api}.{kind} {n}" for (api, kind), n
                     in sorted(bucket_counts(calls).items()))


def minutes(seconds: float) -> str:
    return f"{seconds / MINUTE:.0f} phút / min" if seconds >= MINUTE else f"{seconds:.0f} s"


@dataclass
class Result:
    units: int
    staff: int
    factor: float
    steps: list[Step]
    checks: list[tuple[int, int, int]]  # after the collection, after the edit
    naive_calls: Counter[str]
    naive_appended: int
    naive_responses: int
    emulator_peak_mb: float

    @property
    def failed(self) -> int:
        return sum(step.failed for step in self.steps)

    @property
    def lost(self) -> int:
        return sum(check[1] for check in self.checks)

    @property
    def duplicated(self) -> int:
        return sum(check[2] for check in self.checks)

    @property
    def refused(self) -> int:
        return sum(step.refused for step in self.steps)

    def step(self, label: str) -> Step:
        return next(step for step in self.steps if step.label.startswith(label))


def measure(units: int, factor: float = COMPRESS, naive_sample: int = 300) -> Result:
    """The whole benchmark on a generated province of ``units`` units (progress on stdout)."""
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        config = Province(units).write(root / "province")
        process, url = _serve(root / "emulator", MINUTE / factor)
        try:
            deployment = emulator_setup.prepare(url, load(config))  # paced to the same window
            clients = Clients(Target(emulator_url=url))
            ws = connect(clients, deployment.settings, progress=on_console())
            print(f"== {len(deployment.active_units)} đơn vị / units, {len(deployment.staff)} "
                  f"nhân sự / staff; hạn mức nén / quotas compressed ×{factor:g}", flush=True)
            bench = Bench(url, process.pid, factor)
            checks = run_steps(bench, deployment, ws)
            naive_calls, appended, responses = baseline(bench, deployment, ws, clients,
                                                        naive_sample)
            return Result(len(deployment.active_units), len(deployment.staff), factor,
                          bench.steps, checks, naive_calls, appended, responses,
                          peak_mb(process.pid))
        finally:
            process.terminate()
            process.wait(timeout=30)


def summary(result: Result) -> str:
    full, naive_least = result.step("Thu thập toàn bộ"), least_seconds(result.naive_calls)
    return "\n".join([
        table(result.steps, result.factor),
        f"Cách ngây thơ / naive, 1 append/response: {by_bucket(result.naive_calls)}",
        f"    ít nhất / least {minutes(naive_least)} "
        f"({runs_needed(result.naive_calls, HTTP_LIMIT - MARGIN)} lần chạy / runs) so với / "
        f"vs {minutes(full.least)} ({full.google_runs}); appended for real "
        f"{result.naive_appended} of {result.naive_responses}, counted one per response",
        f"Lần chạy lỗi / failed runs: {result.failed}; dòng mất / lost rows: {result.lost}; "
        f"dòng trùng / duplicated rows: {result.duplicated}; bị từ chối vì hạn mức / refused "
        f"over quota: {result.refused}; bộ nhớ đỉnh trình giả lập / emulator peak "
        f"{result.emulator_peak_mb:.0f} MB",
    ])


def main(units: int, factor: float = COMPRESS, naive_sample: int = 300) -> int:
    """Runs and prints the benchmark; 0 when no run failed and no row was lost or doubled."""
    result = measure(units, factor, naive_sample)
    print(summary(result), flush=True)
    return 0 if result.failed == result.lost == result.duplicated == 0 else 1
