"""A person fills a form page in headless Chromium (Debian's package) and the response is then
listed through the Forms API. Skipped where Chromium or its driver is not installed."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from emulator.server import RunningEmulator
from functions.adapters.clients import Clients
from tests.e2e.emulator.contract import assert_matches_schema
from tests.e2e.emulator.test_pages_forms import OWNER, TEACHER, entry, make_form

pytestmark = pytest.mark.browser


def test_a_teacher_fills_a_prefilled_form_in_chromium_and_the_api_lists_the_answers(
    emulator: RunningEmulator, as_user: Callable[[str], Clients], browser: Any
) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions
    from selenium.webdriver.support.ui import Select, WebDriverWait

    owner = as_user(OWNER)
    forms = owner.service("forms")
    form_id, ids = make_form(forms, owner.service("drive"), responders=[TEACHER])
    name = entry(ids["Họ và tên"])
    browser.get(f"{emulator.url}/forms/d/e/{form_id}/viewform?as={TEACHER}"
                f"&{name}=Nguy%E1%BB%85n%20Th%E1%BB%8B%20Lan")

    def field(entry_name: str, value: str | None = None) -> Any:
        selector = f'[name="{entry_name}"]' + (f'[value="{value}"]' if value else "")
        return browser.find_element(By.CSS_SELECTOR, selector)

    assert field(name).get_attribute("value") == "Nguyễn Thị Lan"  # pre-filled
    assert field("emailAddress").get_attribute("value") == TEACHER
    field(entry(ids["Thành tích"])).send_keys("Giáo viên dạy giỏi cấp tỉnh")
    field(entry(ids["Khối lớp"]), "THCS").click()
    field(entry(ids["Lĩnh vực"]), "Dạy học").click()
    field(entry(ids["Lĩnh vực"]), "Chủ nhiệm").click()
    Select(field(entry(ids["Quận/huyện"]))).select_by_visible_text("Cầu Giấy")
    field(entry(ids["Mức độ"]), "5").click()
    browser.find_element(By.ID, "submit").click()
    WebDriverWait(browser, 30).until(expected_conditions.text_to_be_present_in_element(
        (By.ID, "notice"), "Câu trả lời của bạn đã được ghi lại."))

    listed = forms.forms().responses().list(formId=form_id).execute()

    assert_matches_schema("forms", "ListFormResponsesResponse", listed)
    [response] = listed["responses"]
    assert response["respondentEmail"] == TEACHER
    got = {qid: [a["value"] for a in body["textAnswers"]["answers"]]
           for qid, body in response["answers"].items()}
    assert got == {
        ids["Họ và tên"]: ["Nguyễn Thị Lan"],
        ids["Thành tích"]: ["Giáo viên dạy giỏi cấp tỉnh"],
        ids["Khối lớp"]: ["THCS"],
        ids["Lĩnh vực"]: ["Dạy học", "Chủ nhiệm"],
        ids["Quận/huyện"]: ["Cầu Giấy"],
        ids["Mức độ"]: ["5"],
    }
