"""The form fill page, driven over HTTP with requests (no browser): access, pre-fill,
submission through the page seen in the Forms API, escaping, one response per person, edits."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import requests

from emulator.server import RunningEmulator
from functions.adapters.clients import Clients
from tests.e2e.emulator.contract import assert_matches_schema

OWNER = "ht.trang@sgddt-demo.edu.vn"
TEACHER = "gv.lan@sgddt-demo.edu.vn"
STRANGER = "nguoi.la@example.com"
NOTICE = "Thông báo về dữ liệu cá nhân:\nChỉ dùng để tổng hợp.\nKhông chia sẻ."


def make_form(
    forms: Any, drive: Any, *, responders: list[str], email_collection: str = "VERIFIED",
    accepting: bool = True, published: bool = True,
) -> tuple[str, dict[str, str]]:
    """A published form with a few questions; returns (formId, questionId by title)."""
    form = forms.forms().create(body={"info": {"title": "Báo cáo gương điển hình"}}).execute()
    form_id = form["formId"]

    def item(title: str, question: dict[str, Any], index: int) -> dict[str, Any]:
        return {"createItem": {"item": {"title": title, "questionItem": {"question": question}},
                               "location": {"index": index}}}

    requests_ = [
        {"updateFormInfo": {"info": {"description": NOTICE}, "updateMask": "description"}},
        {"updateSettings": {"settings": {"emailCollectionType": email_collection},
                            "updateMask": "emailCollectionType"}},
        item("Họ và tên", {"required": True, "textQuestion": {}}, 0),
        item("Thành tích", {"textQuestion": {"paragraph": True}}, 1),
        item("Khối lớp", {"required": True, "choiceQuestion": {"type": "RADIO", "options": [
            {"value": "Tiểu học"}, {"value": "THCS"}, {"value": "THPT"}]}}, 2),
        item("Lĩnh vực", {"choiceQuestion": {"type": "CHECKBOX", "options": [
            {"value": "Dạy học"}, {"value": "Chủ nhiệm"}, {"isOther": True}]}}, 3),
        item("Quận/huyện", {"choiceQuestion": {"type": "DROP_DOWN", "options": [
            {"value": "Ba Đình"}, {"value": "Cầu Giấy"}]}}, 4),
        item("Mức độ", {"scaleQuestion": {"low": 1, "high": 5, "lowLabel": "Thấp",
                                          "highLabel": "Cao"}}, 5),
        item("Ngày", {"dateQuestion": {"includeYear": True}}, 6),
    ]
    forms.forms().batchUpdate(formId=form_id, body={"requests": requests_}).execute()
    forms.forms().setPublishSettings(formId=form_id, body={
        "publishSettings": {"publishState": {"isPublished": published,
                                             "isAcceptingResponses": published and accepting}},
        "updateMask": "publishState"}).execute()
    for email in responders:
        drive.permissions().create(fileId=form_id, sendNotificationEmail=False, body={
            "type": "user", "role": "reader", "view": "published", "emailAddress": email,
        }).execute()
    form = forms.forms().get(formId=form_id).execute()
    ids = {i["title"]: i["questionItem"]["question"]["questionId"]
           for i in form["items"] if "questionItem" in i}
    return form_id, ids


def entry(question_id: str) -> str:
    return f"entry.{int(question_id, 16)}"


def page_url(emulator: RunningEmulator, form_id: str) -> str:
    return f"{emulator.url}/forms/d/e/{form_id}/viewform"


def post_url(emulator: RunningEmulator, form_id: str) -> str:
    return f"{emulator.url}/forms/d/e/{form_id}/formResponse"


def good_answers(ids: dict[str, str], name: str = "Nguyễn Thị Lan") -> dict[str, Any]:
    return {entry(ids["Họ và tên"]): name, entry(ids["Khối lớp"]): "THCS",
            entry(ids["Lĩnh vực"]): ["Dạy học", "__other_option__"],
            f"{entry(ids['Lĩnh vực'])}.other_option_response": "Đoàn Đội",
            entry(ids["Mức độ"]): "4", entry(ids["Ngày"]): "2025-03-08",
            entry(ids["Thành tích"]): "Dòng một\r\nDòng hai"}  # as a browser posts it


def setup(as_user: Callable[[str], Clients], **options: Any) -> tuple[Clients, str, dict[str, str]]:
    owner = as_user(OWNER)
    form_id, ids = make_form(owner.service("forms"), owner.service("drive"),
                             responders=[TEACHER], **options)
    return owner, form_id, ids


def test_a_responder_sees_the_form_with_its_notice_questions_and_required_marks(
    emulator: RunningEmulator, as_user: Callable[[str], Clients]
) -> None:
    _, form_id, ids = setup(as_user)
    page = requests.get(page_url(emulator, form_id), params={"as": TEACHER}, timeout=30)
    assert page.status_code == 200
    assert "Báo cáo gương điển hình" in page.text
    assert "Thông báo về dữ liệu cá nhân:\nChỉ dùng để tổng hợp.\nKhông chia sẻ." in page.text
    for title in ("Họ và tên", "Thành tích", "Khối lớp", "Lĩnh vực", "Quận/huyện", "Mức độ"):
        assert title in page.text
    assert f'name="{entry(ids["Khối lớp"])}" value="THCS"' in page.text
    assert 'type="date"' in page.text and "<select" in page.text and "Mục khác:" in page.text
    assert 'class="required"' in page.text
    assert f'value="{TEACHER}"' in page.text  # the respondent email is prefilled
    assert page.cookies.get("emulator_user") == TEACHER


def test_a_person_without_responder_access_gets_a_403_page_in_vietnamese(
    emulator: RunningEmulator, as_user: Callable[[str], Clients]
) -> None:
    _, form_id, ids = setup(as_user)
    page = requests.get(page_url(emulator, form_id), params={"as": STRANGER}, timeout=30)
    assert page.status_code == 403
    assert "Bạn không có quyền truy cập biểu mẫu này" in page.text
    anonymous = requests.get(page_url(emulator, form_id), timeout=30)
    assert anonymous.status_code == 403
    posted = requests.post(post_url(emulator, form_id),
                           data={"emailAddress": STRANGER, **good_answers(ids)}, timeout=30)
    assert posted.status_code == 403


def test_the_owner_and_a_domain_wide_responder_grant_both_open_the_form(
    emulator: RunningEmulator, as_user: Callable[[str], Clients]
) -> None:
    owner, form_id, _ = setup(as_user)
    assert requests.get(page_url(emulator, form_id), params={"as": OWNER},
                        timeout=30).status_code == 200
    owner.service("drive").permissions().create(fileId=form_id, body={
        "type": "domain", "role": "reader", "view": "published",
        "domain": "sgddt-demo.edu.vn"}).execute()
    assert requests.get(page_url(emulator, form_id), params={"as": "gv.khac@sgddt-demo.edu.vn"},
                        timeout=30).status_code == 200


def test_prefill_parameters_fill_questions_as_on_google(
    emulator: RunningEmulator, as_user: Callable[[str], Clients]
) -> None:
    _, form_id, ids = setup(as_user)
    query = [("as", TEACHER), (entry(ids["Họ và tên"]), "Trần Văn B"),
             (entry(ids["Khối lớp"]), "THPT"), (entry(ids["Lĩnh vực"]), "Dạy học"),
             (entry(ids["Lĩnh vực"]), "Chủ nhiệm"), (entry(ids["Quận/huyện"]), "Cầu Giấy"),
             (entry(ids["Mức độ"]), "5"), (entry(ids["Ngày"]), "2025-01-31")]
    page = requests.get(page_url(emulator, form_id), params=query, timeout=30).text
    assert 'value="Trần Văn B"' in page
    assert f'name="{entry(ids["Khối lớp"])}" value="THPT" checked' in page
    assert f'name="{entry(ids["Lĩnh vực"])}" value="Dạy học" checked' in page
    assert f'name="{entry(ids["Lĩnh vực"])}" value="Chủ nhiệm" checked' in page
    assert '<option value="Cầu Giấy" selected>' in page
    assert 'value="5" checked' in page
    assert 'value="2025-01-31"' in page


def test_a_submission_through_the_page_is_listed_by_the_forms_api(
    emulator: RunningEmulator, as_user: Callable[[str], Clients]
) -> None:
    owner, form_id, ids = setup(as_user)
    answer = requests.post(post_url(emulator, form_id),
                           data={"emailAddress": TEACHER, **good_answers(ids)}, timeout=30)
    assert answer.status_code == 200, answer.text
    assert "Câu trả lời của bạn đã được ghi lại." in answer.text
    listed = owner.service("forms").forms().responses().list(formId=form_id).execute()
    assert_matches_schema("forms", "ListFormResponsesResponse", listed)
    [response] = listed["responses"]
    assert response["respondentEmail"] == TEACHER
    got = {qid: [a["value"] for a in body["textAnswers"]["answers"]]
           for qid, body in response["answers"].items()}
    assert got == {ids["Họ và tên"]: ["Nguyễn Thị Lan"], ids["Khối lớp"]: ["THCS"],
                   ids["Lĩnh vực"]: ["Dạy học", "Đoàn Đội"], ids["Mức độ"]: ["4"],
                   ids["Ngày"]: ["2025-03-08"], ids["Thành tích"]: ["Dòng một\nDòng hai"]}


def test_missing_required_answers_are_shown_in_vietnamese_keeping_what_was_typed(
    emulator: RunningEmulator, as_user: Callable[[str], Clients]
) -> None:
    owner, form_id, ids = setup(as_user)
    data = good_answers(ids)
    del data[entry(ids["Khối lớp"])]
    data[entry(ids["Họ và tên"])] = "Giữ lại tên này"
    answer = requests.post(post_url(emulator, form_id), data={"emailAddress": TEACHER, **data},
                           timeout=30)
    assert answer.status_code == 400
    assert "Đây là câu hỏi bắt buộc." in answer.text
    assert 'value="Giữ lại tên này"' in answer.text
    assert "Không gửi được câu trả lời" in answer.text
    listed = owner.service("forms").forms().responses().list(formId=form_id).execute()
    assert_matches_schema("forms", "ListFormResponsesResponse", listed)
    assert listed.get("responses", []) == []


def test_a_script_tag_in_an_answer_or_title_shows_as_text(
    emulator: RunningEmulator, as_user: Callable[[str], Clients]
) -> None:
    owner, form_id, ids = setup(as_user)
    owner.service("forms").forms().batchUpdate(formId=form_id, body={"requests": [
        {"updateFormInfo": {"info": {"title": "<script>alert('tiêu đề')</script>"},
                            "updateMask": "title"}}]}).execute()
    hostile = "<script>alert('x')</script>"
    data = good_answers(ids, name=hostile)
    del data[entry(ids["Khối lớp"])]  # refused, so the page shows the typed answer back
    page = requests.post(post_url(emulator, form_id), data={"emailAddress": TEACHER, **data},
                         timeout=30).text
    assert "<script>alert" not in page
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;" in page
    assert "&lt;script&gt;alert(&#39;tiêu đề&#39;)&lt;/script&gt;" in page
    prefilled = requests.get(page_url(emulator, form_id),
                             params={"as": TEACHER, entry(ids["Họ và tên"]): hostile}, timeout=30)
    assert "<script>alert" not in prefilled.text


def test_a_closed_or_unpublished_form_says_it_takes_no_answers(
    emulator: RunningEmulator, as_user: Callable[[str], Clients]
) -> None:
    _, closed_id, ids = setup(as_user, accepting=False)
    page = requests.get(page_url(emulator, closed_id), params={"as": TEACHER}, timeout=30)
    assert "Biểu mẫu này hiện không nhận câu trả lời" in page.text
    posted = requests.post(post_url(emulator, closed_id),
                           data={"emailAddress": TEACHER, **good_answers(ids)}, timeout=30)
    assert "Biểu mẫu này hiện không nhận câu trả lời" in posted.text
    _, draft_id, _ = setup(as_user, published=False)
    page = requests.get(page_url(emulator, draft_id), params={"as": TEACHER}, timeout=30)
    assert "Biểu mẫu này hiện không nhận câu trả lời" in page.text


def _edit_link(html: str) -> str:
    found = re.search(r'href="(/forms/d/e/[^"]+\?edit2=[^"]+)"', html)
    assert found, "the page offers a link to edit the response"
    return found.group(1).replace("&amp;", "&")


def test_one_response_per_person_then_the_edit_link_changes_the_same_response(
    emulator: RunningEmulator, as_user: Callable[[str], Clients]
) -> None:
    owner, form_id, ids = setup(as_user)
    requests.post(f"{emulator.url}/_emulator/forms/{form_id}/settings", timeout=30,
                  json={"limitOneResponsePerUser": True, "allowResponseEdits": True})
    session = requests.Session()
    first = session.post(post_url(emulator, form_id),
                         data={"emailAddress": TEACHER, **good_answers(ids)}, timeout=30)
    link = _edit_link(first.text)
    again = session.get(page_url(emulator, form_id), timeout=30)  # the cookie says who
    assert "Bạn đã trả lời biểu mẫu này" in again.text
    assert _edit_link(again.text) == link
    edit_page = session.get(emulator.url + link, timeout=30).text
    assert 'value="Nguyễn Thị Lan"' in edit_page  # the previous answers are filled in
    assert 'value="Đoàn Đội"' in edit_page
    response_id = link.split("edit2=")[1]
    changed = session.post(post_url(emulator, form_id), timeout=30, data={
        "emailAddress": TEACHER, "edit2": response_id,
        **good_answers(ids, name="Nguyễn Thị Lan (sửa)")})
    assert "Câu trả lời của bạn đã được ghi lại." in changed.text
    listed = owner.service("forms").forms().responses().list(formId=form_id).execute()
    assert_matches_schema("forms", "ListFormResponsesResponse", listed)
    [response] = listed["responses"]
    assert response["responseId"] == response_id
    assert response["answers"][ids["Họ và tên"]]["textAnswers"]["answers"] == [
        {"value": "Nguyễn Thị Lan (sửa)"}]
    second = session.post(post_url(emulator, form_id),
                          data={"emailAddress": TEACHER, **good_answers(ids)}, timeout=30)
    assert "Bạn đã trả lời biểu mẫu này" in second.text


def test_someone_else_cannot_open_another_persons_edit_link(
    emulator: RunningEmulator, as_user: Callable[[str], Clients]
) -> None:
    _, form_id, ids = setup(as_user)
    requests.post(f"{emulator.url}/_emulator/forms/{form_id}/settings", timeout=30,
                  json={"allowResponseEdits": True})
    first = requests.post(post_url(emulator, form_id),
                          data={"emailAddress": TEACHER, **good_answers(ids)}, timeout=30)
    link = _edit_link(first.text)
    assert "Gửi câu trả lời khác" in first.text
    other = requests.get(emulator.url + link, params={"as": OWNER}, timeout=30)
    assert other.status_code == 403


def test_an_editor_sets_one_response_per_person_on_the_settings_page(
    emulator: RunningEmulator, as_user: Callable[[str], Clients]
) -> None:
    _, form_id, ids = setup(as_user)
    settings = f"{emulator.url}/forms/d/{form_id}/edit"
    assert requests.get(settings, params={"as": TEACHER}, timeout=30).status_code == 403
    browser = requests.Session()
    page = browser.get(settings, params={"as": OWNER}, timeout=30).text
    assert "Giới hạn mỗi người một câu trả lời" in page
    saved = browser.post(settings, data={"limitOneResponsePerUser": "on"}, timeout=30).text
    assert "Đã lưu cài đặt." in saved
    extra = requests.post(f"{emulator.url}/_emulator/forms/{form_id}/settings", json={},
                          timeout=30).json()
    assert extra == {"limitOneResponsePerUser": True, "allowResponseEdits": False}
    requests.post(post_url(emulator, form_id), data={"emailAddress": TEACHER,
                                                     **good_answers(ids)}, timeout=30)
    again = requests.get(page_url(emulator, form_id), params={"as": TEACHER}, timeout=30).text
    assert "Bạn đã trả lời biểu mẫu này" in again and "edit2=" not in again
    assert '<strong id="response-count">1</strong>' in browser.get(settings, timeout=30).text
    listing = requests.get(emulator.url + "/", params={"as": OWNER}, timeout=30).text
    assert f"/forms/d/{form_id}/edit" in listing
