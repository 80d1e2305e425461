"""Writing one cell (a CellData through a ``fields`` mask), and range-level writes ("fills").

A ``repeatCell``, ``setDataValidation`` or a clearing ``updateCells`` over a large range is not
applied cell by cell: it is kept on its sheet, in order, as a fill ``{"range": [top, bottom,
left, right], "cell": CellData, "fields": mask, "key": ...}`` (Google's own model of formats
and rules that "apply to a range"). A cell nobody wrote individually reads as the fills that
cover it applied in turn to an empty cell (``fold``); a cell written individually is stored
on its own and receives later fills directly. Folds are cached by the fills' content (``key``),
so a thousand rows under the same fills cost one fold.

Stored fills are never changed in place except their ``range`` (rows and columns moving); the
cached folds are shared: treat them as read-only.
"""

from __future__ import annotations

import bisect
import json
import sys
from collections.abc import Sequence
from typing import Any

from emulator import fieldmask
from emulator.errors import ApiError
from emulator.services import sheets_cells as cells_mod
from emulator.store import copied

Fill = dict[str, Any]
OUTPUT_ONLY = ("effectiveValue", "formattedValue", "effectiveFormat", "hyperlink", "pivotTable",
               "dataSourceTable", "dataSourceFormula")


def clean_colors(value: Any) -> Any:
    """Drops zero components of colors in place (Google answers {"green": 1, "blue": 1})."""
    if isinstance(value, dict):
        if value and set(value) <= {"red", "green", "blue", "alpha"}:
            for key in ("red", "green", "blue"):
                if value.get(key) == 0:
                    value.pop(key)
        else:
            for item in value.values():
                clean_colors(item)
    elif isinstance(value, list):
        for item in value:
            clean_colors(item)
    return value


def mirror_color(target: dict[str, Any], plain: str, style: str) -> None:
    """Google answers a color both as ``xColor`` and ``xColorStyle.rgbColor``."""
    if plain in target and style not in target:
        target[style] = {"rgbColor": copied(target[plain])}
    elif style in target and "rgbColor" in target[style] and plain not in target:
        target[plain] = copied(target[style]["rgbColor"])


def mirror_format(fmt: dict[str, Any]) -> None:
    """Keeps ``xColor`` and ``xColorStyle`` of a format in step, as Google answers both."""
    for holder, plain, style in ((fmt, "backgroundColor", "backgroundColorStyle"),
                                 (fmt.get("textFormat"), "foregroundColor",
                                  "foregroundColorStyle")):
        if not isinstance(holder, dict):
            continue
        if plain in holder:
            holder[style] = {"rgbColor": copied(holder[plain])}
        elif isinstance(holder.get(style), dict) and "rgbColor" in holder[style]:
            holder[plain] = copied(holder[style]["rgbColor"])
    clean_colors(fmt)


def clean_cell(source: dict[str, Any]) -> dict[str, Any]:
    """The writable part of a CellData (output-only fields dropped; colors mirrored)."""
    if len(source) == 1 and source.get("userEnteredValue"):
        # A value alone (a sync's cells): nothing to clean, and ``written`` copies it.
        cells_mod.check_entered(source["userEnteredValue"])
        return source
    out = {key: clean_colors(copied(value)) for key, value in source.items()
           if key not in OUTPUT_ONLY}
    entered = out.get("userEnteredValue")
    if isinstance(entered, dict) and not entered:
        out.pop("userEnteredValue")
    # The message's "Invalid requests[i].<kind>: " prefix (added by the batch) is a guess.
    cells_mod.check_entered(entered)
    fmt = out.get("userEnteredFormat")
    if isinstance(fmt, dict):
        mirror_color(fmt, "backgroundColor", "backgroundColorStyle")
        if isinstance(fmt.get("textFormat"), dict):
            mirror_color(fmt["textFormat"], "foregroundColor", "foregroundColorStyle")
    return out


def apply_mask(target: dict[str, Any], source: dict[str, Any], fields: str | None) -> None:
    """Copies the ``fields`` of ``source`` onto ``target``; a named field absent from
    ``source`` is cleared, as Google's field masks in updates work."""
    if not fields:
        raise ApiError(400, "At least one field must be specified.")
    tree = fieldmask.parse(fields)
    if "*" in tree:
        target.clear()
        target.update(copied(source))
        return
    _apply_tree(target, source, tree)


def _apply_tree(target: dict[str, Any], source: dict[str, Any], tree: fieldmask.Tree) -> None:
    for key, sub in tree.items():
        if not sub or "*" in sub or not isinstance(source.get(key, {}), dict):
            if key in source:
                target[key] = copied(source[key])
            else:
                target.pop(key, None)
            continue
        inner = target.get(key)
        if not isinstance(inner, dict):
            inner = {}
        _apply_tree(inner, source.get(key) or {}, sub)
        if inner:
            target[key] = inner
        else:
            target.pop(key, None)


def written(current: dict[str, Any] | None, cleaned: dict[str, Any],
            fields: str | None) -> dict[str, Any]:
    """A new cell: ``current`` (not changed) with ``cleaned`` (see ``clean_cell``) written
    through ``fields``."""
    tree = fieldmask.parse(fields) if fields else {}
    if tree and all(not sub and key != "*" for key, sub in tree.items()):
        # Whole fields replaced (a sync's "userEnteredValue"): nothing of ``current`` is
        # changed in place, so its top level is copied, not all of it (its format is shared).
        out = dict(current) if current else {}
        _apply_tree(out, cleaned, tree)
        if "userEnteredFormat" in tree and isinstance(out.get("userEnteredFormat"), dict):
            fmt = out["userEnteredFormat"]  # the cleaned source's own copy
            mirror_format(fmt)
            if not fmt:
                out.pop("userEnteredFormat")
        if out.get("note") == "":
            out.pop("note")
        return out
    out = copied(current) if current else {}
    apply_mask(out, cleaned, fields)
    fmt = out.get("userEnteredFormat")
    if isinstance(fmt, dict):
        mirror_format(fmt)
        if not fmt:
            out.pop("userEnteredFormat")
    if out.get("note") == "":
        out.pop("note")  # an empty note is no note
    return out


# --- fills -------------------------------------------------------------------------------


def new_fill(top: int, bottom: int, left: int, right: int, source: dict[str, Any],
             fields: str | None) -> Fill:
    cell = copied(source)
    # The key is order-sensitive on purpose: a "*" mask copies the source in its own order.
    key = json.dumps([cell, fields], ensure_ascii=False, separators=(",", ":"))
    return {"range": [top, bottom, left, right], "cell": cell, "fields": fields, "key": key}


def covers(fill: Fill, row: int, col: int) -> bool:
    top, bottom, left, right = fill["range"]
    return bool(top <= row < bottom and left <= col < right)


def intersects(fill: Fill, top: int, bottom: int, left: int, right: int) -> bool:
    f_top, f_bottom, f_left, f_right = fill["range"]
    return bool(f_top < bottom and top < f_bottom and f_left < right and left < f_right)


_FOLDS: dict[tuple[str, ...], dict[str, Any]] = {}
_FOLD_LIMIT = 4096


def fold(fills: Sequence[Fill]) -> dict[str, Any]:
    """An empty cell after ``fills`` in turn (cached and shared: read-only)."""
    key = tuple(fill["key"] for fill in fills)
    found = _FOLDS.get(key)
    if found is None:
        found = {}
        for fill in fills:
            found = written(found, clean_cell(fill["cell"]), fill["fields"])
        if len(_FOLDS) >= _FOLD_LIMIT:
            _FOLDS.clear()
        _FOLDS[key] = found
    return found


def at(fills: Sequence[Fill], row: int, col: int) -> dict[str, Any] | None:
    """The folded content of a cell nobody wrote individually (None when empty)."""
    covering = [fill for fill in fills if covers(fill, row, col)]
    return (fold(covering) or None) if covering else None


class Bands:
    """The fills of a sheet as row bands: within one band, each column is covered by the
    same fills, so its folded content is computed once per band."""

    def __init__(self, fills: Sequence[Fill], left: int, right: int) -> None:
        self.fills = list(fills)
        self.left, self.right = left, right
        self._rows: dict[tuple[int, ...], list[dict[str, Any] | None]] = {}
        # Between two consecutive fill edges every row has the same fills: the active set is
        # found by bisection and worked out once per segment, not once per row.
        self._edges = sorted({edge for fill in self.fills for edge in fill["range"][:2]})
        self._segments: dict[int, tuple[int, ...]] = {}

    def active(self, row: int) -> tuple[int, ...]:
        segment = bisect.bisect_right(self._edges, row)
        found = self._segments.get(segment)
        if found is None:
            found = self._segments[segment] = tuple(
                i for i, fill in enumerate(self.fills)
                if fill["range"][0] <= row < fill["range"][1])
        return found

    def segment_end(self, row: int) -> int:
        """The first row after ``row`` whose fills may differ from ``row``'s."""
        segment = bisect.bisect_right(self._edges, row)
        return self._edges[segment] if segment < len(self._edges) else sys.maxsize

    def row(self, row: int) -> list[dict[str, Any] | None]:
        """The folded content of columns ``left..right`` of ``row`` (shared: read-only)."""
        active = self.active(row)
        found = self._rows.get(active)
        if found is None:
            chosen = [self.fills[i] for i in active]
            found = []
            for col in range(self.left, self.right):
                covering = [fill for fill in chosen if fill["range"][2] <= col < fill["range"][3]]
                found.append((fold(covering) or None) if covering else None)
            self._rows[active] = found
        return found


def last_row(fills: Sequence[Fill]) -> int:
    """An upper bound of the rows the fills give content to."""
    return max((fill["range"][1] for fill in fills), default=0)


def shift(fills: list[Fill], dimension: str, start: int, count: int) -> None:
    """Moves the fills as ``count`` rows or columns are inserted before ``start`` (count > 0)
    or deleted from ``start`` (count < 0); inserted cells are covered by no fill."""
    low, high = (0, 1) if dimension == "ROWS" else (2, 3)
    out: list[Fill] = []
    for fill in fills:
        lo, hi = fill["range"][low], fill["range"][high]
        if count > 0:
            if start <= lo:
                lo, hi = lo + count, hi + count
            elif start < hi:
                first = dict(fill, range=list(fill["range"]))
                first["range"][high] = start
                out.append(first)
                lo, hi = start + count, hi + count
        else:
            gone = -count
            lo = lo if lo < start else max(start, lo - gone)
            hi = hi if hi <= start else max(start, hi - gone)
        if lo < hi:
            moved = dict(fill, range=list(fill["range"]))
            moved["range"][low], moved["range"][high] = lo, hi
            out.append(moved)
    fills[:] = out
