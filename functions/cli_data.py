"""`guongmau data`: the personal data the service holds (Luật Bảo vệ dữ liệu cá nhân
91/2025/QH15, Nghị định 13/2023/NĐ-CP): one person's export and erasure, the retention of past
years, and the Sở's processing record. Each subcommand registers itself on `data`."""

from __future__ import annotations

from functions.cli import main


@main.group(short_help="Dữ liệu cá nhân: xuất, xóa theo yêu cầu, thời hạn lưu trữ, hồ sơ xử lý.")
def data() -> None:
    """Dữ liệu cá nhân do hệ thống lưu giữ: xuất cho người yêu cầu, xóa theo yêu cầu, xóa khi
    hết thời hạn lưu trữ và hồ sơ hoạt động xử lý dữ liệu của Sở."""
