"""Every command against every known failure: one Vietnamese line, the documented exit code,
never a traceback (README «Mã thoát»; `functions/cli_errors.py`).

The table is the contract: a situation, how to bring it about, and for each command what the
user must see (exit code, a fragment of the one line on stderr), or None where the situation
does not concern the command (`demo` runs its own emulator and ignores GUONGMAU_EMULATOR).
"""

from __future__ import annotations

import csv
import json
import socket
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner

from functions.cli import main
from functions.config.sample import write_sample
from tests.conftest import Control
from tests.e2e import collect_helpers
from tests.e2e.collect_helpers import Province

collect_snapshot = collect_helpers.collect_snapshot  # fixture (session)

TODAY = "2025-01-10"
COMMANDS: dict[str, list[str]] = {
    "check": ["check"],
    "provision": ["provision", "--hom-nay", TODAY],
    "collect": ["collect", "--hom-nay", TODAY],
    "renew-watches": ["renew-watches"],
    "report": ["report", "--period", "ke-hoach", "--hom-nay", TODAY],
    "check-google": ["check-google"],
    "demo": ["demo"],  # its directory is added by `run`
}
VIETNAMESE = set("ăâđêôơưàáảãạèéẻẽẹìíỉĩịòóỏõọùúủũụỳýỷỹỵ")
Outcome = tuple[int, str | None] | None  # (exit code, the stderr line's fragment) or n/a


@dataclass
class Setup:
    """What a situation may need: a configuration folder, and an emulator (empty, or the
    provisioned sample province with one response waiting to be collected)."""

    request: pytest.FixtureRequest
    tmp_path: Path
    command: str

    def config(self) -> Path:
        folder = self.tmp_path / "so"
        if not folder.exists():
            write_sample(folder)
        return folder

    def emulator_url(self) -> str:
        """An emulator where the command has work to do: empty for provision (it builds
        everything), the provisioned province with a new response for the others."""
        if self.command == "provision":
            return str(self.request.getfixturevalue("emulator").url)
        province: Province = self.request.getfixturevalue("collect_province")
        province.submit_as("ke-hoach-nhom-1", province.deployment.staff[0].email, "t1")
        self._config_of_province = province.config_dir
        return province.url

    _config_of_province: Path | None = None


def _drop_column(column: str) -> Callable[[Setup], dict[str, str | None]]:
    def prepare(setup: Setup) -> dict[str, str | None]:
        roster = setup.config() / "nhan_su.csv"
        with roster.open(encoding="utf-8-sig", newline="") as handle:
            rows = list(csv.reader(handle))
        index = rows[0].index(column)
        with roster.open("w", encoding="utf-8", newline="") as handle:
            csv.writer(handle).writerows([row[:index] + row[index + 1:] for row in rows])
        return {}
    return prepare


def _legacy_position(setup: Setup) -> dict[str, str | None]:
    """One leader's position typed with a TCVN3 font (.VnTime) and saved as UTF-8."""
    roster = setup.config() / "nhan_su.csv"
    text = roster.read_text(encoding="utf-8-sig")
    roster.write_text(text.replace(",Hiệu trưởng,", ",HiÖu tr\u00adëng,", 1), encoding="utf-8")
    return {}


def _edit_settings(old: str, new: str) -> Callable[[Setup], dict[str, str | None]]:
    def prepare(setup: Setup) -> dict[str, str | None]:
        settings = setup.config() / "guongmau.yaml"
        text = settings.read_text(encoding="utf-8")
        assert old in text, old
        settings.write_text(text.replace(old, new), encoding="utf-8")
        return {}
    return prepare


def _no_credentials(setup: Setup) -> dict[str, str | None]:
    setup.config()
    return {"GUONGMAU_EMULATOR": None, "GOOGLE_APPLICATION_CREDENTIALS": None,
            "NO_GCE_CHECK": "True", "CLOUDSDK_CONFIG": str(setup.tmp_path / "gcloud")}


def _google_unreachable(setup: Setup) -> dict[str, str | None]:
    """A well-formed service-account key: getting a token needs Google, unreachable here (and
    refused with a made-up key where Google is reachable: still no contact, exit 5)."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    setup.config()
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048).private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption()).decode()
    path = setup.tmp_path / "key.json"
    path.write_text(json.dumps({
        "type": "service_account", "project_id": "thu", "private_key_id": "1",
        "private_key": key, "client_email": "guongmau@thu.iam.gserviceaccount.com",
        "client_id": "1", "token_uri": "https://oauth2.googleapis.com/token"}), encoding="utf-8")
    return {"GUONGMAU_EMULATOR": None, "GOOGLE_APPLICATION_CREDENTIALS": str(path)}


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _emulator_not_running(setup: Setup) -> dict[str, str | None]:
    setup.config()
    return {"GUONGMAU_EMULATOR": f"http://127.0.0.1:{_free_port()}"}


def _emulator_without_scheme(setup: Setup) -> dict[str, str | None]:
    setup.config()
    return {"GUONGMAU_EMULATOR": "127.0.0.1:8765"}


def _dropped(method: str) -> Callable[[Setup], dict[str, str | None]]:
    def prepare(setup: Setup) -> dict[str, str | None]:
        url = setup.emulator_url()
        Control(url).post("faults", {"method": method, "status": "drop", "count": 50})
        return {"GUONGMAU_EMULATOR": url}
    return prepare


CONFIG_ERROR = "Cấu hình có 1 lỗi"
NO_CREDENTIALS = (5, "Không có thông tin đăng nhập Google")
NOT_RUNNING = (5, "Không kết nối được trình giả lập tại http://127.0.0.1:")
BAD_ADDRESS = (5, "Địa chỉ trình giả lập «127.0.0.1:8765» (biến GUONGMAU_EMULATOR) không hợp lệ")
DROPPED = "Mất kết nối giữa chừng khi gọi API"

SITUATIONS: dict[str, tuple[Callable[[Setup], dict[str, str | None]], dict[str, Outcome]]] = {
    "roster without «Chức vụ»": (_drop_column("Chức vụ"), {
        command: (2, "nhan_su.csv, dòng 1, cột «Chức vụ»: thiếu cột bắt buộc")
        for command in COMMANDS}),
    "roster without «Họ và tên»": (_drop_column("Họ và tên"), {
        command: (2, "nhan_su.csv, dòng 1, cột «Họ và tên»: thiếu cột bắt buộc")
        for command in COMMANDS}),
    "a position typed in TCVN3": (_legacy_position, {
        command: (2, "cột «Chức vụ»: «HiÖu tr\u00adëng» không phải chữ Unicode (có lẽ là «Hiệu "
                     "trưởng»)") for command in COMMANDS}),
    "a settings key written twice": (
        _edit_settings("retention_years: 5", "retention_years: 5\nretention_years: 2"), {
            command: (2, "guongmau.yaml, dòng 35: khóa «retention_years» được ghi hai lần")
            for command in COMMANDS}),
    "a negative retention period": (
        _edit_settings("retention_years: 5", "retention_years: -3"), {
            command: (2, "mục «retention_years»: giá trị -3 không hợp lệ")
            for command in COMMANDS}),
    "quý III before 6 tháng": (
        _edit_settings("opens: 2025-09-20, deadline: 2025-10-05",
                       "opens: 2025-05-20, deadline: 2025-06-05"), {
            command: (2, "mục «periods.quy-3.opens»: ngày mở 20/05/2025 của «Báo cáo quý III» "
                         "phải sau") for command in COMMANDS}),
    "an unknown time zone": (
        _edit_settings("time_zone: Asia/Ho_Chi_Minh", "time_zone: Asia/Hanoi"), {
            command: (2, "mục «schedule.time_zone»: múi giờ «Asia/Hanoi» không có")
            for command in COMMANDS}),
    "no emulator and no Google credentials": (_no_credentials, {
        "check": (0, None), "provision": NO_CREDENTIALS, "collect": NO_CREDENTIALS,
        "renew-watches": NO_CREDENTIALS, "report": NO_CREDENTIALS,
        "check-google": NO_CREDENTIALS, "demo": None}),
    "Google unreachable": (_google_unreachable, {
        "check": (0, None), "provision": (5, "Google"), "collect": (5, "Google"),
        "renew-watches": (5, "Google"), "report": (5, "Google"),
        "check-google": (5, "Google"), "demo": None}),
    "emulator not running": (_emulator_not_running, {
        "check": (0, None), "provision": NOT_RUNNING, "collect": NOT_RUNNING,
        "renew-watches": NOT_RUNNING, "report": NOT_RUNNING,
        "check-google": NOT_RUNNING, "demo": None}),
    "emulator address without http://": (_emulator_without_scheme, {
        "check": (0, None), "provision": BAD_ADDRESS, "collect": BAD_ADDRESS,
        "renew-watches": BAD_ADDRESS, "report": BAD_ADDRESS,
        "check-google": BAD_ADDRESS, "demo": None}),
    "connection dropped on sheets.spreadsheets.batchUpdate": (
        _dropped("sheets.spreadsheets.batchUpdate"), {
            "check": (0, None), "provision": (4, f"{DROPPED} sheets"),
            "collect": (4, f"{DROPPED} sheets"), "renew-watches": (0, None), "report": (0, None),
            "check-google": (4, f"{DROPPED} sheets"), "demo": None}),
    "connection dropped on drive.permissions.create": (
        _dropped("drive.permissions.create"), {
            "check": (0, None), "provision": (4, f"{DROPPED} drive"), "collect": (0, None),
            "renew-watches": (0, None), "report": (4, f"{DROPPED} drive"),
            "check-google": (4, f"{DROPPED} drive"), "demo": None}),
}
CASES = [pytest.param(situation, command, id=f"{situation} / {command}")
         for situation, (_, outcomes) in SITUATIONS.items()
         for command, outcome in outcomes.items() if outcome is not None]


@pytest.fixture
def collect_province(collect_snapshot: Path, tmp_path: Path):  # type: ignore[no-untyped-def]
    with collect_helpers.province_from(collect_snapshot, tmp_path / "province") as found:
        yield found


@pytest.mark.parametrize(("situation", "command"), CASES)
def test_every_command_answers_every_known_failure_with_one_vietnamese_line(
    situation: str, command: str, request: pytest.FixtureRequest, tmp_path: Path
) -> None:
    prepare, outcomes = SITUATIONS[situation]
    expected = outcomes[command]
    assert expected is not None
    setup = Setup(request, tmp_path, command)
    env = {"GUONGMAU_TRACEBACK": None, **prepare(setup)}
    folder = setup._config_of_province or setup.config()
    arguments = (["demo", str(folder), "--khong-giu-may-chu"] if command == "demo" else
                 ["--config", str(folder / "guongmau.yaml"), *COMMANDS[command]])
    result = CliRunner().invoke(main, arguments, env=env)

    shown = f"{situation} / {command}:\n{result.output}"
    assert "Traceback" not in result.output, shown
    assert result.exception is None or isinstance(result.exception, SystemExit), (
        shown, result.exception)
    code, fragment = expected
    assert result.exit_code == code, shown
    lines = result.stderr.splitlines()
    if fragment is None:
        assert lines == [], shown
        return
    if code == 2:  # configuration: one line per problem, then the summary
        assert lines == [lines[0], lines[-1]] and CONFIG_ERROR in lines[-1], shown
    else:
        assert len(lines) == 1, shown
    assert fragment in lines[0], shown
    assert VIETNAMESE & set(lines[0].lower()), shown


def test_the_installed_command_prints_no_traceback_when_the_emulator_is_down(
    tmp_path: Path,
) -> None:
    """The same through the real console script, where nothing catches what we miss."""
    write_sample(tmp_path)
    script = Path(sys.executable).with_name("guongmau")
    result = subprocess.run(
        [str(script), "provision"], cwd=tmp_path, capture_output=True, text=True, timeout=60,
        env={"PATH": "/usr/bin:/bin", "GUONGMAU_EMULATOR": f"http://127.0.0.1:{_free_port()}"},
        check=False)
    assert result.returncode == 5, result.stderr
    assert "Traceback" not in result.stderr
    assert result.stderr.splitlines() == [
        line for line in result.stderr.splitlines() if "Không kết nối được trình giả lập" in line]


def test_the_emulator_refuses_a_busy_port_in_one_vietnamese_line(tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = CliRunner().invoke(main, ["emulator", "--port", str(port), "--data",
                                           str(tmp_path / "data")])
    assert result.exit_code == 1, result.output
    assert result.stderr.splitlines() == [
        f"Cổng {port} trên 127.0.0.1 đang được chương trình khác dùng (có thể là một trình giả "
        "lập đang chạy); hãy dừng chương trình đó hoặc chọn cổng khác bằng --port."]
