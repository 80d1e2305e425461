"""The collection's state during one pass: the ledgers, the views drawn, and their journal.

Read lazily (a notification reads the heads and the shards of what it lists), checkpointed
after each unit that landed as one journal segment (``journal.py``), and folded into the
sharded objects once, on the way out. What a killed run left in the journal is replayed and
folded first.
"""

from __future__ import annotations

from collections.abc import Mapping

from functions.services.journal import Journal, ListingStore
from functions.services.ledger import Ledger, LedgerStore
from functions.services.rendered import RenderedViews

LEDGER = "ledger/"  # journal owners: "ledger/<form key>", "views/keys", "views/due"
VIEWS = "views/"


class SyncState:
    def __init__(self, store: ListingStore, year: int, expected: Mapping[str, int]) -> None:
        self.ledgers = LedgerStore(store, year, expected)
        self.views = RenderedViews(store, year)
        self.journal = Journal(store, year)
        self.loaded: dict[str, Ledger] = {}

    def ledger(self, form_key: str) -> Ledger:
        if form_key not in self.loaded:
            self.loaded[form_key] = self.ledgers.load(form_key)
        return self.loaded[form_key]

    def replay(self) -> None:
        """Applies, in order, what a killed run recorded and did not fold, and folds it at
        once: a run killed in its own fold (many shards to write) still leaves the journal
        shorter than it found it."""
        leftovers = self.journal.leftovers()
        for _, ops in leftovers:
            for owner, changes in ops.items():
                if owner.startswith(LEDGER):
                    entries = self.ledger(owner[len(LEDGER):]).entries
                    for response_id, entry in changes.items():
                        if entry is None:
                            entries.pop(response_id, None)
                        else:
                            entries[response_id] = entry
                elif owner.startswith(VIEWS):
                    self.views.replay(owner[len(VIEWS):], changes)
        if leftovers:
            self.fold()

    def checkpoint(self) -> None:
        """What was recorded since the last checkpoint, as one new journal segment."""
        ops: dict[str, dict[str, object]] = {
            LEDGER + key: dict(ledger.recent) for key, ledger in self.loaded.items()}
        ops |= {VIEWS + part: dict(changes) for part, changes in self.views.recent.items()}
        self.journal.append(ops)
        for ledger in self.loaded.values():
            ledger.recent.clear()
        for changes in self.views.recent.values():
            changes.clear()

    def fold(self) -> None:
        """Saves every changed shard and head, then drops the journal. The views first (the
        overview rows owed), as the journal's order has it."""
        self.checkpoint()
        self.views.save()
        for ledger in self.loaded.values():
            self.ledgers.save(ledger)
        self.journal.folded()
