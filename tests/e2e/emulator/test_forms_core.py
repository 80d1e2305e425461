"""Forms v1 through google-api-python-client over HTTP: create, get, batchUpdate, publishing."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from googleapiclient.errors import HttpError

from functions.adapters.clients import Clients
from tests.e2e.emulator.test_forms_helpers import (
    OWNER,
    checked,
    create_form,
    dozen_items,
    error_of,
)


def test_a_user_creates_a_form_that_starts_unpublished(
    as_user: Callable[[str], Clients], emulator: Any
) -> None:
    forms = as_user(OWNER).service("forms")
    form = checked("Form", forms.forms().create(body={"info": {"title": "Khảo sát"}}).execute())
    assert form["info"] == {"title": "Khảo sát", "documentTitle": "Khảo sát"}
    assert form["publishSettings"]["publishState"] == {
        "isPublished": False, "isAcceptingResponses": False}
    assert form["responderUri"] == f"{emulator.url}/forms/d/e/{form['formId']}/viewform"
    assert form["revisionId"]
    fetched = checked("Form", forms.forms().get(formId=form["formId"]).execute())
    assert fetched == form


def test_creating_a_form_with_more_than_a_title_is_refused_with_googles_message(
    as_user: Callable[[str], Clients],
) -> None:
    forms = as_user(OWNER).service("forms")
    with pytest.raises(HttpError) as caught:
        forms.forms().create(body={"info": {"title": "T", "description": "D"}}).execute()
    error = error_of(caught.value)
    assert error["code"] == 400 and error["status"] == "INVALID_ARGUMENT"
    assert error["message"].startswith("Only info.title can be set when creating a form.")
    with pytest.raises(HttpError):
        forms.forms().create(body={"info": {"title": "T"}, "items": []}).execute()


def test_the_storage_less_service_account_cannot_create_a_form(clients: Clients) -> None:
    with pytest.raises(HttpError) as caught:
        clients.service("forms").forms().create(body={"info": {"title": "T"}}).execute()
    error = error_of(caught.value)
    assert error["code"] == 403 and error["status"] == "PERMISSION_DENIED"
    assert "Service Accounts do not have storage quota" in error["message"]


def test_a_dozen_items_go_in_one_batch_update_and_each_question_gets_a_hex_id(
    as_user: Callable[[str], Clients], control: Any
) -> None:
    forms = as_user(OWNER).service("forms")
    form = create_form(forms)
    control.reset_calls()
    answer = checked("BatchUpdateFormResponse", forms.forms().batchUpdate(
        formId=form["formId"],
        body={"requests": dozen_items(), "includeFormInResponse": True},
    ).execute())
    assert control.calls()["methods"] == {"forms.forms.batchUpdate": 1}
    assert len(answer["replies"]) == 12
    created = answer["form"]
    assert len(created["items"]) == 12
    assert created["revisionId"] != form["revisionId"]
    assert answer["writeControl"]["requiredRevisionId"] == created["revisionId"]
    for reply, item in zip(answer["replies"], created["items"], strict=True):
        assert reply["createItem"]["itemId"] == item["itemId"]
        for question_id in reply["createItem"].get("questionId", []):
            assert len(question_id) == 8 and int(question_id, 16) > 0
    grid_reply = answer["replies"][10]["createItem"]
    assert len(grid_reply["questionId"]) == 2  # one per grid row
    assert "questionId" not in answer["replies"][9]["createItem"]  # a page break


def test_a_misspelled_field_is_rejected_with_googles_message_then_the_fix_succeeds(
    as_user: Callable[[str], Clients],
) -> None:
    forms = as_user(OWNER).service("forms")
    form = create_form(forms)
    wrong = {"requests": [{"createItem": {"item": {"titel": "Họ tên", "textItem": {}},
                                          "location": {"index": 0}}}]}
    with pytest.raises(HttpError) as caught:
        forms.forms().batchUpdate(formId=form["formId"], body=wrong).execute()
    error = error_of(caught.value)
    assert error["status"] == "INVALID_ARGUMENT"
    assert error["message"].startswith('Invalid JSON payload received. Unknown name "titel"')
    right = {"requests": [{"createItem": {"item": {"title": "Họ tên", "textItem": {}},
                                          "location": {"index": 0}}}]}
    checked("BatchUpdateFormResponse",
            forms.forms().batchUpdate(formId=form["formId"], body=right).execute())
    assert forms.forms().get(formId=form["formId"]).execute()["items"][0]["title"] == "Họ tên"


def test_update_move_delete_info_and_settings_change_the_form_and_its_revision(
    as_user: Callable[[str], Clients],
) -> None:
    forms = as_user(OWNER).service("forms")
    form = create_form(forms)
    form_id = form["formId"]
    forms.forms().batchUpdate(formId=form_id, body={"requests": dozen_items()[:3]}).execute()
    before = forms.forms().get(formId=form_id).execute()
    first_question = before["items"][0]["questionItem"]["question"]["questionId"]
    requests = [
        {"updateItem": {"item": {"title": "Tên đơn vị (mới)",
                                 "questionItem": {"question": {"required": False,
                                                               "textQuestion": {}}}},
                        "location": {"index": 0}, "updateMask": "title,questionItem"}},
        {"moveItem": {"originalLocation": {"index": 0}, "newLocation": {"index": 2}}},
        {"deleteItem": {"location": {"index": 0}}},
        {"updateFormInfo": {"info": {"description": "Mô tả"}, "updateMask": "description"}},
        {"updateSettings": {"settings": {"emailCollectionType": "VERIFIED"},
                            "updateMask": "emailCollectionType"}},
    ]
    answer = checked("BatchUpdateFormResponse", forms.forms().batchUpdate(
        formId=form_id, body={"requests": requests,
                              "writeControl": {"requiredRevisionId": before["revisionId"]}},
    ).execute())
    assert answer["replies"] == [{}, {}, {}, {}, {}]
    after = forms.forms().get(formId=form_id).execute()
    assert len(after["items"]) == 2
    moved = after["items"][1]
    assert moved["title"] == "Tên đơn vị (mới)"
    assert moved["questionItem"]["question"]["questionId"] == first_question  # kept
    assert after["info"]["description"] == "Mô tả"
    assert after["settings"]["emailCollectionType"] == "VERIFIED"
    assert after["revisionId"] != before["revisionId"]


def test_a_stale_required_revision_is_refused_as_a_failed_precondition(
    as_user: Callable[[str], Clients],
) -> None:
    forms = as_user(OWNER).service("forms")
    form = create_form(forms)
    forms.forms().batchUpdate(formId=form["formId"], body={"requests": dozen_items()[:1]}
                              ).execute()
    stale = {"requests": dozen_items()[1:2],
             "writeControl": {"requiredRevisionId": form["revisionId"]}}
    with pytest.raises(HttpError) as caught:
        forms.forms().batchUpdate(formId=form["formId"], body=stale).execute()
    error = error_of(caught.value)
    assert error["code"] == 400 and error["status"] == "FAILED_PRECONDITION"
    target = {"requests": dozen_items()[1:2],
              "writeControl": {"targetRevisionId": form["revisionId"]}}
    forms.forms().batchUpdate(formId=form["formId"], body=target).execute()
    assert len(forms.forms().get(formId=form["formId"]).execute()["items"]) == 2


def test_document_title_cannot_change_through_batch_update(
    as_user: Callable[[str], Clients],
) -> None:
    forms = as_user(OWNER).service("forms")
    form = create_form(forms)
    body = {"requests": [{"updateFormInfo": {"info": {"documentTitle": "X"},
                                             "updateMask": "documentTitle"}}]}
    with pytest.raises(HttpError) as caught:
        forms.forms().batchUpdate(formId=form["formId"], body=body).execute()
    assert error_of(caught.value)["code"] == 400


def test_publishing_and_closing_a_form_through_set_publish_settings(
    as_user: Callable[[str], Clients],
) -> None:
    forms = as_user(OWNER).service("forms")
    form = create_form(forms)
    published = checked("SetPublishSettingsResponse", forms.forms().setPublishSettings(
        formId=form["formId"],
        body={"publishSettings": {"publishState": {"isPublished": True,
                                                   "isAcceptingResponses": True}},
              "updateMask": "publishState"},
    ).execute())
    assert published == {"formId": form["formId"], "publishSettings": {
        "publishState": {"isPublished": True, "isAcceptingResponses": True}}}
    closed = forms.forms().setPublishSettings(
        formId=form["formId"],
        body={"publishSettings": {"publishState": {"isPublished": True,
                                                   "isAcceptingResponses": False}},
              "updateMask": "publishState"},
    ).execute()
    assert closed["publishSettings"]["publishState"]["isAcceptingResponses"] is False
    unpublished = forms.forms().setPublishSettings(
        formId=form["formId"],
        body={"publishSettings": {"publishState": {"isPublished": False,
                                                   "isAcceptingResponses": False}},
              "updateMask": "publish_state"},  # the reference's own spelling of the mask
    ).execute()
    assert unpublished["publishSettings"]["publishState"] == {
        "isPublished": False, "isAcceptingResponses": False}


@pytest.mark.parametrize("state", [
    {"isPublished": False, "isAcceptingResponses": True},
    {"isPublished": True},
    {"isAcceptingResponses": False},
    {},
])
def test_a_publish_state_that_is_incomplete_or_accepts_while_unpublished_is_refused(
    as_user: Callable[[str], Clients], state: dict[str, bool]
) -> None:
    forms = as_user(OWNER).service("forms")
    form = create_form(forms)
    with pytest.raises(HttpError) as caught:
        forms.forms().setPublishSettings(
            formId=form["formId"],
            body={"publishSettings": {"publishState": state}, "updateMask": "publishState"},
        ).execute()
    assert error_of(caught.value)["code"] == 400
    after = forms.forms().get(formId=form["formId"]).execute()
    assert after["publishSettings"]["publishState"]["isPublished"] is False


def test_a_legacy_form_shows_no_publish_settings_and_cannot_be_published_through_the_api(
    as_user: Callable[[str], Clients], control: Any
) -> None:
    forms = as_user(OWNER).service("forms")
    form = create_form(forms)
    control.post(f"forms/{form['formId']}/legacy")
    assert "publishSettings" not in forms.forms().get(formId=form["formId"]).execute()
    with pytest.raises(HttpError) as caught:
        forms.forms().setPublishSettings(
            formId=form["formId"],
            body={"publishSettings": {"publishState": {"isPublished": True,
                                                       "isAcceptingResponses": True}},
                  "updateMask": "publishState"},
        ).execute()
    error = error_of(caught.value)
    assert error["code"] == 400 and "Legacy forms" in error["message"]


def test_another_user_cannot_read_the_form(as_user: Callable[[str], Clients]) -> None:
    form = create_form(as_user(OWNER).service("forms"))
    stranger = as_user("nguoi.la@sgddt-demo.edu.vn").service("forms")
    with pytest.raises(HttpError) as caught:
        stranger.forms().get(formId=form["formId"]).execute()
    assert error_of(caught.value)["code"] == 403
    with pytest.raises(HttpError) as missing:
        stranger.forms().get(formId="1nonexistentformid").execute()
    assert error_of(missing.value)["code"] == 404


def test_error_bodies_are_json_in_googles_shape(as_user: Callable[[str], Clients]) -> None:
    forms = as_user(OWNER).service("forms")
    with pytest.raises(HttpError) as caught:
        forms.forms().get(formId="1missing").execute()
    body = json.loads(caught.value.content)
    assert set(body["error"]) >= {"code", "message", "status"}
