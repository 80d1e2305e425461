"""One writer at a time across the collect function, the reconcile and the command line.

A lease is a small object in a compare-and-set store (Cloud Storage with ``ifGenerationMatch``):
taken only when absent or expired, renewed by its holder, released by deleting it at the
generation the holder wrote. A crashed holder's lease simply expires.
"""

from __future__ import annotations

import contextlib
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Protocol

from functions.adapters.storage import PreconditionFailed, Versioned

LEASE_OBJECT = "lease.json"


class CasStore(Protocol):
    def read(self, name: str) -> Versioned: ...
    def write(self, name: str, value: object, if_generation: int | None = None) -> int: ...
    def delete(self, name: str, if_generation: int | None = None) -> None: ...


@dataclass
class Lease:
    store: CasStore
    ttl_seconds: float = 600.0
    name: str = LEASE_OBJECT
    clock: Callable[[], float] = time.time
    owner: str = field(default_factory=lambda: uuid.uuid4().hex)
    generation: int = 0

    def acquire(self) -> bool:
        """Takes the lease if it is free or expired; False when another live holder has it."""
        current = self.store.read(self.name)
        holder = current.value or {}
        if current.generation and holder.get("owner") != self.owner \
                and holder.get("expires", 0) > self.clock():
            return False
        return self._write(current.generation)

    def renew(self) -> bool:
        """Extends the lease; False if it was lost (expired and taken by another run)."""
        return self._write(self.generation)

    def release(self) -> None:
        # PreconditionFailed: taken over by another run after expiry; nothing of ours to release.
        with contextlib.suppress(PreconditionFailed):
            self.store.delete(self.name, if_generation=self.generation)
        self.generation = 0

    def _write(self, expected: int) -> bool:
        value = {"owner": self.owner, "expires": self.clock() + self.ttl_seconds}
        try:
            self.generation = self.store.write(self.name, value, if_generation=expected)
            return True
        except PreconditionFailed:
            # A retried write whose first answer was lost fails its precondition although it
            # landed: the object then names us.
            current = self.store.read(self.name)
            if (current.value or {}).get("owner") == self.owner:
                self.generation = current.generation
                return True
            return False
