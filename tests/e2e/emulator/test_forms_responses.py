"""Form responses: submissions through the control endpoint, read through the Forms API."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
import requests
from googleapiclient.errors import HttpError

from functions.adapters.clients import Clients
from tests.e2e.emulator.test_forms_helpers import (
    OWNER,
    checked,
    create_form,
    dozen_items,
    error_of,
    publish,
    question_ids,
)

ALICE = "gv.an@sgddt-demo.edu.vn"
BINH = "gv.binh@sgddt-demo.edu.vn"


class Submitter:
    """``POST /_emulator/forms/{formId}/responses`` over HTTP (one kept-alive session)."""

    def __init__(self, url: str, form_id: str) -> None:
        self.url = f"{url}/_emulator/forms/{form_id}/responses"
        self.session = requests.Session()

    def answer(self, body: dict[str, Any]) -> requests.Response:
        return self.session.post(self.url, json=body, timeout=30)

    def ok(self, email: str | None, answers: dict[str, list[str]],
           response_id: str | None = None) -> dict[str, Any]:
        body: dict[str, Any] = {"respondentEmail": email, "answers": answers}
        if response_id:
            body["responseId"] = response_id
        answer = self.answer(body)
        assert answer.status_code == 200, answer.text
        return checked("FormResponse", answer.json())

    def refused(self, body: dict[str, Any], status: int = 400) -> str:
        answer = self.answer(body)
        assert answer.status_code == status, answer.text
        return str(answer.json()["error"]["message"])


@pytest.fixture
def form(as_user: Callable[[str], Clients]) -> dict[str, Any]:
    forms = as_user(OWNER).service("forms")
    created = create_form(forms)
    answer = forms.forms().batchUpdate(
        formId=created["formId"],
        body={"requests": dozen_items(), "includeFormInResponse": True}).execute()
    return answer["form"]


@pytest.fixture
def forms(as_user: Callable[[str], Clients]) -> Any:
    return as_user(OWNER).service("forms")


@pytest.fixture
def submit(emulator: Any, form: dict[str, Any]) -> Submitter:
    return Submitter(emulator.url, form["formId"])


def minimal(form: dict[str, Any], unit: str = "THCS A") -> dict[str, list[str]]:
    ids = question_ids(form)
    return {ids["Tên đơn vị"]: [unit], ids["Đã nộp?"]: ["Có"]}


def test_an_unpublished_or_closed_form_refuses_submissions(
    forms: Any, form: dict[str, Any], submit: Submitter
) -> None:
    assert "not published" in submit.refused({"respondentEmail": ALICE,
                                              "answers": minimal(form)})
    publish(forms, form["formId"], accepting=False)
    assert "accepting" in submit.refused({"respondentEmail": ALICE, "answers": minimal(form)})
    publish(forms, form["formId"])
    submit.ok(ALICE, minimal(form))


def test_a_submitted_response_is_listed_and_fetched_as_the_forms_api_shows_it(
    forms: Any, form: dict[str, Any], submit: Submitter
) -> None:
    publish(forms, form["formId"])
    ids = question_ids(form)
    answers = {**minimal(form), ids["Khối"]: ["6", "9"], ids["Khác"]: ["Trường tư"],
               ids["Cơ sở vật chất"]: ["Đạt"], ids["Ngày báo cáo"]: ["2026-09-30"]}
    sent = submit.ok(ALICE, answers)
    assert "respondentEmail" not in sent  # the form does not collect emails
    assert sent["answers"][ids["Khối"]] == {
        "questionId": ids["Khối"], "textAnswers": {"answers": [{"value": "6"}, {"value": "9"}]}}
    assert sent["createTime"].endswith("Z") and sent["lastSubmittedTime"].endswith("Z")
    listed = checked("ListFormResponsesResponse",
                     forms.forms().responses().list(formId=form["formId"]).execute())
    assert listed["responses"] == [sent]
    fetched = checked("FormResponse", forms.forms().responses().get(
        formId=form["formId"], responseId=sent["responseId"]).execute())
    assert fetched == sent


def test_the_respondent_email_shows_when_the_form_collects_it(
    forms: Any, form: dict[str, Any], submit: Submitter
) -> None:
    forms.forms().batchUpdate(formId=form["formId"], body={"requests": [{"updateSettings": {
        "settings": {"emailCollectionType": "VERIFIED"},
        "updateMask": "emailCollectionType"}}]}).execute()
    publish(forms, form["formId"])
    assert submit.ok(ALICE.upper(), minimal(form))["respondentEmail"] == ALICE
    assert "respondentEmail" in submit.refused({"answers": minimal(form)})


def test_answers_are_checked_against_the_questions(
    forms: Any, form: dict[str, Any], submit: Submitter
) -> None:
    publish(forms, form["formId"])
    ids = question_ids(form)
    base = minimal(form)
    bad_bodies = [
        {**base, "deadbeef": ["x"]},  # unknown question
        {ids["Tên đơn vị"]: ["THCS A"]},  # required radio missing
        {**base, ids["Đã nộp?"]: ["Có lẽ"]},  # not an option
        {**base, ids["Đã nộp?"]: ["Có", "Không"]},  # two answers to a radio
        {**base, ids["Tên đơn vị"]: ["A", "B"]},  # two answers to a text question
    ]
    for answers in bad_bodies:
        submit.refused({"respondentEmail": ALICE, "answers": answers})
    submit.ok(ALICE, {**base, ids["Khác"]: ["Không có trong danh sách"]})  # "Other" accepts


def test_an_edit_keeps_the_response_id_and_create_time_with_a_new_submitted_time(
    emulator: Any, forms: Any, form: dict[str, Any], submit: Submitter
) -> None:
    publish(forms, form["formId"])
    first = submit.ok(ALICE, minimal(form))
    message = submit.refused({"respondentEmail": ALICE, "answers": minimal(form, "Sửa"),
                              "responseId": first["responseId"]})
    assert "edit" in message
    requests.post(f"{emulator.url}/_emulator/forms/{form['formId']}/settings",
                  json={"allowResponseEdits": True}, timeout=30).raise_for_status()
    submit.refused({"respondentEmail": BINH, "answers": minimal(form, "Sửa"),
                    "responseId": first["responseId"]}, status=403)
    edited = submit.ok(ALICE, minimal(form, "THCS A (sửa)"), first["responseId"])
    assert edited["responseId"] == first["responseId"]
    assert edited["createTime"] == first["createTime"]
    assert edited["lastSubmittedTime"] > first["lastSubmittedTime"]
    listed = forms.forms().responses().list(formId=form["formId"]).execute()["responses"]
    assert len(listed) == 1
    assert listed[0]["answers"][question_ids(form)["Tên đơn vị"]]["textAnswers"] == {
        "answers": [{"value": "THCS A (sửa)"}]}


def test_one_response_per_person_refuses_a_second_submission_by_the_same_email(
    emulator: Any, forms: Any, form: dict[str, Any], submit: Submitter
) -> None:
    publish(forms, form["formId"])
    settings = requests.post(f"{emulator.url}/_emulator/forms/{form['formId']}/settings",
                             json={"limitOneResponsePerUser": True}, timeout=30).json()
    assert settings == {"limitOneResponsePerUser": True, "allowResponseEdits": False}
    submit.ok(ALICE, minimal(form))
    assert "one response per person" in submit.refused({"respondentEmail": ALICE,
                                                         "answers": minimal(form)})
    submit.ok(BINH, minimal(form))
    assert "extraSettings" not in str(forms.forms().get(formId=form["formId"]).execute())


def test_the_timestamp_filter_compares_create_time_so_edits_do_not_come_back(
    emulator: Any, forms: Any, form: dict[str, Any], submit: Submitter
) -> None:
    publish(forms, form["formId"])
    requests.post(f"{emulator.url}/_emulator/forms/{form['formId']}/settings",
                  json={"allowResponseEdits": True}, timeout=30).raise_for_status()
    first = submit.ok(ALICE, minimal(form, "1"))
    second = submit.ok(BINH, minimal(form, "2"))
    assert first["createTime"] < second["createTime"]  # strictly increasing, even in one ms
    responses = forms.forms().responses()

    def after(operator: str, moment: str) -> list[str]:
        answer = responses.list(formId=form["formId"],
                                filter=f"timestamp {operator} {moment}").execute()
        return [r["responseId"] for r in answer.get("responses", [])]

    assert after(">", first["createTime"]) == [second["responseId"]]
    assert after(">=", first["createTime"]) == [first["responseId"], second["responseId"]]
    assert after(">", second["createTime"]) == []
    submit.ok(ALICE, minimal(form, "1 sửa"), first["responseId"])
    assert after(">", second["createTime"]) == []  # the edit is not "new"
    requests.post(f"{emulator.url}/_emulator/forms-config",
                  json={"filterCompares": "lastSubmittedTime"}, timeout=30).raise_for_status()
    assert after(">", second["lastSubmittedTime"]) == [first["responseId"]]


def test_a_malformed_filter_is_a_bad_request(forms: Any, form: dict[str, Any]) -> None:
    for text in ("timestamp > yesterday", "createTime > 2026-01-01T00:00:00Z",
                 "timestamp > 2026-01-01T00:00:00+07:00"):
        with pytest.raises(HttpError) as caught:
            forms.forms().responses().list(formId=form["formId"], filter=text).execute()
        assert error_of(caught.value)["code"] == 400


def test_pages_follow_the_token_and_a_page_holds_at_most_5000(
    forms: Any, form: dict[str, Any], submit: Submitter
) -> None:
    publish(forms, form["formId"])
    ids = question_ids(form)
    bodies = [{"answers": {ids["Tên đơn vị"]: [str(number)], ids["Đã nộp?"]: ["Có"]}}
              for number in range(5003)]
    seeded = submit.session.post(f"{submit.url}:batch", json={"responses": bodies}, timeout=60)
    assert seeded.status_code == 200, seeded.text
    responses = forms.forms().responses()
    full = checked("ListFormResponsesResponse",
                   responses.list(formId=form["formId"], pageSize=9000).execute())
    assert len(full["responses"]) == 5000 and full["nextPageToken"]
    rest = responses.list(formId=form["formId"], pageSize=9000,
                          pageToken=full["nextPageToken"]).execute()
    assert len(rest["responses"]) == 3 and "nextPageToken" not in rest
    seen: list[str] = []
    token: str | None = None
    while True:
        page = responses.list(formId=form["formId"], pageSize=2000, pageToken=token,
                              filter="timestamp >= 2000-01-01T00:00:00Z").execute()
        seen.extend(r["answers"][ids["Tên đơn vị"]]["textAnswers"]["answers"][0]["value"]
                    for r in page["responses"])
        token = page.get("nextPageToken")
        if not token:
            break
    assert seen == [str(number) for number in range(5003)]


def test_listing_responses_spends_the_expensive_read_quota(
    control: Any, forms: Any, form: dict[str, Any]
) -> None:
    control.post("quotas", {"enabled": True, "limits": {"forms.expensive": [450, 2]}})
    responses = forms.forms().responses()
    for _ in range(2):
        responses.list(formId=form["formId"]).execute()
        forms.forms().get(formId=form["formId"]).execute()  # a plain read: another bucket
    with pytest.raises(HttpError) as caught:
        responses.list(formId=form["formId"]).execute()
    error = error_of(caught.value)
    assert (error["code"], error["status"]) == (429, "RESOURCE_EXHAUSTED")
