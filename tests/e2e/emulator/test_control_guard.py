"""The control endpoints (``/_emulator/*``) can wipe or forge the emulator's state: a web page
open in the same browser must not reach them, while the project's own tools (``requests``
with a JSON body or none, no ``Origin``) keep working."""

from __future__ import annotations

import pytest
import requests

from emulator.server import RunningEmulator
from tests.conftest import Control

EVIL = "http://evil.example"


def seeded(control: Control) -> None:
    control.post("groups", {"email": "nhom@sgddt-demo.edu.vn", "members": ["a@x.vn"]})


def groups_kept(emulator: RunningEmulator) -> bool:
    return emulator.emulator.store.get("groups", "nhom@sgddt-demo.edu.vn") is not None


@pytest.mark.parametrize(("headers", "body", "status"), [
    # What <form method=post action=http://127.0.0.1:8765/_emulator/reset> sends from a page.
    ({"Origin": EVIL, "Content-Type": "application/x-www-form-urlencoded"}, b"", 403),
    # fetch(url, {method: "POST", mode: "no-cors", body: "{}"}) from a page: text/plain.
    ({"Origin": EVIL, "Content-Type": "text/plain;charset=UTF-8"}, b"{}", 403),
    ({"Origin": "null", "Content-Type": "text/plain"}, b"{}", 403),  # a sandboxed page
    ({"Origin": EVIL, "Content-Type": "application/json"}, b"{}", 403),
    ({"Sec-Fetch-Site": "cross-site", "Content-Type": "text/plain"}, b"{}", 403),
    # No Origin at all (an old browser, a file): a body that is not JSON is still refused.
    ({"Content-Type": "text/plain"}, b"{}", 415),
    ({"Content-Type": "multipart/form-data; boundary=x"}, b"--x--\r\n", 415),
    ({"Content-Type": "application/x-www-form-urlencoded"}, b"", 415),
    ({}, b"{}", 415),
], ids=["html-form", "no-cors-fetch", "null-origin", "foreign-json", "cross-site-fetch",
        "plain-text", "multipart", "empty-form", "untyped-body"])
def test_a_foreign_or_non_json_request_cannot_wipe_the_state(
        emulator: RunningEmulator, control: Control, headers: dict[str, str], body: bytes,
        status: int) -> None:
    seeded(control)
    answer = requests.post(f"{emulator.url}/_emulator/reset", data=body, headers=headers,
                           timeout=30)
    assert answer.status_code == status, answer.text
    assert answer.json()["error"]["code"] == status
    assert groups_kept(emulator), "the state survived"


def test_a_foreign_page_cannot_forge_a_response_or_a_fault(
        emulator: RunningEmulator) -> None:
    for path, body in (("faults", b'{"method": "*", "status": 503, "count": 1000}'),
                       ("clock", b'{"advance": 86400}')):
        answer = requests.post(f"{emulator.url}/_emulator/{path}", data=body, timeout=30,
                               headers={"Origin": EVIL, "Content-Type": "text/plain"})
        assert answer.status_code == 403
    assert emulator.emulator.faults.rules == []


def test_the_projects_own_tools_keep_working(emulator: RunningEmulator,
                                             control: Control) -> None:
    seeded(control)  # requests.post(json=...): JSON, no Origin
    assert control.get("calls")["total"] == 0
    control.delete("calls")  # DELETE without a body
    own = requests.post(f"{emulator.url}/_emulator/clock", json={"advance": 1}, timeout=30,
                        headers={"Origin": emulator.url})  # the emulator's own pages
    assert own.status_code == 200, own.text
    charset = requests.post(f"{emulator.url}/_emulator/quotas", data=b'{"enabled": false}',
                            headers={"Content-Type": "application/json; charset=utf-8"},
                            timeout=30)
    assert charset.status_code == 200, charset.text
    assert requests.post(f"{emulator.url}/_emulator/reset", timeout=30).status_code == 200
    assert not groups_kept(emulator), "an empty POST from our own tools still resets"
