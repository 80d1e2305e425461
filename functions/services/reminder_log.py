"""Which reminders went out: one object per round in the compare-and-set state store.

A run claims the addresses it is about to write to (``ifGenerationMatch``) before sending:
two concurrent runs cannot both claim one address, and a rerun (or a retry after a crash)
finds it claimed. A crash between the claim and the send loses that email rather than ever
sending it twice: a reminder is not worth a duplicate.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field

from functions.adapters.storage import PreconditionFailed
from functions.domain.reminders import Round
from functions.services.lease import CasStore

ATTEMPTS = 20  # claims lost to concurrent writers before giving up for this run


@dataclass
class ReminderLog:
    store: CasStore
    year: int
    owner: str = field(default_factory=lambda: uuid.uuid4().hex)

    def name(self, one: Round) -> str:
        return f"reminders/{self.year}/{one.period.id}/{one.key}.json"

    def sent(self, one: Round) -> set[str]:
        """The addresses already claimed for ``one``."""
        return set((self.store.read(self.name(one)).value or {}).get("sent", {}))

    def claim(self, one: Round, addresses: Iterable[str]) -> list[str]:
        """Of ``addresses``, those this run may now send ``one`` to (nobody claimed them)."""
        wanted = list(dict.fromkeys(addresses))
        name = self.name(one)
        for _ in range(ATTEMPTS):
            current = self.store.read(name)
            sent: dict[str, str] = dict((current.value or {}).get("sent", {}))
            mine = [a for a in wanted if sent.get(a, self.owner) == self.owner]
            if all(sent.get(a) == self.owner for a in mine):
                return mine  # already ours (a retried write that had landed)
            for address in mine:
                sent[address] = self.owner
            try:
                self.store.write(name, {"sent": sent}, if_generation=current.generation)
                return mine
            except PreconditionFailed:
                continue  # another run wrote first (or our retried write landed): read again
        return []

    def forget(self, one: Round, addresses: Iterable[str]) -> int:
        """Removes ``addresses`` from ``one``'s log (a person's erasure); how many were there.
        Such a person, if still on the roster, may get that round again."""
        gone = set(addresses)
        name = self.name(one)
        for _ in range(ATTEMPTS):
            current = self.store.read(name)
            sent: dict[str, str] = dict((current.value or {}).get("sent", {}))
            found = [a for a in sent if a in gone]
            if not found:
                return 0
            for address in found:
                del sent[address]
            try:
                self.store.write(name, {"sent": sent}, if_generation=current.generation)
                return len(found)
            except PreconditionFailed:
                continue
        raise PreconditionFailed(name)
