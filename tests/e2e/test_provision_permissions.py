"""Who can reach what after provisioning: the forms' responders follow the settings exactly (a
changed setting leaves no stale grant); a unit Sheet shared beyond the settings is reported (and,
if asked, cleaned). Through the real commands and Drive client against the emulator."""

from __future__ import annotations

import os
from typing import Any

from click.testing import CliRunner

from functions.cli import main
from tests.e2e import test_provision_helpers as helpers
from tests.e2e.test_provision_helpers import Province

province = helpers.province  # fixtures
provisioned_snapshot = helpers.provisioned_snapshot

SAMPLE_RESPONDERS = "responders: domain:sgddt-demo.edu.vn"
STAFF_GROUP = "canbo-giaovien@sgddt-demo.edu.vn"


def set_responders(province: Province, value: str) -> None:
    path = province.config_dir / "guongmau.yaml"
    text = path.read_text(encoding="utf-8")
    assert SAMPLE_RESPONDERS in text
    path.write_text(text.replace(SAMPLE_RESPONDERS, f"responders: {value}"), encoding="utf-8")
    province.reload()


def responders_of(province: Province, form_id: str) -> list[dict[str, Any]]:
    """The form's published-view permissions, as Drive lists them."""
    drive = province.clients().service("drive")
    listed = drive.permissions().list(
        fileId=form_id, supportsAllDrives=True, includePermissionsForView="published",
        fields="permissions(type,role,domain,emailAddress,view)").execute()["permissions"]
    return [p for p in listed if p.get("view") == "published"]


def test_opening_the_forms_to_anyone_replaces_the_domain_grant_and_sends_no_notification(
    province: Province,
) -> None:
    set_responders(province, "anyone")
    outcome = province.provision()
    for spec in province.deployment.forms:
        assert responders_of(province, province.form_id(spec.key)) == [
            {"type": "anyone", "role": "reader", "view": "published"}], (spec.key, outcome)
    province.fresh_calls()
    assert province.provision().actions == []
    assert province.writes() == {}


def test_a_google_group_of_staff_can_be_the_only_responders(province: Province) -> None:
    set_responders(province, f"group:{STAFF_GROUP}")
    province.provision()
    for spec in province.deployment.forms:
        assert responders_of(province, province.form_id(spec.key)) == [
            {"type": "group", "role": "reader", "emailAddress": STAFF_GROUP,
             "view": "published"}], spec.key


HEAD, FOLLOWER, UNIT = "ngochtt@sgddt-demo.edu.vn", "hieudt@sgddt-demo.edu.vn", "SO-VP"
OUTSIDER = "ban.cua.thutruong@gmail.com"
SHARING_TAB = "Chia sẻ ngoài cấu hình"


def provision_command(province: Province, *options: str) -> str:
    """`guongmau provision`, in process, against the province's emulator."""
    env = {**os.environ, "GUONGMAU_EMULATOR": province.url}
    result = CliRunner().invoke(main, ["--config", str(province.config_dir / "guongmau.yaml"),
                                       "provision", "--hom-nay", "2025-01-10", *options],
                                env=env)
    assert result.exit_code == 0, result.output
    return result.output


def head_reshares(province: Province, sheet_id: str) -> None:
    """What a head can do in the Drive UI: open the Sheet to anyone with the link, share it
    with a personal address, make the follower an editor."""
    drive = province.clients(HEAD).service("drive")
    drive.permissions().create(fileId=sheet_id, supportsAllDrives=True,
                               body={"type": "anyone", "role": "reader"}).execute()
    drive.permissions().create(fileId=sheet_id, supportsAllDrives=True, body={
        "type": "user", "role": "writer", "emailAddress": OUTSIDER}).execute()
    follower = next(p for p in province.ws.drive.permissions(sheet_id)
                    if p.get("emailAddress") == FOLLOWER)
    drive.permissions().update(fileId=sheet_id, permissionId=follower["id"],
                               supportsAllDrives=True, body={"role": "writer"}).execute()


def direct_grants(province: Province, sheet_id: str) -> dict[str, str]:
    """grantee → role of the Sheet's own permissions (not the shared drive's members)."""
    return {p.get("emailAddress", p["type"]): p["role"]
            for p in province.ws.drive.permissions(sheet_id)
            if not any(d.get("inherited") for d in p.get("permissionDetails", []))}


def sharing_tab(province: Province) -> list[list[str]]:
    overview = province.registry()["overview"]["id"]
    sheets = province.clients().service("sheets")
    answer = sheets.spreadsheets().values().get(spreadsheetId=overview,
                                                range=f"'{SHARING_TAB}'!A1:F20").execute()
    return list(answer.get("values", []))


def test_a_head_resharing_a_unit_sheet_is_reported_by_provision_and_in_the_overview(
    province: Province,
) -> None:
    sheet_id = province.unit_sheet(UNIT)
    head_reshares(province, sheet_id)
    output = provision_command(province)
    where = "Lưu ý: bảng của «Văn phòng Sở» (SO-VP) được chia sẻ ngoài cấu hình"
    assert f"{where}: Bất kỳ ai có đường liên kết, quyền «Xem»" in output
    assert f"{where}: {OUTSIDER}, quyền «Chỉnh sửa»" in output
    assert f"{where}: {FOLLOWER}, quyền «Chỉnh sửa» (cấu hình cho «Xem»)" in output
    assert output.strip().endswith("Không thay đổi gì; hãy xem các lưu ý trên.")
    assert direct_grants(province, sheet_id) == {
        HEAD: "writer", FOLLOWER: "writer", OUTSIDER: "writer", "anyone": "reader"}
    tab = sharing_tab(province)
    assert tab[0][:3] == ["Mã đơn vị", "Tên đơn vị", "Được chia sẻ cho"]
    assert sorted(row[2:5] for row in tab[1:]) == [
        ["Bất kỳ ai có đường liên kết", "Xem", "Không có"],
        [OUTSIDER, "Chỉnh sửa", "Không có"],
        [FOLLOWER, "Chỉnh sửa", "Xem"]]
    assert all(row[:2] == [UNIT, "Văn phòng Sở"] and row[5].startswith("Chưa gỡ")
               for row in tab[1:])
    province.fresh_calls()
    province.provision()
    assert province.writes() == {}, "the same findings are not written again"
    assert province.methods()["drive.permissions.list"] == len(province.deployment.units) - 1


def test_with_unlisted_sharing_set_to_remove_provision_takes_it_away(province: Province) -> None:
    sheet_id = province.unit_sheet(UNIT)
    head_reshares(province, sheet_id)
    path = province.config_dir / "guongmau.yaml"
    text = path.read_text(encoding="utf-8")
    assert "unlisted_sharing: report" in text
    path.write_text(text.replace("unlisted_sharing: report", "unlisted_sharing: remove"),
                    encoding="utf-8")
    province.reload()
    dry = provision_command(province, "--dry-run")
    assert f"Sẽ gỡ quyền «Chỉnh sửa» của {OUTSIDER} trên bảng của «Văn phòng Sở»" in dry
    assert OUTSIDER in direct_grants(province, sheet_id), "a dry run removes nothing"
    output = provision_command(province)
    assert (f"Đã gỡ quyền «Chỉnh sửa» của {OUTSIDER} trên bảng của «Văn phòng Sở» (SO-VP) "
            "(cấu hình không cấp)") in output
    assert ("Đã gỡ quyền «Xem» của Bất kỳ ai có đường liên kết trên bảng của «Văn phòng Sở» "
            "(SO-VP)") in output
    assert (f"Đã đưa quyền của {FOLLOWER} trên bảng của «Văn phòng Sở» (SO-VP) từ «Chỉnh sửa» "
            "về «Xem» như cấu hình") in output
    assert direct_grants(province, sheet_id) == {HEAD: "writer", FOLLOWER: "reader"}
    statuses = sorted(row[5].split(" lúc ")[0] for row in sharing_tab(province)[1:])
    assert statuses == ["Đã gỡ", "Đã gỡ", "Đã đưa về quyền theo cấu hình"]
    assert provision_command(province).strip().endswith(
        "Không có gì thay đổi: mọi thứ đã đúng như cấu hình.")
    assert sharing_tab(province)[1:] == [], "the tab shows what is still there: nothing"
