"""Gmail v1: one ``users.messages.send`` per email, as the mailbox the clients act as."""

from __future__ import annotations

import base64
from email.message import EmailMessage
from typing import Any

from functions.adapters.retry import Gate, Repeat


class Gmail:
    def __init__(self, service: Any, gate: Gate | None = None) -> None:
        self.service = service
        self.gate = gate or Gate()

    def send(self, message: EmailMessage) -> str:
        """Sends ``message`` (its From must be the mailbox) and answers Gmail's message id.

        Never repeated after a lost answer: a second send is a second email. The caller
        records each reminder before sending it, so a crash loses a mail, never doubles one.
        """
        raw = base64.urlsafe_b64encode(message.as_bytes()).decode("ascii")
        request = self.service.users().messages().send(userId="me", body={"raw": raw})
        answer = self.gate.execute("gmail", request, repeat=Repeat.REFUSED)
        return str(answer.get("id", ""))
