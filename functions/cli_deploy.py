"""`guongmau deploy` and `guongmau status`: going live on Google Cloud and watching it run."""

from __future__ import annotations

import sys
from datetime import UTC, datetime
from pathlib import Path

import click

from functions.cli import YEAR, CliState, main, pass_state
from functions.cli_errors import EXIT_ATTENTION
from functions.deploy.gcloud import Gcloud
from functions.deploy.plan import INVOKER_ID, RUNTIME_ID
from functions.deploy.service import deploy as deploy_project
from functions.deploy.table import FUNCTIONS


@main.command(short_help="Triển khai (hoặc cập nhật) các chức năng lên Google Cloud.")
@click.option("--project", required=True, metavar="DỰ_ÁN", help="Mã dự án Google Cloud.")
@click.option("--region", required=True, metavar="VÙNG",
              help="Vùng của các chức năng, lịch chạy và bucket (ví dụ asia-southeast1).")
@click.option("--dry-run", is_flag=True, help="Chỉ in các lệnh gcloud sẽ chạy, không làm gì.")
@click.option("--source-dir", type=click.Path(path_type=Path, file_okay=False),
              default=Path(".guongmau/deploy-source"), show_default=True, metavar="THƯ_MỤC",
              help="Nơi chuẩn bị mã nguồn sẽ tải lên.")
@pass_state
def deploy(state: CliState, project: str, region: str, dry_run: bool, source_dir: Path) -> None:
    """Tạo hoặc cập nhật tài khoản dịch vụ, chủ đề Pub/Sub, bucket trạng thái, các chức năng
    và lịch chạy bằng gcloud. Chạy lại không thay đổi gì nếu mọi thứ đã đúng."""
    settings = state.deployment().settings
    outcome = deploy_project(settings, project, region, Gcloud(), dry_run=dry_run,
                             source_dir=source_dir, report=click.echo)
    if not outcome.steps:
        click.echo("Không có gì thay đổi: mọi thứ trên Google Cloud đã đúng như cấu hình.")
        return
    if not dry_run:
        click.echo(f"Xong. Nếu chưa làm: thêm {RUNTIME_ID}@{project}.iam.gserviceaccount.com "
                   "làm «Người quản lý nội dung» của Drive dùng chung; "
                   f"{INVOKER_ID}@{project}.iam.gserviceaccount.com chỉ dùng cho Cloud "
                   "Scheduler.")


@main.command(short_help="Xem những gì đã có của một năm và điều gì có vẻ không ổn.")
@click.option("--year", type=YEAR, metavar="NĂM", help="Năm cần xem (mặc định: năm của cấu hình).")
@pass_state
def status(state: CliState, year: int | None) -> None:
    """In biểu mẫu (đang mở hay đóng, theo dõi đến khi nào), bảng theo dõi các đơn vị, báo cáo
    đã làm, lần chạy thành công gần nhất của từng chức năng; rồi những điều cần xem lại.
    Mã thoát 0: không thấy gì bất thường; 6: có điều cần xem lại."""
    from functions.cli_workspace import workspace_for
    from functions.services.status import year_status

    deployment, ws = workspace_for(state)
    settings = deployment.settings
    schedules = {f.entry_point: str(getattr(settings.schedule, f.schedule))
                 for f in FUNCTIONS if f.schedule is not None}
    found = year_status(ws.state, year or settings.year, schedules, datetime.now(UTC),
                        [unit.code for unit in deployment.active_units])
    click.echo(f"Năm {year or settings.year}:")
    for line in found.lines:
        click.echo(line)
    if not found.problems:
        click.echo("Không thấy gì bất thường.")
        return
    click.echo("Cần xem lại:")
    for problem in found.problems:
        click.echo(f"- {problem}")
    sys.exit(EXIT_ATTENTION)
