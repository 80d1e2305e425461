"""`guongmau deploy` and `guongmau status`: going live on Google Cloud and watching it run."""

from __future__ import annotations

from pathlib import Path

import click

from functions.cli import CliState, main, pass_state
from functions.deploy.gcloud import Gcloud
from functions.deploy.plan import INVOKER_ID, RUNTIME_ID
from functions.deploy.service import deploy as deploy_project


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
