"""Each response row names the version of the privacy notice it was sent under (issue 15,
item 1): the Sở can show what each person agreed to, the notice changing during the year
(settings edited, the forms updated), and Sheets built before the column gain it without
losing what heads typed."""

from __future__ import annotations

import hashlib
import unicodedata
from datetime import date
from typing import Any

import pytest
from googleapiclient.errors import HttpError

from functions.blueprints.cells import column_letter
from functions.config.deployment import context
from functions.services import notices
from functions.services.form_responses import parse_time
from functions.services.provision import provision
from functions.services.registry import RegistryStore
from tests.e2e import collect_helpers as helpers
from tests.e2e.collect_helpers import LATEST, Province
from tests.e2e.test_collect_people_columns import HEAD, grid, head_types, value_at

collect_snapshot = helpers.collect_snapshot  # fixture
province = helpers.province  # fixture

PLANS, NOTICE = "Kế hoạch", "Phiên bản thông báo"
FORM = "ke-hoach-nhom-2"
BINH, AN, LIEN = ("binhnd@sgddt-demo.edu.vn", "anlq@sgddt-demo.edu.vn",
                  "liennp@sgddt-demo.edu.vn")


def shown_notice(province: Province) -> str:
    return str(context(province.deployment.settings)["thong_bao"])


def version_of(text: str) -> str:
    """Spelled out here: the first 12 hex digits of SHA-256 of the NFC text."""
    return hashlib.sha256(unicodedata.normalize("NFC", text).strip().encode()).hexdigest()[:12]


def registry(province: Province) -> Any:
    return RegistryStore(province.ws.state, province.deployment.settings.year).load()


def change_contact(province: Province, day: date) -> None:
    """The Sở edits its settings (the notice names the contact); provisioning updates the forms."""
    path = province.config_dir / "guongmau.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("vanphong@sgddt-demo.edu.vn", "dulieu@sgddt-demo.edu.vn"),
                    encoding="utf-8")
    province.reload()
    provision(province.deployment, province.ws, day)


def test_each_row_names_the_notice_it_was_sent_under_and_an_edit_under_a_new_one_updates_it(
        province: Province) -> None:
    first_text = shown_notice(province)
    first = version_of(first_text)
    binh = province.submit_as(FORM, BINH, "k1")
    an = province.submit_as(FORM, AN, "k1")
    province.collect()
    assert value_at(province, PLANS, binh.response_id, NOTICE) == first

    change_contact(province, helpers.TODAY)
    second_text = shown_notice(province)
    assert "dulieu@sgddt-demo.edu.vn" in second_text
    second = version_of(second_text)
    assert second != first
    form = province.ws.forms.get(province.form_id(FORM))
    assert second_text in form["info"]["description"]  # the form shows the new words

    lien = province.submit_as(FORM, LIEN, "k1")
    province.edit(binh.response_id, "k2")
    province.collect()
    assert value_at(province, PLANS, lien.response_id, NOTICE) == second
    assert value_at(province, PLANS, binh.response_id, NOTICE) == second  # edited under it
    assert value_at(province, PLANS, an.response_id, NOTICE) == first  # not edited since

    record = registry(province)
    assert notices.notice_text(record, first) == first_text.strip()
    assert notices.notice_text(record, second) == second_text.strip()
    history = record.forms[FORM]["notices"]
    assert [version for version, _ in history] == [first, second]
    changed_at = parse_time(history[1][1])
    assert notices.version_in_force(record, FORM, parse_time(an.last_submitted)) == first
    assert notices.version_in_force(record, FORM, changed_at) == second

    provision(province.deployment, province.ws, helpers.TODAY)  # a rerun records nothing new
    assert registry(province).forms[FORM]["notices"] == history


def drop_notice_column(province: Province, tab_ids: dict[str, int]) -> None:
    """The unit Sheet as a version before the notice column built it: the column deleted."""
    sheet = province.unit_sheet("SO-VP")
    header = grid(province, PLANS)[0]
    index = header.index(NOTICE)
    province.sheets_api().spreadsheets().batchUpdate(spreadsheetId=sheet, body={"requests": [
        {"deleteDimension": {"range": {"sheetId": sheet_id, "dimension": "COLUMNS",
                                       "startIndex": index, "endIndex": index + 1}}}
        for sheet_id in tab_ids.values()]}).execute()


def test_a_sheet_built_before_the_column_gains_it_and_keeps_what_heads_typed(
        province: Province) -> None:
    # The year as an earlier version ran it: no notice recorded, rows without the column.
    store = RegistryStore(province.ws.state, province.deployment.settings.year)
    old = store.load()
    old.data.pop("notice_texts", None)
    for entry in old.forms.values():
        entry.pop("notices", None)
    old.changed()
    store.save(old, force=True)
    binh = province.submit_as(FORM, BINH, "k1")
    an = province.submit_as(FORM, AN, "k1")
    province.collect()
    assert value_at(province, PLANS, binh.response_id, NOTICE) == ""
    drop_notice_column(province, {PLANS: 2, "Quý I": 11, "6 tháng": 12, "Quý III": 13,
                                  "Cả năm": 14})
    assert NOTICE not in grid(province, PLANS)[0]
    typed: list[tuple[str, str, str, object]] = [
        (PLANS, binh.response_id, "Xác nhận", True),
        (PLANS, binh.response_id, "Ghi chú", "Đã trao đổi với đồng chí Bình"),
        (PLANS, an.response_id, "Ghi chú", "Bổ sung tiêu chí 3"),
    ]
    head_types(province, typed)
    before = grid(province, PLANS)

    provision(province.deployment, province.ws, helpers.TODAY)  # the new version's first run
    province.collect(full=True)  # the reconcile draws every row again, with its notice

    after = grid(province, PLANS)
    assert NOTICE in after[0]
    version = version_of(shown_notice(province))
    for _, response_id, header, value in typed:
        assert value_at(province, PLANS, response_id, header) == value
    assert value_at(province, PLANS, binh.response_id, NOTICE) == version
    assert value_at(province, PLANS, an.response_id, NOTICE) == version
    assert value_at(province, PLANS, binh.response_id, "Trạng thái") == LATEST  # not "edited"
    # Every other cell as it was: the rows only gained the column.
    index = after[0].index(NOTICE)
    assert [row[:index] + row[index + 1:] for row in after] == before

    # The new column is the machine's: the head cannot type into it; the checkbox moved along.
    sheet = province.unit_sheet("SO-VP")
    cell = f"'{PLANS}'!{column_letter(index)}2"
    with pytest.raises(HttpError) as refused:
        province.sheets_api(HEAD).spreadsheets().values().update(
            spreadsheetId=sheet, range=cell, valueInputOption="RAW",
            body={"values": [["x"]]}).execute()
    assert refused.value.resp.status == 400 and "protected cell" in str(refused.value)
    metadata = province.sheets_api().spreadsheets().get(
        spreadsheetId=sheet, fields="sheets(properties.sheetId,data.rowData.values."
        "dataValidation)", ranges=[f"'{PLANS}'!A2:Z2"]).execute()
    rules = metadata["sheets"][0]["data"][0]["rowData"][0]["values"]
    confirm = after[0].index("Xác nhận")
    assert rules[confirm]["dataValidation"]["condition"]["type"] == "BOOLEAN"

    province.collect(full=True)  # upgraded once: a later run inserts nothing
    assert grid(province, PLANS) == after
