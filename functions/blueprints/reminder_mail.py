"""A reminder as the email it is (pure): UTF-8 subject and body, plain text and HTML, the
reply-to from the settings, and a closing line saying why the recipient gets it. The wording
is data (docs_templates/thu_nhac.yaml), rendered with jinja2; the HTML is autoescaped, so a
name typed as markup stays text."""

from __future__ import annotations

from dataclasses import dataclass
from email import policy
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from functools import cache
from typing import Any

import jinja2

from functions.config.yamlread import strict_load
from functions.domain.text import nfc
from functions.paths import data_dir

MAIL_POLICY = policy.default.clone(max_line_length=998)


@dataclass(frozen=True)
class Envelope:
    sender: str
    sender_name: str
    reply_to: str | None


@cache
def _texts() -> dict[str, Any]:
    return dict(strict_load(data_dir("docs_templates") / "thu_nhac.yaml"))


def _render(source: str, context: dict[str, Any], html: bool) -> str:
    environment = jinja2.Environment(autoescape=html, trim_blocks=True, lstrip_blocks=True,
                                     undefined=jinja2.StrictUndefined)
    return nfc(environment.from_string(source).render(**context))


def message(kind: str, envelope: Envelope, to: str, context: dict[str, Any]) -> EmailMessage:
    """The email ``kind`` ("person" or "digest") to ``to``, filled from ``context``."""
    texts = _texts()
    template = texts[kind]
    footer_plain = _render(texts["unsubscribe"], context, html=False)
    footer_html = _render(texts["unsubscribe"], context, html=True)
    # Folded at 78 columns, Python splits a Vietnamese subject into encoded words and can put
    # a space between two of them, where RFC 2047 says to drop it ("ngườichưa"). Lines up to
    # 998 (RFC 5322's limit) keep a subject in one encoded word, read back exactly.
    mail = EmailMessage(policy=MAIL_POLICY)
    mail["From"] = Address(envelope.sender_name, addr_spec=envelope.sender)
    mail["To"] = to
    if envelope.reply_to:
        mail["Reply-To"] = envelope.reply_to
    mail["Subject"] = " ".join(_render(template["subject"], context, html=False).split())
    mail["Date"] = formatdate(localtime=False)
    mail["Message-ID"] = make_msgid(domain=envelope.sender.split("@")[-1])
    mail.set_content(f"{_render(template['text'], context, html=False).rstrip()}\n\n--\n"
                     f"{footer_plain}\n", charset="utf-8")
    mail.add_alternative(f"{_render(template['html'], context, html=True)}"
                         f"<hr><p style=\"color:#5f6368\">{footer_html}</p>", subtype="html",
                         charset="utf-8")
    return mail
