"""`guongmau init`: write the sample configuration of a small fictional province."""

from __future__ import annotations

import shutil
from pathlib import Path

SAMPLE_DIR = Path(__file__).resolve().parent / "sample"
SAMPLE_FILES = ("guongmau.yaml", "don_vi.csv", "nhan_su.csv")


class SampleExists(Exception):
    """Files of a configuration already exist in the target directory."""

    def __init__(self, paths: list[Path]) -> None:
        self.paths = tuple(paths)
        super().__init__(", ".join(str(path) for path in paths))


def write_sample(target: Path, *, force: bool = False) -> tuple[Path, ...]:
    """Copy the sample files into `target`; refuse to overwrite non-empty files unless `force`."""
    destinations = [target / name for name in SAMPLE_FILES]
    existing = [path for path in destinations if path.is_file() and path.stat().st_size > 0]
    if existing and not force:
        raise SampleExists(existing)
    target.mkdir(parents=True, exist_ok=True)
    for name, destination in zip(SAMPLE_FILES, destinations, strict=True):
        shutil.copyfile(SAMPLE_DIR / name, destination)
    return tuple(destinations)
