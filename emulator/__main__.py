"""``python -m emulator [--port 8765] [--data DIR] [--reset] [--no-quotas]
[--quota-window SECONDS]``: serves it."""

from __future__ import annotations

import argparse
from pathlib import Path

from emulator.cli_entry import run


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        prog="python -m emulator",
        description="Chạy trình giả lập Google Workspace trên 127.0.0.1 (chỉ máy này truy cập).",
    )
    parser.add_argument("--port", type=int, default=8765, help="cổng (mặc định 8765)")
    parser.add_argument("--data", type=Path, default=None,
                        help="thư mục lưu dữ liệu (mặc định: chỉ trong bộ nhớ)")
    parser.add_argument("--reset", action="store_true",
                        help="xóa sạch thư mục dữ liệu trước khi chạy")
    parser.add_argument("--no-quotas", action="store_true",
                        help="tắt giới hạn số lượt gọi mỗi phút (cho đo hiệu năng)")
    parser.add_argument("--quota-window", type=float, default=60.0, metavar="GIÂY",
                        help="độ dài cửa sổ hạn mức (mặc định 60 giây; ngắn hơn để nén thời gian "
                             "khi đo: 60 lượt ghi mỗi cửa sổ 1 giây tương ứng 60 lượt mỗi phút)")
    arguments = parser.parse_args(argv)
    if arguments.quota_window <= 0:
        parser.error("--quota-window phải lớn hơn 0")
    run(arguments.port, arguments.data, arguments.reset, quotas=not arguments.no_quotas,
        quota_window=arguments.quota_window)


if __name__ == "__main__":
    main()
