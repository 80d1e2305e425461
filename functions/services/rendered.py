"""What each unit Sheet's status parts were last drawn from, so the reconcile redraws a unit
whose view changed without any new response: a period opened (its «Chưa đến kỳ» became
«Chưa nộp», its missing list appeared) or the roster changed.

One object per year (``years/<year>/rendered.json``): ``{"units": {code: view key}}``. A key
is recorded only after the write that drew it has landed. A unit with no key (never drawn
by a sync) is drawn once by the next reconcile.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from datetime import date

from functions.adapters.storage import PreconditionFailed
from functions.domain.model import Period, Staff, Unit
from functions.services.lease import CasStore


def view_key(unit: Unit, staff: Sequence[Staff], periods: Sequence[Period], today: date) -> str:
    """Everything the status parts show apart from the responses themselves (pure)."""
    data = [unit.name, unit.kind, unit.active,
            [[p.name, p.email, list(p.other_emails), p.position, int(p.group)] for p in staff],
            [[p.kind.value, p.opens <= today] for p in periods]]
    return hashlib.sha256(json.dumps(data, ensure_ascii=False).encode()).hexdigest()[:16]


class RenderedViews:
    """The recorded keys, read on first use (a run that draws nothing never reads them)."""

    def __init__(self, store: CasStore, year: int) -> None:
        self.store = store
        self.name = f"years/{year}/rendered.json"
        self._keys: dict[str, str] | None = None
        self.generation = 0
        self.dirty = False

    @property
    def keys(self) -> dict[str, str]:
        if self._keys is None:
            found = self.store.read(self.name)
            self._keys = dict((found.value or {}).get("units", {}))
            self.generation = found.generation
        return self._keys

    def stale(self, wanted: dict[str, str]) -> set[str]:
        """Units whose recorded key differs from ``wanted`` (code → current key)."""
        return {code for code, key in wanted.items() if self.keys.get(code) != key}

    def record(self, code: str, key: str) -> None:
        if self.keys.get(code) != key:
            self.keys[code] = key
            self.dirty = True

    def save(self) -> None:
        if not self.dirty:
            return
        value = {"units": self.keys}
        try:
            self.generation = self.store.write(self.name, value, if_generation=self.generation)
        except PreconditionFailed:
            # Writers hold the lease: this is our own write retried after a lost answer.
            self.generation = self.store.write(self.name, value)
        self.dirty = False
