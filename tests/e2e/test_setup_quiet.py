"""Set-up shows a newcomer no build noise: setuptools' "Editable installation" banner (printed
even under `pip -q`) is filtered by scripts/venv.sh. Checked by installing this project into a
fresh venv, built in isolation as venv.sh builds it."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

VENV_SH = Path(__file__).resolve().parents[2] / "scripts" / "venv.sh"
BANNER = "Editable installation"


def install_editable(tmp_path: Path, warnings: str | None) -> str:
    """This project, installed editable (without its dependencies) into a fresh venv."""
    venv = tmp_path / "venv"
    if not venv.exists():
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        # As venv.sh does: a current pip shows the build backend's warnings even under -q.
        subprocess.run([str(venv / "bin" / "python"), "-m", "pip", "install", "-q", "--upgrade",
                        "pip"], capture_output=True, timeout=300, check=False)
    env = {k: v for k, v in os.environ.items() if k != "PYTHONWARNINGS"}
    if warnings is not None:
        env["PYTHONWARNINGS"] = warnings
    done = subprocess.run([str(venv / "bin" / "python"), "-m", "pip", "install", "-q",
                           "--no-deps", "-e", str(VENV_SH.parents[1])], env=env,
                          capture_output=True, text=True, timeout=300, check=False)
    if done.returncode != 0:
        pytest.skip(f"no setuptools>=68 to build with here: {done.stderr[-300:]}")
    return done.stdout + done.stderr


def test_the_editable_install_banner_is_not_shown_during_set_up(tmp_path: Path) -> None:
    line = next(line for line in VENV_SH.read_text(encoding="utf-8").splitlines()
                if "pip install -q -e" in line)
    found = re.match(r'\s*PYTHONWARNINGS="([^"]+)" ', line)
    assert found, f"venv.sh installs without filtering the banner: {line.strip()}"
    assert BANNER in install_editable(tmp_path, None)  # the banner this filter is for
    assert BANNER not in install_editable(tmp_path, found[1])
