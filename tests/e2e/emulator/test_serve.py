"""``python -m emulator`` serves in the foreground on 127.0.0.1 and stops on Ctrl+C."""

from __future__ import annotations

import re
import signal
import subprocess
import sys
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[3]


def test_python_m_emulator_serves_tells_its_url_in_vietnamese_and_stops_on_ctrl_c(
    tmp_path: Path,
) -> None:
    data = tmp_path / "data"
    (data / "files").mkdir(parents=True)
    (data / "files" / "old.json").write_text("{}", encoding="utf-8")
    process = subprocess.Popen(
        [sys.executable, "-m", "emulator", "--port", "0", "--data", str(data), "--reset"],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    try:
        assert process.stdout is not None
        first = "".join(process.stdout.readline() for _ in range(4))
        found = re.search(r"đang chạy tại (http://127\.0\.0\.1:\d+)", first)
        assert found, first
        assert "Mở http://127.0.0.1:" in first  # how to open the pages
        assert "Nhấn Ctrl+C để dừng." in first  # how to stop
        assert not (data / "files" / "old.json").exists()  # --reset emptied the directory
        health = requests.get(f"{found.group(1)}/_emulator/health", timeout=30)
        assert health.json()["ok"] is True
        process.send_signal(signal.SIGINT)
        out, _ = process.communicate(timeout=30)
        assert "Đang dừng trình giả lập" in out
        assert process.returncode == 0
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()
