"""What each unit Sheet's status parts were last drawn from, so the reconcile redraws a unit
whose view changed without any new response: the roster, the unit, the periods' dates, or the
drawing itself (``DRAWING``). Not the day: what is drawn is true whatever the day it is read
(see ``blueprints.unit_status``), so a period opening or closing rewrites no Sheet.

One object per year (``years/<year>/rendered.json``): ``{"units": {code: view key},
"overview_due": {code: row}}``. A key is recorded only after the write that drew it has landed.
A unit with no key (never drawn by a sync) is drawn once by the next reconcile. ``overview_due``
holds the Sở overview rows of units written but not yet shown there (the run ended before its
overview write): the next run writes them.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence

from functions.adapters.storage import PreconditionFailed
from functions.domain.model import Period, Staff, Unit
from functions.services.lease import CasStore

# The version of what the status parts show. Bumped when it changes, so that every unit Sheet
# drawn by an earlier version is drawn again, once, by the next reconcile. 2: the dates of the
# periods in place of «Chưa đến kỳ».
DRAWING = 2


def view_key(unit: Unit, staff: Sequence[Staff], periods: Sequence[Period]) -> str:
    """Everything the status parts show apart from the responses themselves (pure)."""
    data = [DRAWING, unit.name, unit.kind, unit.active,
            [[p.name, p.email, list(p.other_emails), p.position, int(p.group)] for p in staff],
            [[p.kind.value, p.opens.isoformat(), p.deadline.isoformat()] for p in periods]]
    return hashlib.sha256(json.dumps(data, ensure_ascii=False).encode()).hexdigest()[:16]


class RenderedViews:
    """The recorded keys, read on first use (a run that draws nothing never reads them)."""

    def __init__(self, store: CasStore, year: int) -> None:
        self.store = store
        self.name = f"years/{year}/rendered.json"
        self._keys: dict[str, str] | None = None
        self._due: dict[str, list[object]] = {}
        self.generation = 0
        self.dirty = False

    @property
    def keys(self) -> dict[str, str]:
        if self._keys is None:
            found = self.store.read(self.name)
            self._keys = dict((found.value or {}).get("units", {}))
            self._due = dict((found.value or {}).get("overview_due", {}))
            self.generation = found.generation
        return self._keys

    @property
    def overview_due(self) -> dict[str, list[object]]:
        self.keys  # noqa: B018 - read on first use
        return self._due

    def stale(self, wanted: dict[str, str]) -> set[str]:
        """Units whose recorded key differs from ``wanted`` (code → current key)."""
        return {code for code, key in wanted.items() if self.keys.get(code) != key}

    def record(self, code: str, key: str) -> None:
        if self.keys.get(code) != key:
            self.keys[code] = key
            self.dirty = True

    def owe(self, code: str, row: list[object]) -> None:
        if self.overview_due.get(code) != row:
            self._due[code] = row
            self.dirty = True

    def paid(self, rows: dict[str, list[object]]) -> None:
        """The overview write showing ``rows`` has landed."""
        for code, row in rows.items():
            if self._due.get(code) == row:
                del self._due[code]
                self.dirty = True

    def save(self) -> None:
        if not self.dirty:
            return
        value = {"units": self.keys, "overview_due": self._due}
        try:
            self.generation = self.store.write(self.name, value, if_generation=self.generation)
        except PreconditionFailed:
            # Writers hold the lease: this is our own write retried after a lost answer.
            self.generation = self.store.write(self.name, value)
        self.dirty = False
