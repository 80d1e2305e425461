"""Drive's import of DOCX uploads into a native Doc, read with python-docx.

An imported DOCX keeps its header and footer fields (page numbers), a different first page and
its sections (shared/GOOGLE_FACTS.md, Docs section). Mapping, as the emulator models it:
- paragraph styles "Title", "Subtitle", "Heading N" → namedStyleType TITLE, SUBTITLE, HEADING_N;
  w:jc → alignment; runs → textRuns with bold/italic/underline/strikethrough/fontSize/font;
  <w:br w:type="page"/> → pageBreak; PAGE / NUMPAGES fields → autoText PAGE_NUMBER / PAGE_COUNT.
- tables → tables (merged cells are not modelled: each w:tc is one cell).
- the first section → documentStyle (pageSize, margins, header/footer ids, different first
  page); each later section → a sectionBreak (NEXT_PAGE) whose style carries its margins and
  flipPageOrientation when its orientation differs from the first section's. How Google
  spreads a multi-section DOCX between documentStyle and section styles is a guess verified
  only on the emulator.
"""

from __future__ import annotations

import io
from typing import Any

from emulator.services.docs_model import (
    Block,
    Json,
    dim,
    new_document,
    new_segment_id,
    paragraph,
)

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
NAMED = {"title": "TITLE", "subtitle": "SUBTITLE",
         **{f"heading {n}": f"HEADING_{n}" for n in range(1, 7)}}
ALIGN = {"left": "START", "start": "START", "center": "CENTER", "right": "END", "end": "END",
         "both": "JUSTIFIED", "distribute": "JUSTIFIED"}
EMU_PER_PT = 12700


def _on(element: Any, tag: str) -> bool:
    """Whether a toggle property (w:b, w:i, ...) is set on ``element`` (a w:rPr)."""
    found = element.find(W + tag) if element is not None else None
    return found is not None and found.get(W + "val", "true") not in ("0", "false", "none")


def _run_style(run: Any) -> Json:
    properties = run.find(W + "rPr")
    style: Json = {}
    for tag, name in (("b", "bold"), ("i", "italic"), ("u", "underline"),
                      ("strike", "strikethrough")):
        if _on(properties, tag):
            style[name] = True
    if properties is not None:
        size = properties.find(W + "sz")
        if size is not None and size.get(W + "val", "").isdigit():
            style["fontSize"] = dim(int(size.get(W + "val")) / 2)
        fonts = properties.find(W + "rFonts")
        if fonts is not None and fonts.get(W + "ascii"):
            style["weightedFontFamily"] = {"fontFamily": fonts.get(W + "ascii"), "weight": 400}
    return style


def _field_type(instruction: str) -> str | None:
    word = instruction.strip().split(" ")[0].upper() if instruction.strip() else ""
    return {"PAGE": "PAGE_NUMBER", "NUMPAGES": "PAGE_COUNT"}.get(word)


class _Paragraph:
    """Collects one w:p's elements, following simple and complex fields."""

    def __init__(self) -> None:
        self.elements: list[Json] = []
        self.field_depth = 0
        self.instruction = ""
        self.in_result = False

    def text(self, text: str, style: Json) -> None:
        if self.elements and "text" in self.elements[-1] and self.elements[-1]["style"] == style:
            self.elements[-1]["text"] += text
        elif text:
            self.elements.append({"text": text, "style": style})

    def walk(self, parent: Any) -> None:
        for child in parent:
            tag = child.tag
            if tag == W + "r":
                self.run(child)
            elif tag == W + "fldSimple":
                kind = _field_type(child.get(W + "instr", ""))
                if kind:
                    self.elements.append({"autoText": kind, "style": {}})
                else:
                    self.walk(child)
            elif tag in (W + "hyperlink", W + "smartTag", W + "ins", W + "sdt",
                         W + "sdtContent"):
                self.walk(child)

    def run(self, run: Any) -> None:
        style = _run_style(run)
        for child in run:
            tag = child.tag
            if tag == W + "fldChar":
                kind = child.get(W + "fldCharType")
                if kind == "begin":
                    self.field_depth += 1
                    self.instruction, self.in_result = "", False
                elif kind == "separate":
                    self.in_result = True
                elif kind == "end" and self.field_depth:
                    self.field_depth -= 1
                    auto = _field_type(self.instruction)
                    if auto:
                        self.elements.append({"autoText": auto, "style": style})
                    self.in_result = False
            elif tag == W + "instrText":
                self.instruction += child.text or ""
            elif self.field_depth and (not self.in_result or _field_type(self.instruction)):
                continue  # field code, or the cached result of a field kept as autoText
            elif tag == W + "t":
                self.text(child.text or "", style)
            elif tag == W + "tab":
                self.text("\t", style)
            elif tag in (W + "br", W + "cr"):
                if child.get(W + "type") == "page":
                    self.elements.append({"pageBreak": True, "style": style})
                else:
                    self.text("\u000b", style)


def _paragraph(element: Any, document: Any) -> Block:
    from docx.text.paragraph import Paragraph

    reader = _Paragraph()
    reader.walk(element)
    block = paragraph()
    properties = element.find(W + "pPr")
    try:
        style = Paragraph(element, document).style
        style_name = (style.name or "").lower() if style is not None else ""
    except (KeyError, AttributeError):
        style_name = ""
    if style_name in NAMED:
        block["style"]["namedStyleType"] = NAMED[style_name]
    justification = properties.find(W + "jc") if properties is not None else None
    if justification is not None and justification.get(W + "val") in ALIGN:
        block["style"]["alignment"] = ALIGN[justification.get(W + "val")]
    last_style = reader.elements[-1]["style"] if reader.elements else {}
    block["p"] = [*reader.elements, {"text": "\n", "style": dict(last_style)}]
    if len(block["p"]) > 1 and "text" in block["p"][-2] and block["p"][-2]["style"] == last_style:
        block["p"][-2:] = [{"text": block["p"][-2]["text"] + "\n", "style": dict(last_style)}]
    return block


def _blocks(parent: Any, document: Any, on_section_end: Any = None) -> list[Block]:
    blocks: list[Block] = []
    for child in parent:
        if child.tag == W + "p":
            blocks.append(_paragraph(child, document))
            properties = child.find(W + "pPr")
            if on_section_end and properties is not None and properties.find(
                    W + "sectPr") is not None:
                blocks.append(on_section_end())
        elif child.tag == W + "tbl":
            rows = []
            for row in child.findall(W + "tr"):
                cells = [_blocks(cell, document) for cell in row.findall(W + "tc")]
                rows.append([cell if cell and "p" in cell[-1] else [*cell, paragraph()]
                             for cell in cells])
            if rows:
                width = max(len(r) for r in rows)
                for row_cells in rows:
                    row_cells.extend([paragraph()] for _ in range(width - len(row_cells)))
                blocks.append({"table": rows})
    if not blocks or "p" not in blocks[-1]:
        blocks.append(paragraph())
    return blocks


def _segment(part: Any, document: Any) -> list[Block]:
    return _blocks(part._element, document)


def _section_style(section: Any) -> Json:
    style: Json = {}
    for name, value in (("marginTop", section.top_margin), ("marginBottom", section.bottom_margin),
                        ("marginLeft", section.left_margin), ("marginRight", section.right_margin),
                        ("marginHeader", section.header_distance),
                        ("marginFooter", section.footer_distance)):
        if value is not None:
            style[name] = dim(round(value / EMU_PER_PT, 2))
    return style


def _headers(doc: Json, section: Any, document: Any, style: Json) -> None:
    parts = [("default", section.header, section.footer)]
    if section.different_first_page_header_footer:
        style["useFirstPageHeaderFooter"] = True
        parts.append(("firstPage", section.first_page_header, section.first_page_footer))
    for prefix, header, footer in parts:
        for kind, part in (("Header", header), ("Footer", footer)):
            if part.is_linked_to_previous:
                continue
            segment_id = new_segment_id()
            doc[kind.lower() + "s"][segment_id] = _segment(part, document)
            style[f"{prefix}{kind}Id"] = segment_id


def document_from_docx(document_id: str, data: bytes) -> Json:
    """The stored document Google's converter would make of a DOCX (see module notes)."""
    import docx

    document = docx.Document(io.BytesIO(data))
    doc = new_document(document_id)
    sections = list(document.sections)
    first = sections[0]
    style = doc["documentStyle"]
    if first.page_width and first.page_height:
        style["pageSize"] = {"width": dim(round(first.page_width / EMU_PER_PT, 2)),
                             "height": dim(round(first.page_height / EMU_PER_PT, 2))}
    style.update(_section_style(first))
    _headers(doc, first, document, style)
    landscape = first.orientation
    following = iter(sections[1:])

    def section_break() -> Block:
        section = next(following, None)
        section_style: Json = {"columnSeparatorStyle": "NONE", "contentDirection": "LEFT_TO_RIGHT",
                               "sectionType": "NEXT_PAGE"}
        if section is not None:
            section_style.update(_section_style(section))
            if section.orientation != landscape:
                section_style["flipPageOrientation"] = True
            _headers(doc, section, document, section_style)
        return {"sectionBreak": section_style}

    body = _blocks(document.element.body, document, section_break)
    if len(body) > 1 and "sectionBreak" in body[-1]:
        body.pop()
    doc["body"][1:] = body
    return doc
