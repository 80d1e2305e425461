"""A form is a Drive file: Drive copies, renames and deletes it; a copy keeps the questions."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from googleapiclient.errors import HttpError

from functions.adapters.clients import Clients
from tests.e2e.emulator.test_forms_helpers import (
    OWNER,
    create_form,
    dozen_items,
    error_of,
    publish,
    question_ids,
)


@pytest.fixture
def template(as_user: Callable[[str], Clients], control: Any) -> dict[str, Any]:
    """A published form with a dozen items, collecting emails, one response per person."""
    forms = as_user(OWNER).service("forms")
    form = create_form(forms, "Mẫu báo cáo")
    requests = [*dozen_items(), {"updateSettings": {
        "settings": {"emailCollectionType": "VERIFIED", "quizSettings": {"isQuiz": False}},
        "updateMask": "emailCollectionType"}}]
    form = forms.forms().batchUpdate(formId=form["formId"], body={
        "requests": requests, "includeFormInResponse": True}).execute()["form"]
    publish(forms, form["formId"])
    control.post(f"forms/{form['formId']}/settings",
                 {"limitOneResponsePerUser": True, "allowResponseEdits": True})
    ids = question_ids(form)
    control.post(f"forms/{form['formId']}/responses", {
        "respondentEmail": "gv.an@sgddt-demo.edu.vn",
        "answers": {ids["Tên đơn vị"]: ["A"], ids["Đã nộp?"]: ["Có"]}})
    return form


def test_a_drive_copy_keeps_items_and_settings_but_not_the_responses(
    as_user: Callable[[str], Clients], control: Any, template: dict[str, Any]
) -> None:
    clients = as_user(OWNER)
    copied = clients.service("drive").files().copy(
        fileId=template["formId"], body={"name": "Báo cáo tháng 9"}).execute()
    forms = clients.service("forms")
    form = forms.forms().get(formId=copied["id"]).execute()
    assert form["items"] == template["items"]  # same items, same question ids
    assert form["settings"]["emailCollectionType"] == "VERIFIED"
    assert form["info"] == {"title": "Mẫu báo cáo", "documentTitle": "Báo cáo tháng 9"}
    assert form["revisionId"]
    assert forms.forms().responses().list(formId=copied["id"]).execute() == {}
    assert forms.forms().watches().list(formId=copied["id"]).execute() == {"watches": []}
    kept = control.post(f"forms/{copied['id']}/settings", {})
    assert kept == {"limitOneResponsePerUser": True, "allowResponseEdits": True}
    assert form["publishSettings"]["publishState"]["isPublished"] is False


def test_renaming_the_drive_file_changes_the_document_title(
    as_user: Callable[[str], Clients], template: dict[str, Any]
) -> None:
    clients = as_user(OWNER)
    clients.service("drive").files().update(fileId=template["formId"],
                                            body={"name": "Tên mới"}).execute()
    form = clients.service("forms").forms().get(formId=template["formId"]).execute()
    assert form["info"]["documentTitle"] == "Tên mới"
    assert form["revisionId"] != template["revisionId"]


def test_a_form_created_in_drive_is_an_empty_titled_form(
    as_user: Callable[[str], Clients],
) -> None:
    clients = as_user(OWNER)
    file = clients.service("drive").files().create(body={
        "name": "Biểu mẫu Drive", "mimeType": "application/vnd.google-apps.form"}).execute()
    form = clients.service("forms").forms().get(formId=file["id"]).execute()
    assert form["info"]["title"] == "Biểu mẫu Drive" and "items" not in form


def test_a_deleted_form_is_gone_from_the_forms_api(
    as_user: Callable[[str], Clients], template: dict[str, Any]
) -> None:
    clients = as_user(OWNER)
    clients.service("drive").files().delete(fileId=template["formId"]).execute()
    with pytest.raises(HttpError) as caught:
        clients.service("forms").forms().get(formId=template["formId"]).execute()
    assert error_of(caught.value)["code"] == 404


def test_the_service_account_copies_a_template_into_a_shared_drive_and_runs_the_copy(
    as_user: Callable[[str], Clients], clients: Clients, control: Any, template: dict[str, Any]
) -> None:
    from emulator.core import DEFAULT_SERVICE_ACCOUNT
    from tests.e2e.emulator.test_drive_files import new_shared_drive

    as_user(OWNER).service("drive").permissions().create(
        fileId=template["formId"],
        body={"type": "user", "role": "reader", "emailAddress": DEFAULT_SERVICE_ACCOUNT},
    ).execute()
    drive_id = new_shared_drive(clients)
    copied = clients.service("drive").files().copy(
        fileId=template["formId"], supportsAllDrives=True,
        body={"name": "Báo cáo — THCS A", "parents": [drive_id]}).execute()
    forms = clients.service("forms")
    form = forms.forms().batchUpdate(formId=copied["id"], body={
        "requests": [{"updateFormInfo": {"info": {"title": "Báo cáo tháng 10"},
                                         "updateMask": "title"}}],
        "includeFormInResponse": True}).execute()["form"]
    assert form["items"] == template["items"]
    publish(forms, copied["id"])
    ids = question_ids(form)
    control.post(f"forms/{copied['id']}/responses", {
        "respondentEmail": "gv.an@sgddt-demo.edu.vn",
        "answers": {ids["Tên đơn vị"]: ["THCS A"], ids["Đã nộp?"]: ["Có"]}})
    listed = forms.forms().responses().list(formId=copied["id"]).execute()["responses"]
    assert [r["respondentEmail"] for r in listed] == ["gv.an@sgddt-demo.edu.vn"]
