"""Writes docs_templates/mau_van_ban.docx: the page layout every report starts from.

Nghị định 30/2020/NĐ-CP, Phụ lục I (thể thức văn bản hành chính): A4 portrait; margins top and
bottom 20-25 mm, left 30-35 mm, right 15-20 mm; Times New Roman; body 13-14 pt; page numbers in
Arabic numerals, 13-14 pt, centred in the top margin, not shown on the first page. A clerk may
adjust the result in Word or LibreOffice; this script only makes the first version.

Run: python scripts/make_docx_template.py
"""

from __future__ import annotations

from pathlib import Path

import docx
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

TARGET = Path(__file__).resolve().parent.parent / "docs_templates" / "mau_van_ban.docx"
FONT = "Times New Roman"


def _font(style: object, size: float) -> None:
    style.font.name = FONT  # type: ignore[attr-defined]
    style.font.size = Pt(size)  # type: ignore[attr-defined]
    fonts = style.element.get_or_add_rPr().get_or_add_rFonts()  # type: ignore[attr-defined]
    for attribute in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attribute), FONT)


def _page_field(paragraph: object) -> None:
    run = paragraph.add_run()  # type: ignore[attr-defined]
    for kind, text in (("begin", None), (None, "PAGE"), ("separate", None), (None, None),
                       ("end", None)):
        if kind:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
        elif text:
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = f" {text} "
        else:
            element = OxmlElement("w:t")
            element.text = "2"
        run._r.append(element)
    run.font.size = Pt(13)


def main() -> None:
    document = docx.Document()
    for name, size in (("Normal", 14), ("Table Grid", 13)):
        _font(document.styles[name], size)
    heading = document.styles["Heading 2"]
    _font(heading, 14)
    heading.font.bold = True
    heading.font.color.rgb = RGBColor(0, 0, 0)
    normal = document.styles["Normal"].paragraph_format
    normal.space_after = Pt(6)
    normal.first_line_indent = None
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    # Inside the ranges, not on their edges: Word stores twips, and 15 mm rounds to 14.99.
    section.top_margin, section.bottom_margin = Mm(22), Mm(22)
    section.left_margin, section.right_margin = Mm(32), Mm(17)
    section.header_distance, section.footer_distance = Mm(10), Mm(10)
    section.different_first_page_header_footer = True
    header = section.header.paragraphs[0]
    header.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _page_field(header)
    section.first_page_header.paragraphs[0].text = ""
    document.core_properties.title = "Mẫu văn bản (Nghị định 30/2020/NĐ-CP)"
    document.core_properties.author = "guongmau"
    document.save(str(TARGET))


if __name__ == "__main__":
    main()
