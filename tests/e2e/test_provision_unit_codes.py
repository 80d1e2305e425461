"""Unit codes are identities: a code that leaves the units file (renamed, or removed) retires
its unit in place — Sheet read-only, overview row marked and out of the totals — and the admin
is told, once, to keep the old code and change the name instead."""

from __future__ import annotations

import os

import pytest
from click.testing import CliRunner
from googleapiclient.errors import HttpError

from functions.cli import main
from tests.e2e import test_provision_helpers as helpers
from tests.e2e.test_provision_helpers import Province, edit_units

province = helpers.province  # fixtures
provisioned_snapshot = helpers.provisioned_snapshot

OLD, NEW, NAME = "THPT-CVA", "THPT-CVA-MS", "Trường THPT Chu Văn An"
HEAD = "toanth@sgddt-demo.edu.vn"


def provision_command(province: Province) -> str:
    env = {**os.environ, "GUONGMAU_EMULATOR": province.url}
    result = CliRunner().invoke(main, ["--config", str(province.config_dir / "guongmau.yaml"),
                                       "provision", "--hom-nay", "2025-01-10"], env=env)
    assert result.exit_code == 0, result.output
    return result.output


def change_code(province: Province) -> None:
    """The admin renumbers the school: new code in the units file and in the roster."""
    roster = province.config_dir / "nhan_su.csv"
    roster.write_text(roster.read_text(encoding="utf-8-sig").replace(f",{OLD},", f",{NEW},"),
                      encoding="utf-8-sig")

    def renumber(rows: list[dict[str, str]]) -> None:
        next(row for row in rows if row["Mã đơn vị"] == OLD)["Mã đơn vị"] = NEW

    edit_units(province, renumber)


def overview_rows(province: Province) -> dict[str, list[str]]:
    overview = province.registry()["overview"]["id"]
    sheets = province.clients().service("sheets")
    values = sheets.spreadsheets().values().get(
        spreadsheetId=overview, range="'Tổng hợp đơn vị'!A2:D30").execute()["values"]
    return {row[0]: row for row in values}


def test_a_changed_unit_code_retires_the_old_sheet_and_marks_its_overview_row(
    province: Province,
) -> None:
    old_sheet = province.unit_sheet(OLD)
    change_code(province)
    output = provision_command(province)
    assert (f"Lưu ý: mã đơn vị «{OLD}» («{NAME}») không còn trong danh sách đơn vị (có vẻ đã đổi "
            f"thành mã «{NEW}»): bảng của đơn vị này chuyển sang ngừng hoạt động") in output
    assert "hãy giữ mã cũ và chỉ đổi tên đơn vị" in output
    assert province.unit_sheet(NEW) != old_sheet
    held = {p.get("emailAddress"): p["role"] for p in province.ws.drive.permissions(old_sheet)}
    assert held[HEAD] == "reader"
    as_head = province.clients(HEAD).service("sheets")
    with pytest.raises(HttpError) as refused:
        as_head.spreadsheets().values().update(
            spreadsheetId=old_sheet, range="'Kế hoạch'!Z2", valueInputOption="RAW",
            body={"values": [["x"]]}).execute()
    assert refused.value.resp.status == 403
    rows = overview_rows(province)
    assert rows[OLD] == [OLD, NAME, "Trường THPT",
                         "Ngừng hoạt động (mã không còn trong danh sách đơn vị)"]
    assert rows[NEW][3] == "Đang hoạt động"
    active = [code for code, row in rows.items() if row[1] == NAME and row[3] == "Đang hoạt động"]
    assert active == [NEW], "the school is counted once"
    province.fresh_calls()
    again = provision_command(province)
    assert "Lưu ý: mã đơn vị" not in again, "said once"
    assert province.writes() == {}
