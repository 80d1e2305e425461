"""The request kinds of ``documents.batchUpdate``, applied to a stored document.

References: developers.google.com/workspace/docs/api/reference/rest/v1/documents/request and the
Request/Response schemas of the docs.v1 discovery document. Error texts seen in public reports:
``Index N must be less than the end index of the referenced segment, M.``, ``The insertion index
must be inside the bounds of an existing paragraph. You can still create new paragraphs by
inserting newlines.``, ``The range cannot include the newline character at the end of the
segment.``, ``The range should not be empty.``. Texts marked "guess" below were not found in any
recording and were chosen to read like Google's.
"""

from __future__ import annotations

import copy
import re
import secrets
from collections.abc import Callable
from typing import Any

from emulator.services import docs_edit as edit
from emulator.services.docs_edit import EditError, Token
from emulator.services.docs_model import Block, Json, blocks_width, new_segment_id, paragraph

TAB_ID = "t.0"
# Stripped from inserted text (InsertTextRequest reference): C0 controls but tab, newline and
# vertical tab, and the BMP private use area.
_STRIPPED = re.compile("[\u0000-\u0008\u000c-\u001f\ue000-\uf8ff]")
READ_ONLY_DOCUMENT_FIELDS = {"defaultHeaderId", "defaultFooterId", "evenPageHeaderId",
                             "evenPageFooterId", "firstPageHeaderId", "firstPageFooterId"}


def _segment(doc: Json, where: Json) -> list[Block]:
    tab = where.get("tabId")
    if tab and tab != TAB_ID:
        raise EditError(f"The tab with ID {tab} does not exist.")  # guess
    segment_id = where.get("segmentId", "")
    if not segment_id:
        return doc["body"]
    for kind in ("headers", "footers"):
        if segment_id in doc[kind]:
            return doc[kind][segment_id]
    raise EditError(f"The segment with ID {segment_id} does not exist.")  # guess


def _insertion_point(doc: Json, request: Json) -> tuple[list[Block], list[Block], int, int]:
    """(segment, container, container base, index) of a location or endOfSegmentLocation."""
    if "location" in request:
        where = request["location"]
        segment = _segment(doc, where)
        index = int(where.get("index", 0))
    elif "endOfSegmentLocation" in request:
        segment = _segment(doc, request["endOfSegmentLocation"])
        index = blocks_width(segment) - 1
    else:
        raise EditError("Must specify either location or endOfSegmentLocation.")  # guess
    end = blocks_width(segment)
    if index >= end:
        raise EditError(f"Index {index} must be less than the end index of the referenced "
                        f"segment, {end}.")
    found = edit.container_at(segment, 0, index)
    if found is None or index < 0:
        raise EditError(edit.NOT_IN_PARAGRAPH)
    return segment, found[0], found[1], index


def _range(doc: Json, request: Json, *, allow_end: bool) -> tuple[list[Block], int, int]:
    where = request.get("range")
    if where is None:
        raise EditError("Range must be specified.")  # guess
    segment = _segment(doc, where)
    start, end = int(where.get("startIndex", 0)), int(where.get("endIndex", 0))
    if end < start:
        raise EditError("Invalid range: end index cannot be less than start index")
    if end == start:
        raise EditError("The range should not be empty.")
    limit = blocks_width(segment)
    if end > limit or (end == limit and not allow_end):
        if end == limit:
            raise EditError("The range cannot include the newline character at the end of the "
                            "segment.")
        raise EditError(f"Index {end} must be less than the end index of the referenced "
                        f"segment, {limit}.")
    if segment is doc["body"] and start < 1 and not allow_end:
        raise EditError("The range cannot include the section break at the start of the "
                        "body.")  # guess
    return segment, start, end


def _fields(request: Json) -> list[str]:
    fields = [f.strip() for f in request.get("fields", "").split(",") if f.strip()]
    if not fields:
        raise EditError("At least one field must be specified.")  # guess
    return fields


def _apply_fields(target: Json, given: Json, fields: list[str], known: set[str]) -> Json:
    """``target`` updated from ``given`` along a field mask ("*" = every field)."""
    result = copy.deepcopy(target)
    paths = sorted(known) if fields == ["*"] else fields
    for path in paths:
        parts = path.split(".")
        if parts[0] not in known:
            raise EditError(f"Invalid field mask: unknown field '{path}'.")  # guess
        source: Any = given
        for part in parts:
            source = source.get(part) if isinstance(source, dict) else None
        holder = result
        for part in parts[:-1]:
            holder = holder.setdefault(part, {})
        if source is None or source is False:
            holder.pop(parts[-1], None)  # unset: back to the inherited value
        else:
            holder[parts[-1]] = copy.deepcopy(source)
    return result


def _known(schema: str) -> set[str]:
    from emulator import discovery

    properties = discovery.document("docs.v1")["schemas"][schema]["properties"]
    return {name for name in properties if not name.startswith("suggested")}


def insert_text(doc: Json, request: Json) -> Json:
    text = _STRIPPED.sub("", request.get("text", ""))
    _, container, base, index = _insertion_point(doc, request)
    if text:
        edit.insert(container, base, index,
                    lambda style, pstyle, bullet: edit.text_tokens(text, style, pstyle, bullet))
    return {}


def delete_content_range(doc: Json, request: Json) -> Json:
    segment, start, end = _range(doc, request, allow_end=False)
    container, base = edit.container_of_range(segment, 0, start, end)
    edit.delete(container, base, start, end)
    return {}


def update_text_style(doc: Json, request: Json) -> Json:
    segment, start, end = _range(doc, request, allow_end=True)
    fields, given, known = _fields(request), request.get("textStyle", {}), _known("TextStyle")
    if "fontFamily" in given.get("weightedFontFamily", {}):
        # "If weight is not specified, it defaults to 400" (WeightedFontFamily reference).
        family = given["weightedFontFamily"]
        given = {**given, "weightedFontFamily": {**family, "weight": family.get("weight", 400)}}
    edit.restyle_text(segment, 0, start, end,
                      lambda style: _apply_fields(style, given, fields, known))
    return {}


def update_paragraph_style(doc: Json, request: Json) -> Json:
    segment, start, end = _range(doc, request, allow_end=True)
    fields, given = _fields(request), request.get("paragraphStyle", {})
    known = _known("ParagraphStyle") - {"headingId"}

    def update(block: Block) -> None:
        style = _apply_fields(block["style"], given, fields, known)
        named = style.get("namedStyleType", "NORMAL_TEXT")
        if named.startswith("HEADING") or named in ("TITLE", "SUBTITLE"):
            style.setdefault("headingId", "h." + secrets.token_hex(6))
        else:
            style.pop("headingId", None)
        block["style"] = style

    edit.restyle_paragraphs(segment, 0, start, end, update)
    return {}


def update_document_style(doc: Json, request: Json) -> Json:
    fields = _fields(request)
    for field in fields:
        if field.split(".")[0] in READ_ONLY_DOCUMENT_FIELDS:
            raise EditError(f"The field {field} cannot be updated.")  # guess
    known = _known("DocumentStyle") - READ_ONLY_DOCUMENT_FIELDS
    doc["documentStyle"] = _apply_fields(doc["documentStyle"], request.get("documentStyle", {}),
                                         fields, known)
    return {}


def update_section_style(doc: Json, request: Json) -> Json:
    segment, start, end = _range(doc, request, allow_end=True)
    if segment is not doc["body"]:
        raise EditError("Section styles can only be updated in the body.")  # guess
    fields, given = _fields(request), request.get("sectionStyle", {})
    known = _known("SectionStyle")
    position, sections = 0, []  # (section break block, section start)
    for block in segment:
        if "sectionBreak" in block:
            sections.append((block, position))
        position += edit.block_width(block)
    for number, (block, section_start) in enumerate(sections):
        section_end = sections[number + 1][1] if number + 1 < len(sections) else position
        if section_start < end and start < section_end:
            block["sectionBreak"] = _apply_fields(block["sectionBreak"], given, fields, known)
    return {}


def _empty_table(rows: int, columns: int) -> Block:
    return {"table": [[[paragraph()] for _ in range(columns)] for _ in range(rows)]}


def insert_table(doc: Json, request: Json) -> Json:
    rows, columns = int(request.get("rows", 0)), int(request.get("columns", 0))
    if rows < 1 or columns < 1:
        raise EditError("The table must have at least one row and one column.")  # guess
    _, container, base, index = _insertion_point(doc, request)
    table = _empty_table(rows, columns)

    def make(style: Json, pstyle: Json, bullet: Any) -> list[Token]:
        # "A newline character will be inserted before the inserted table" (reference).
        return [{"k": "nl", "s": copy.deepcopy(style), "ps": copy.deepcopy(pstyle),
                 "bullet": copy.deepcopy(bullet)}, {"k": "block", "b": table}]

    edit.insert(container, base, index, make)
    return {}


def _find_table(blocks: list[Block], base: int, index: int) -> Block | None:
    position = base
    for block in blocks:
        if "table" in block:
            if position == index:
                return block
            for cell, start, _ in edit.cells(block, position):
                found = _find_table(cell, start, index)
                if found is not None:
                    return found
        position += edit.block_width(block)
    return None


def insert_table_row(doc: Json, request: Json) -> Json:
    where = request.get("tableCellLocation", {})
    start = where.get("tableStartLocation", {})
    table = _find_table(_segment(doc, start), 0, int(start.get("index", 0)))
    if table is None:
        raise EditError("Invalid table start location. Must specify the start index of the "
                        "table.")  # guess
    row_index = int(where.get("rowIndex", 0))
    if not 0 <= row_index < len(table["table"]):
        raise EditError(f"Invalid row index {row_index}.")  # guess
    width = len(table["table"][row_index])
    at = row_index + 1 if request.get("insertBelow") else row_index
    table["table"].insert(at, [[paragraph()] for _ in range(width)])
    return {}


def insert_page_break(doc: Json, request: Json) -> Json:
    segment, container, base, index = _insertion_point(doc, request)
    if segment is not doc["body"] or container is not segment:
        raise EditError("Page breaks can only be inserted in the body, outside tables.")  # guess

    def make(style: Json, pstyle: Json, bullet: Any) -> list[Token]:
        return [{"k": "pb", "s": copy.deepcopy(style)},
                {"k": "nl", "s": copy.deepcopy(style), "ps": copy.deepcopy(pstyle),
                 "bullet": copy.deepcopy(bullet)}]

    edit.insert(container, base, index, make)
    return {}


def _create_header_footer(doc: Json, request: Json, kind: str) -> str:
    if request.get("type") != "DEFAULT":
        raise EditError(f"The {kind} type must be DEFAULT.")  # guess
    style = doc["documentStyle"]
    if "sectionBreakLocation" in request:
        index = int(request["sectionBreakLocation"].get("index", 0))
        position, style = 0, None
        for block in doc["body"]:
            if "sectionBreak" in block and position == index:
                style = block["sectionBreak"]
            position += edit.block_width(block)
        if style is None:
            raise EditError(f"No section break at index {index}.")  # guess
    key = "defaultHeaderId" if kind == "header" else "defaultFooterId"
    if style.get(key):
        raise EditError(f"A default {kind} already exists.")  # guess
    segment_id = new_segment_id()
    doc[kind + "s"][segment_id] = [paragraph()]
    style[key] = segment_id
    return segment_id


def create_header(doc: Json, request: Json) -> Json:
    return {"createHeader": {"headerId": _create_header_footer(doc, request, "header")}}


def create_footer(doc: Json, request: Json) -> Json:
    return {"createFooter": {"footerId": _create_header_footer(doc, request, "footer")}}


def replace_all_text(doc: Json, request: Json) -> Json:
    criteria = request.get("containsText", {})
    needle = criteria.get("text", "")
    if not needle:
        raise EditError("The text to search for must not be empty.")  # guess
    if criteria.get("searchByRegex"):
        raise EditError("searchByRegex is not supported by the guongmau emulator.")
    replacement = _STRIPPED.sub("", request.get("replaceText", ""))
    match_case = bool(criteria.get("matchCase", False))
    segments = [doc["body"], *doc["headers"].values(), *doc["footers"].values()]
    count = sum(edit.replace_all(s, needle, replacement, match_case) for s in segments)
    # proto3 JSON omits a zero count: Google answers {"replaceAllText": {}} when nothing matched.
    return {"replaceAllText": {"occurrencesChanged": count} if count else {}}


KINDS: dict[str, Callable[[Json, Json], Json]] = {
    "insertText": insert_text,
    "deleteContentRange": delete_content_range,
    "replaceAllText": replace_all_text,
    "updateTextStyle": update_text_style,
    "updateParagraphStyle": update_paragraph_style,
    "updateDocumentStyle": update_document_style,
    "updateSectionStyle": update_section_style,
    "insertTable": insert_table,
    "insertTableRow": insert_table_row,
    "insertPageBreak": insert_page_break,
    "createHeader": create_header,
    "createFooter": create_footer,
}
