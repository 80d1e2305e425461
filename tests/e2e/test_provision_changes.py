"""Re-running provisioning after the configuration changed: only the differences are written.

A new unit, a renamed unit, a retired unit, a changed criterion text: each test edits the
sample configuration of an already provisioned province and checks, through the APIs and the
emulator's call counts, what changed and what did not.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
import yaml
from googleapiclient.errors import HttpError

from functions.blueprints import form_requests
from functions.blueprints.unit_sheet import LINKS_TITLE_ROW
from functions.paths import data_dir
from tests.e2e import test_provision_helpers as helpers
from tests.e2e.test_provision_helpers import Province, edit_units

province = helpers.province  # fixtures
provisioned_snapshot = helpers.provisioned_snapshot

NEW_UNIT = {"Mã đơn vị": "THPT-NT", "Tên đơn vị": "Trường THPT Nguyễn Trãi",
            "Email thủ trưởng": "hieutruong.nt@sgddt-demo.edu.vn", "Email theo dõi": "",
            "Loại đơn vị": "Trường THPT", "Trạng thái": ""}
CREATES = ("drive.files.create", "drive.files.copy", "forms.forms.watches.create")


def unit_labels(form: dict[str, Any]) -> list[str]:
    item = next(i for i in form["items"] if i.get("title") == "Đơn vị")
    return [o["value"] for o in item["questionItem"]["question"]["choiceQuestion"]["options"]]


def without_unit_list(form: dict[str, Any]) -> list[dict[str, Any]]:
    return [item for item in form["items"] if item.get("title") != "Đơn vị"]


def live_forms(province: Province) -> dict[str, dict[str, Any]]:
    return {spec.key: province.ws.forms.get(province.form_id(spec.key))
            for spec in province.deployment.forms}


def answers_for(form: dict[str, Any], unit_label: str) -> dict[str, list[str]]:
    """A complete, valid answer to every question of ``form``."""
    answers: dict[str, list[str]] = {}
    for item in form["items"]:
        question = item.get("questionItem", {}).get("question")
        if question is None:
            continue
        if "choiceQuestion" in question:
            options = [o["value"] for o in question["choiceQuestion"]["options"]]
            value = unit_label if unit_label in options else options[0]
        elif "dateQuestion" in question:
            value = "2025-01-10"
        else:
            value = "Thực hiện thường xuyên"
        answers[question["questionId"]] = [value]
    return answers


def test_a_new_unit_gets_only_its_own_files_and_the_forms_list_gains_it(
    province: Province,
) -> None:
    before = live_forms(province)
    edit_units(province, lambda rows: rows.append(dict(NEW_UNIT)))
    outcome = province.provision()
    writes = province.writes()
    assert writes.pop("storage.objects.insert") >= 1  # the state record
    assert writes == {
        "drive.files.generateIds": 1,
        "drive.files.create": 2,  # the unit's folder and Sheet
        "sheets.spreadsheets.batchUpdate": 2,  # its Sheet's build, its row in the Sở overview
        "drive.permissions.create": 1,  # its head
        "forms.forms.batchUpdate": len(province.deployment.forms),  # the unit list, per form
    }, outcome.actions
    assert len(province.find("unit-sheet", "THPT-NT")) == 1
    for spec in province.deployment.forms:
        form = province.ws.forms.get(province.form_id(spec.key))
        assert unit_labels(form) == [u.choice_label for u in province.deployment.active_units]
        assert "Trường THPT Nguyễn Trãi (THPT-NT)" in unit_labels(form)
        assert without_unit_list(form) == without_unit_list(before[spec.key])  # ids kept
        entry = province.registry()["forms"][spec.key]
        assert form_requests.update_requests(spec, form, entry["items"]) == []
    province.fresh_calls()
    assert province.provision().actions == []
    assert province.writes() == {}


def test_a_renamed_unit_keeps_its_sheet_renamed_and_nothing_is_created(
    province: Province,
) -> None:
    code, new_name = "THPT-CVA", "Trường THPT Chu Văn An – Minh Sơn"
    sheet_id = province.unit_sheet(code)
    folder_id = province.registry()["units"][code]["folder"]

    def rename(rows: list[dict[str, str]]) -> None:
        next(row for row in rows if row["Mã đơn vị"] == code)["Tên đơn vị"] = new_name

    edit_units(province, rename)
    province.provision()
    writes = province.writes()
    assert not set(writes) & set(CREATES), writes
    assert "drive.permissions.create" not in writes
    assert writes["drive.files.update"] == 2  # the Sheet and the folder
    assert province.unit_sheet(code) == sheet_id
    assert province.ws.drive.get(sheet_id)["name"] == f"Năm 2025 – Theo dõi mô hình – {new_name}"
    assert province.ws.drive.get(folder_id)["name"] == f"{code} – {new_name}"
    sheets = province.clients().service("sheets")
    line = sheets.spreadsheets().values().get(spreadsheetId=sheet_id,
                                              range="'Tổng quan'!A2").execute()["values"]
    assert line == [[f"Đơn vị: {new_name} ({code})"]]
    links = sheets.spreadsheets().values().get(
        spreadsheetId=sheet_id,
        range=f"'Tổng quan'!C{LINKS_TITLE_ROW + 3}:C{LINKS_TITLE_ROW + 12}").execute()["values"]
    label = f"{new_name} ({code})"
    assert all(quote(label) in url for (url,) in links), "links carry the new name"
    overview = province.find("so-overview")[0]["id"]
    rows = sheets.spreadsheets().values().get(spreadsheetId=overview,
                                              range="'Tổng hợp đơn vị'!A2:B20").execute()
    assert [code, new_name] in rows["values"]
    for form in live_forms(province).values():
        assert label in unit_labels(form)


def test_a_retired_unit_keeps_its_sheet_read_only_for_its_heads_and_leaves_the_forms(
    province: Province,
) -> None:
    code, head = "THPT-LQD", "thuyxtt@sgddt-demo.edu.vn"
    sheet_id = province.unit_sheet(code)

    def retire(rows: list[dict[str, str]]) -> None:
        next(row for row in rows if row["Mã đơn vị"] == code)["Trạng thái"] = "ngừng hoạt động"

    roster = province.config_dir / "nhan_su.csv"
    lines = roster.read_text(encoding="utf-8-sig").splitlines(keepends=True)
    roster.write_text("".join(line for line in lines if f",{code}," not in line),
                      encoding="utf-8-sig")  # its staff have moved on
    edit_units(province, retire)
    province.provision()
    assert not set(province.writes()) & set(CREATES)
    assert province.unit_sheet(code) == sheet_id
    assert not province.ws.drive.get(sheet_id).get("trashed")
    held = {p.get("emailAddress"): p["role"] for p in province.ws.drive.permissions(sheet_id)}
    assert held[head] == "reader"
    as_head = province.clients(head).service("sheets")
    assert as_head.spreadsheets().get(spreadsheetId=sheet_id, fields="spreadsheetId").execute()
    with pytest.raises(HttpError) as refused:
        as_head.spreadsheets().values().update(
            spreadsheetId=sheet_id, range="'Kế hoạch'!Z2", valueInputOption="RAW",
            body={"values": [["x"]]}).execute()
    assert refused.value.resp.status == 403
    for form in live_forms(province).values():
        assert not any(label.endswith(f"({code})") for label in unit_labels(form))
    province.fresh_calls()
    assert province.provision().actions == []
    assert province.writes() == {}


@pytest.fixture
def own_forms_dir(province: Province, tmp_path: Path) -> Path:
    """A copy of forms/ that the test may edit; the province reads its forms from it."""
    target = tmp_path / "forms"
    shutil.copytree(data_dir("forms"), target)
    province.forms_dir = target
    return target


def test_a_changed_criterion_text_updates_the_forms_in_place_and_keeps_the_responses(
    province: Province, own_forms_dir: Path
) -> None:
    key = "ke-hoach-nhom-2"
    form_id = province.form_id(key)
    form = province.ws.forms.get(form_id)
    label = province.deployment.active_units[0].choice_label
    province.control.post(f"forms/{form_id}/responses", {
        "respondentEmail": "binhnd@sgddt-demo.edu.vn", "answers": answers_for(form, label)})
    path = own_forms_dir / "frameworks" / "group-2.yaml"
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    new_text = raw["criteria"][0]["text"] + " (Văn bản sửa đổi năm 2025.)"
    raw["criteria"][0]["text"] = new_text
    path.write_text(yaml.safe_dump(raw, allow_unicode=True, sort_keys=False), encoding="utf-8")
    province.reload()
    outcome = province.provision()
    writes = province.writes()
    assert not set(writes) & set(CREATES), writes
    group_2 = [spec for spec in province.deployment.forms if spec.group.value == 2]
    assert writes["forms.forms.batchUpdate"] == len(group_2), outcome.actions
    updated = province.ws.forms.get(form_id)
    section = next(i for i in updated["items"] if i.get("title", "").startswith("Tiêu chí 1:"))
    assert section["description"] == new_text
    assert [i["itemId"] for i in updated["items"]] == [i["itemId"] for i in form["items"]]
    assert ([i.get("questionItem", {}).get("question", {}).get("questionId")
             for i in updated["items"]]
            == [i.get("questionItem", {}).get("question", {}).get("questionId")
                for i in form["items"]])
    responses = list(province.ws.forms.responses(form_id))
    assert [r["respondentEmail"] for r in responses] == ["binhnd@sgddt-demo.edu.vn"]
