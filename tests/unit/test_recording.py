"""The cassette a Sở may hand over: no token, no email, no id of theirs; binary bodies kept."""

from __future__ import annotations

import json
from pathlib import Path

from functions.adapters.recording import Recorder

FORM_ID = "1FAIpQLSdCxNeZ4vKHHugqxMatmxlSBFcqIhzux"  # 39 characters, as Google's ids
DRIVE_ID = "0AGuongmauDemoDrive"  # a shared drive id: short, known from the settings


def test_emails_and_ids_become_the_same_pseudonym_everywhere_and_tokens_are_dropped(
    tmp_path: Path,
) -> None:
    recorder = Recorder({"storage.shared_drive_id": DRIVE_ID})
    body = json.dumps({"parents": [DRIVE_ID], "emailAddress": "HT.A@sgddt.edu.vn"})
    recorder.record("POST", f"https://x/v1/forms/{FORM_ID}?as=ht.a%40sgddt.edu.vn", body,
                    "application/json", 200, "OK", "application/json",
                    json.dumps({"formId": FORM_ID, "publisher":
                                "forms-notifications@system.gserviceaccount.com"}).encode())
    text = recorder.save(tmp_path, "c").read_text(encoding="utf-8")
    cassette = json.loads(text)
    for secret in (FORM_ID, DRIVE_ID, "sgddt.edu.vn", "Bearer"):
        assert secret not in text
    request = cassette["interactions"][0]["request"]
    answer = json.loads(cassette["interactions"][0]["response"]["body"]["string"])
    assert request["uri"].split("/forms/")[1].split("?")[0] == answer["formId"]
    assert "nguoi1%40example.com" in request["uri"]
    assert json.loads(request["body"])["emailAddress"] == "nguoi1@example.com"
    assert answer["publisher"] == "forms-notifications@system.gserviceaccount.com"
    [(pseudonym, role)] = cassette["roles"].items()
    assert role == "storage.shared_drive_id" and json.loads(request["body"])["parents"] == [
        pseudonym] and len(pseudonym) >= 33


def test_binary_bodies_come_back_byte_for_byte(tmp_path: Path) -> None:
    recorder = Recorder()
    data = b"PK\x03\x04\x81\xff binary"
    recorder.record("POST", "https://x/upload", data, "multipart/related", 200, "OK", "", b"")
    cassette = json.loads(recorder.save(tmp_path, "c").read_text(encoding="utf-8"))
    body = cassette["interactions"][0]["request"]["body"]
    assert body.encode("utf-8", "surrogateescape") == data
