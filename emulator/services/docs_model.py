"""The stored shape of a Google Doc and its rendering as the Docs API's structural elements.

A document is kept as plain JSON blocks, without indexes; indexes are computed when the
document is rendered, exactly as Google counts them (developers.google.com/workspace/docs/api/
concepts/structure): in UTF-16 code units, the body opening with a section break at 0-1, every
paragraph ending with "\\n", a table taking one index for its start, one per row and one per
cell before the cell's content (a 2x2 table inserted at 1 has its cell paragraphs at 5, 7, 10, 12).

Stored blocks (one of):
- paragraph: ``{"p": [element, ...], "style": ParagraphStyle, "bullet"?: Bullet}`` where an element
  is ``{"text": str, "style": TextStyle}``, ``{"autoText": "PAGE_NUMBER", "style": ...}`` or
  ``{"pageBreak": True, "style": ...}``; the last element is text ending with "\\n" and no
  other element holds "\\n".
- table: ``{"table": [[cell, ...], ...]}``, a cell being a list of blocks.
- section break: ``{"sectionBreak": SectionStyle}``.
"""

from __future__ import annotations

import copy
import hashlib
import secrets
from typing import Any

Block = dict[str, Any]
Json = dict[str, Any]

PT = "PT"


def dim(magnitude: float | None = None) -> Json:
    """A Docs Dimension; Google omits a zero magnitude."""
    return {"magnitude": magnitude, "unit": PT} if magnitude else {"unit": PT}


def u16(text: str) -> int:
    """Length of ``text`` in UTF-16 code units, the unit of every Docs index."""
    return len(text) if text.isascii() else len(text.encode("utf-16-le")) // 2


def split16(text: str, offset: int) -> tuple[str, str]:
    """``text`` cut after ``offset`` UTF-16 code units (never inside a surrogate pair)."""
    if text.isascii():
        return text[:offset], text[offset:]
    units = 0
    for position, char in enumerate(text):
        if units >= offset:
            return text[:position], text[position:]
        units += 2 if ord(char) > 0xFFFF else 1
    return text, ""


# --- Defaults of a new Google Doc (observed shape of documents.get on a blank document) ---

LETTER = {"width": dim(612), "height": dim(792)}


def default_document_style() -> Json:
    return {
        "background": {"color": {}},
        "pageNumberStart": 1,
        "marginTop": dim(72),
        "marginBottom": dim(72),
        "marginRight": dim(72),
        "marginLeft": dim(72),
        "pageSize": copy.deepcopy(LETTER),
        "marginHeader": dim(36),
        "marginFooter": dim(36),
        "useCustomHeaderFooterMargins": True,
        "documentFormat": {"documentMode": "PAGES"},
    }


def default_section_style() -> Json:
    return {"columnSeparatorStyle": "NONE", "contentDirection": "LEFT_TO_RIGHT",
            "sectionType": "CONTINUOUS"}


_HEADINGS = {  # namedStyleType: (font size, space above, space below, grey level, italic)
    "TITLE": (26, 0, 3, None, False),
    "SUBTITLE": (15, 0, 16, 0.4, False),
    "HEADING_1": (20, 20, 6, None, False),
    "HEADING_2": (16, 18, 6, None, False),
    "HEADING_3": (14, 16, 4, 0.2627451, False),
    "HEADING_4": (12, 14, 4, 0.4, False),
    "HEADING_5": (11, 12, 4, 0.4, False),
    "HEADING_6": (11, 12, 4, 0.4, True),
}


def default_named_styles() -> Json:
    normal_text = {
        "bold": False, "italic": False, "underline": False, "strikethrough": False,
        "smallCaps": False, "backgroundColor": {},
        "foregroundColor": {"color": {"rgbColor": {}}},
        "fontSize": dim(11), "weightedFontFamily": {"fontFamily": "Arial", "weight": 400},
        "baselineOffset": "NONE",
    }
    normal_paragraph = {
        "namedStyleType": "NORMAL_TEXT", "alignment": "START", "lineSpacing": 115,
        "direction": "LEFT_TO_RIGHT", "spacingMode": "NEVER_COLLAPSE",
        "spaceAbove": dim(), "spaceBelow": dim(), "indentFirstLine": dim(),
        "indentStart": dim(), "indentEnd": dim(), "keepLinesTogether": False,
        "keepWithNext": False, "avoidWidowAndOrphan": True,
        "shading": {"backgroundColor": {}}, "pageBreakBefore": False,
    }
    styles = [{"namedStyleType": "NORMAL_TEXT", "textStyle": normal_text,
               "paragraphStyle": normal_paragraph}]
    for name, (size, above, below, grey, italic) in _HEADINGS.items():
        text: Json = {"fontSize": dim(size)}
        if grey is not None:
            text["foregroundColor"] = {
                "color": {"rgbColor": {"red": grey, "green": grey, "blue": grey}}}
        if italic:
            text["italic"] = True
        paragraph = {"namedStyleType": name, "direction": "LEFT_TO_RIGHT",
                     "spaceAbove": dim(above), "spaceBelow": dim(below),
                     "keepLinesTogether": True, "keepWithNext": True, "pageBreakBefore": False}
        styles.append({"namedStyleType": name, "textStyle": text, "paragraphStyle": paragraph})
    return {"styles": styles}


def paragraph(text: str = "", style: Json | None = None, text_style: Json | None = None) -> Block:
    """A paragraph block holding ``text`` (without its final newline)."""
    pstyle = {"namedStyleType": "NORMAL_TEXT", "direction": "LEFT_TO_RIGHT"}
    pstyle.update(style or {})
    return {"p": [{"text": text + "\n", "style": dict(text_style or {})}], "style": pstyle}


def new_document(document_id: str) -> Json:
    """The stored content of a blank document (its title lives in the Drive record)."""
    return {
        "documentId": document_id,
        "revision": 1,
        "body": [{"sectionBreak": default_section_style()}, paragraph()],
        "documentStyle": default_document_style(),
        "namedStyles": default_named_styles(),
        "headers": {},
        "footers": {},
        "lists": {},
    }


def new_segment_id() -> str:
    """A header/footer/list id shaped like Google's (``kix.`` and 12 characters)."""
    alphabet = "abcdefghijklmnopqrstuvwxyz0123456789"
    return "kix." + "".join(secrets.choice(alphabet) for _ in range(12))


def revision_id(doc: Json) -> str:
    """An opaque revision id that changes with every write (Google's are opaque strings too)."""
    digest = hashlib.sha256(f"{doc['documentId']}:{doc['revision']}".encode()).hexdigest()
    return "AL" + digest[:62]


# --- Widths ---

def element_width(element: Json) -> int:
    return u16(element["text"]) if "text" in element else 1


def block_width(block: Block) -> int:
    if "p" in block:
        return sum(element_width(e) for e in block["p"])
    if "table" in block:
        return 1 + sum(1 + sum(1 + blocks_width(cell) for cell in row) for row in block["table"])
    return 1  # section break


def blocks_width(blocks: list[Block]) -> int:
    return sum(block_width(b) for b in blocks)


# --- Rendering as the API's StructuralElements ---

def _indexed(start: int, end: int) -> Json:
    """startIndex/endIndex as Google writes them (a zero start is omitted)."""
    return {"startIndex": start, "endIndex": end} if start else {"endIndex": end}


def render_paragraph(block: Block, start: int) -> tuple[Json, int]:
    elements = []
    position = start
    for element in block["p"]:
        end = position + element_width(element)
        out = _indexed(position, end)
        if "text" in element:
            out["textRun"] = {"content": element["text"], "textStyle": dict(element["style"])}
        elif "autoText" in element:
            out["autoText"] = {"type": element["autoText"], "textStyle": dict(element["style"])}
        else:
            out["pageBreak"] = {"textStyle": dict(element["style"])}
        elements.append(out)
        position = end
    body: Json = {"elements": elements, "paragraphStyle": copy.deepcopy(block["style"])}
    if block.get("bullet"):
        body["bullet"] = copy.deepcopy(block["bullet"])
    return {**_indexed(start, position), "paragraph": body}, position


def render_table(block: Block, start: int) -> tuple[Json, int]:
    position = start + 1
    rows = []
    columns = max((len(row) for row in block["table"]), default=0)
    for row in block["table"]:
        row_start = position
        position += 1
        cells = []
        for cell in row:
            cell_start = position
            content, position = render_blocks(cell, position + 1)
            cells.append({**_indexed(cell_start, position), "content": content,
                          "tableCellStyle": {"rowSpan": 1, "columnSpan": 1,
                                             "backgroundColor": {},
                                             "paddingLeft": dim(5), "paddingRight": dim(5),
                                             "paddingTop": dim(5), "paddingBottom": dim(5),
                                             "contentAlignment": "TOP"}})
        rows.append({**_indexed(row_start, position), "tableCells": cells,
                     "tableRowStyle": {"minRowHeight": dim()}})
    table = {"rows": len(block["table"]), "columns": columns, "tableRows": rows,
             "tableStyle": {"tableColumnProperties": [{"widthType": "EVENLY_DISTRIBUTED"}
                                                      for _ in range(columns)]}}
    return {**_indexed(start, position), "table": table}, position


def render_blocks(blocks: list[Block], start: int = 0) -> tuple[list[Json], int]:
    """The structural elements of ``blocks`` laid out from index ``start``, and the end index."""
    out = []
    position = start
    for block in blocks:
        if "p" in block:
            element, position = render_paragraph(block, position)
        elif "table" in block:
            element, position = render_table(block, position)
        else:
            element = {**_indexed(position, position + 1),
                       "sectionBreak": {"sectionStyle": copy.deepcopy(block["sectionBreak"])}}
            position += 1
        out.append(element)
    return out, position


def plain_text(blocks: list[Block]) -> str:
    """The text of ``blocks`` (tables cell by cell), as the Docs text export reads it."""
    parts: list[str] = []
    for block in blocks:
        if "p" in block:
            parts.append("".join(e.get("text", "") for e in block["p"]))
        elif "table" in block:
            for row in block["table"]:
                for cell in row:
                    parts.append(plain_text(cell))
    return "".join(parts)
