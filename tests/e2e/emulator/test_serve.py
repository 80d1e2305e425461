"""``python -m emulator`` serves in the foreground on 127.0.0.1 and stops on Ctrl+C."""

from __future__ import annotations

import re
import signal
import subprocess
import sys
from pathlib import Path

import requests

from emulator.server import start
from emulator.store import MARKER

ROOT = Path(__file__).resolve().parents[3]
GUONGMAU = Path(sys.executable).parent / "guongmau"  # the installed command


def test_python_m_emulator_serves_tells_its_url_in_vietnamese_and_stops_on_ctrl_c(
    tmp_path: Path,
) -> None:
    data = tmp_path / "data"
    earlier = start(data)  # an earlier run left some state in the folder it made
    requests.post(f"{earlier.url}/_emulator/groups", json={"email": "old@x.vn", "members": []},
                  timeout=30).raise_for_status()
    earlier.stop()
    old = next((data / "groups").glob("*.json"))
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
        assert not old.exists()  # --reset emptied the folder the emulator made
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


def test_reset_refuses_a_folder_the_emulator_did_not_make_and_deletes_nothing(
        tmp_path: Path) -> None:
    """``guongmau emulator --data . --reset`` in the folder holding the settings."""
    kept = {"guongmau.yaml": "year: 2025\n", "don_vi.csv": "Mã đơn vị\nSO-VP\n"}
    for name, text in kept.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    (tmp_path / "files").mkdir()  # even one that looks like the emulator's
    (tmp_path / "files" / "f.json").write_text("{}", encoding="utf-8")
    done = subprocess.run([str(GUONGMAU), "emulator", "--port", "0", "--data", ".", "--reset"],
                          cwd=tmp_path, capture_output=True, text=True, timeout=30, check=False)
    assert done.returncode == 1
    assert f"Không xóa «.»: thư mục này không do trình giả lập tạo (không có tệp {MARKER})" \
        in done.stderr
    assert "Traceback" not in done.stderr
    assert {p.name for p in tmp_path.iterdir()} == {*kept, "files"}
    assert all((tmp_path / name).read_text(encoding="utf-8") == text
               for name, text in kept.items())
    assert (tmp_path / "files" / "f.json").exists()


def test_a_new_data_folder_is_marked_as_the_emulators_own(tmp_path: Path) -> None:
    running = start(tmp_path / "new")
    running.stop()
    assert (tmp_path / "new" / MARKER).is_file()
    (tmp_path / "kept").mkdir()
    (tmp_path / "kept" / "notes.txt").write_text("x", encoding="utf-8")
    running = start(tmp_path / "kept")  # a folder with someone's files is never marked
    running.stop()
    assert not (tmp_path / "kept" / MARKER).exists()
