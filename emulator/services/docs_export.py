"""Exports of a Doc (Drive files.export): text/plain, text/html, DOCX, and PDF. The PDF is a
minimal one of the plain text (``docs_pdf``): the emulator has no layout engine, so only "it is
a PDF of this Doc" holds, not Google's pagination.

text/plain follows what Google's export is known to produce (a UTF-8 byte order mark, lines
ending "\\r\\n"); the rest of the layout (tables cell by cell, line breaks as new lines) is a
guess verified only on the emulator. The HTML and DOCX carry the structure and the styles the
emulator models (headings, alignment, bold/italic/underline, sizes, fonts, tables, page size and
margins, header/footer text with page-number fields); they are not byte-for-byte Google's.
"""

from __future__ import annotations

import html
import io
from typing import Any

from emulator.services.docs_model import Block, Json, plain_text

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
HTML_TAGS = {"TITLE": "h1", "SUBTITLE": "h2", **{f"HEADING_{n}": f"h{n}" for n in range(1, 7)}}
CSS_ALIGN = {"CENTER": "center", "END": "right", "JUSTIFIED": "justify"}


def export(doc: Json, title: str, mime_type: str) -> bytes | None:
    if mime_type == "text/plain":
        text = plain_text(doc["body"]).replace("\u000b", "\n").replace("\n", "\r\n")
        return ("\ufeff" + text).encode()
    if mime_type == "text/html":
        return to_html(doc, title).encode()
    if mime_type == DOCX:
        return to_docx(doc)
    if mime_type == "application/pdf":
        from emulator.services.docs_pdf import pdf_of

        return pdf_of(plain_text(doc["body"]))
    return None


def _magnitude(value: Any) -> float:
    return float((value or {}).get("magnitude", 0))


def _css(style: Json) -> str:
    parts = []
    if style.get("bold"):
        parts.append("font-weight:700")
    if style.get("italic"):
        parts.append("font-style:italic")
    decorations = [n for k, n in (("underline", "underline"), ("strikethrough", "line-through"))
                   if style.get(k)]
    if decorations:
        parts.append("text-decoration:" + " ".join(decorations))
    if "fontSize" in style:
        parts.append(f"font-size:{_magnitude(style['fontSize']):g}pt")
    if "weightedFontFamily" in style:
        parts.append(f'font-family:"{style["weightedFontFamily"].get("fontFamily", "Arial")}"')
    return ";".join(parts)


def _html_blocks(blocks: list[Block]) -> str:
    out = []
    for block in blocks:
        if "table" in block:
            rows = "".join("<tr>" + "".join(f"<td>{_html_blocks(cell)}</td>" for cell in row)
                           + "</tr>" for row in block["table"])
            out.append(f'<table border="1" style="border-collapse:collapse">{rows}</table>')
        elif "p" in block:
            tag = HTML_TAGS.get(block["style"].get("namedStyleType", ""), "p")
            align = CSS_ALIGN.get(block["style"].get("alignment", ""))
            attribute = f' style="text-align:{align}"' if align else ""
            spans = []
            for element in block["p"]:
                if "text" in element:
                    text = html.escape(element["text"].rstrip("\n")).replace("\u000b", "<br>")
                    css = _css(element["style"])
                    spans.append(f'<span style="{css}">{text}</span>' if css else text)
                elif "pageBreak" in element:
                    spans.append('<hr style="page-break-before:always;display:none">')
            out.append(f"<{tag}{attribute}>{''.join(spans)}</{tag}>")
    return "".join(out)


def to_html(doc: Json, title: str) -> str:
    style = doc["documentStyle"]
    margins = ";".join(f"padding-{side}:{_magnitude(style.get('margin' + side.title())):g}pt"
                       for side in ("top", "right", "bottom", "left"))
    return (f'<html><head><meta content="text/html; charset=UTF-8" http-equiv="content-type">'
            f"<title>{html.escape(title)}</title></head>"
            f'<body style="max-width:{_magnitude(style["pageSize"].get("width")):g}pt;{margins}">'
            f"{_html_blocks(doc['body'])}</body></html>")


def _docx_paragraphs(container: Any, blocks: list[Block], document: Any) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Pt

    align = {"CENTER": WD_ALIGN_PARAGRAPH.CENTER, "END": WD_ALIGN_PARAGRAPH.RIGHT,
             "JUSTIFIED": WD_ALIGN_PARAGRAPH.JUSTIFY}
    for block in blocks:
        if "table" in block:
            table = container.add_table(rows=len(block["table"]),
                                        cols=max(len(r) for r in block["table"]))
            for r, row in enumerate(block["table"]):
                for c, cell in enumerate(row):
                    target = table.cell(r, c)
                    _docx_paragraphs(target, cell, document)
                    first = target.paragraphs[0]
                    first._element.getparent().remove(first._element)  # the cell's initial one
            continue
        if "p" not in block:
            continue
        named = block["style"].get("namedStyleType", "NORMAL_TEXT")
        style = {"TITLE": "Title", "SUBTITLE": "Subtitle"}.get(
            named, f"Heading {named[-1]}" if named.startswith("HEADING_") else None)
        paragraph = container.add_paragraph(style=style)
        if block["style"].get("alignment") in align:
            paragraph.alignment = align[block["style"]["alignment"]]
        for element in block["p"]:
            run = paragraph.add_run()
            text_style = element["style"]
            if "text" in element:
                run.text = element["text"].rstrip("\n").replace("\u000b", "\n")
            elif "pageBreak" in element:
                run.add_break(WD_BREAK.PAGE)
            else:
                field = OxmlElement("w:fldSimple")
                field.set(qn("w:instr"),
                          "PAGE" if element["autoText"] == "PAGE_NUMBER" else "NUMPAGES")
                paragraph._p.append(field)
            run.bold = text_style.get("bold") or None
            run.italic = text_style.get("italic") or None
            run.underline = text_style.get("underline") or None
            if "fontSize" in text_style:
                run.font.size = Pt(_magnitude(text_style["fontSize"]))
            if "weightedFontFamily" in text_style:
                run.font.name = text_style["weightedFontFamily"].get("fontFamily")


def to_docx(doc: Json) -> bytes:
    import docx
    from docx.enum.section import WD_ORIENT
    from docx.shared import Pt

    document = docx.Document()
    section = document.sections[0]
    style = doc["documentStyle"]
    width, height = _magnitude(style["pageSize"]["width"]), _magnitude(style["pageSize"]["height"])
    section.page_width, section.page_height = Pt(width), Pt(height)
    section.orientation = WD_ORIENT.LANDSCAPE if width > height else WD_ORIENT.PORTRAIT
    for side in ("top", "bottom", "left", "right"):
        setattr(section, f"{side}_margin", Pt(_magnitude(style.get("margin" + side.title()))))
    for kind in ("header", "footer"):
        segment = doc[kind + "s"].get(style.get(f"default{kind.title()}Id", ""))
        if segment:
            part = getattr(section, kind)
            part.is_linked_to_previous = False
            _docx_paragraphs(part, segment, document)
            first = part.paragraphs[0]
            first._element.getparent().remove(first._element)
    body = document.element.body
    for paragraph in list(document.paragraphs):
        body.remove(paragraph._element)
    _docx_paragraphs(document, [b for b in doc["body"] if "sectionBreak" not in b], document)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
