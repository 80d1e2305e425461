"""Drive's import of HTML (and plain text) uploads into a native Doc."""

from __future__ import annotations

from emulator.services.docs_model import Json, new_document, paragraph


def document_from_text(document_id: str, text: str) -> Json:
    doc = new_document(document_id)
    lines = text.replace("\r\n", "\n").rstrip("\n").split("\n")
    doc["body"][1:] = [paragraph(line) for line in lines]
    return doc


def document_from_html(document_id: str, html: str) -> Json:
    raise NotImplementedError
