"""Per form: what the sync has applied, and the cursor of the fast path.

Kept in the state bucket under ``years/<year>/ledger/<form key>/``: a small head
(``head.json``: ``{"cursor": "<lastSubmittedTime>", "shards": n}``) and the entries
``{responseId: [unit code or "", stamp]}`` spread over ``n`` shards by a stable hash of the
response id (``sharded.py``), the stamp being the version (exact lastSubmittedTime) and how the
response was placed. Lookups are by id, so a notification reads the head and the shards of the
few responses it lists (a few kilobytes at 60 000 responses) instead of the whole ledger; the
number of shards is set when the ledger is created, for about ``PER_SHARD`` entries each at the
scale the deployment expects. A ledger kept in the former single object
(``years/<year>/ledger/<form key>.json``) is carried over on its first load and that object
deleted once the new one is saved.

An entry is written only after the unit Sheet write it describes has landed, so the ledger
never runs ahead of the Sheets; when it lags (a crash), the next run re-reads the unit Sheet
and finds the rows already there: nothing is written twice.
"""

from __future__ import annotations

from collections.abc import Mapping, MutableMapping
from dataclasses import dataclass, field

from functions.services.lease import CasStore
from functions.services.sharded import ShardedDict, shards_for, write_cas

QUARANTINE = ""  # the unit code recorded for a response held in the Sở's quarantine tab
PER_SHARD = 64  # entries a shard (≈ 7 KB): what a notification reads and writes per response


@dataclass
class Ledger:
    form_key: str
    cursor: str = ""  # lastSubmittedTime up to which every response has been applied
    entries: MutableMapping[str, list[str]] = field(default_factory=dict)  # id → [unit, version]
    generation: int = 0  # of the head
    dirty: bool = False  # the head (the cursor) is to be saved
    # Recorded since the last checkpoint (the collection's journal writes them per unit).
    recent: dict[str, list[str] | None] = field(default_factory=dict)  # None: forgotten
    carried_from: str = ""  # the former single object this ledger was carried over from

    def applied(self, response_id: str, unit: str, version: str) -> bool:
        return self.entries.get(response_id) == [unit, version]

    def forget(self, response_id: str) -> None:
        """Drops what was applied for ``response_id`` (erased: the tombstone keeps it out)."""
        if self.entries.pop(response_id, None) is not None:
            self.recent[response_id] = None

    def record(self, response_id: str, unit: str, version: str) -> None:
        self.entries[response_id] = [unit, version]
        self.recent[response_id] = [unit, version]


class LedgerStore:
    def __init__(self, store: CasStore, year: int,
                 expected: Mapping[str, int] | None = None) -> None:
        self.store = store
        self.year = year
        # form key → responses it may collect: sizes a new ledger's shards
        self.expected = expected or {}

    def _prefix(self, form_key: str) -> str:
        return f"years/{self.year}/ledger/{form_key}/"

    def load(self, form_key: str) -> Ledger:
        head = self.store.read(self._prefix(form_key) + "head.json")
        if head.generation:
            value = head.value or {}
            shards = int(value.get("shards", 1))
            return Ledger(form_key, value.get("cursor", ""),
                          ShardedDict(self.store, self._prefix(form_key), shards),
                          head.generation)
        former = f"years/{self.year}/ledger/{form_key}.json"
        old = self.store.read(former)
        entries = dict((old.value or {}).get("entries", {}))
        sharded = ShardedDict(self.store, self._prefix(form_key),
                              shards_for(max(self.expected.get(form_key, 0), len(entries)),
                                         PER_SHARD))
        sharded.fill(entries)
        return Ledger(form_key, (old.value or {}).get("cursor", ""), sharded, 0,
                      dirty=True, carried_from=former if old.generation else "")

    def save(self, ledger: Ledger) -> None:
        """The changed shards first, then the head: a head never names entries not saved."""
        entries = ledger.entries
        written = entries.save() if isinstance(entries, ShardedDict) else 0
        if ledger.dirty or (written and not ledger.generation):
            shards = entries.shards if isinstance(entries, ShardedDict) else 1
            ledger.generation = write_cas(self.store, self._prefix(ledger.form_key) + "head.json",
                                          {"cursor": ledger.cursor, "shards": shards},
                                          ledger.generation)
        ledger.dirty = False
        if ledger.carried_from:
            self.store.delete(ledger.carried_from)
            ledger.carried_from = ""
