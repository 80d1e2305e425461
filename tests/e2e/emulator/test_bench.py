"""The throughput command runs end to end (no timing is asserted: machines differ)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]


def test_the_benchmark_command_prints_calls_per_second_for_each_simple_call() -> None:
    done = subprocess.run([sys.executable, "-m", "emulator.bench", "--seconds", "0.5"],
                          cwd=ROOT, capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "lần/giây" in done.stdout
    for call in ("sheets values.get", "drive files.get", "forms forms.get",
                 "documents.get", "requests, raw HTTP"):
        assert call in done.stdout
    assert "LỖI" not in done.stdout
