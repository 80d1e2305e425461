"""`guongmau init`: write the sample configuration of a small fictional province.

The sample on disk is written for SAMPLE_YEAR; `init` moves it to the school year of today
(the next one once today is past the year's last deadline), so a newcomer never starts with a
year whose forms would all be closed.
"""

from __future__ import annotations

import re
import shutil
from datetime import date
from pathlib import Path

SAMPLE_DIR = Path(__file__).resolve().parent / "sample"
SAMPLE_FILES = ("guongmau.yaml", "don_vi.csv", "nhan_su.csv")
SAMPLE_YEAR = 2025
LAST_DEADLINE = (12, 10)  # the sample's «ca-nam» deadline (month, day): keep equal to the file
FIRST_NEW_PHASE = 2026  # the plan's phase 2023-2025 is followed by five-year phases


class SampleExists(Exception):
    """Files of a configuration already exist in the target directory."""

    def __init__(self, paths: list[Path]) -> None:
        self.paths = tuple(paths)
        super().__init__(", ".join(str(path) for path in paths))


def school_year(today: date) -> int:
    """The year whose forms are still ahead or open on `today`."""
    return today.year + (1 if today > date(today.year, *LAST_DEADLINE) else 0)


def phase_of(year: int) -> str:
    """The plan's phase holding `year`: 2023-2025, then 2026-2030, 2031-2035..."""
    if year < FIRST_NEW_PHASE:
        return f"2023-{SAMPLE_YEAR}"
    start = FIRST_NEW_PHASE + (year - FIRST_NEW_PHASE) // 5 * 5
    return f"{start}-{start + 4}"


def settings_text(year: int) -> str:
    """The sample guongmau.yaml with its year, phase and period dates moved to `year`."""
    text = (SAMPLE_DIR / "guongmau.yaml").read_text(encoding="utf-8")
    text = re.sub(r"(?m)^year: \d{4}$", f"year: {year}", text)
    text = re.sub(r"(?m)^phase: \S+$", f"phase: {phase_of(year)}", text)
    return re.sub(rf"\b(opens|deadline): {SAMPLE_YEAR}-", rf"\g<1>: {year}-", text)


def missing_files(target: Path) -> list[Path]:
    """The sample's files absent (or empty) in `target`."""
    return [target / name for name in SAMPLE_FILES
            if not ((target / name).is_file() and (target / name).stat().st_size > 0)]


def write_sample(target: Path, *, force: bool = False, year: int = SAMPLE_YEAR,
                 only_missing: bool = False) -> tuple[Path, ...]:
    """Write the sample files for `year` into `target`; refuse to overwrite non-empty files
    unless `force`; with `only_missing`, write only the absent ones (keeping the user's edits)."""
    destinations = [target / name for name in SAMPLE_FILES]
    absent = missing_files(target)
    existing = [path for path in destinations if path not in absent]
    if existing and not (force or only_missing):
        raise SampleExists(existing)
    target.mkdir(parents=True, exist_ok=True)
    written = []
    for name, destination in zip(SAMPLE_FILES, destinations, strict=True):
        if only_missing and destination not in absent:
            continue
        if name == "guongmau.yaml":
            destination.write_text(settings_text(year), encoding="utf-8")
        else:
            shutil.copyfile(SAMPLE_DIR / name, destination)
        written.append(destination)
    return tuple(written)
