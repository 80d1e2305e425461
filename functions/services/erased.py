"""The response ids erased at a person's request (``guongmau data erase``): a tombstone, so the
collection never brings back a response the Forms API cannot delete.

One object per year (``years/<year>/erased.json``): ``{"responses": [response id, ...]}``.
It holds ids only, never what the responses said nor whose they were. The Sở deletes the
responses themselves in the form by hand (the Forms API has no method to delete one); until
then, and after, every sync skips these ids, edits included (an edit keeps its id).
"""

from __future__ import annotations

from collections.abc import Iterable

from functions.adapters.storage import PreconditionFailed
from functions.services.lease import CasStore

ATTEMPTS = 5  # compare-and-set rounds lost to another writer before giving up


class ErasedResponses:
    def __init__(self, store: CasStore, year: int) -> None:
        self.store = store
        self.name = f"years/{year}/erased.json"

    def ids(self) -> frozenset[str]:
        return frozenset((self.store.read(self.name).value or {}).get("responses", ()))

    def add(self, response_ids: Iterable[str]) -> int:
        """Adds ``response_ids``; how many were not there yet (a rerun adds none)."""
        wanted = set(response_ids)
        for _ in range(ATTEMPTS):
            current = self.store.read(self.name)
            held = set((current.value or {}).get("responses", ()))
            new = wanted - held
            if not new:
                return 0
            try:
                self.store.write(self.name, {"responses": sorted(held | new)},
                                 if_generation=current.generation)
                return len(new)
            except PreconditionFailed:
                continue  # another writer (or our own write retried after a lost answer)
        raise PreconditionFailed(self.name)
