"""What an idle reconcile costs over the year, counted by the emulator: at the start of the
year (the plan forms open), when a period opens, and at the year's end (every form closed)
(``python -m benchmarks.reconcile_year [--units N]``).

One plan per staff member is collected at the start; the «Quý I» period opens and one report
per staff member comes in; the year ends. Each step runs provisioning as of its day (it opens
and closes the forms; its calls are not counted) and prints the calls and the service's CPU of
the reconcile that meets the day (the opening) or of the idle one after the reconcile that
settles it. Quotas are off: the figures are calls, not time.
"""

from __future__ import annotations

import argparse
import time
from collections import Counter
from datetime import date

from benchmarks.collect_cost import _calls, _seed, served_province
from functions.config import Deployment
from functions.services import runner
from functions.services.provision import provision
from functions.services.workspace import Workspace

START = date(2025, 2, 20)  # the plan period open, the report periods not yet
FIRST_QUARTER = date(2025, 3, 21)  # «Quý I» opened on 20/03
YEAR_END = date(2025, 12, 20)  # every period over


def reconcile(deployment: Deployment, ws: Workspace, today: date) -> float:
    """One reconcile; its CPU seconds."""
    cpu = time.process_time()
    outcome = runner.run(deployment, ws, full=True, budget_seconds=36_000, today=today)
    assert outcome.complete, outcome.notes
    return time.process_time() - cpu


def measure(deployment: Deployment, ws: Workspace, url: str, today: date,
            idle: bool) -> tuple[Counter[str], float]:
    """Provisioning as of ``today``, then the reconcile meeting it (or, ``idle``, the one
    after it), counted."""
    provision(deployment, ws, today)
    _calls(url, reset=True)
    cpu = reconcile(deployment, ws, today)
    if idle:
        _calls(url, reset=True)
        cpu = reconcile(deployment, ws, today)
    return _calls(url, reset=True), cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--units", type=int, default=200)
    args = parser.parse_args()
    with served_province(args.units) as (deployment, ws, url):
        provision(deployment, ws, START)
        plans = _seed(deployment, ws, url)
        rows = [("đầu năm / start (idle)", *measure(deployment, ws, url, START, True)),
                ("mở quý I / Q1 opens", *measure(deployment, ws, url, FIRST_QUARTER, False))]
        reports = _seed(deployment, ws, url, "quy-1")
        rows.append(("cuối năm / year end (idle)",
                     *measure(deployment, ws, url, YEAR_END, True)))
        print(f"{args.units} đơn vị / units, {plans} kế hoạch / plans, {reports} báo cáo "
              "quý I / Q1 reports")
        print(_table(rows))


def _table(rows: list[tuple[str, Counter[str], float]]) -> str:
    methods = sorted({method for _, calls, _ in rows for method in calls})
    width = max(len(m) for m in methods)
    lines = [f"{'':{width}} " + " ".join(f"{label:>27}" for label, _, _ in rows)]
    for method in methods:
        lines.append(f"{method:{width}} "
                     + " ".join(f"{calls[method]:>27}" for _, calls, _ in rows))
    lines.append(f"{'Tổng / total':{width}} "
                 + " ".join(f"{sum(calls.values()):>27}" for _, calls, _ in rows))
    lines.append(f"{'CPU dịch vụ / service CPU (s)':{width}} "
                 + " ".join(f"{cpu:>27.1f}" for _, _, cpu in rows))
    return "\n".join(lines)


if __name__ == "__main__":
    main()
