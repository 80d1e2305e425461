"""What an idle reconcile costs over the year, counted by the emulator: at the start of the
year (the plan forms open), after a period opens, and at the year's end (every form closed)
(``python -m benchmarks.reconcile_year [--units N]``).

One plan per staff member is collected first; then each step runs provisioning as of its day
(it opens and closes the forms; its own calls are not counted) and the reconcile, and prints
the calls of the reconcile that follows it with nothing new (idle) and, for a period opening,
of the reconcile that meets it. Quotas are off: the figures are calls, not time.
"""

from __future__ import annotations

import argparse
import tempfile
from collections import Counter
from datetime import date
from pathlib import Path

from benchmarks.collect_cost import _calls, _seed, _serve
from benchmarks.province import Province
from functions.adapters.clients import Clients, Target
from functions.config import Deployment, load
from functions.services import emulator_setup, runner
from functions.services.provision import provision
from functions.services.workspace import Workspace, connect

START = date(2025, 2, 20)  # the plan period open, the report periods not yet
STEPS = (("đầu năm / start (idle)", START, False),
         ("mở kỳ quý I / Q1 opens", date(2025, 3, 21), True),
         ("cuối năm / year end (idle)", date(2025, 12, 20), False))


def reconcile(ws: Workspace, deployment: Deployment, today: date) -> None:
    outcome = runner.run(deployment, ws, full=True, budget_seconds=36_000, today=today)
    assert outcome.complete, outcome.notes


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--units", type=int, default=200)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        config = Province(args.units).write(root / "province")
        process, url = _serve(root / "emulator")
        try:
            deployment = emulator_setup.prepare(url, load(config))
            ws = connect(Clients(Target(emulator_url=url)), deployment.settings)
            provision(deployment, ws, START)
            seeded = _seed(deployment, ws, url)
            reconcile(ws, deployment, START)
            print(f"{args.units} đơn vị / units, {seeded} câu trả lời / responses")
            rows: list[tuple[str, Counter[str]]] = []
            for label, day, meets_it in STEPS:
                provision(deployment, ws, day)
                _calls(url, reset=True)
                reconcile(ws, deployment, day)
                if not meets_it:  # the pass after provisioning settles it; then the idle one
                    _calls(url, reset=True)
                    reconcile(ws, deployment, day)
                rows.append((label, _calls(url, reset=True)))
            print(_table(rows))
        finally:
            process.terminate()
            process.wait(timeout=30)


def _table(rows: list[tuple[str, Counter[str]]]) -> str:
    methods = sorted({method for _, calls in rows for method in calls})
    width = max(len(m) for m in methods)
    lines = [f"{'':{width}} " + " ".join(f"{label:>28}" for label, _ in rows)]
    for method in methods:
        lines.append(f"{method:{width}} " + " ".join(f"{calls[method]:>28}" for _, calls in rows))
    lines.append(f"{'Tổng / total':{width}} "
                 + " ".join(f"{sum(calls.values()):>28}" for _, calls in rows))
    return "\n".join(lines)


if __name__ == "__main__":
    main()
