"""Exports of a Doc (Drive files.export): text/plain, text/html, DOCX."""

from __future__ import annotations

from emulator.services.docs_model import Json, plain_text


def export(doc: Json, title: str, mime_type: str) -> bytes | None:
    if mime_type == "text/plain":
        return ("\ufeff" + plain_text(doc["body"]).replace("\n", "\r\n")).encode()
    return None
