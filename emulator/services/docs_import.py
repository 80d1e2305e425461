"""Drive's import of HTML (and plain text) uploads into a native Doc.

What survives, as Google's converter keeps it (shared/GOOGLE_FACTS.md, Drive section): headings
h1..h6 (HEADING_n), paragraphs, bold/italic/underline/strikethrough, links, <br> (a line break
"\\u000b" inside the paragraph), simple ul/ol lists (bulleted paragraphs), tables (th bold), inline
CSS font-size/font-family/font-weight/font-style/text-decoration/color and text-align. Page
size and margins do NOT survive an HTML import well on Google: the document keeps the default
Letter page and 1-inch margins whatever @page or body CSS says (set them afterwards with
updateDocumentStyle). <title>, <head>, <style> and <script> contribute nothing.
"""

from __future__ import annotations

import copy
import re
from html.parser import HTMLParser

from emulator.services.docs_model import Block, Json, dim, new_document, new_segment_id, paragraph

HEADINGS = {f"h{n}": f"HEADING_{n}" for n in range(1, 7)}
BLOCK_TAGS = {"p", "div", "li", "blockquote", "pre", "section", "article", "header", "footer",
              *HEADINGS}
SKIPPED = {"head", "title", "style", "script"}
INLINE = {"b": {"bold": True}, "strong": {"bold": True}, "i": {"italic": True},
          "em": {"italic": True}, "u": {"underline": True}, "s": {"strikethrough": True},
          "strike": {"strikethrough": True}, "del": {"strikethrough": True},
          "th": {"bold": True}}
ALIGN = {"left": "START", "center": "CENTER", "right": "END", "justify": "JUSTIFIED"}


def _css(style: str | None) -> dict[str, str]:
    out = {}
    for declaration in (style or "").split(";"):
        name, _, value = declaration.partition(":")
        if value.strip():
            out[name.strip().lower()] = value.strip().lower().replace("!important", "").strip()
    return out


def _points(value: str) -> float | None:
    found = re.fullmatch(r"([\d.]+)\s*(pt|px|em|rem)?", value)
    if not found:
        return None
    number = float(found.group(1))
    unit = found.group(2) or "px"
    return {"pt": number, "px": number * 0.75, "em": number * 11, "rem": number * 11}[unit]


def _colour(value: str) -> Json | None:
    found = re.fullmatch(r"#([0-9a-f]{6})", value)
    if not found:
        return None
    red, green, blue = (int(found.group(1)[i : i + 2], 16) / 255 for i in (0, 2, 4))
    rgb = {k: v for k, v in (("red", red), ("green", green), ("blue", blue)) if v}
    return {"color": {"rgbColor": rgb}}


def text_style_of(css: dict[str, str]) -> Json:
    style: Json = {}
    if "font-size" in css and (size := _points(css["font-size"])):
        style["fontSize"] = dim(round(size * 2) / 2)
    if "font-family" in css:
        family = css["font-family"].split(",")[0].strip().strip("'\"")
        style["weightedFontFamily"] = {"fontFamily": family.title(), "weight": 400}
    weight = css.get("font-weight", "")
    if weight == "bold" or (weight.isdigit() and int(weight) >= 600):
        style["bold"] = True
    if css.get("font-style") == "italic":
        style["italic"] = True
    decoration = css.get("text-decoration", "")
    if "underline" in decoration:
        style["underline"] = True
    if "line-through" in decoration:
        style["strikethrough"] = True
    if "color" in css and (colour := _colour(css["color"])):
        style["foregroundColor"] = colour
    return style


def _bullet_list(ordered: bool) -> Json:
    levels = []
    for level in range(9):
        nesting: Json = {"bulletAlignment": "START", "indentFirstLine": dim(18 + 36 * level),
                         "indentStart": dim(36 + 36 * level), "startNumber": 1,
                         "textStyle": {"underline": False}}
        if ordered:
            nesting.update(glyphType="DECIMAL", glyphFormat=f"%{level}.")
        else:
            nesting.update(glyphSymbol="●○■"[level % 3], glyphFormat=f"%{level}")
        levels.append(nesting)
    return {"listProperties": {"nestingLevels": levels}}


class _Builder(HTMLParser):
    def __init__(self, doc: Json) -> None:
        super().__init__(convert_charrefs=True)
        self.doc = doc
        self.containers: list[list[Block]] = [doc["body"]]
        self.tables: list[list[list[list[Block]]]] = []
        self.styles: list[tuple[str, Json]] = []  # (tag, text style it adds)
        self.paragraph_styles: list[tuple[str, Json]] = []
        self.lists: list[tuple[str, int]] = []  # (list id, nesting level)
        self.runs: list[tuple[str, Json]] = []
        self.bullet: Json | None = None
        self.skipping = 0

    # --- paragraphs ---
    def _flush(self, force: bool = False) -> None:
        text = "".join(t for t, _ in self.runs).strip(" ")
        if not text and not force:
            self.runs = []
            return
        if self.runs:  # trim the collapsed spaces at both ends
            first_text, first_style = self.runs[0]
            self.runs[0] = (first_text.lstrip(" "), first_style)
            last_text, last_style = self.runs[-1]
            self.runs[-1] = (last_text.rstrip(" "), last_style)
        pstyle: Json = {"namedStyleType": "NORMAL_TEXT", "direction": "LEFT_TO_RIGHT"}
        for _, style in self.paragraph_styles:
            pstyle.update(style)
        block = paragraph("", pstyle)
        elements = [{"text": t, "style": s} for t, s in self.runs if t]
        block["p"] = [*elements, {"text": "\n", "style": {}}]
        merged: list[Json] = []
        for element in block["p"]:
            if merged and merged[-1]["style"] == element["style"]:
                merged[-1]["text"] += element["text"]
            else:
                merged.append(element)
        block["p"] = merged
        if self.bullet is not None:
            block["bullet"] = self.bullet
            self.bullet = None
        self.containers[-1].append(block)
        self.runs = []

    def _current_style(self) -> Json:
        style: Json = {}
        for _, added in self.styles:
            style.update(added)
        return copy.deepcopy(style)

    # --- parser callbacks ---
    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in SKIPPED:
            self.skipping += 1
            return
        attributes = dict(attrs)
        css = _css(attributes.get("style"))
        if tag == "br":
            self.runs.append(("\u000b", self._current_style()))
            return
        if tag in BLOCK_TAGS or tag in ("table", "tr", "td", "th", "ul", "ol"):
            self._flush()
        added = {**INLINE.get(tag, {}), **text_style_of(css)}
        if tag == "a" and attributes.get("href"):
            added["link"] = {"url": attributes["href"]}
            added.setdefault("underline", True)
        self.styles.append((tag, added))
        pstyle: Json = {}
        if tag in HEADINGS:
            pstyle["namedStyleType"] = HEADINGS[tag]
        align = css.get("text-align") or (attributes.get("align") or "").lower()
        if align in ALIGN:
            pstyle["alignment"] = ALIGN[align]
        self.paragraph_styles.append((tag, pstyle))
        if tag in ("ul", "ol"):
            list_id = new_segment_id()
            self.doc["lists"][list_id] = _bullet_list(tag == "ol")
            self.lists.append((list_id, len(self.lists)))
        elif tag == "li" and self.lists:
            list_id, level = self.lists[-1]
            self.bullet = {"listId": list_id, "textStyle": {"underline": False}}
            if level:
                self.bullet["nestingLevel"] = level
        elif tag == "table":
            self.tables.append([])
        elif tag == "tr" and self.tables:
            self.tables[-1].append([])
        elif tag in ("td", "th") and self.tables:
            if not self.tables[-1]:
                self.tables[-1].append([])
            cell: list[Block] = []
            self.tables[-1][-1].append(cell)
            self.containers.append(cell)

    def handle_endtag(self, tag: str) -> None:
        if tag in SKIPPED:
            self.skipping = max(0, self.skipping - 1)
            return
        if tag in BLOCK_TAGS:
            self._flush(force=tag in ("p", *HEADINGS))
        if tag in ("td", "th") and len(self.containers) > 1:
            self._flush()
            cell = self.containers.pop()
            if not cell or "p" not in cell[-1]:
                cell.append(paragraph())
        elif tag == "table" and self.tables:
            self._flush()
            rows = [row for row in self.tables.pop() if row]
            if rows:
                width = max(len(row) for row in rows)
                for row in rows:
                    row.extend([paragraph()] for _ in range(width - len(row)))
                self.containers[-1].append({"table": rows})
        elif tag in ("ul", "ol") and self.lists:
            self._flush()
            self.lists.pop()
        for stack in (self.styles, self.paragraph_styles):
            for position in range(len(stack) - 1, -1, -1):
                if stack[position][0] == tag:
                    del stack[position:]
                    break

    def handle_data(self, data: str) -> None:
        if self.skipping:
            return
        text = re.sub(r"\s+", " ", data)
        if not self.runs and not text.strip():
            return
        self.runs.append((text, self._current_style()))


def document_from_html(document_id: str, html: str) -> Json:
    """The stored document Google's converter would make of ``html`` (see module notes)."""
    doc = new_document(document_id)
    del doc["body"][1:]
    builder = _Builder(doc)
    builder.feed(html)
    builder.close()
    builder._flush()
    _end_with_paragraph(doc["body"])
    return doc


def _end_with_paragraph(blocks: list[Block]) -> None:
    if not blocks or "p" not in blocks[-1]:
        blocks.append(paragraph())


def document_from_text(document_id: str, text: str) -> Json:
    """A plain-text upload: one paragraph per line."""
    doc = new_document(document_id)
    lines = text.replace("\r\n", "\n").rstrip("\n").split("\n")
    doc["body"][1:] = [paragraph(line) for line in lines]
    return doc
