"""Cost of the reports at province scale (``python -m benchmarks.report_cost [--units N]``):
the province of ``benchmarks.province`` (2 000 units, about 60 000 staff by default), one plan
per person collected into the unit Sheets, then the plan period's reports (the Sở's and every
unit's) made twice: a first run, and a re-run in which no unit Sheet changed.

The emulator runs in its own process (quotas off), so the CPU time is the service's alone. The
least time under Google's quotas is computed from the call counts at the per-user limits (one
service account is one user), not measured.
"""

from __future__ import annotations

import argparse
import time
from collections import Counter

from benchmarks.collect_cost import TODAY, _calls, _seed, served_province
from benchmarks.quota_time import least_minutes
from functions.domain.model import PeriodKind
from functions.progress import on_console
from functions.services import reports, runner
from functions.services.provision import provision

Run = tuple[Counter[str], float, float, int]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--units", type=int, default=2000)
    args = parser.parse_args()
    with served_province(args.units, on_console()) as (deployment, ws, url):
        provision(deployment, ws, TODAY)
        seeded = _seed(deployment, ws, url)
        runner.run(deployment, ws, full=True, budget_seconds=36_000, today=TODAY)
        print(f"{seeded} kế hoạch / plans in {len(deployment.active_units)} đơn vị / units",
              flush=True)
        runs: list[Run] = []
        for _ in range(2):
            _calls(url, reset=True)
            cpu, wall = time.process_time(), time.monotonic()
            outcome = reports.make_reports(deployment, ws, PeriodKind.PLAN, TODAY)
            runs.append((_calls(url), time.process_time() - cpu,
                         time.monotonic() - wall, len(outcome.published)))
            print(f"{len(outcome.published)} văn bản / documents, "
                  f"{outcome.sheets_read} bảng đọc / Sheets read", flush=True)
        print(_table(runs))


def _table(runs: list[Run]) -> str:
    lines = [f"{'':38} {'lần đầu / first':>16} {'chạy lại / re-run':>18}"]
    for method in sorted(set(runs[0][0]) | set(runs[1][0])):
        lines.append(f"{method:38} {runs[0][0][method]:>16} {runs[1][0][method]:>18}")
    first, again = (max(least_minutes(run[0]).values(), default=0.0) for run in runs)
    lines += [
        f"{'Tổng lượt gọi / total calls':38} {sum(runs[0][0].values()):>16} "
        f"{sum(runs[1][0].values()):>18}",
        f"{'Lượt gọi mỗi văn bản / per document':38} "
        f"{sum(runs[0][0].values()) / max(runs[0][3], 1):>16.1f} "
        f"{sum(runs[1][0].values()) / max(runs[1][3], 1):>18.1f}",
        f"{'Thời gian CPU / CPU time (s)':38} {runs[0][1]:>16.1f} {runs[1][1]:>18.1f}",
        f"{'Thời gian thực / wall time (s)':38} {runs[0][2]:>16.1f} {runs[1][2]:>18.1f}",
        f"{'Ít nhất theo hạn mức / least (min)':38} {first:>16.0f} {again:>18.0f}",
    ]
    return "\n".join(lines)


if __name__ == "__main__":
    main()
