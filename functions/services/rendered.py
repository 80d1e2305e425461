"""What each unit Sheet's status parts were last drawn from, so the reconcile redraws a unit
whose view changed without any new response: the roster, the unit, the periods' dates, or the
drawing itself (``DRAWING``). Not the day: what is drawn is true whatever the day it is read
(see ``blueprints.unit_status``), so a period opening or closing rewrites no Sheet.

Kept under ``years/<year>/rendered/``: the keys ``{code: view key}`` spread over shards by
unit code (``keys/<n>.json``, ``sharded.py``) so a run that draws one unit reads and writes one
small shard, and a head (``head.json``: ``{"shards": n, "overview_due": {code: row}}``). A key
is recorded only after the write that drew it has landed. A unit with no key (never drawn by a
sync) is drawn once by the next reconcile. ``overview_due`` holds the Sở overview rows of units
written but not yet shown there (the run ended before its overview write): the next run writes
them. The former single object (``years/<year>/rendered.json``) is carried over on first use
and deleted once the new layout is saved.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence

from functions.domain.model import Period, Staff, Unit
from functions.services.lease import CasStore
from functions.services.sharded import ShardedDict, write_cas

SHARDS = 16  # ≈ 125 units a shard at 2 000 units: about 4 KB

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
        self.prefix = f"years/{year}/rendered/"
        self.former = f"years/{year}/rendered.json"
        self._keys: ShardedDict | None = None
        self._due: dict[str, list[object]] = {}
        self.generation = 0
        self.dirty = False  # the head is to be saved
        self.carried = False  # read from the former single object, deleted once saved
        # Changed since the last checkpoint: "keys" and "due" → code → value (None: removed).
        self.recent: dict[str, dict[str, object]] = {"keys": {}, "due": {}}

    @property
    def keys(self) -> ShardedDict:
        if self._keys is None:
            head = self.store.read(self.prefix + "head.json")
            value = head.value or {}
            if not head.generation:
                former = self.store.read(self.former)
                value = former.value or {}
                self.carried = bool(former.generation)
                self.dirty = True
            self._due = dict(value.get("overview_due", {}))
            self.generation = head.generation
            shards = int(value.get("shards", SHARDS))
            self._keys = ShardedDict(self.store, self.prefix + "keys/", shards)
            if not head.generation:
                self._keys.fill(dict(value.get("units", {})))
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
            self.recent["keys"][code] = key

    def owe(self, code: str, row: list[object]) -> None:
        if self.overview_due.get(code) != row:
            self._due[code] = row
            self.recent["due"][code] = row
            self.dirty = True

    def paid(self, rows: dict[str, list[object]]) -> None:
        """The overview write showing ``rows`` has landed."""
        for code, row in rows.items():
            if self._due.get(code) == row:
                del self._due[code]
                self.recent["due"][code] = None
                self.dirty = True

    def replay(self, part: str, changes: dict[str, object]) -> None:
        """Applies what a killed run's journal holds (``part``: "keys" or "due")."""
        for code, value in changes.items():
            if part == "keys" and isinstance(value, str):
                self.keys[code] = value
            elif part == "due":
                self.overview_due  # noqa: B018 - read on first use
                if value is None:
                    self._due.pop(code, None)
                else:
                    self._due[code] = value  # type: ignore[assignment]
                self.dirty = True

    def save(self) -> None:
        """The changed key shards, then the head."""
        if self._keys is None:
            return
        written = self._keys.save()
        if self.dirty or (written and not self.generation):
            self.generation = write_cas(self.store, self.prefix + "head.json",
                                        {"shards": self._keys.shards,
                                         "overview_due": self._due}, self.generation)
        self.dirty = False
        if self.carried:
            self.store.delete(self.former)
            self.carried = False
