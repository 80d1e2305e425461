"""Commands that talk to Workspace (Google, or the emulator named by GUONGMAU_EMULATOR)."""

from __future__ import annotations

import os
import sys
from datetime import UTC, date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import click

from functions.adapters import clients as client_factory
from functions.cli import DAY, PERIOD, SECONDS, YEAR, CliState, main, pass_state
from functions.cli_errors import EXIT_BUSY, EXIT_CONFIG, EXIT_PREFLIGHT
from functions.config.deployment import Deployment
from functions.config.summary import calendar_warning
from functions.domain.cron import next_time
from functions.domain.model import PeriodKind
from functions.progress import no_progress, on_console
from functions.services import emulator_setup, remind, reports, runner, watches
from functions.services.provision import provision as provision_year
from functions.services.registry import RegistryStore
from functions.services.workspace import Workspace, connect

COLLECT_EVERY = 5  # seconds between the demo's syncs while a visitor tries the forms


def workspace_for(state: CliState, *, progress: bool = False) -> tuple[Deployment, Workspace]:
    """The deployment and the ports, for Google or (GUONGMAU_EMULATOR) the emulator; with
    `progress`, long steps show their counts (a bar on a terminal, plain lines otherwise)."""
    deployment = state.deployment()
    clients = client_factory.for_environment(os.environ)  # checks the emulator address
    if clients.target.emulator_url:
        deployment = emulator_setup.prepare(clients.target.emulator_url, deployment)
    shown = on_console() if progress else no_progress
    return deployment, connect(clients, deployment.settings, report=click.echo,
                               progress=shown)


@main.command(short_help="Chạy trình giả lập Google Workspace trên máy này.")
@click.option("--port", default=8765, show_default=True, help="Cổng (chỉ nghe trên 127.0.0.1).")
@click.option("--data", type=click.Path(path_type=Path, file_okay=False), metavar="THƯ_MỤC",
              default=Path(".guongmau/emulator"), show_default=True,
              help="Thư mục lưu dữ liệu (giữ lại khi khởi động lại).")
@click.option("--reset", is_flag=True, help="Xóa dữ liệu cũ, bắt đầu trống.")
def emulator(port: int, data: Path, reset: bool) -> None:
    """Chạy trình giả lập ở chế độ nền trước cho đến khi nhấn Ctrl+C. Đặt
    GUONGMAU_EMULATOR=http://127.0.0.1:CỔNG để các lệnh khác dùng nó thay cho Google."""
    from emulator.cli_entry import run

    run(port, data, reset)


@main.command(short_help="Tạo biểu mẫu, bảng theo dõi các đơn vị và bảng tổng hợp của năm.")
@click.option("--year", type=YEAR, metavar="NĂM",
              help="Năm cần tạo (phải khớp tệp cấu hình).")
@click.option("--dry-run", is_flag=True, help="Chỉ in những gì sẽ tạo hoặc sửa, không ghi gì.")
@click.option("--hom-nay", "today", type=DAY, metavar="NGÀY",
              help="Coi NGÀY (NĂM-THÁNG-NGÀY) là hôm nay khi mở, đóng biểu mẫu theo kỳ.")
@click.option("--gioi-han", "budget", type=SECONDS, default=3600.0, show_default=True,
              metavar="GIÂY", help="Thời gian tối đa; quá thì dừng, lần sau làm tiếp.")
@pass_state
def provision(state: CliState, year: int | None, dry_run: bool, today: date | None,
              budget: float) -> None:
    """Tạo (hoặc cập nhật phần thay đổi) thư mục, biểu mẫu, bảng theo dõi của từng đơn vị, bảng
    tổng hợp của Sở và quyền chia sẻ. Chạy lại nhiều lần cũng không tạo trùng."""
    deployment, ws = workspace_for(state, progress=True)
    if year is not None and year != deployment.settings.year:
        click.echo(f"Tệp cấu hình là của năm {deployment.settings.year}, không phải {year}.",
                   err=True)
        sys.exit(EXIT_CONFIG)
    day = today or runner.local_today(deployment)  # the units' date, not this machine's
    warning = calendar_warning(deployment, day)
    if warning:
        click.echo(warning)
    outcome = provision_year(deployment, ws, day, dry_run=dry_run, budget_seconds=budget)
    verb = "Sẽ" if dry_run else "Đã"
    for action in outcome.actions:
        click.echo(f"{verb} {action}")
    for note in outcome.notes:
        click.echo(note)
    if not outcome.complete:
        click.echo("Chưa xong: chạy lại lệnh này để làm tiếp phần còn lại.")
    elif not outcome.actions:
        click.echo("Không có gì thay đổi: mọi thứ đã đúng như cấu hình." if not outcome.notes
                   else "Không thay đổi gì; hãy xem các lưu ý trên.")


@main.command(short_help="Đưa các câu trả lời mới vào bảng theo dõi của các đơn vị.")
@click.option("--full", "full", is_flag=True,
              help="Đối soát toàn bộ câu trả lời (không chỉ phần mới), như lịch chạy định kỳ.")
@click.option("--gioi-han", "budget", type=SECONDS, default=3600.0, show_default=True,
              metavar="GIÂY", help="Thời gian tối đa; quá thì dừng, lần sau làm tiếp.")
@click.option("--hom-nay", "today", type=DAY, metavar="NGÀY",
              help="Coi NGÀY (NĂM-THÁNG-NGÀY) là hôm nay khi liệt kê người chưa nộp.")
@pass_state
def collect(state: CliState, full: bool, budget: float, today: date | None) -> None:
    """Đọc câu trả lời từ các biểu mẫu và ghi vào bảng theo dõi của từng đơn vị (mỗi bảng một
    lần đọc, một lần ghi). Chạy lại bao nhiêu lần cũng không ghi trùng."""
    deployment, ws = workspace_for(state, progress=full)
    year = deployment.settings.year
    if not RegistryStore(ws.state, year, read_only=True).load().forms:
        click.echo(f"Chưa có biểu mẫu nào của năm {year} để thu thập: hãy chạy «guongmau "
                   f"--config {state.config_path} provision» trước.")
        return
    outcome = runner.run(deployment, ws, every_form=True, full=full, budget_seconds=budget,
                         today=today)
    if outcome.busy:
        zone = ZoneInfo(deployment.settings.schedule.time_zone or "Asia/Ho_Chi_Minh")
        until = datetime.fromtimestamp(outcome.busy_until, zone)
        click.echo(f"Một lần đồng bộ khác đang chạy (khóa của lần đó hết hạn lúc "
                   f"{until:%H:%M:%S ngày %d/%m/%Y} nếu không được gia hạn); "
                   + ("yêu cầu đối soát toàn bộ đã được ghi lại, lần đó hoặc lần chạy sau sẽ "
                      "làm." if full else "lần đó sẽ ghi luôn các câu trả lời mới."), err=True)
        sys.exit(EXIT_BUSY)
    click.echo(f"Đã đọc {outcome.listed} câu trả lời; {outcome.changed} câu trả lời mới hoặc đã "
               f"sửa; ghi {outcome.units_written} bảng đơn vị; {outcome.quarantined} câu trả lời "
               "chưa xác định được đơn vị.")
    for note in outcome.notes:
        click.echo(note)
    if outcome.edits_may_wait:
        click.echo(edits_note(deployment))


def edits_note(deployment: Deployment) -> str:
    """Why an edit may be missing after a run without ``--full``, and when it will come."""
    schedule = deployment.settings.schedule
    zone = ZoneInfo(schedule.time_zone or "Asia/Ho_Chi_Minh")
    when = next_time(schedule.reconcile, datetime.now(zone).replace(tzinfo=None))
    planned = f" (theo lịch: lúc {when:%H:%M ngày %d/%m/%Y})" if when else ""
    return ("Lưu ý: câu trả lời được sửa có thể chưa vào bảng, vì bộ lọc thời gian của Google "
            "có thể chỉ so thời điểm gửi lần đầu; chúng sẽ vào ở lần đối soát toàn bộ tiếp "
            f"theo{planned}, hoặc ngay khi chạy «guongmau collect --full».")


@main.command(short_help="Làm báo cáo của một kỳ (Google Docs) hoặc bản niêm yết công khai.")
@click.option("--period", type=PERIOD, metavar="KỲ",
              help="Kỳ báo cáo: ke-hoach, quy-1, 6-thang, quy-3, ca-nam.")
@click.option("--niem-yet", "posting", is_flag=True,
              help="Làm bản niêm yết công khai kế hoạch Nhóm 1 của các đơn vị.")
@click.option("--unit", "unit_code", metavar="MÃ_ĐƠN_VỊ", help="Chỉ làm cho một đơn vị.")
@click.option("--hom-nay", "today", type=DAY, metavar="NGÀY",
              help="Coi NGÀY (NĂM-THÁNG-NGÀY) là ngày của văn bản.")
@click.option("--dry-run", is_flag=True, help="Chỉ in những văn bản sẽ làm, không ghi gì.")
@pass_state
def report(state: CliState, period: PeriodKind | None, posting: bool, unit_code: str | None,
           today: date | None, dry_run: bool) -> None:
    """Đọc bảng theo dõi của các đơn vị và làm báo cáo của Sở và của từng đơn vị (hoặc bản niêm
    yết với --niem-yet); chạy lại thì cập nhật đúng văn bản cũ, giữ bản PDF theo ngày."""
    if (period is None) == (not posting):
        click.echo("Hãy ghi đúng một trong hai: --period KỲ hoặc --niem-yet.", err=True)
        sys.exit(EXIT_CONFIG)
    deployment, ws = workspace_for(state, progress=True)
    if unit_code is not None:
        unit = deployment.directory().unit(unit_code)
        if unit is None or not unit.active:
            click.echo(f"Mã đơn vị «{unit_code}» không có trong danh sách đơn vị đang hoạt "
                       "động; hãy kiểm tra tệp đơn vị.", err=True)
            sys.exit(EXIT_CONFIG)
        unit_code = unit.code
    day = today or runner.local_today(deployment)
    outcome = (reports.make_postings(deployment, ws, day, unit_code, dry_run) if posting else
               reports.make_reports(deployment, ws, period or PeriodKind.PLAN, day, unit_code,
                                    dry_run))
    for title in outcome.planned:
        click.echo(f"Sẽ làm «{title}»")
    for done in outcome.published:
        click.echo(f"Đã làm «{done.title}»: {done.link}")
    click.echo(f"Đã đọc {outcome.sheets_read} bảng theo dõi (bảng không đổi từ lần trước "
               "không phải đọc lại).")


@main.command("remind", short_help="Gửi thư nhắc người chưa nộp và thư tổng hợp cho thủ trưởng.")
@click.option("--period", type=PERIOD, metavar="KỲ",
              help="Chỉ nhắc kỳ này: ke-hoach, quy-1, 6-thang, quy-3, ca-nam.")
@click.option("--dry-run", is_flag=True, help="Chỉ in những thư sẽ gửi, không gửi gì.")
@click.option("--hom-nay", "today", type=DAY, metavar="NGÀY",
              help="Coi NGÀY (NĂM-THÁNG-NGÀY) là hôm nay.")
@pass_state
def remind_command(state: CliState, period: PeriodKind | None, dry_run: bool,
                   today: date | None) -> None:
    """Vào các ngày trước hạn đã cấu hình (remind_days_before) và một lần sau hạn: mỗi người chưa
    nộp nhận một thư nhắc kèm đường dẫn biểu mẫu, mỗi thủ trưởng nhận thư tổng hợp người chưa
    nộp của đơn vị. Không thư nào gửi hai lần; quá giới hạn trong ngày thì hoãn sang lần sau."""
    deployment, ws = workspace_for(state)
    sender = deployment.settings.notifications.sender or ""
    send = remind.mailbox(client_factory.for_environment(os.environ), sender, ws.gate,
                          deployment.settings.notifications,
                          os.environ.get("GUONGMAU_SMTP_PASSWORD"))
    outcome = remind.remind(deployment, ws, send, today or runner.local_today(deployment),
                            period, dry_run)
    for line in outcome.planned:
        click.echo(f"Sẽ gửi: {line}")
    for line in outcome.notes:
        click.echo(line)
    if outcome.rounds:
        click.echo("Đợt nhắc: " + "; ".join(outcome.rounds))
    if not dry_run:
        click.echo(f"Đã gửi {outcome.sent} thư nhắc và {outcome.digests} thư tổng hợp; "
                   f"hoãn {outcome.deferred} thư.")


@main.command("renew-watches", short_help="Gia hạn theo dõi câu trả lời của các biểu mẫu.")
@pass_state
def renew_watches(state: CliState) -> None:
    """Gia hạn (hoặc tạo lại) việc theo dõi câu trả lời mới của từng biểu mẫu; Google cho mỗi
    lần theo dõi 7 ngày."""
    deployment, ws = workspace_for(state)
    for line in watches.renew_all(deployment, ws):
        click.echo(f"Đã gia hạn {line}")


@main.command(short_help="Chạy thử cả một năm trên trình giả lập (không cần tài khoản Google).")
@click.argument("directory", type=click.Path(path_type=Path, file_okay=False), metavar="THƯ_MỤC",
                default=Path("demo"))
@click.option("--giu-may-chu/--khong-giu-may-chu", "keep", default=None,
              help="Sau khi chạy xong, giữ trình giả lập để xem trong trình duyệt (mặc định: "
                   "giữ khi chạy trong cửa sổ dòng lệnh, không giữ khi CI=true).")
def demo(directory: Path, keep: bool | None) -> None:
    """Dùng cấu hình mẫu trong THƯ_MỤC (tạo nếu chưa có): chuẩn bị biểu mẫu và bảng theo dõi,
    mô phỏng cán bộ gửi kế hoạch và báo cáo qua từng kỳ, thủ trưởng xác nhận, đánh giá."""
    from functions.demo.year import reopen, run_year, try_it

    year = run_year(directory, click.echo)
    if keep is None:
        keep = sys.stdout.isatty() and os.environ.get("CI", "").lower() not in ("1", "true")
    try:
        for line in try_it(year):
            click.echo(line)
        if keep:
            click.echo(f"Trình giả lập vẫn chạy để anh/chị xem và điền thử; câu trả lời mới được "
                       f"đưa vào bảng mỗi {COLLECT_EVERY} giây. Nhấn Ctrl+C để dừng.")
            while year.running.thread.is_alive():
                year.running.thread.join(COLLECT_EVERY)
                year.collect()
    except KeyboardInterrupt:
        pass
    finally:
        year.running.stop()
    for line in reopen(year):
        click.echo(line)


@main.command("check-google",
              short_help="Kiểm tra trên Google thật những điều công cụ giả định (trước provision).")
@click.option("--giu-lai", "keep", is_flag=True,
              help="Giữ lại thư mục nháp, biểu mẫu, bảng tính, văn bản đã tạo để xem.")
@click.option("--ghi-lai", "record_dir", type=click.Path(path_type=Path, file_okay=False),
              metavar="THƯ_MỤC", help="Ghi mọi trao đổi với Google (đã che mã, email, mã "
                                      "truy cập) vào THƯ_MỤC để phát lại trong kiểm thử.")
@pass_state
def check_google(state: CliState, keep: bool, record_dir: Path | None) -> None:
    """Trong một thư mục nháp của Drive dùng chung: kiểm tra các bước chuẩn bị, sao chép và
    xuất bản biểu mẫu mẫu, cấp quyền trả lời, theo dõi và nhận thông báo, tạo bảng tính, nhập
    văn bản; dọn sạch rồi in bảng kết quả. Mã thoát 0: không có gì bị từ chối."""
    from functions.services import google_check, google_check_setup
    from functions.services.google_check_steps import STEPS

    _, probe, recorder = google_check_setup.prepare(
        state.deployment(), os.environ, record_dir is not None, click.echo)
    findings = google_check.run(probe, STEPS, keep=keep)
    for line in google_check.table(findings):
        click.echo(line)
    if recorder is not None and record_dir is not None:
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
        saved = google_check_setup.save_recording(recorder, record_dir, stamp)
        click.echo(f"Đã ghi {len(recorder.interactions)} trao đổi vào {saved}")
    if keep and "folder" in probe.facts:
        click.echo(f"Đã giữ lại thư mục nháp {probe.facts['folder']} trong Drive dùng chung.")
    sys.exit(EXIT_PREFLIGHT if google_check.refused(findings) else 0)
