"""Protected ranges: their validation when added or changed, and their enforcement on writes.

Google's rules (reference: developers.google.com/sheets/api/reference/rest/v4/spreadsheets/
sheets#ProtectedRange): a warning-only protection has no editors; ``unprotectedRanges`` are
allowed only when the protection covers a whole sheet; the requesting user becomes an editor.
A write by someone who is not an editor into a protected, non-unprotected cell answers 400
"You are trying to edit a protected cell or object. Please contact the spreadsheet owner to
remove protection if you need to edit." (wording reported from Google,
theoephraim/node-google-spreadsheet#20). The file's owner is always an editor, as in the UI.
"""

from __future__ import annotations

from typing import Any

from emulator.errors import ApiError
from emulator.services import sheets_grid as grid
from emulator.services.sheets_a1 import Cells

PROTECTED_MESSAGE = (
    "You are trying to edit a protected cell or object. Please contact the spreadsheet owner "
    "to remove protection if you need to edit."
)


def prepare(doc: dict[str, Any], protected: dict[str, Any], user: str) -> None:
    """Checks a new or changed ProtectedRange and fills what Google fills (editors, flags)."""
    has_range = "range" in protected or "namedRangeId" in protected
    if not has_range:
        raise ApiError(400, "A protected range must specify a range or a named range.")
    if "namedRangeId" in protected:
        named = next((n for n in doc.get("namedRanges", [])
                      if n["namedRangeId"] == protected["namedRangeId"]), None)
        if named is None:
            raise ApiError(400, f"No named range with id: {protected['namedRangeId']}")
        protected["range"] = dict(named["range"])
    grid.by_id(doc, protected["range"].get("sheetId", 0))
    editors = {key: value for key, value in (protected.get("editors") or {}).items() if value}
    if protected.get("warningOnly") and editors:
        # Reference: "Warning-only protection cannot be combined with editors" (the exact
        # wording is a guess verified only on the emulator).
        raise ApiError(400, "Warning-only protection cannot have editors.")
    if not protected.get("warningOnly"):
        protected.pop("warningOnly", None)
    # Recorded: Google lists the requesting user among the editors, even of a warning-only
    # protection (the reply to the add echoes the request instead).
    users = [str(u).lower() for u in editors.get("users", [])]
    if user not in users:
        users.append(user)
    editors["users"] = users
    protected["editors"] = editors
    if protected.get("unprotectedRanges") and not _whole_sheet(protected["range"]):
        raise ApiError(400, "Unprotected ranges can only be set on a protected sheet.")
    protected.pop("requestingUserCanEdit", None)  # output only: computed per reader


def _whole_sheet(rng: dict[str, Any]) -> bool:
    return not any(key in rng for key in ("startRowIndex", "endRowIndex", "startColumnIndex",
                                           "endColumnIndex")) or (
        not rng.get("startRowIndex") and not rng.get("startColumnIndex")
        and "endRowIndex" not in rng and "endColumnIndex" not in rng)


def _overlaps(a: Cells, b: Cells) -> bool:
    def apart(start1: int, end1: int | None, start2: int, end2: int | None) -> bool:
        return (end1 is not None and end1 <= start2) or (end2 is not None and end2 <= start1)

    return not (apart(a.start_row, a.end_row, b.start_row, b.end_row)
                or apart(a.start_col, a.end_col, b.start_col, b.end_col))


def _inside(inner: Cells, outer: Cells) -> bool:
    def within(s1: int, e1: int | None, s2: int, e2: int | None) -> bool:
        return s1 >= s2 and (e2 is None or (e1 is not None and e1 <= e2))

    return within(inner.start_row, inner.end_row, outer.start_row, outer.end_row) and within(
        inner.start_col, inner.end_col, outer.start_col, outer.end_col)


def check_write(emulator: Any, file: dict[str, Any], sheet: dict[str, Any], cells: Cells,
                user: str) -> None:
    """400 when ``user`` may not write ``cells`` of ``sheet`` because of a protection."""
    if file.get("ownerEmail") == user:
        return
    for protected in sheet.get("protectedRanges", []):
        if protected.get("warningOnly"):
            continue
        if user in [u.lower() for u in (protected.get("editors") or {}).get("users", [])]:
            continue
        area = grid.cells_of(protected["range"])
        if not _overlaps(area, cells):
            continue
        holes = [grid.cells_of(r) for r in protected.get("unprotectedRanges", [])]
        if any(_inside(cells, hole) for hole in holes):
            continue
        raise ApiError(400, PROTECTED_MESSAGE)


def requesting_user_view(protected: dict[str, Any], user: str, owner: str | None) -> dict[str, Any]:
    """A ProtectedRange as ``user`` sees it (``requestingUserCanEdit`` computed)."""
    out = dict(protected)
    users = [u.lower() for u in (protected.get("editors") or {}).get("users", [])]
    out["requestingUserCanEdit"] = bool(protected.get("warningOnly")) or user in users or (
        owner == user)
    return out
