"""Screenshots of the Sở's year-end report and one unit's posting, for the README.

Runs the demo year on the emulator (as `guongmau demo` does), then has headless Chromium take
the emulator's Doc page of each document. Writes docs/bao-cao-ca-nam.png and
docs/niem-yet.png. Run: python scripts/report_screenshots.py (needs /usr/bin/chromium).
"""

from __future__ import annotations

import subprocess
import tempfile
from pathlib import Path

from functions.demo.year import run_year
from functions.domain.model import PeriodKind
from functions.services import emulator_setup, reports

DOCS = Path(__file__).resolve().parent.parent / "docs"
CHROMIUM = "/usr/bin/chromium"


def shoot(url: str, target: Path, height: int) -> None:
    with tempfile.TemporaryDirectory(prefix="guongmau-chromium-") as profile:
        subprocess.run([CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu",
                        "--hide-scrollbars", f"--user-data-dir={profile}",
                        f"--window-size=1000,{height}", f"--screenshot={target}", url],
                       check=True, capture_output=True, timeout=120)


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="guongmau-demo-") as folder:
        year = run_year(Path(folder), lambda _: None)
        running, deployment, ws = year.running, year.deployment, year.ws
        try:
            year_end = deployment.settings.period(PeriodKind.YEAR.value)
            so = reports.make_reports(deployment, ws, PeriodKind.YEAR,
                                      year_end.report_day).published[0]
            posting = reports.make_postings(deployment, ws, year_end.report_day,
                                            deployment.active_units[3].code).published[0]
            admin = emulator_setup.admin_of(deployment)
            shoot(f"{running.url}/document/d/{so.doc_id}?as={admin}",
                  DOCS / "bao-cao-ca-nam.png", 2200)
            shoot(f"{running.url}/document/d/{posting.doc_id}?as={admin}",
                  DOCS / "niem-yet.png", 1600)
        finally:
            running.stop()


if __name__ == "__main__":
    main()
