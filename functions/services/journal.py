"""The collection's progress between two saves of its state: one small object per unit landed.

Saving the sharded ledgers after every unit of a full pass would rewrite a few dozen shards a
unit (a unit's responses scatter over the shards), ~60 000 object writes for 2 000 units. The
unit's progress is written instead as one new segment (``years/<y>/journal/<run>-<n>.json``:
the entries the unit recorded, by owner), a fresh name each time, so Cloud Storage's one write
a second per object name (cloud.google.com/storage/quotas#objects) never applies. At the end of
the run its owners save their shards once and the segments are deleted, oldest first: what a
kill leaves is always the newest ones, which the next run replays (in order) before it starts.
"""

from __future__ import annotations

import time
from typing import Any, Protocol

from functions.services.lease import CasStore

DELETED = None  # a value in a segment: the key was removed


class ListingStore(CasStore, Protocol):
    def names(self, prefix: str) -> list[str]: ...


class Journal:
    def __init__(self, store: ListingStore, year: int) -> None:
        self.store = store
        self.prefix = f"years/{year}/journal/"
        self.written: list[str] = []  # segments not yet folded into their owners, oldest first
        self.run = f"{int(time.time() * 1000):013d}"
        self.count = 0

    def leftovers(self) -> list[tuple[str, dict[str, dict[str, Any]]]]:
        """What a killed run wrote and did not fold, oldest first (owner → key → value)."""
        names = sorted(self.store.names(self.prefix))
        found = []
        for name in names:
            value = self.store.read(name).value
            if isinstance(value, dict):
                found.append((name, value))
            self.written.append(name)
        if names:  # this run's segments sort after the ones it replays, whatever the clocks
            last = names[-1][len(self.prefix):].split("-")[0]
            self.run = max(self.run, f"{int(last) + 1:013d}")
        return found

    def append(self, ops: dict[str, dict[str, Any]]) -> None:
        ops = {owner: changes for owner, changes in ops.items() if changes}
        if not ops:
            return
        name = f"{self.prefix}{self.run}-{self.count:06d}.json"
        self.count += 1
        self.store.write(name, ops)  # a fresh name: a retry after a lost answer lands the same
        self.written.append(name)

    def folded(self) -> None:
        """The owners saved everything the segments hold: drop them, oldest first."""
        while self.written:
            self.store.delete(self.written[0])
            self.written.pop(0)
