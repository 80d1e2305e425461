"""HTML and DOCX uploads through Drive become native Docs; Docs export through Drive."""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any

import docx
import pytest
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt
from googleapiclient.http import MediaInMemoryUpload

from emulator.services.docs_import import document_from_html
from emulator.services.docs_model import render_blocks
from functions.adapters.clients import Clients
from tests.e2e.emulator.test_docs_core import USER, checked

DOC = "application/vnd.google-apps.document"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
REPORT_HTML = """<html><head><title>Không hiện</title></head><body>
<h1 style="text-align:center">Báo cáo tháng 10</h1>
<p>Đơn vị <b>đạt</b> và
<span style="font-size:14pt;font-family:'Times New Roman'">chưa đạt</span></p>
<table><tr><th>Đơn vị</th><th>Điểm</th></tr><tr><td>Trường A</td><td>9,5</td></tr></table>
</body></html>"""


@pytest.fixture
def user(as_user: Callable[[str], Clients]) -> Clients:
    return as_user(USER)


def upload(user: Clients, name: str, data: bytes, media_type: str) -> str:
    drive = user.service("drive")
    folder = drive.files().create(body={"name": "Báo cáo", "mimeType":
                                        "application/vnd.google-apps.folder"}).execute()
    created = drive.files().create(
        body={"name": name, "mimeType": DOC, "parents": [folder["id"]]},
        media_body=MediaInMemoryUpload(data, media_type), fields="id,mimeType").execute()
    assert created["mimeType"] == DOC
    return str(created["id"])


def paragraphs(content: list[dict[str, Any]]) -> list[tuple[str, str]]:
    """(named style, text) of each top-level paragraph."""
    out = []
    for element in content:
        if "paragraph" in element:
            paragraph = element["paragraph"]
            text = "".join(e.get("textRun", {}).get("content", "") for e in paragraph["elements"])
            out.append((paragraph["paragraphStyle"]["namedStyleType"], text))
    return out


def cell_texts(table: dict[str, Any]) -> list[list[str]]:
    return [["".join(e.get("textRun", {}).get("content", "")
                     for block in cell["content"] for e in block["paragraph"]["elements"])
             for cell in row["tableCells"]] for row in table["tableRows"]]


def test_html_uploaded_through_drive_becomes_a_doc_with_its_heading_and_table(
        user: Clients) -> None:
    document_id = upload(user, "Báo cáo tháng 10", REPORT_HTML.encode(), "text/html")
    document = checked("Document", user.service("docs").documents().get(
        documentId=document_id).execute())
    assert document["title"] == "Báo cáo tháng 10"
    content = document["body"]["content"]
    assert paragraphs(content)[0] == ("HEADING_1", "Báo cáo tháng 10\n")
    assert content[1]["paragraph"]["paragraphStyle"]["alignment"] == "CENTER"
    runs = [e["textRun"] for e in content[2]["paragraph"]["elements"]]
    assert {"content": "đạt", "textStyle": {"bold": True}} in runs
    sized = next(r for r in runs if r["content"].startswith("chưa đạt"))
    assert sized["textStyle"]["fontSize"] == {"magnitude": 14, "unit": "PT"}
    assert sized["textStyle"]["weightedFontFamily"]["fontFamily"] == "Times New Roman"
    table = next(e["table"] for e in content if "table" in e)
    assert cell_texts(table) == [["Đơn vị\n", "Điểm\n"], ["Trường A\n", "9,5\n"]]
    # Page size and margins do not survive an HTML import: Letter and 1-inch margins stay.
    assert document["documentStyle"]["pageSize"]["width"] == {"magnitude": 612, "unit": "PT"}


def test_the_html_importer_alone_makes_a_heading_and_a_table() -> None:
    content, _ = render_blocks(document_from_html("d", REPORT_HTML)["body"])
    assert paragraphs(content)[0] == ("HEADING_1", "Báo cáo tháng 10\n")
    assert cell_texts(next(e["table"] for e in content if "table" in e))[1] == ["Trường A\n",
                                                                                 "9,5\n"]


def _page_field(paragraph: Any) -> None:
    run = paragraph.add_run()
    for kind, text in (("begin", ""), ("", " PAGE "), ("separate", ""), ("", "1"), ("end", "")):
        if kind:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
        elif text.strip() == "PAGE":
            element = OxmlElement("w:instrText")
            element.text = text
        else:
            element = OxmlElement("w:t")
            element.text = text
        run._r.append(element)


def sample_docx() -> bytes:
    document = docx.Document()
    document.add_heading("Kế hoạch năm học", level=1)
    paragraph = document.add_paragraph("Mục tiêu ")
    run = paragraph.add_run("chính")
    run.bold, run.font.size = True, Pt(13)
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text, table.cell(1, 1).text = "Tiêu chí", "Đạt"
    section = document.add_section(WD_SECTION.NEW_PAGE)
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = section.page_height, section.page_width
    document.add_paragraph("Phụ lục ngang")
    header = document.sections[0].header.paragraphs[0]
    header.add_run("Trang ")
    _page_field(header)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def test_an_uploaded_docx_keeps_headings_table_landscape_section_and_page_numbers(
        user: Clients) -> None:
    document_id = upload(user, "Kế hoạch", sample_docx(), DOCX)
    document = checked("Document", user.service("docs").documents().get(
        documentId=document_id).execute())
    content = document["body"]["content"]
    assert paragraphs(content)[0] == ("HEADING_1", "Kế hoạch năm học\n")
    bold = [e["textRun"] for e in content[2]["paragraph"]["elements"]][-1]
    assert bold["textStyle"]["bold"] is True
    assert bold["textStyle"]["fontSize"] == {"magnitude": 13, "unit": "PT"}
    table = next(e["table"] for e in content if "table" in e)
    assert cell_texts(table) == [["Tiêu chí\n", "\n"], ["\n", "Đạt\n"]]
    breaks = [e["sectionBreak"]["sectionStyle"] for e in content if "sectionBreak" in e]
    assert len(breaks) == 2
    assert breaks[1]["sectionType"] == "NEXT_PAGE"
    assert breaks[1]["flipPageOrientation"] is True
    header_id = document["documentStyle"]["defaultHeaderId"]
    elements = document["headers"][header_id]["content"][0]["paragraph"]["elements"]
    assert elements[0]["textRun"]["content"] == "Trang "
    assert elements[1]["autoText"]["type"] == "PAGE_NUMBER"


def test_a_doc_exports_as_plain_text_html_and_docx(user: Clients) -> None:
    document_id = upload(user, "Báo cáo", REPORT_HTML.encode(), "text/html")
    drive = user.service("drive")
    text = drive.files().export(fileId=document_id, mimeType="text/plain").execute()
    assert text.decode("utf-8-sig").startswith("Báo cáo tháng 10\r\nĐơn vị đạt và chưa đạt\r\n")
    page = drive.files().export(fileId=document_id, mimeType="text/html").execute().decode()
    assert "<h1" in page and "<table" in page
    exported = docx.Document(io.BytesIO(drive.files().export(fileId=document_id,
                                                             mimeType=DOCX).execute()))
    assert exported.paragraphs[0].style.name == "Heading 1"
    assert exported.tables[0].cell(1, 0).text == "Trường A"
