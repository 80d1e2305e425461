"""Gmail ``users.messages.send``: the message is parsed as the MIME email it must be and kept
in an outbox, which tests and the demo read (``GET /_emulator/gmail/outbox``) and people see
at ``/gmail/outbox``.

developers.google.com/workspace/gmail/api/reference/rest/v1/users.messages/send and
developers.google.com/workspace/gmail/api/guides/sending:
- the body is a Message whose ``raw`` is the whole RFC 2822 email, base64url-encoded;
- ``userId`` is ``me`` or the sending mailbox's own address; another user's address is
  refused (403 "Delegation denied for <address>");
- a message without a recipient answers 400 "Recipient address required".
Stricter than Gmail (verified only here): a ``From`` other than the sender is refused (Gmail
rewrites it to the sender unless it is an alias), and so is a message whose subject or text
is not valid UTF-8 once decoded, or that has no plain-text part.
"""

from __future__ import annotations

import base64
import binascii
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from email.utils import getaddresses, parseaddr
from typing import Any

from emulator.core import Call
from emulator.errors import ApiError
from emulator.services import handles

OUTBOX = "gmail_outbox"


def _decoded(raw: str) -> EmailMessage:
    try:
        data = base64.urlsafe_b64decode(raw + "=" * (-len(raw) % 4))
    except (binascii.Error, ValueError) as error:
        raise ApiError(400, "Invalid value for ByteString: raw") from error
    message = BytesParser(policy=policy.default).parsebytes(data)
    assert isinstance(message, EmailMessage)
    return message


def _plain_text(message: EmailMessage) -> str:
    part = message.get_body(preferencelist=("plain",))
    if part is None:
        raise ApiError(400, "The message has no text/plain part (guongmau emulator rule).")
    try:
        return str(part.get_content())
    except (LookupError, UnicodeDecodeError) as error:
        raise ApiError(400, f"Undecodable text part: {error}") from error


def outbox(store: Any) -> list[dict[str, Any]]:
    """The sent messages, oldest first."""
    return sorted(store.collection(OUTBOX).values(), key=lambda m: m["sequence"])


@handles("gmail.users.messages.send")
def send(call: Call) -> Any:
    sender = call.user
    wanted = call.params["userId"].lower()
    if wanted not in ("me", sender):
        raise ApiError(403, f"Delegation denied for {sender}")
    raw = (call.body or {}).get("raw")
    if not raw:
        raise ApiError(400, "'raw' RFC822 payload message string or uploading message via "
                            "/upload/* URL required")
    message = _decoded(str(raw))
    recipients = [address for _, address in getaddresses(
        [str(v) for key in ("To", "Cc", "Bcc") for v in message.get_all(key, [])]) if address]
    if not recipients:
        raise ApiError(400, "Recipient address required")
    author = parseaddr(str(message.get("From", "")))[1].lower()
    if author and author != sender:
        raise ApiError(400, f"From {author} is not the sending mailbox {sender} "
                            "(guongmau emulator rule: Gmail would rewrite it).")
    store = call.store
    sequence = len(store.collection(OUTBOX)) + 1
    message_id = f"{sequence:016x}"
    store.put(OUTBOX, message_id, {
        "id": message_id, "sequence": sequence, "from": str(message.get("From", sender)),
        "to": recipients, "subject": str(message.get("Subject", "")),
        "text": _plain_text(message), "replyTo": str(message.get("Reply-To", "")),
        "sentAt": call.emulator.timestamp()})
    return {"id": message_id, "threadId": message_id, "labelIds": ["SENT"]}
