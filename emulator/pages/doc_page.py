"""A Google Doc rendered readably: headings, bold/italic, lists, tables, alignment, the page
size and orientation, header and footer text.

Built from the Document resource (``documents.get``) as the Docs service exposes it. The
resource is turned into a small tree of plain values (paragraphs with styled runs, tables of
cells) that the template renders with autoescape, so no document text becomes markup.
"""

from __future__ import annotations

from typing import Any

from werkzeug.wrappers import Request, Response

from emulator import acl, files
from emulator.core import Emulator
from emulator.pages import layout, page
from emulator.services import docs

HEADING_TAGS = {"TITLE": "h1", "HEADING_1": "h1", "HEADING_2": "h2", "HEADING_3": "h3",
                "HEADING_4": "h4", "HEADING_5": "h5", "HEADING_6": "h6"}
ALIGN = {"CENTER": "center", "END": "right", "JUSTIFIED": "justify", "START": "left"}
MM_PER_PT = 25.4 / 72
PAPER_SIZES_MM = {"A3": (297, 420), "A4": (210, 297), "A5": (148, 210), "Letter": (216, 279),
                  "Legal": (216, 356)}


def _points(dimension: dict[str, Any] | None) -> float:
    return float((dimension or {}).get("magnitude", 0) or 0)


def paper_hint(style: dict[str, Any], landscape_flip: bool = False) -> str:
    """The page size and orientation in words.

    >>> paper_hint({"pageSize": {"width": {"magnitude": 595.3}, "height": {"magnitude": 841.9}}})
    'Khổ giấy A4, hướng dọc'
    >>> paper_hint({"pageSize": {"width": {"magnitude": 841.9}, "height": {"magnitude": 595.3}}})
    'Khổ giấy A4, hướng ngang'
    """
    size = style.get("pageSize", {})
    width, height = _points(size.get("width")), _points(size.get("height"))
    if not width or not height:
        return ""
    landscape = (width > height) != (landscape_flip or bool(style.get("flipPageOrientation")))
    short, long = sorted((width * MM_PER_PT, height * MM_PER_PT))
    name = next((n for n, (w, h) in PAPER_SIZES_MM.items()
                 if abs(w - short) < 3 and abs(h - long) < 3), f"{short:.0f} × {long:.0f} mm")
    return f"Khổ giấy {name}, hướng {'ngang' if landscape else 'dọc'}"


def _safe_link(style: dict[str, Any]) -> str | None:
    url = str(style.get("link", {}).get("url", ""))
    return url if url.startswith(("http://", "https://", "mailto:")) else None


def _runs(paragraph: dict[str, Any]) -> tuple[list[dict[str, Any]], bool]:
    runs, page_break = [], False
    for element in paragraph.get("elements", []):
        if "pageBreak" in element:
            page_break = True
            continue
        if "autoText" in element:
            text, style = "#", element["autoText"].get("textStyle", {})
        elif "textRun" in element:
            text = element["textRun"].get("content", "").replace("\v", "\n")
            style = element["textRun"].get("textStyle", {})
        else:  # inline images, equations, ...
            text, style = "[hình]", {}
        if element is paragraph["elements"][-1]:
            text = text.removesuffix("\n")
        if text:
            runs.append({"text": text, "bold": bool(style.get("bold")),
                         "italic": bool(style.get("italic")),
                         "underline": bool(style.get("underline")),
                         "strike": bool(style.get("strikethrough")),
                         "size": _points(style.get("fontSize")), "link": _safe_link(style)})
    return runs, page_break


def blocks(content: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The page's blocks for a list of structural elements (body, cell, header, footer)."""
    found: list[dict[str, Any]] = []
    for element in content:
        if "paragraph" in element:
            paragraph = element["paragraph"]
            style = paragraph.get("paragraphStyle", {})
            runs, page_break = _runs(paragraph)
            found.append({
                "kind": "paragraph",
                "tag": HEADING_TAGS.get(style.get("namedStyleType", ""), "p"),
                "title": style.get("namedStyleType") == "TITLE",
                "align": ALIGN.get(style.get("alignment", ""), ""),
                "bullet": "bullet" in paragraph,
                "runs": runs,
            })
            if page_break:
                found.append({"kind": "page_break"})
        elif "table" in element:
            rows = [[blocks(cell.get("content", [])) for cell in row.get("tableCells", [])]
                    for row in element["table"].get("tableRows", [])]
            found.append({"kind": "table", "rows": rows})
        elif "sectionBreak" in element and found:
            flip = element["sectionBreak"].get("sectionStyle", {}).get("flipPageOrientation")
            found.append({"kind": "section", "flip": bool(flip)})
    return found


def _part(parts: dict[str, Any], part_id: str | None) -> list[dict[str, Any]]:
    part = parts.get(part_id or "") if part_id else None
    if part is None and len(parts) == 1:
        part = next(iter(parts.values()))
    return blocks(part.get("content", [])) if part else []


@page(r"/document/d/(?P<document_id>[^/]+)(?:/edit)?")
def document(emulator: Emulator, request: Request, params: dict[str, str]) -> Response:
    document_id = params["document_id"]
    file = acl.find_file(emulator.store, document_id, include_trashed=False)
    if file is None or file.get("mimeType") != files.DOCUMENT:
        return layout.not_found(emulator, request, "Không tìm thấy tài liệu này.")
    if acl.rank_of(emulator.store, layout.current_user(request), file) == 0:
        return layout.forbidden(emulator, request, "Bạn không có quyền xem tài liệu này.")
    resource = docs.document_resource(emulator, document_id)
    style = resource.get("documentStyle", {})
    width = _points(style.get("pageSize", {}).get("width"))
    margins = {side: _points(style.get(f"margin{side.title()}"))
               for side in ("top", "bottom", "left", "right")}
    return layout.render(
        emulator, request, "doc.html", title=resource.get("title", ""),
        doc_title=resource.get("title", ""),
        body=blocks(resource.get("body", {}).get("content", [])),
        header=_part(resource.get("headers", {}), style.get("defaultHeaderId")),
        footer=_part(resource.get("footers", {}), style.get("defaultFooterId")),
        paper=paper_hint(style),
        # the sheet of paper at screen scale (1 pt = 4/3 px), never wider than the screen
        page_width=round(width * 4 / 3) if width else 816,
        margins={side: round(points * 4 / 3) for side, points in margins.items()},
    )
