"""A report as DOCX bytes: the blocks of a document written onto docs_templates/mau_van_ban.docx.

The template carries the page (A4, margins, Times New Roman, the page-number header hidden on
the first page: Nghị định 30/2020/NĐ-CP, Phụ lục I); this module adds the header block, the
body and the signer block. Every text goes in as a run's text (python-docx escapes it), so what
a respondent typed — ``<b>``, ``=IMPORTXML(...)``, ``{{ x }}`` — is text in the document, never
markup or a field. Drive imports the DOCX into a native Doc that keeps all of it.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from pathlib import Path

import docx
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt

from functions.paths import data_dir

CENTER, LEFT, RIGHT, JUSTIFY = (WD_ALIGN_PARAGRAPH.CENTER, WD_ALIGN_PARAGRAPH.LEFT,
                                WD_ALIGN_PARAGRAPH.RIGHT, WD_ALIGN_PARAGRAPH.JUSTIFY)


@dataclass(frozen=True)
class Para:
    text: str
    bold: bool = False
    italic: bool = False
    heading: bool = False  # a section heading ("I. ..."): bold, Heading 2 for the Doc's outline
    center: bool = False


@dataclass(frozen=True)
class Table:
    headers: tuple[str, ...]
    rows: tuple[tuple[str | int, ...], ...]
    bold_rows: frozenset[int] = frozenset()  # group and total rows
    landscape: bool = False  # a wide table gets a landscape section of its own


Block = Para | Table


@dataclass(frozen=True)
class Letterhead:
    parent: str  # cơ quan chủ quản
    issuer: str  # cơ quan ban hành (bold capitals)
    number: str  # "Số: …/BC-SGDĐT"
    motto: tuple[str, str]  # Quốc hiệu, Tiêu ngữ
    place_date: str


@dataclass(frozen=True)
class Signer:
    title: str
    name: str


@dataclass(frozen=True)
class Document:
    letterhead: Letterhead
    kind: str  # "BÁO CÁO"
    subject: str  # trích yếu
    body: tuple[Block, ...]
    recipients_title: str
    recipients: tuple[str, ...]
    signer: Signer
    annex: tuple[Block, ...] = field(default=())


def _run(paragraph: object, text: str, size: float | None = None, bold: bool = False,
         italic: bool = False) -> None:
    run = paragraph.add_run(text)  # type: ignore[attr-defined]
    run.bold, run.italic = bold or None, italic or None
    if size:
        run.font.size = Pt(size)


def _para(container: object, text: str, align: object = None, size: float | None = None,
          bold: bool = False, italic: bool = False, style: str | None = None) -> object:
    paragraph = container.add_paragraph(style=style)  # type: ignore[attr-defined]
    if align is not None:
        paragraph.alignment = align
    paragraph.paragraph_format.space_after = Pt(0 if size and size < 14 else 6)
    _run(paragraph, text, size, bold, italic)
    return paragraph


def _borderless(table: object) -> None:
    properties = table._tbl.tblPr  # type: ignore[attr-defined]
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:val"), "nil")
        borders.append(element)
    properties.append(borders)


def _letterhead(document: object, head: Letterhead) -> None:
    table = document.add_table(rows=1, cols=2)  # type: ignore[attr-defined]
    _borderless(table)
    left, right = table.rows[0].cells
    left.paragraphs[0].alignment = CENTER
    _run(left.paragraphs[0], head.parent.upper(), 13)
    _para(left, head.issuer.upper(), CENTER, 13, bold=True)
    _para(left, head.number, CENTER, 13)
    right.paragraphs[0].alignment = CENTER
    _run(right.paragraphs[0], head.motto[0].upper(), 13, bold=True)
    _para(right, head.motto[1], CENTER, 14, bold=True)
    _para(right, head.place_date, CENTER, 14, italic=True)


def _table(document: object, block: Table) -> None:
    table = document.add_table(rows=1, cols=len(block.headers))  # type: ignore[attr-defined]
    table.style = "Table Grid"
    for cell, header in zip(table.rows[0].cells, block.headers, strict=True):
        cell.paragraphs[0].alignment = CENTER
        _run(cell.paragraphs[0], header, 12, bold=True)
    for index, row in enumerate(block.rows):
        cells = table.add_row().cells
        for cell, value in zip(cells, row, strict=True):
            paragraph = cell.paragraphs[0]
            paragraph.alignment = RIGHT if isinstance(value, int) else LEFT
            for number, line in enumerate(str(value).split("\n")):
                if number:
                    paragraph = cell.add_paragraph()
                _run(paragraph, line, 12, bold=index in block.bold_rows)


def _section(document: object, landscape: bool) -> None:
    """A new section, landscape or portrait; its header (the page number) follows the first."""
    current = document.sections[-1]  # type: ignore[attr-defined]
    width, height = current.page_width, current.page_height
    section = document.add_section(WD_SECTION.NEW_PAGE)  # type: ignore[attr-defined]
    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    if (width < height) == landscape:
        section.page_width, section.page_height = height, width
    section.top_margin, section.bottom_margin = current.top_margin, current.bottom_margin
    section.left_margin, section.right_margin = current.left_margin, current.right_margin


def _blocks(document: object, blocks: tuple[Block, ...]) -> None:
    for block in blocks:
        if isinstance(block, Table):
            if block.landscape:
                _section(document, landscape=True)
            _table(document, block)
            if block.landscape:
                _section(document, landscape=False)
        elif block.heading:
            _para(document, block.text, LEFT, 14, bold=True, style="Heading 2")
        else:
            _para(document, block.text, CENTER if block.center else JUSTIFY, 14,
                  bold=block.bold, italic=block.italic)


def _signature(document: object, doc: Document) -> None:
    table = document.add_table(rows=1, cols=2)  # type: ignore[attr-defined]
    _borderless(table)
    left, right = table.rows[0].cells
    _run(left.paragraphs[0], doc.recipients_title, 12, bold=True, italic=True)
    for line in doc.recipients:
        _para(left, line, LEFT, 11)
    right.paragraphs[0].alignment = CENTER
    _run(right.paragraphs[0], doc.signer.title.upper(), 14, bold=True)
    for _ in range(3):
        _para(right, "", CENTER, 14)
    _para(right, doc.signer.name, CENTER, 14, bold=True)


def render_docx(doc: Document, template: Path | None = None) -> bytes:
    """The document as DOCX bytes, on the page layout of ``template``."""
    source = template or data_dir("docs_templates") / "mau_van_ban.docx"
    document = docx.Document(str(source))
    body = document.element.body
    for element in list(body):  # keep the template's page setup, drop any sample content
        if element.tag != qn("w:sectPr"):
            body.remove(element)
    _letterhead(document, doc.letterhead)
    _para(document, doc.kind.upper(), CENTER, 14, bold=True)
    _para(document, doc.subject, CENTER, 14, bold=True)
    _blocks(document, doc.body)
    _signature(document, doc)
    if doc.annex:
        document.add_page_break()
        _blocks(document, doc.annex)
    out = io.BytesIO()
    document.core_properties.title = doc.subject
    document.save(out)
    return out.getvalue()

