"""The Sở's processing record kept in Drive: rendered from the settings and updated in place.

Cost: what ``report_files.publish`` costs for one document (a listing and a create or media
update for the Doc and the DOCX, one export and one PDF for the day); no Sheet is read. The
Doc carries appProperties (kind ``report-doc``, key ``ho-so-xu-ly``): a rerun finds and updates
it, and a create whose answer was lost is adopted, never doubled.
"""

from __future__ import annotations

from datetime import date

from functions.blueprints.processing_record import Facts, file_title, record_document
from functions.blueprints.report_docx import render_docx
from functions.config.deployment import Deployment
from functions.domain.retention import PROCESSING_RECORD_KEY
from functions.services.preflight import PreflightError
from functions.services.registry import RegistryStore
from functions.services.report_files import Published, publish
from functions.services.workspace import Workspace

KEY = PROCESSING_RECORD_KEY


def make_record(deployment: Deployment, ws: Workspace, day: date) -> Published:
    """The record as of ``day``, in the year's reports folder (beside the Sở's reports)."""
    settings = deployment.settings
    registry = RegistryStore(ws.state, settings.year, read_only=True).load()
    folder = registry.folders.get("reports")
    if not folder:
        raise PreflightError([f"Năm {settings.year} chưa có thư mục Báo cáo; hãy chạy «guongmau "
                              "provision» trước rồi chạy lại lệnh này."])
    document = record_document(deployment, Facts(ws.service_account, day))
    return publish(ws, settings.storage.shared_drive_id or "", folder, settings.year, KEY,
                   file_title(deployment, day), render_docx(document), day)
