"""Gmail users.messages.send through google-api-python-client: a real MIME email lands in the
emulator's outbox, decoded; malformed or misaddressed mail is refused as Gmail would."""

from __future__ import annotations

import base64
from email.message import EmailMessage
from typing import Any

import pytest
import requests
from googleapiclient.errors import HttpError

from emulator.server import RunningEmulator
from functions.adapters.clients import Clients
from functions.adapters.errors import GoogleApiError
from functions.adapters.gmail import Gmail

SENDER = "vanphong@sgddt-demo.edu.vn"


def email(sender: str = SENDER, to: str = "binhnd@sgddt-demo.edu.vn") -> EmailMessage:
    message = EmailMessage()
    message["From"] = f"Sở GD&ĐT <{sender}>"
    if to:
        message["To"] = to
    message["Subject"] = "Nhắc nộp kế hoạch cá nhân – hạn 28/02/2025"
    message.set_content("Kính gửi đồng chí Ngô Đức Bình,\nđồng chí chưa nộp kế hoạch.")
    message.add_alternative("<p>Kính gửi đồng chí <b>Ngô Đức Bình</b></p>", subtype="html")
    return message


def outbox(emulator: RunningEmulator) -> list[dict[str, Any]]:
    answer = requests.get(f"{emulator.url}/_emulator/gmail/outbox", timeout=10)
    answer.raise_for_status()
    return list(answer.json()["messages"])


def test_a_sent_email_is_in_the_outbox_with_its_vietnamese_subject_and_text_decoded(
        emulator: RunningEmulator, clients: Clients) -> None:
    gmail = Gmail(clients.mailbox(SENDER).service("gmail"))
    message_id = gmail.send(email())
    (sent,) = outbox(emulator)
    assert sent["id"] == message_id
    assert sent["to"] == ["binhnd@sgddt-demo.edu.vn"]
    assert sent["subject"] == "Nhắc nộp kế hoạch cá nhân – hạn 28/02/2025"
    assert sent["text"].startswith("Kính gửi đồng chí Ngô Đức Bình,\n")
    assert SENDER in sent["from"]
    page = requests.get(f"{emulator.url}/gmail/outbox", timeout=10)
    assert page.status_code == 200 and "Nhắc nộp kế hoạch cá nhân" in page.text


def test_a_mail_without_recipient_or_from_another_mailbox_is_refused(
        emulator: RunningEmulator, clients: Clients) -> None:
    gmail = Gmail(clients.mailbox(SENDER).service("gmail"))
    with pytest.raises(GoogleApiError) as no_one:
        gmail.send(email(to=""))
    assert no_one.value.status == 400 and "Recipient address required" in no_one.value.message
    with pytest.raises(GoogleApiError) as other:
        gmail.send(email(sender="someone@else.vn"))
    assert other.value.status == 400
    assert outbox(emulator) == []


def test_sending_as_another_users_mailbox_is_delegation_denied(clients: Clients) -> None:
    raw = base64.urlsafe_b64encode(email().as_bytes()).decode()
    service = clients.mailbox(SENDER).service("gmail")
    with pytest.raises(HttpError) as caught:
        service.users().messages().send(userId="other@sgddt-demo.edu.vn",
                                        body={"raw": raw}).execute()
    assert caught.value.resp.status == 403
