"""A rendered report kept in Drive: a native Doc, its DOCX and a dated PDF, updated in place.

Writes per document, whatever the number of units: one listing and one create or media update
for each of the three files, one export (PDF), one permission listing and at most one grant
batch for a unit's documents. Each file carries appProperties naming it (kind, year, key), so
``ensure_file`` finds it before creating and after a lost answer: a re-run for the same period
updates the same Doc, the same DOCX. The PDF's key carries the run's date: the day's re-run
replaces that day's PDF, and a later day adds a new one, the earlier staying as the dated
version the clerk may have numbered and had signed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from functions.adapters.drive import DOCUMENT, DOCX, PDF, Grant
from functions.services.files import ensure_file
from functions.services.registry import app_properties
from functions.services.workspace import Workspace


@dataclass(frozen=True)
class Published:
    title: str
    doc_id: str
    docx_id: str
    pdf_id: str
    link: str


def _keep(ws: Workspace, drive_id: str, props: dict[str, str], name: str, mime_type: str,
          folder: str, data: bytes, media_type: str) -> str:
    """Id of the file ``props`` names, created with ``data`` or its content replaced by it."""
    file_id, created = ensure_file(ws, drive_id, props, lambda: ws.drive.create(
        name, mime_type, folder, props, media=data, media_type=media_type))
    if not created:
        ws.drive.update_media(file_id, data, media_type, name=name)
    return file_id


def publish(ws: Workspace, drive_id: str, folder: str, year: int, key: str, title: str,
            docx: bytes, day: date, readers: tuple[str, ...] = (),
            notify: bool = False) -> Published:
    """Keeps the Doc (imported from ``docx``), the DOCX and the day's PDF in ``folder``;
    ``readers`` (a unit's heads and readers) may read the Doc."""
    doc_id = _keep(ws, drive_id, app_properties(year, "report-doc", key), title, DOCUMENT,
                   folder, docx, DOCX)
    docx_id = _keep(ws, drive_id, app_properties(year, "report-docx", key), f"{title}.docx",
                    DOCX, folder, docx, DOCX)
    pdf = ws.drive.export(doc_id, PDF)
    stamp = day.isoformat()
    pdf_id = _keep(ws, drive_id, app_properties(year, "report-pdf", f"{key}|{stamp}"),
                   f"{title} ({stamp}).pdf", PDF, folder, pdf, PDF)
    if readers:
        _share(ws, doc_id, readers, notify)
    return Published(title, doc_id, docx_id, pdf_id,
                     f"https://docs.google.com/document/d/{doc_id}/edit")


def _share(ws: Workspace, file_id: str, readers: tuple[str, ...], notify: bool) -> None:
    """Grants what is missing only: a re-run (or one after a crash) adds no twin permission."""
    held = ws.drive.permissions(file_id)
    wanted = [Grant("user", "reader", email) for email in dict.fromkeys(
        e.lower() for e in readers)]
    missing = [g for g in wanted if not any(
        p.get("type") == "user" and str(p.get("emailAddress", "")).lower() == g.email
        for p in held)]
    if missing:
        ws.drive.grant(file_id, missing, notify=notify)
