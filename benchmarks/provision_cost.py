"""Cost of provisioning in API calls, counted by the emulator: the sample province, then a
generated province of N units (``python -m benchmarks.provision_cost [--units N]``).

Prints, in Vietnamese and English: calls per method, per form, per unit Sheet and per grantee,
the total, the writes of a second run (must be 0), and the least time the calls need under
Google's per-user quotas (one service account is one user) — computed from the counts. With
``--window S`` the emulator counts its quotas per window of S seconds (compressed time: a window
stands for Google's minute) and the service's limiter paces to the same window: the run is
never refused, and its measured time in windows stands for minutes on Google as long as the
emulator's own processing is small against a window (at 1 s it is not: ~0.3 s per unit here,
so the measure is then the emulator's speed, an upper bound; the computed least time holds).
"""

from __future__ import annotations

import argparse
import math
import tempfile
import time
from collections import Counter
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import requests

from benchmarks.province import Province
from benchmarks.quota_time import bucket_counts, least_minutes
from emulator.core import Config
from emulator.server import start
from functions.adapters.clients import Clients, Target
from functions.adapters.pacing import GOOGLE_LIMITS
from functions.config import Deployment, load
from functions.config.sample import write_sample
from functions.progress import on_console
from functions.services import emulator_setup
from functions.services.provision import provision
from functions.services.workspace import connect

TODAY = date(2025, 1, 10)


@dataclass
class Cost:
    label: str
    deployment: Deployment
    calls: Counter[str]
    second_run_writes: Counter[str]
    seconds: float
    window: float | None = None  # compressed quota window (None: quotas off)
    refused: int = 0  # calls the emulator refused over a quota (pacing should keep it at 0)

    @property
    def forms(self) -> int:
        return len(self.deployment.forms)

    @property
    def units(self) -> int:
        return len(self.deployment.active_units)

    @property
    def grantees(self) -> int:
        return sum(len({*u.head_emails, *u.reader_emails}) for u in self.deployment.active_units)

    def of(self, *methods: str) -> int:
        return sum(self.calls[m] for m in methods)

    def per_form(self) -> float:
        """Copy, read back, fill (one batchUpdate), publish, watch (its list before the create:
        Google refuses a second watch); the finds before and after the copy (no twin); the
        responders' permissions read, then their grant."""
        own = self.of("drive.files.copy", "forms.forms.get", "forms.forms.batchUpdate",
                      "forms.forms.setPublishSettings", "forms.forms.watches.list",
                      "forms.forms.watches.create")
        return (own + 4 * self.forms) / self.forms

    def per_unit(self) -> float:
        """Folder and Sheet creates, the Sheet's one build; the finds before and after the
        Sheet's create (the Sở overview's own create, finds and build are taken out)."""
        creates = self.calls["drive.files.create"] - 4 - 1  # the year's 4 folders, the overview
        builds = self.calls["sheets.spreadsheets.batchUpdate"] - 1
        return (creates + builds + 2 * self.units) / self.units

    def per_grantee(self) -> float:
        """Permissions made for the units' heads and readers (responders' grants excluded)."""
        made = self.calls["drive.permissions.create"] - self.forms
        return made / max(1, self.grantees)


def measure(label: str, config: Path, work: Path, window: float | None = None) -> Cost:
    running = start(work / "emulator", config=Config(
        quotas_enabled=window is not None, quota_window_seconds=window or 60.0))
    try:
        deployment = emulator_setup.prepare(running.url, load(config))
        ws = connect(Clients(Target(emulator_url=running.url)), deployment.settings,
                     progress=on_console())
        control = f"{running.url}/_emulator/calls"
        requests.delete(control, timeout=30)
        started = time.monotonic()
        provision(deployment, ws, TODAY)
        seconds = time.monotonic() - started
        calls = Counter(requests.get(control, timeout=30).json()["methods"])
        refused = int(requests.get(f"{running.url}/_emulator/quotas", timeout=30)
                      .json()["refused"])
        requests.delete(control, timeout=30)
        provision(deployment, ws, TODAY)
        again = Counter(requests.get(control, timeout=30).json()["methods"])
        writes = Counter({m: n for m, n in again.items()
                          if any(kind == "write" for _, kind in bucket_counts({m: n}))})
        return Cost(label, deployment, calls, writes, seconds, window, refused)
    finally:
        running.stop()


def report(cost: Cost) -> str:
    lines = [f"== {cost.label}: {cost.forms} biểu mẫu / forms, {cost.units} đơn vị / units, "
             f"{cost.grantees} người được chia sẻ / grantees, "
             f"{len(cost.deployment.staff)} nhân sự / staff",
             f"{'Phương thức / method':44} {'lượt gọi / calls':>16}"]
    lines += [f"{method:44} {count:>16}" for method, count in sorted(cost.calls.items())]
    lines += [
        f"{'Tổng / total':44} {sum(cost.calls.values()):>16}",
        f"Mỗi biểu mẫu / per form: {cost.per_form():.2f}",
        f"Mỗi bảng đơn vị / per unit Sheet: {cost.per_unit():.2f}",
        f"Mỗi người được chia sẻ / per grantee: {cost.per_grantee():.2f}",
        f"Lượt ghi của lần chạy thứ hai / second-run writes: "
        f"{sum(cost.second_run_writes.values())} {dict(cost.second_run_writes) or ''}",
    ]
    minutes = least_minutes(cost.calls)
    for (api, kind), value in sorted(minutes.items()):
        limit = GOOGLE_LIMITS[(api, kind)][1]
        lines.append(f"  {api} {kind}: {value:.1f} phút / min (hạn mức / quota {limit}/phút/người)")
    slowest = max(minutes, key=minutes.__getitem__)
    least = minutes[slowest]
    lines.append(f"Thời gian tối thiểu theo hạn mức / least time under quotas: "
                 f"{math.ceil(least)} phút / min ({least / 60:.1f} giờ / h; "
                 f"giới hạn bởi / bound by {slowest[0]} {slowest[1]})")
    lines.append(f"Thời gian trên trình giả lập / time on the emulator: {cost.seconds:.0f} s")
    if cost.window:
        lines.append(f"Đo với hạn mức nén / measured under compressed quotas: "
                     f"{cost.seconds / cost.window:.1f} cửa sổ {cost.window:g} s / windows "
                     f"≈ {cost.seconds / cost.window:.1f} phút trên Google / min on Google; "
                     f"bị từ chối / refused: {cost.refused}")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--units", type=int, default=2000, help="units of the generated province")
    parser.add_argument("--window", type=float, default=None,
                        help="quota window in seconds (compressed time); default: quotas off")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        write_sample(root / "sample")
        print(report(measure("Tỉnh mẫu / sample province", root / "sample" / "guongmau.yaml",
                             root / "sample-run", args.window)), flush=True)
        config = Province(args.units).write(root / "generated")
        print(report(measure(f"{args.units} đơn vị / units", config, root / "generated-run",
                             args.window)), flush=True)


if __name__ == "__main__":
    main()
