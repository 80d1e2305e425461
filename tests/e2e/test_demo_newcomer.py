"""A newcomer's first hour: the README's first command (`guongmau demo`, non-interactive as in CI)
on a day the sample is not written for, then the path its last lines print: reopen the emulator,
fill the open form as someone who has not answered, collect, see the row and the missing list
shrink, open the Sở overview. Screenshots of each page land in docs/ when
GUONGMAU_ANH_CHUP=1 (the README shows them)."""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import pytest
import requests
from click.testing import CliRunner

from functions.cli import main
from functions.clock import ENV_TODAY

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"
DAY = "2026-12-01"  # the day: the sample on disk is for 2025


@dataclass
class Demo:
    output: list[str]
    directory: Path

    def after(self, prefix: str) -> str:
        return next(line for line in self.output if line.startswith(prefix))[len(prefix):]

    def link(self, prefix: str) -> str:
        return re.findall(r"http://\S+", self.after(prefix))[-1]


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Demo:
    directory = tmp_path_factory.mktemp("newcomer") / "demo"
    result = CliRunner().invoke(main, ["demo", str(directory)],
                                env={ENV_TODAY: DAY, "CI": "true"})
    assert result.exit_code == 0, result.output
    return Demo(result.output.splitlines(), directory)


@pytest.fixture
def reopened(demo: Demo) -> Iterator[str]:
    """The emulator, brought back by the exact command the demo printed."""
    command = demo.after("Mở lại: ").split(" rồi mở ")[0]
    process = subprocess.Popen(shlex.split(command), cwd=ROOT, stdout=subprocess.DEVNULL,
                               stderr=subprocess.PIPE, text=True)
    url = "http://127.0.0.1:" + command.rsplit("--port ", 1)[1]
    try:
        for _ in range(100):
            try:
                requests.get(f"{url}/_emulator/health", timeout=1).raise_for_status()
                break
            except requests.RequestException:
                assert process.poll() is None, process.stderr.read() if process.stderr else ""
                time.sleep(0.2)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=20)


def run_printed(demo: Demo, prefix: str) -> subprocess.CompletedProcess[str]:
    *assignments, = [part for part in shlex.split(demo.after(prefix)) if "=" in part[:30]]
    words = [part for part in shlex.split(demo.after(prefix)) if part not in assignments]
    env = {**os.environ, **dict(a.split("=", 1) for a in assignments)}
    return subprocess.run(words, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
                          check=False)


def test_the_demo_writes_the_year_of_today_and_ends_with_an_open_form_and_how_to_reopen(
    demo: Demo, reopened: str
) -> None:
    assert "year: 2026" in (demo.directory / "guongmau.yaml").read_text(encoding="utf-8")
    assert "== Báo cáo cả năm (mở 15/11, hạn 10/12/2026) ==" in demo.output
    assert demo.output[-3].startswith("Trình giả lập đã dừng; dữ liệu của năm chạy thử")
    assert demo.output[-2].startswith("Mở lại: ") and "emulator --data" in demo.output[-2]
    assert demo.output[-1].startswith("Sau khi điền thử, đưa câu trả lời vào bảng: ")
    assert not any("khi trình giả lập còn chạy" in line for line in demo.output)
    form = requests.get(demo.link("Biểu mẫu «Báo cáo cả năm"), timeout=30)
    assert form.status_code == 200
    assert "hiện không nhận câu trả lời" not in form.text
    assert 'type="submit"' in form.text or 'id="submit"' in form.text


FILL_REQUIRED = """
for (const field of document.querySelectorAll('input[type=text][required], textarea[required]'))
  if (!field.value) field.value = 'Hoàn thành đúng kế hoạch đã đăng ký.';
for (const field of document.querySelectorAll('select[required]'))
  if (!field.value && field.options.length > 1) field.selectedIndex = 1;
const groups = new Set([...document.querySelectorAll('input[type=radio]')].map(r => r.name));
for (const name of groups) {
  const radios = [...document.getElementsByName(name)];
  if (!radios.some(r => r.checked)) radios[0].checked = true;
}
for (const card of document.querySelectorAll('.question'))
  if (card.querySelector('.required')) {
    const boxes = [...card.querySelectorAll('input[type=checkbox]')];
    if (boxes.length && !boxes.some(b => b.checked)) boxes[0].checked = true;
  }
"""


def shoot(driver: Any, name: str, tmp_path: Path) -> None:
    """Keeps a screenshot of the page: in docs/ when GUONGMAU_ANH_CHUP=1, else in tmp."""
    folder = DOCS if os.environ.get("GUONGMAU_ANH_CHUP") == "1" else tmp_path
    assert driver.save_screenshot(str(folder / f"{name}.png"))


CUT_CELLS = """
return [...document.querySelectorAll('table.sheet td')]
  .filter(td => td.scrollWidth > td.clientWidth + 1 && !td.textContent.startsWith('http'))
  .map(td => td.textContent);
"""


def cut_cells(driver: Any, only_headers: bool = False) -> list[str]:
    """Texts the page cuts (at Sheets' default zoom), form links aside: they run to the edge."""
    script = CUT_CELLS.replace("table.sheet td", "table.sheet tr.header td" if only_headers
                               else "table.sheet td")
    return list(driver.execute_script(script))


def overview_text(driver: Any, sheet_url: str) -> str:
    from selenium.webdriver.common.by import By

    driver.get(sheet_url)
    return str(driver.find_element(By.TAG_NAME, "body").text)


@pytest.mark.browser
def test_a_newcomer_fills_the_open_form_and_watches_the_sheets_follow(
    demo: Demo, reopened: str, browser: Any, tmp_path: Path
) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions
    from selenium.webdriver.support.ui import WebDriverWait

    person = re.search(r"với tư cách (.+?) \(", demo.after("Biểu mẫu «Báo cáo cả năm")).group(1)
    sheet = demo.link("Bảng theo dõi của ")
    missing_before = overview_text(browser, sheet).count(person)
    assert cut_cells(browser) == []
    shoot(browser, "bang-don-vi-tong-quan", tmp_path)
    browser.find_element(By.LINK_TEXT, "Danh sách").click()
    assert cut_cells(browser) == []
    shoot(browser, "bang-don-vi-danh-sach", tmp_path)

    email = unquote(demo.link("Biểu mẫu «Báo cáo cả năm").rsplit("&as=", 1)[1])
    browser.get(demo.link("Biểu mẫu «Báo cáo cả năm"))
    shoot(browser, "bieu-mau", tmp_path)
    name = browser.find_element(By.XPATH, "//div[starts-with(@class, 'card question')]"
                                          "[starts-with(normalize-space(.), 'Họ và tên')]//input")
    name.send_keys(person)
    browser.execute_script(FILL_REQUIRED)
    browser.find_element(By.ID, "submit").click()
    WebDriverWait(browser, 30).until(expected_conditions.text_to_be_present_in_element(
        (By.ID, "notice"), "Câu trả lời của bạn đã được ghi lại."))

    collected = run_printed(demo, "Sau khi điền thử, đưa câu trả lời vào bảng: ")
    assert collected.returncode == 0, collected.stderr
    assert "1 câu trả lời mới hoặc đã sửa" in collected.stdout

    assert overview_text(browser, sheet).count(person) == missing_before - 1
    tab = browser.find_element(By.LINK_TEXT, "Cả năm")
    tab.click()
    assert email in browser.find_element(By.TAG_NAME, "body").text
    assert cut_cells(browser, only_headers=True) == []
    shoot(browser, "bang-don-vi-ca-nam", tmp_path)

    browser.get(demo.link("Bảng tổng hợp của Sở: "))
    assert "Tổng hợp" in browser.title or "tổng hợp" in browser.title
    shoot(browser, "bang-tong-hop-so", tmp_path)
