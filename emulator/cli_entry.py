"""Serving the emulator in the foreground: ``python -m emulator`` and ``guongmau emulator``."""

from __future__ import annotations

import shutil
from pathlib import Path

from emulator.core import Config
from emulator.server import start


def empty_directory(directory: Path) -> None:
    """Removes everything inside ``directory`` (kept itself), for ``--reset``."""
    if not directory.is_dir():
        return
    for child in directory.iterdir():
        if child.is_dir() and not child.is_symlink():
            shutil.rmtree(child)
        else:
            child.unlink()


def run(port: int, data: Path | None, reset: bool, quotas: bool = True) -> None:
    """Serves on 127.0.0.1:``port`` until Ctrl+C; state in ``data`` (None: in memory only)."""
    if reset and data is not None:
        empty_directory(data)
    running = start(data, port, Config(quotas_enabled=quotas))
    print(f"Trình giả lập Google Workspace đang chạy tại {running.url}", flush=True)
    print(f"Mở {running.url}/ trong trình duyệt để xem Ổ đĩa, biểu mẫu và bảng tính.")
    print(f"Dữ liệu lưu tại: {data}" if data is not None else
          "Dữ liệu chỉ nằm trong bộ nhớ: sẽ mất khi dừng.")
    print("Nhấn Ctrl+C để dừng.", flush=True)
    try:
        while running.thread.is_alive():
            running.thread.join(0.5)
    except KeyboardInterrupt:
        print("\nĐang dừng trình giả lập…", flush=True)
    finally:
        running.stop()
