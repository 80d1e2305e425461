"""The ``fields`` query parameter (partial responses), applied to an answer.

Syntax as in Google's performance guide: ``a,b/c,d(e,f)``; ``*`` selects everything.
"""

from __future__ import annotations

import functools
from typing import Any

Tree = dict[str, "Tree"]  # empty dict = the whole value


@functools.lru_cache(maxsize=1024)
def parse(fields: str) -> Tree:
    """A parsed mask (cached: treat it as read-only).


    >>> parse("files(id,name),nextPageToken")
    {'files': {'id': {}, 'name': {}}, 'nextPageToken': {}}
    >>> parse("sheets/properties/title")
    {'sheets': {'properties': {'title': {}}}}
    >>> parse("sheets.properties.tabColorStyle")  # Sheets also takes dots (recorded)
    {'sheets': {'properties': {'tabColorStyle': {}}}}
    """
    tree, _ = _parse(fields.replace(" ", ""), 0)
    return tree


def _parse(text: str, pos: int) -> tuple[Tree, int]:
    tree: Tree = {}
    while pos < len(text):
        if text[pos] == ")":
            return tree, pos + 1
        if text[pos] == ",":
            pos += 1
            continue
        end = pos
        while end < len(text) and text[end] not in ",()":
            end += 1
        node = tree
        for part in text[pos:end].replace(".", "/").split("/"):
            node = node.setdefault(part, {})
        pos = end
        if pos < len(text) and text[pos] == "(":
            sub, pos = _parse(text, pos + 1)
            node.update(sub)
    return tree, pos


def apply(value: Any, tree: Tree) -> Any:
    """``value`` trimmed to the fields of ``tree``; lists are trimmed item by item."""
    if not tree or "*" in tree:
        return value
    if isinstance(value, list):
        return [apply(item, tree) for item in value]
    if not isinstance(value, dict):
        return value
    return {key: apply(value[key], sub) for key, sub in tree.items() if key in value}
