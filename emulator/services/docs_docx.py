"""Drive's import of DOCX uploads into a native Doc (python-docx)."""

from __future__ import annotations

from emulator.services.docs_model import Json

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def document_from_docx(document_id: str, data: bytes) -> Json:
    raise NotImplementedError
