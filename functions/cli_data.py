"""`guongmau data`: the personal data the service holds (Luật Bảo vệ dữ liệu cá nhân
91/2025/QH15, Nghị định 13/2023/NĐ-CP): one person's export and erasure, the retention of past
years, and the Sở's processing record. Each subcommand registers itself on `data`."""

from __future__ import annotations

import os
import sys
from datetime import date, datetime
from pathlib import Path

import click

from functions.adapters import clients as client_factory
from functions.cli import DAY, YEAR, CliState, main, pass_state
from functions.cli_errors import EXIT_BUSY, EXIT_CONFIG, os_reason
from functions.cli_workspace import workspace_for
from functions.config import emails
from functions.config.deployment import Deployment
from functions.services import erasure, personal_data, runner
from functions.services import retention as retention_service
from functions.services.erasure_text import erasure_lines
from functions.services.personal_export import places, write_export
from functions.services.processing_record import make_record
from functions.services.workspace import Workspace


@main.group(short_help="Dữ liệu cá nhân: xuất, xóa theo yêu cầu, thời hạn lưu trữ, hồ sơ xử lý.")
def data() -> None:
    """Dữ liệu cá nhân do hệ thống lưu giữ: xuất cho người yêu cầu, xóa theo yêu cầu, xóa khi
    hết thời hạn lưu trữ và hồ sơ hoạt động xử lý dữ liệu của Sở."""


def _year_of(state: CliState, year: int | None) -> tuple[Deployment, Workspace]:
    """The configuration's year and the ports; another year needs that year's configuration."""
    deployment = state.deployment()
    if year is not None and year != deployment.settings.year:
        click.echo(f"Tệp cấu hình {state.config_path} là của năm {deployment.settings.year}, "
                   f"không phải {year}: dùng tệp cấu hình của năm {year} (--config).", err=True)
        sys.exit(EXIT_CONFIG)
    return workspace_for(state)


def _valid_email(email: str) -> str:
    address = emails.normalise(email.strip())
    if not emails.is_valid(address):
        click.echo(f"«{email}» không phải một địa chỉ email.", err=True)
        sys.exit(EXIT_CONFIG)
    return address


@data.command(short_help="Xuất mọi dữ liệu hệ thống lưu về một người ra một tệp Excel.")
@click.option("--email", required=True, metavar="EMAIL",
              help="Email của người yêu cầu (mọi email khác của họ trong nhan_su.csv cũng được "
                   "tìm).")
@click.option("--year", type=YEAR, metavar="NĂM", help="Năm (phải khớp tệp cấu hình).")
@click.option("--thu-muc", "folder", type=click.Path(path_type=Path, file_okay=False),
              default=Path("."), show_default=True, metavar="THƯ_MỤC",
              help="Thư mục ghi tệp xuất.")
@pass_state
def export(state: CliState, email: str, year: int | None, folder: Path) -> None:
    """Tìm mọi nơi có dữ liệu về người này (câu trả lời ở biểu mẫu với mọi lần sửa, dòng và các
    cột thủ trưởng nhập ở bảng đơn vị, tab chưa xác định đơn vị, dữ liệu làm báo cáo, thư nhắc
    đã gửi) và ghi vào một tệp .xlsx; dòng cuối là đường dẫn tệp. Mỗi bảng tính đọc một lần."""
    address = _valid_email(email)
    deployment, ws = _year_of(state, year)
    held = personal_data.find(deployment, ws, address)
    if held.empty:
        click.echo(f"Không tìm thấy dữ liệu nào về {address} trong năm "
                   f"{deployment.settings.year} (kể cả các email khác trong nhan_su.csv); "
                   "hãy kiểm tra lại địa chỉ.", err=True)
        sys.exit(EXIT_CONFIG)
    for place, count in sorted(places(held).items()):
        click.echo(f"- {place}: {count}")
    try:
        path = write_export(held, deployment.settings.year, folder, datetime.now())
    except OSError as error:
        click.echo(f"Không ghi được tệp vào {folder} ({os_reason(error)}).", err=True)
        sys.exit(EXIT_CONFIG)
    click.echo(f"Đã đọc {held.sheets_read} bảng tính (mỗi bảng một lần) và ghi tệp:")
    click.echo(str(path.resolve()))


@data.command(short_help="Xóa dữ liệu của một người theo yêu cầu của họ.")
@click.option("--email", required=True, metavar="EMAIL",
              help="Email của người yêu cầu (mọi email khác của họ trong nhan_su.csv cũng "
                   "được xóa).")
@click.option("--year", type=YEAR, metavar="NĂM", help="Năm (phải khớp tệp cấu hình).")
@click.option("--nguoi-yeu-cau", "requested_by", metavar="TÊN",
              help="Ai yêu cầu xóa (ghi vào biên bản xóa); bắt buộc, trừ khi --dry-run.")
@click.option("--dry-run", is_flag=True, help="Chỉ liệt kê những gì sẽ xóa, không ghi gì.")
@pass_state
def erase(state: CliState, email: str, year: int | None, requested_by: str | None,
          dry_run: bool) -> None:
    """Xóa dữ liệu của người này khỏi mọi bảng tính và kho trạng thái, ghi biên bản xóa (ai
    yêu cầu, lúc nào, xóa bao nhiêu dòng ở đâu; không giữ dữ liệu), và chỉ cách xóa tay câu
    trả lời trong biểu mẫu (Google không cho xóa qua API). Chạy lại không xóa gì thêm."""
    address = _valid_email(email)
    if not dry_run and not (requested_by or "").strip():
        click.echo("Hãy ghi ai yêu cầu xóa: --nguoi-yeu-cau \"Họ tên, ngày nhận yêu cầu\".",
                   err=True)
        sys.exit(EXIT_CONFIG)
    deployment, ws = _year_of(state, year)
    try:
        outcome = erasure.erase(deployment, ws, address, (requested_by or "").strip(),
                                dry_run=dry_run)
    except erasure.Busy as error:
        until = datetime.fromtimestamp(error.until).astimezone()
        click.echo(f"Một lần đồng bộ đang chạy (khóa hết hạn lúc {until:%H:%M:%S}); chưa xóa "
                   "gì, hãy chạy lại sau ít phút.", err=True)
        sys.exit(EXIT_BUSY)
    for line in erasure_lines(outcome, address, dry_run):
        click.echo(line)


@data.command(short_help="Xóa, ẩn danh dữ liệu cá nhân của các năm đã hết thời hạn lưu trữ.")
@click.option("--dry-run", is_flag=True,
              help="Chỉ liệt kê những tệp, dữ liệu sẽ xóa hoặc ẩn danh, không ghi gì.")
@click.option("--hom-nay", "today", type=DAY, metavar="NGÀY",
              help="Coi NGÀY (NĂM-THÁNG-NGÀY) là hôm nay khi tính thời hạn lưu trữ.")
@pass_state
def retention(state: CliState, dry_run: bool, today: date | None) -> None:
    """Với mỗi năm trước năm trong cấu hình đã quá `retention_years` năm kể từ hạn nộp cuối
    cùng của năm đó: xóa biểu mẫu (cùng các câu trả lời), bảng theo dõi của đơn vị, bản DOCX,
    PDF của báo cáo, bản niêm yết và dữ liệu trạng thái; ẩn danh báo cáo (Google Docs) và bảng
    tổng hợp của Sở (giữ số liệu). Năm hiện tại không bao giờ bị động đến."""
    deployment, ws = workspace_for(state, progress=not dry_run)
    day = today or runner.local_today(deployment)
    docs = retention_service.docs_port(client_factory.for_environment(os.environ), ws)
    outcome = retention_service.retention(deployment, ws, docs, day, dry_run=dry_run)
    if dry_run:
        for item in outcome.items:
            click.echo(item.line("Sẽ"))
    for line in retention_service.summary(outcome, dry_run):
        click.echo(line)


@data.command("record", short_help="Làm hồ sơ xử lý dữ liệu cá nhân của Sở (Google Docs).")
@click.option("--hom-nay", "today", type=DAY, metavar="NGÀY",
              help="Coi NGÀY (NĂM-THÁNG-NGÀY) là ngày của văn bản.")
@pass_state
def record(state: CliState, today: date | None) -> None:
    """Làm (hoặc cập nhật) hồ sơ hoạt động xử lý dữ liệu cá nhân của Sở theo cấu hình: dữ liệu
    gì, của ai, để làm gì, lưu ở đâu, ai được xem, lưu bao lâu, bên xử lý, căn cứ pháp lý. Văn
    bản nằm trong thư mục Báo cáo của năm; chạy lại thì cập nhật đúng văn bản cũ."""
    deployment, ws = workspace_for(state)
    done = make_record(deployment, ws, today or runner.local_today(deployment))
    click.echo(f"Đã làm «{done.title}»: {done.link}")
