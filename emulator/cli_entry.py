"""Serving the emulator in the foreground: ``python -m emulator`` and ``guongmau emulator``."""

from __future__ import annotations

import shutil
import socket
import sys
from pathlib import Path

from emulator.core import Config
from emulator.server import start
from emulator.store import MARKER


class NotEmulatorData(SystemExit):
    """``--reset`` on a folder the emulator did not make: refused, one Vietnamese line, no
    traceback (a ``SystemExit`` carrying its message: exit status 1 wherever it is raised)."""


def empty_directory(directory: Path) -> None:
    """Removes everything inside ``directory`` (kept itself, with its marker), for ``--reset``.

    Only a folder the emulator made (its marker file inside) is ever emptied: ``--data .
    --reset`` must not delete the settings, the rosters or anything else a person keeps there.
    """
    if not directory.exists() or not any(directory.iterdir()):
        return
    if not (directory / MARKER).is_file():
        raise NotEmulatorData(
            f"Không xóa «{directory}»: thư mục này không do trình giả lập tạo (không có tệp "
            f"{MARKER}). Hãy chọn một thư mục dữ liệu khác bằng --data, hoặc tự xóa thư mục "
            "này nếu chắc chắn không cần.")
    for child in directory.iterdir():
        if child.name == MARKER:
            continue
        if child.is_dir() and not child.is_symlink():
            shutil.rmtree(child)
        else:
            child.unlink()


def _port_free(port: int) -> bool:
    with socket.socket() as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as werkzeug binds
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def run(port: int, data: Path | None, reset: bool, quotas: bool = True,
        quota_window: float = 60.0) -> None:
    """Serves on 127.0.0.1:``port`` until Ctrl+C; state in ``data`` (None: in memory only)."""
    if not _port_free(port):  # werkzeug would say it in English; exit 1 all the same
        print(f"Cổng {port} trên 127.0.0.1 đang được chương trình khác dùng (có thể là một trình "
              "giả lập đang chạy); hãy dừng chương trình đó hoặc chọn cổng khác bằng --port.",
              file=sys.stderr)
        raise SystemExit(1)
    if reset and data is not None:
        empty_directory(data)
    running = start(data, port, Config(quotas_enabled=quotas, quota_window_seconds=quota_window))
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
