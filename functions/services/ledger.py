"""Per form: what the sync has applied, and the cursor of the fast path.

One object per form in the state bucket (``years/<year>/ledger/<form key>.json``):
``{"cursor": "<lastSubmittedTime>", "entries": {responseId: [unit code or "", stamp]}}``, the
stamp being the version (exact lastSubmittedTime) and how the response was placed.
An entry is written only after the unit Sheet write it describes has landed, so the ledger
never runs ahead of the Sheets; when it lags (a crash), the next run re-reads the unit Sheet
and finds the rows already there: nothing is written twice.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from functions.adapters.storage import PreconditionFailed
from functions.services.lease import CasStore

QUARANTINE = ""  # the unit code recorded for a response held in the Sở's quarantine tab


@dataclass
class Ledger:
    form_key: str
    cursor: str = ""  # lastSubmittedTime up to which every response has been applied
    entries: dict[str, list[str]] = field(default_factory=dict)  # id → [unit, version]
    generation: int = 0
    dirty: bool = False

    def applied(self, response_id: str, unit: str, version: str) -> bool:
        return self.entries.get(response_id) == [unit, version]

    def forget(self, response_id: str) -> None:
        """Drops what was applied for ``response_id`` (erased: the tombstone keeps it out)."""
        if self.entries.pop(response_id, None) is not None:
            self.dirty = True

    def record(self, response_id: str, unit: str, version: str) -> None:
        self.entries[response_id] = [unit, version]
        self.dirty = True


class LedgerStore:
    def __init__(self, store: CasStore, year: int) -> None:
        self.store = store
        self.year = year

    def _name(self, form_key: str) -> str:
        return f"years/{self.year}/ledger/{form_key}.json"

    def load(self, form_key: str) -> Ledger:
        found = self.store.read(self._name(form_key))
        value = found.value or {}
        return Ledger(form_key, value.get("cursor", ""), dict(value.get("entries", {})),
                      found.generation)

    def save(self, ledger: Ledger) -> None:
        if not ledger.dirty:
            return
        value = {"cursor": ledger.cursor, "entries": ledger.entries}
        try:
            ledger.generation = self.store.write(self._name(ledger.form_key), value,
                                                 if_generation=ledger.generation)
        except PreconditionFailed:
            # Writers hold the lease, so this is our own write retried after a lost answer.
            ledger.generation = self.store.write(self._name(ledger.form_key), value)
        ledger.dirty = False
