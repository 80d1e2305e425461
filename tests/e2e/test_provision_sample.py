"""The sample province provisioned end to end: forms, unit Sheets, sharing, a quiet second run.

Everything is read back through the real client libraries over HTTP, as the people concerned
would see it (a head, a staff member, a Sở reader), against the emulator's ACL.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
import yaml
from googleapiclient.errors import HttpError

from functions.blueprints.layout import PLANS_ID, REPORT_IDS
from functions.blueprints.unit_sheet import LINKS_TITLE_ROW
from functions.config import context
from functions.domain.model import PeriodKind
from functions.domain.text import nfc
from functions.paths import data_dir
from tests.e2e import test_provision_helpers as helpers
from tests.e2e.test_provision_helpers import Province

province = helpers.province  # fixtures
provisioned_snapshot = helpers.provisioned_snapshot

HEAD_A, UNIT_A = "ngochtt@sgddt-demo.edu.vn", "SO-VP"  # Chánh Văn phòng, head of Văn phòng Sở
UNIT_B = "SO-GDPT"
STAFF = "binhnd@sgddt-demo.edu.vn"  # Chuyên viên of Văn phòng Sở: neither head nor reader
SO_READER = "thanhtra.so@sgddt-demo.edu.vn"


def criteria_of_annex(group: int, province_name: str) -> dict[int, tuple[str, str]]:
    """number → (title, official text), straight from forms/frameworks/group-<n>.yaml, the
    deploying province in place of {tinh}."""
    path = data_dir("forms") / "frameworks" / f"group-{group}.yaml"
    raw = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    return {c["number"]: (nfc(c["title"]), nfc(c["text"].replace("{tinh}", province_name)))
            for c in raw["criteria"]}


def form_of(province: Province, key: str) -> dict[str, Any]:
    forms = province.clients().service("forms")
    return dict(forms.forms().get(formId=province.form_id(key)).execute())


def item_titled(form: dict[str, Any], title: str) -> dict[str, Any]:
    return next(item for item in form["items"] if item.get("title") == title)


def opens(province: Province, user: str, sheet_id: str) -> bool:
    sheets = province.clients(user).service("sheets")
    try:
        sheets.spreadsheets().get(spreadsheetId=sheet_id, fields="spreadsheetId").execute()
    except HttpError as error:
        assert error.resp.status in (403, 404), error
        return False
    return True


def test_every_form_carries_the_official_criteria_texts_the_unit_list_and_the_notice(
    province: Province,
) -> None:
    deployment = province.deployment
    notice = str(context(deployment.settings)["thong_bao"])
    labels = [unit.choice_label for unit in deployment.active_units]
    assert len(deployment.forms) == 10
    for spec in deployment.forms:
        form = form_of(province, spec.key)
        assert form["info"]["title"] == spec.title
        assert notice in form["info"]["description"], spec.key
        assert "THÔNG BÁO VỀ XỬ LÝ DỮ LIỆU CÁ NHÂN" in form["info"]["description"]
        assert form["settings"]["emailCollectionType"] == "VERIFIED"
        annex = criteria_of_annex(spec.group.value, deployment.settings.agency.province)
        assert "trên địa bàn tỉnh Minh Sơn;" in annex[2][1]
        for number, (title, text) in annex.items():
            section = item_titled(form, f"Tiêu chí {number}: {title}")
            assert section["description"] == text, f"{spec.key}: criterion {number}"
        unit_question = item_titled(form, "Đơn vị")["questionItem"]["question"]
        options = [o["value"] for o in unit_question["choiceQuestion"]["options"]]
        assert unit_question["choiceQuestion"]["type"] == "DROP_DOWN"
        assert options == labels  # the retired Trường THPT Bán công is not offered


def test_forms_are_published_open_only_in_their_period_granted_to_the_domain_and_watched(
    province: Province,
) -> None:
    drive = province.clients().service("drive")
    forms = province.clients().service("forms")
    topic = province.deployment.settings.pubsub_topic
    for spec in province.deployment.forms:
        form = form_of(province, spec.key)
        state = form["publishSettings"]["publishState"]
        assert state["isPublished"] is True
        assert state["isAcceptingResponses"] is (spec.period is PeriodKind.PLAN), spec.key
        permissions = drive.permissions().list(
            fileId=form["formId"], supportsAllDrives=True, includePermissionsForView="published",
            fields="permissions(type,role,domain,view)").execute()["permissions"]
        assert {"type": "domain", "role": "reader", "domain": "sgddt-demo.edu.vn",
                "view": "published"} in permissions
        watches = forms.forms().watches().list(formId=form["formId"]).execute()["watches"]
        assert [(w["eventType"], w["target"]["topic"]["topicName"]) for w in watches] == [
            ("RESPONSES", topic)]


def test_each_unit_sheet_has_its_tabs_protections_and_validations(province: Province) -> None:
    sheets = province.clients().service("sheets")
    service_account = province.ws.service_account
    plans = next(tab for tab in _layout(province).tabs if tab.sheet_id == PLANS_ID)
    year_end = next(tab for tab in _layout(province).tabs
                    if tab.sheet_id == REPORT_IDS[PeriodKind.YEAR])
    for unit in province.deployment.active_units:
        sheet_id = province.unit_sheet(unit.code)
        found = sheets.spreadsheets().get(
            spreadsheetId=sheet_id,
            fields="properties.title,sheets(properties(sheetId,title),protectedRanges)",
        ).execute()
        assert unit.name in found["properties"]["title"]
        titles = [s["properties"]["title"] for s in found["sheets"]]
        assert titles == ["Tổng quan", "Danh sách", "Kế hoạch", "Quý I", "6 tháng", "Quý III",
                          "Cả năm", "Lịch sử sửa", "Nội dung dài"]
        for tab in found["sheets"]:
            protected = tab.get("protectedRanges", [])
            assert protected, tab["properties"]["title"]
            for one in protected:
                assert one["editors"]["users"] == [service_account]
                assert not one.get("warningOnly")
        machine = next(s for s in found["sheets"] if s["properties"]["sheetId"] == PLANS_ID)
        machine_block = machine["protectedRanges"][0]["range"]
        assert (machine_block.get("startColumnIndex", 0), machine_block["endColumnIndex"]) == (
            0, plans.machine_width)
        assert "startRowIndex" not in machine_block  # whole columns: rows cannot be re-sorted
    sheet_id = province.unit_sheet(UNIT_A)
    rules = _validations(sheets, sheet_id, "Kế hoạch")
    assert rules[plans.person_column("confirmed")] == {"condition": {"type": "BOOLEAN"}}
    assert plans.person_column("note") not in rules
    rules = _validations(sheets, sheet_id, "Cả năm")
    for key in ("commend", "remind"):
        assert rules[year_end.person_column(key)] == {"condition": {"type": "BOOLEAN"}}
    evaluation = rules[year_end.person_column("evaluation")]
    assert evaluation["condition"]["type"] == "ONE_OF_LIST"
    assert [v["userEnteredValue"] for v in evaluation["condition"]["values"]] == [
        "Hoàn thành xuất sắc nhiệm vụ", "Hoàn thành tốt nhiệm vụ", "Hoàn thành nhiệm vụ",
        "Không hoàn thành nhiệm vụ"]


def test_the_unit_sheet_links_open_the_forms_with_the_unit_already_chosen(
    province: Province,
) -> None:
    sheets = province.clients().service("sheets")
    for unit in province.deployment.active_units:
        rows = sheets.spreadsheets().values().get(
            spreadsheetId=province.unit_sheet(unit.code),
            range=f"'Tổng quan'!A{LINKS_TITLE_ROW + 3}:C{LINKS_TITLE_ROW + 12}",
        ).execute()["values"]
        assert len(rows) == len(province.deployment.forms)
        for (title, _audience, url), spec in zip(rows, province.deployment.forms, strict=True):
            assert title == spec.title
            form = form_of(province, spec.key)
            question = item_titled(form, "Đơn vị")["questionItem"]["question"]["questionId"]
            # The emulator's port changes between the snapshot and this test: compare paths.
            assert urlsplit(url).path == urlsplit(form["responderUri"]).path
            query = parse_qs(urlsplit(url).query)
            assert query[f"entry.{int(question, 16)}"] == [unit.choice_label]


def test_a_head_opens_only_their_unit_sheet_and_a_staff_member_opens_none(
    province: Province,
) -> None:
    sheet_a, sheet_b = province.unit_sheet(UNIT_A), province.unit_sheet(UNIT_B)
    assert opens(province, HEAD_A, sheet_a)
    assert not opens(province, HEAD_A, sheet_b)
    for unit in province.deployment.active_units:
        assert not opens(province, STAFF, province.unit_sheet(unit.code)), unit.code
    drive = province.clients(HEAD_A).service("drive")
    mine = drive.permissions().list(fileId=sheet_a, supportsAllDrives=True,
                                    fields="permissions(emailAddress,role)").execute()
    assert {"emailAddress": HEAD_A, "role": "writer"} in mine["permissions"]


def test_the_so_readers_group_sees_every_sheet_through_one_shared_drive_grant(
    province: Province,
) -> None:
    group = province.deployment.settings.storage.so_readers
    assert group
    province.control.post("groups", {"email": group, "members": [SO_READER]})
    drive = province.clients().service("drive")
    for unit in province.deployment.active_units:
        sheet_id = province.unit_sheet(unit.code)
        assert opens(province, SO_READER, sheet_id), unit.code
        held = drive.permissions().list(
            fileId=sheet_id, supportsAllDrives=True,
            fields="permissions(emailAddress,permissionDetails)").execute()["permissions"]
        of_group = [p for p in held if p.get("emailAddress") == group]
        # Listed on the Sheet only as the shared drive's member: inherited, not a grant per Sheet.
        assert [d["inherited"] for p in of_group for d in p["permissionDetails"]] == [True]
    drive_id = province.deployment.settings.storage.shared_drive_id or ""
    members = [p for p in province.ws.drive.permissions(drive_id)
               if p.get("emailAddress") == group]
    assert [(p["type"], p["role"]) for p in members] == [("group", "reader")]


def test_a_second_run_with_nothing_changed_writes_nothing(province: Province) -> None:
    outcome = province.provision()
    assert outcome.actions == []
    assert province.writes() == {}, "a second run must only read"
    allowed = {"get", "list"}
    assert all(name.rsplit(".", 1)[-1] in allowed for name in province.methods())


def test_the_so_overview_has_a_row_per_unit_and_the_quarantine_tab(province: Province) -> None:
    sheets = province.clients().service("sheets")
    overview = province.find("so-overview")
    assert len(overview) == 1
    found = sheets.spreadsheets().get(spreadsheetId=overview[0]["id"],
                                      fields="sheets.properties.title").execute()
    assert [s["properties"]["title"] for s in found["sheets"]] == [
        "Tổng hợp đơn vị", "Chưa xác định đơn vị"]
    rows = sheets.spreadsheets().values().get(spreadsheetId=overview[0]["id"],
                                              range="'Tổng hợp đơn vị'!A2:D20").execute()
    codes = [row[0] for row in rows["values"]]
    assert codes == [unit.code for unit in province.deployment.active_units]


def _layout(province: Province) -> Any:
    from functions.services.provision import layout_for

    return layout_for(province.deployment)


def _validations(sheets: Any, sheet_id: str, title: str) -> dict[int, Any]:
    """column → data validation rule of the first data row of tab ``title``."""
    found = sheets.spreadsheets().get(
        spreadsheetId=sheet_id, ranges=[f"'{title}'!A2:AZ2"], includeGridData=True,
        fields="sheets.data.rowData.values.dataValidation").execute()
    values = found["sheets"][0]["data"][0]["rowData"][0]["values"]
    return {index: cell["dataValidation"] for index, cell in enumerate(values)
            if cell.get("dataValidation")}


pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")
