"""Edits of a document's blocks by index: insert, delete, restyle, replace.

A container (the body, a header, a footer, a table cell's content) is edited as a flat list of
tokens - text pieces, the paragraph-ending newlines (which carry the paragraph's style, as in
Google's model), auto text, page breaks and whole tables - then regrouped into paragraphs.
Regrouping merges neighbouring text of equal style, as Google's text runs are merged.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterator
from typing import Any

from emulator.services.docs_model import Block, Json, block_width, blocks_width, split16, u16

Token = dict[str, Any]
StyleFn = Callable[[Json], Json]


class EditError(Exception):
    """A request Google refuses; the message goes after ``Invalid requests[i].<kind>: ``."""


NOT_IN_PARAGRAPH = ("The insertion index must be inside the bounds of an existing paragraph. "
                    "You can still create new paragraphs by inserting newlines.")


def flatten(blocks: list[Block]) -> list[Token]:
    tokens: list[Token] = []
    for block in blocks:
        if "p" not in block:
            tokens.append({"k": "block", "b": block})
            continue
        *elements, last = block["p"]
        for element in [*elements, {"text": last["text"][:-1], "style": last["style"]}]:
            if "text" in element:
                if element["text"]:
                    tokens.append({"k": "text", "t": element["text"], "s": element["style"]})
            elif "autoText" in element:
                tokens.append({"k": "auto", "type": element["autoText"], "s": element["style"]})
            else:
                tokens.append({"k": "pb", "s": element["style"]})
        tokens.append({"k": "nl", "s": last["style"], "ps": block["style"],
                       "bullet": block.get("bullet")})
    return tokens


def regroup(tokens: list[Token]) -> list[Block]:
    blocks: list[Block] = []
    elements: list[Json] = []

    def add_text(text: str, style: Json) -> None:
        if elements and "text" in elements[-1] and elements[-1]["style"] == style:
            elements[-1]["text"] += text
        else:
            elements.append({"text": text, "style": style})

    for token in tokens:
        kind = token["k"]
        if kind == "block":
            if elements:
                raise EditError("Invalid deletion range. A table must follow a paragraph.")
            blocks.append(token["b"])
        elif kind == "text":
            if token["t"]:
                add_text(token["t"], token["s"])
        elif kind == "auto":
            elements.append({"autoText": token["type"], "style": token["s"]})
        elif kind == "pb":
            elements.append({"pageBreak": True, "style": token["s"]})
        else:
            add_text("\n", token["s"])
            block: Block = {"p": elements, "style": token["ps"]}
            if token.get("bullet"):
                block["bullet"] = token["bullet"]
            blocks.append(block)
            elements = []
    if elements:
        raise EditError("The range cannot include the newline character at the end of the "
                        "segment.")
    return blocks


def width(token: Token) -> int:
    if token["k"] == "text":
        return u16(token["t"])
    if token["k"] == "block":
        return block_width(token["b"])
    return 1


def split_at(tokens: list[Token], base: int, index: int) -> int:
    """The position in ``tokens`` of the token starting at ``index`` (splitting a text token)."""
    position = base
    for k, token in enumerate(tokens):
        if position == index:
            return k
        size = width(token)
        if position < index < position + size:
            if token["k"] != "text":
                raise EditError("Invalid deletion range. Cannot delete part of a table.")
            head, tail = split16(token["t"], index - position)
            tokens[k : k + 1] = [{**token, "t": head}, {**token, "t": tail}]
            return k + 1
        position += size
    if position == index:
        return len(tokens)
    raise EditError(f"Index {index} must be less than the end index of the referenced segment, "
                    f"{position}.")


def cells(table: Block, start: int) -> Iterator[tuple[list[Block], int, int]]:
    """(cell content, content start, content end) of every cell of a table starting at ``start``."""
    position = start + 1
    for row in table["table"]:
        position += 1
        for cell in row:
            content_start = position + 1
            position = content_start + blocks_width(cell)
            yield cell, content_start, position


def container_at(blocks: list[Block], base: int, index: int) -> tuple[list[Block], int] | None:
    """The innermost container whose paragraphs hold ``index`` (None: on a table's structure)."""
    position = base
    for block in blocks:
        size = block_width(block)
        if position <= index < position + size:
            if "table" in block:
                for cell, start, end in cells(block, position):
                    if start <= index < end:
                        return container_at(cell, start, index)
                return None
            return blocks, base
        position += size
    return blocks, base


def container_of_range(blocks: list[Block], base: int, start: int,
                       end: int) -> tuple[list[Block], int]:
    """The innermost container holding all of [start, end)."""
    position = base
    for block in blocks:
        size = block_width(block)
        if "table" in block and position < start and end <= position + size:
            for cell, cell_start, cell_end in cells(block, position):
                if cell_start <= start and end <= cell_end:
                    return container_of_range(cell, cell_start, start, end)
        position += size
    return blocks, base


def text_tokens(text: str, style: Json, paragraph_style: Json, bullet: Any) -> list[Token]:
    """Tokens of inserted text: newlines become paragraph ends carrying the current style."""
    tokens: list[Token] = []
    for number, piece in enumerate(text.split("\n")):
        if number:
            tokens.append({"k": "nl", "s": copy.deepcopy(style),
                           "ps": copy.deepcopy(paragraph_style), "bullet": copy.deepcopy(bullet)})
        if piece:
            tokens.append({"k": "text", "t": piece, "s": copy.deepcopy(style)})
    return tokens


def insert(blocks: list[Block], base: int, index: int,
           make: Callable[[Json, Json, Any], list[Token]]) -> None:
    """Inserts at ``index`` of the container ``blocks`` the tokens ``make(style, pstyle, bullet)``
    returns, given the text style of the neighbouring text and the paragraph's own style."""
    tokens = flatten(blocks)
    k = split_at(tokens, base, index)
    if k < len(tokens) and tokens[k]["k"] == "block":
        raise EditError(NOT_IN_PARAGRAPH)
    if k == len(tokens):
        raise EditError(NOT_IN_PARAGRAPH)
    # Google: "the text style for the inserted text will match the text immediately before
    # the insertion index" (InsertTextRequest reference); at a paragraph start, the text after.
    before = tokens[k - 1] if k else None
    source = before if before is not None and before["k"] in ("text", "auto") else tokens[k]
    paragraph_end = next(t for t in tokens[k:] if t["k"] == "nl")
    tokens[k:k] = make(source.get("s", {}), paragraph_end["ps"], paragraph_end.get("bullet"))
    blocks[:] = regroup(tokens)


def delete(blocks: list[Block], base: int, start: int, end: int) -> None:
    tokens = flatten(blocks)
    total = base + sum(width(t) for t in tokens)
    if end >= total:
        raise EditError("The range cannot include the newline character at the end of the "
                        "segment.")
    split_at(tokens, base, end)
    k1 = split_at(tokens, base, start)
    k2 = split_at(tokens, base, end)  # positions shift after the split at start: look again
    if k2 < len(tokens) and tokens[k2]["k"] == "block" and k2 > k1 and tokens[k2 - 1]["k"] == "nl":
        raise EditError("Invalid deletion range. Cannot delete the newline character before a "
                        "table without deleting the table.")
    del tokens[k1:k2]
    blocks[:] = regroup(tokens)


def restyle_text(blocks: list[Block], base: int, start: int, end: int, update: StyleFn) -> None:
    """Applies ``update`` to the text style of everything in [start, end), tables included."""
    tokens = flatten(blocks)
    total = base + sum(width(t) for t in tokens)
    start, end = max(start, base), min(end, total)
    if start >= end:
        return
    split_at(tokens, base, end)
    k1 = split_at(tokens, base, start)
    k2 = split_at(tokens, base, end)
    position = base + sum(width(t) for t in tokens[:k1])
    for token in tokens[k1:k2]:
        if token["k"] == "block":
            if "table" in token["b"]:
                for cell, cell_start, cell_end in cells(token["b"], position):
                    restyle_text(cell, cell_start, max(start, cell_start), min(end, cell_end),
                                 update)
        else:
            token["s"] = update(token["s"])
        position += width(token)
    blocks[:] = regroup(tokens)


def restyle_paragraphs(blocks: list[Block], base: int, start: int, end: int,
                       update: Callable[[Block], None]) -> None:
    """Calls ``update`` on every paragraph block overlapping [start, end), tables included."""
    position = base
    for block in blocks:
        size = block_width(block)
        overlaps = (position < end and start < position + size) or (
            start == end and position <= start < position + size)
        if overlaps and "p" in block:
            update(block)
        elif overlaps and "table" in block:
            for cell, cell_start, cell_end in cells(block, position):
                if cell_start < end and start < cell_end:
                    restyle_paragraphs(cell, cell_start, start, end, update)
        position += size


def replace_all(blocks: list[Block], needle: str, replacement: str, match_case: bool) -> int:
    """Replaces every occurrence of ``needle`` inside paragraphs; the number replaced."""
    count = 0
    for block in blocks:
        if "table" in block:
            for row in block["table"]:
                for cell in row:
                    count += replace_all(cell, needle, replacement, match_case)
    text = "".join(t["t"] if t["k"] == "text" else ("\n" if t["k"] == "nl" else "\ufffc")
                   for t in flatten(blocks) if t["k"] != "block")
    folded = text if match_case else text.lower()
    key = needle if match_case else needle.lower()
    if not key or key not in folded:
        return count
    units: list[Token] = []  # one token per character (tables kept whole)
    for token in flatten(blocks):
        if token["k"] == "text":
            units.extend({"k": "text", "t": char, "s": token["s"]} for char in token["t"])
        else:
            units.append(token)
    plain = ["\x00" if u["k"] == "block" else u["t"] if u["k"] == "text"
             else "\n" if u["k"] == "nl" else "\ufffc" for u in units]
    haystack = "".join(plain) if match_case else "".join(plain).lower()
    found = []
    at = haystack.find(key)
    while at >= 0:
        found.append(at)
        at = haystack.find(key, at + len(key))
    for at in reversed(found):
        first = units[at]
        paragraph_end = next(u for u in units[at + len(key):] if u["k"] == "nl")
        units[at : at + len(key)] = text_tokens(replacement, first.get("s", {}),
                                                paragraph_end["ps"], paragraph_end.get("bullet"))
    blocks[:] = regroup(units)
    return count + len(found)
