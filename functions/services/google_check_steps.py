"""The preparation, Sheets and Docs steps of `check-google`, and the whole list of steps.

Preparation reuses provisioning's own checks (``preflight``) and adds what only a check run
reads: the topic's IAM policy and the Sở readers' group in the shared drive. Facts set:
``drive``, ``template``, ``topic``, ``sheet``.
"""

from __future__ import annotations

import io

from docx import Document

from functions.adapters.drive import DOCUMENT, DOCX, PDF, SPREADSHEET
from functions.adapters.errors import GoogleApiError
from functions.services import preflight
from functions.services.google_check import NeedsPerson, Probe, Refused, Step
from functions.services.google_check_forms import CHECK_KIND
from functions.services.google_check_forms import STEPS as FORM_STEPS
from functions.services.registry import app_properties


def _unless(problems: list[str]) -> None:
    if problems:
        raise Refused(" ".join(problems))


def shared_drive(probe: Probe) -> str:
    _unless(preflight.drive_problems(probe.deployment, probe.ws))
    probe.facts["drive"] = probe.deployment.settings.storage.shared_drive_id
    return f"{probe.ws.service_account} thêm được tệp vào Drive dùng chung"


def template(probe: Probe) -> str:
    _unless(preflight.template_problems(probe.deployment, probe.ws))
    probe.facts["template"] = probe.deployment.settings.storage.form_template_id
    return "biểu mẫu mẫu là một Google Form tài khoản dịch vụ mở được"


def topic(probe: Probe) -> str:
    _unless(preflight.topic_problems(probe.deployment))
    name = probe.deployment.settings.pubsub_topic or ""
    try:
        probe.pubsub.topic(name)
    except GoogleApiError as error:
        if error.status != 404:
            raise
        raise Refused(f"chủ đề {name} không tồn tại: hãy tạo nó (README, bước 4)") from error
    if not probe.pubsub.forms_may_publish(name):
        raise Refused(f"forms-notifications@system.gserviceaccount.com chưa có vai trò Pub/Sub "
                      f"Publisher trên {name}: hãy cấp vai trò này (README, bước 4)")
    probe.facts["topic"] = name
    return "chủ đề có, Forms có vai trò Pub/Sub Publisher"


def readers_group(probe: Probe) -> str:
    group = probe.deployment.settings.storage.so_readers
    if not group:
        raise Refused("chưa khai báo storage.so_readers (nhóm theo dõi của Sở, README bước 5)")
    drive_id = probe.facts["drive"]
    try:
        members = probe.ws.drive.permissions(drive_id)
    except GoogleApiError as error:
        raise NeedsPerson(f"tài khoản dịch vụ không xem được thành viên ({error.status}): mở "
                          "Drive dùng chung → Quản lý thành viên, kiểm tra nhóm "
                          f"{group} có vai trò «Người xem»") from error
    if not any(p.get("emailAddress", "").lower() == group.lower() for p in members):
        raise Refused(f"nhóm {group} chưa là thành viên của Drive dùng chung: thêm với vai trò "
                      "«Người xem» (README, bước 5)")
    return f"nhóm {group} là thành viên"


def sheet(probe: Probe) -> str:
    """A Sheet as provision makes one: created by Drive, a protected range and checkboxes."""
    made = probe.ws.drive.create("guongmau check-google – bảng tính", SPREADSHEET,
                                 probe.facts["folder"], app_properties(0, CHECK_KIND, "sheet"))
    probe.made_files.append(made["id"])
    probe.facts["sheet"] = made["id"]
    probe.ws.sheets.batch_update(made["id"], [
        {"addProtectedRange": {"protectedRange": {
            "range": {"sheetId": 0, "startColumnIndex": 0, "endColumnIndex": 1},
            "description": "guongmau", "editors": {"users": [probe.ws.service_account]}}}},
        {"setDataValidation": {
            "range": {"sheetId": 0, "startRowIndex": 1, "endRowIndex": 5,
                      "startColumnIndex": 1, "endColumnIndex": 2},
            "rule": {"condition": {"type": "BOOLEAN"}}}},
    ])
    seen = probe.ws.sheets.metadata(made["id"], "sheets(protectedRanges(range,editors),"
                                    "data(rowData(values(dataValidation))))")
    tab = seen.get("sheets", [{}])[0]
    if not tab.get("protectedRanges"):
        raise Refused("vùng khóa không có khi đọc lại")
    rules = [v.get("dataValidation", {}).get("condition", {}).get("type")
             for grid in tab.get("data", []) for row in grid.get("rowData", [])
             for v in row.get("values", [])]
    if "BOOLEAN" not in rules:
        raise Refused("cột hộp kiểm (BOOLEAN) không có khi đọc lại")
    return "vùng khóa và cột hộp kiểm đọc lại được"


def raw_and_user_entered(probe: Probe) -> str:
    sheet_id = probe.facts["sheet"]
    probe.ws.sheets.write(sheet_id, "C1", [["=1+1"]], "RAW")
    probe.ws.sheets.write(sheet_id, "C2", [["=1+1"]], "USER_ENTERED")
    raw, typed = probe.ws.sheets.read(sheet_id, ["C1", "C2"])
    if raw != [["=1+1"]] or typed != [[2]]:
        raise Refused(f"RAW đọc lại {raw}, USER_ENTERED đọc lại {typed}")
    return "RAW giữ «=1+1» là chữ, USER_ENTERED tính ra 2"


def _docx() -> bytes:
    document = Document()
    document.add_heading("Kiểm tra guongmau", level=1)
    document.add_paragraph("Văn bản thử: tiếng Việt có dấu.")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def doc_and_pdf(probe: Probe) -> str:
    made = probe.ws.drive.create("guongmau check-google – văn bản", DOCUMENT,
                                 probe.facts["folder"], app_properties(0, CHECK_KIND, "doc"),
                                 media=_docx(), media_type=DOCX)
    probe.made_files.append(made["id"])
    if made.get("mimeType") != DOCUMENT:
        raise Refused(f"DOCX nhập thành {made.get('mimeType')}, không phải Google Docs")
    pdf = probe.ws.drive.export(made["id"], PDF)
    if not pdf.startswith(b"%PDF"):
        raise Refused("tệp xuất không phải PDF")
    return f"DOCX nhập thành Google Docs, xuất PDF {len(pdf)} byte"


PREPARATION = (
    Step("Drive dùng chung: tài khoản dịch vụ là «Người quản lý nội dung»", shared_drive),
    Step("Biểu mẫu mẫu (storage.form_template_id)", template),
    Step("Chủ đề Pub/Sub và quyền đăng của Google Forms", topic),
    Step("Nhóm theo dõi của Sở trong Drive dùng chung", readers_group, ("drive",)),
)
FILES = (
    Step("Bảng tính: vùng khóa và cột hộp kiểm", sheet, ("folder",)),
    Step("Ghi RAW và USER_ENTERED rồi đọc lại", raw_and_user_entered, ("sheet",)),
    Step("Nhập DOCX thành Google Docs, xuất PDF", doc_and_pdf, ("folder",)),
)
STEPS = (*PREPARATION, *FORM_STEPS, *FILES)
