"""What provisioning needs is checked first: a missing grant or template stops it with a
Vietnamese message naming what to do, and nothing is created."""

from __future__ import annotations

import dataclasses
import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from functions.cli import main
from functions.cli_workspace import EXIT_PREFLIGHT
from functions.config import load
from functions.services.preflight import PreflightError
from functions.services.provision import provision
from functions.services.workspace import connect
from tests.e2e import test_provision_helpers as helpers
from tests.e2e.test_provision_helpers import TODAY, Province

empty_province = helpers.empty_province  # fixture

READER_DRIVE = "0AReaderOnlyDrive"


def nothing_created(province: Province) -> None:
    writes = province.writes()
    assert writes == {}, f"a refused run must write nothing, wrote {writes}"


def test_a_service_account_that_only_reads_the_shared_drive_is_told_to_become_content_manager(
    empty_province: Province,
) -> None:
    province = empty_province
    province.control.post("drives", {"id": READER_DRIVE, "name": "Drive chỉ xem", "members": [
        {"email": "quantri@sgddt-demo.edu.vn", "role": "organizer"},
        {"email": province.ws.service_account, "role": "reader"}]})
    storage = dataclasses.replace(province.deployment.settings.storage,
                                  shared_drive_id=READER_DRIVE)
    settings = dataclasses.replace(province.deployment.settings, storage=storage)
    deployment = dataclasses.replace(province.deployment, settings=settings)
    province.fresh_calls()
    with pytest.raises(PreflightError) as refused:
        provision(deployment, province.ws, TODAY)
    message = "\n".join(refused.value.problems)
    assert "chỉ được xem Drive dùng chung" in message
    assert "Người quản lý nội dung" in message
    nothing_created(province)


def test_without_a_template_form_on_google_the_admin_is_sent_to_the_readme(
    empty_province: Province,
) -> None:
    """As on Google: the settings name no template, and nothing makes one automatically."""
    province = empty_province
    deployment = load(province.config_dir / "guongmau.yaml")  # emulator_setup not applied
    assert deployment.settings.storage.form_template_id is None
    ws = connect(province.clients(), deployment.settings)
    province.fresh_calls()
    with pytest.raises(PreflightError) as refused:
        provision(deployment, ws, TODAY)
    message = "\n".join(refused.value.problems)
    assert "Chưa khai báo storage.form_template_id" in message
    assert "README" in message
    nothing_created(province)


def test_a_template_id_that_does_not_exist_stops_the_command_with_exit_code_3(
    empty_province: Province,
) -> None:
    province = empty_province
    config = province.config_dir / "guongmau.yaml"
    text = config.read_text(encoding="utf-8")
    config.write_text(text.replace("  form_template_id:\n",
                                   "  form_template_id: 1KhongCoBieuMauNay\n"), encoding="utf-8")
    province.reload()  # the emulator's one-time setup (the drive), as the command does it
    province.fresh_calls()
    result = run_cli(province, config, "provision", "--hom-nay", "2025-01-10")
    assert result.exit_code == EXIT_PREFLIGHT, result.output
    assert "Chưa thể bắt đầu" in result.output
    assert "Không tìm thấy biểu mẫu mẫu «1KhongCoBieuMauNay»" in result.output
    nothing_created(province)
    assert province.find("form") == [] and province.find("unit-sheet") == []


def run_cli(province: Province, config: Path, *args: str) -> object:
    runner = CliRunner()
    env = {**os.environ, "GUONGMAU_EMULATOR": province.url}
    return runner.invoke(main, ["--config", str(config), *args], env=env)
