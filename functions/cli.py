"""Command line of the administrator: `guongmau [--config PATH] COMMAND`.

Each command is a few lines calling a function of the package. To add one, decorate a function
with `@main.command(...)`, take `state: CliState` via `@pass_state`, and call
`state.deployment()` to get the validated configuration. Let errors rise: `ViGroup.main` is the
one boundary that turns them into Vietnamese lines and exit codes (`cli_errors.py`).
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import click

from functions.cli_errors import explain, os_reason, show_traceback
from functions.clock import local_today
from functions.config import Deployment, load
from functions.config.sample import (
    SAMPLE_FILES,
    SampleExists,
    missing_files,
    school_year,
    write_sample,
)
from functions.config.summary import calendar_warning, describe
from functions.domain.model import PeriodKind

_HEADINGS = {"Usage": "Cách dùng", "Options": "Tùy chọn", "Commands": "Lệnh"}


class _Formatter(click.HelpFormatter):
    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        super().write_usage(prog, args, "Cách dùng: ")

    def write_heading(self, heading: str) -> None:
        super().write_heading(_HEADINGS.get(heading, heading))


class _Context(click.Context):
    formatter_class = _Formatter


class ViCommand(click.Command):
    """A command whose help and usage errors speak Vietnamese."""

    context_class = _Context

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("options_metavar", "[TÙY CHỌN]")
        super().__init__(*args, **kwargs)

    def get_help_option(self, ctx: click.Context) -> click.Option | None:
        option = super().get_help_option(ctx)
        if option is not None:
            option.help = "Hiện hướng dẫn này rồi thoát."
        return option


class ViGroup(ViCommand, click.Group):
    command_class = ViCommand
    group_class = type

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("subcommand_metavar", "LỆNH [THAM SỐ]...")
        super().__init__(*args, **kwargs)

    def main(self, *args: Any, **kwargs: Any) -> Any:
        if kwargs.get("standalone_mode", True) is False:
            return super().main(*args, **kwargs)
        try:
            return super().main(*args, **{**kwargs, "standalone_mode": False})
        except click.exceptions.Abort:
            click.echo("Đã dừng.", err=True)
            sys.exit(1)
        except click.UsageError as error:
            click.echo(f"Lỗi: {_vietnamese(error)}", err=True)
            click.echo("Xem «guongmau --help» để biết cách dùng.", err=True)
            sys.exit(error.exit_code)
        except click.exceptions.Exit as done:
            sys.exit(done.exit_code)
        except Exception as error:  # the one boundary: a line in Vietnamese, never a traceback
            if show_traceback():
                raise
            code, lines = explain(error)
            for line in lines:
                click.echo(line, err=True)
            sys.exit(code)


def _vietnamese(error: click.UsageError) -> str:
    if isinstance(error, click.BadParameter) and error.param is not None:
        name = (error.param.opts or [error.param.human_readable_name])[0]
        return f"giá trị không hợp lệ cho «{name}»: {error.message}"
    message = error.format_message()
    if isinstance(error, click.NoSuchOption):
        return f"không có tùy chọn «{error.option_name}»"
    if isinstance(error, click.MissingParameter) and error.param is not None:
        return f"thiếu tham số «{error.param.human_readable_name}»"
    if (found := re.match(r"No such command '(.+)'", message)) is not None:
        return f"không có lệnh «{found[1]}»"
    if message.startswith("Got unexpected extra argument"):
        return "thừa tham số: " + message.split("(", 1)[-1].rstrip(")")
    return message


class PeriodParam(click.ParamType):
    """A period id on the command line: ke-hoach, quy-1, 6-thang, quy-3, ca-nam."""

    name = "KỲ"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        if isinstance(value, PeriodKind):
            return value
        try:
            return PeriodKind(str(value).strip().lower())
        except ValueError:
            known = ", ".join(kind.value for kind in PeriodKind)
            self.fail(f"kỳ «{value}» không hợp lệ; dùng một trong: {known}", param, ctx)


PERIOD = PeriodParam()


class DayParam(click.ParamType):
    """A date on the command line, NĂM-THÁNG-NGÀY (2025-01-10)."""

    name = "NGÀY"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        if isinstance(value, date):
            return value
        try:
            return date.fromisoformat(str(value).strip())
        except ValueError:
            self.fail(f"ngày «{value}» không hợp lệ; ghi theo dạng NĂM-THÁNG-NGÀY, ví dụ "
                      "2025-01-10", param, ctx)


class SecondsParam(click.ParamType):
    """A positive number of seconds."""

    name = "GIÂY"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        try:
            seconds = float(value)
        except (TypeError, ValueError):
            seconds = -1.0
        if seconds <= 0:
            self.fail(f"«{value}» không phải số giây hợp lệ (cần một số dương)", param, ctx)
        return seconds


class YearParam(click.ParamType):
    name = "NĂM"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        text = str(value).strip()
        if not (text.isdigit() and 2000 <= int(text) <= 2100):
            self.fail(f"«{value}» không phải một năm (ví dụ 2025)", param, ctx)
        return int(text)


DAY = DayParam()
YEAR = YearParam()
SECONDS = SecondsParam()


@dataclass
class CliState:
    config_path: Path
    _deployment: Deployment | None = field(default=None, repr=False)

    def deployment(self) -> Deployment:
        """The configuration, loaded once; a ConfigError reaches the boundary (exit 2)."""
        if self._deployment is None:
            self._deployment = load(self.config_path)
        return self._deployment


pass_state = click.make_pass_decorator(CliState)


@click.group(cls=ViGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--config", "config_path", type=click.Path(path_type=Path), metavar="TỆP",
              default=Path("guongmau.yaml"),
              help="Tệp cấu hình (mặc định: guongmau.yaml trong thư mục hiện tại).")
@click.pass_context
def main(ctx: click.Context, config_path: Path) -> None:
    """Quản trị mô hình “Trên làm gương mẫu mực, dưới tích cực làm theo” trên Google Workspace."""
    ctx.obj = CliState(config_path)


@main.command(short_help="Tạo cấu hình mẫu của một tỉnh giả định để chạy thử.")
@click.argument("directory", type=click.Path(path_type=Path, file_okay=False), metavar="THƯ_MỤC")
@click.option("--force", is_flag=True, help="Ghi đè các tệp cấu hình đã có.")
@click.option("--giu-tep-da-co", "keep", is_flag=True,
              help="Chỉ tạo tệp còn thiếu; giữ nguyên tệp đã có (cả phần đã sửa).")
def init(directory: Path, force: bool, keep: bool) -> None:
    """Tạo trong THƯ_MỤC một cấu hình mẫu đầy đủ (guongmau.yaml, don_vi.csv, nhan_su.csv) cho
    năm học hiện tại (năm sau, nếu hôm nay đã qua hạn nộp cuối cùng của năm)."""
    year = school_year(local_today())
    missing = missing_files(directory)
    try:
        written = write_sample(directory, force=force, year=year, only_missing=keep)
    except SampleExists as error:
        for path in error.paths:
            click.echo(f"Tệp đã có, không ghi đè: {path}", err=True)
        click.echo("Thêm --force để ghi đè, hoặc --giu-tep-da-co để chỉ tạo tệp còn thiếu.",
                   err=True)
        sys.exit(1)
    except OSError as error:  # a path under a file, a read-only disk, no permission
        click.echo(f"Không ghi được vào {directory} ({os_reason(error)}); hãy chọn thư mục "
                   "khác.", err=True)
        sys.exit(1)
    for path in written:
        click.echo(f"Đã tạo {path}" + (f" (năm {year})" if path.name == "guongmau.yaml" else ""))
    for path in (directory / name for name in SAMPLE_FILES):
        if keep and path not in missing:
            click.echo(f"Giữ nguyên {path} (tệp đã có; xóa tệp để tạo lại bản mẫu).")
    click.echo(f"Tiếp theo: guongmau --config {directory / 'guongmau.yaml'} check")


@main.command(short_help="Kiểm tra cấu hình và in kế hoạch triển khai.")
@click.option("--day-du", "full", is_flag=True, help="Liệt kê đầy đủ, không rút gọn danh sách.")
@pass_state
def check(state: CliState, full: bool) -> None:
    """Kiểm tra tệp cấu hình, danh sách đơn vị, nhân sự; in các đơn vị, nhân sự theo nhóm,
    biểu mẫu và bảng tính sẽ tạo, lịch các kỳ báo cáo."""
    deployment = state.deployment()
    click.echo(f"Cấu hình hợp lệ: {state.config_path}")
    for line in describe(deployment, full=full):
        click.echo(line)
    warning = calendar_warning(deployment, local_today(deployment.settings.schedule.time_zone))
    if warning:
        click.echo(warning)


# Commands that talk to Workspace (and to Google Cloud) register themselves on `main` when
# imported.
from functions import cli_data, cli_deploy, cli_workspace  # noqa: E402,F401
