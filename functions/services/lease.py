"""One writer at a time across the collect function, the reconcile and the command line.

A lease is a small object in a compare-and-set store (Cloud Storage with ``ifGenerationMatch``):
taken only when absent or expired, renewed by its holder, released by deleting it at the
generation the holder wrote. It is short (``LEASE_SECONDS``) and a heartbeat thread renews it
while the holder works, so a crashed or killed holder blocks others for at most that long.
"""

from __future__ import annotations

import contextlib
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from types import TracebackType
from typing import Protocol

from functions.adapters.storage import PreconditionFailed, Versioned

LEASE_OBJECT = "lease.json"
LEASE_SECONDS = 90.0  # a killed holder blocks the others at most this long


class CasStore(Protocol):
    def read(self, name: str) -> Versioned: ...
    def write(self, name: str, value: object, if_generation: int | None = None) -> int: ...
    def delete(self, name: str, if_generation: int | None = None) -> None: ...


@dataclass
class Lease:
    store: CasStore
    ttl_seconds: float = LEASE_SECONDS
    name: str = LEASE_OBJECT
    clock: Callable[[], float] = time.time  # wall clock: holders on other machines compare it
    owner: str = field(default_factory=lambda: uuid.uuid4().hex)
    generation: int = 0
    held_until: float = 0.0  # after a refused acquire: when the other holder's lease expires

    def acquire(self) -> bool:
        """Takes the lease if it is free or expired; False when another live holder has it."""
        current = self.store.read(self.name)
        holder = current.value or {}
        if current.generation and holder.get("owner") != self.owner \
                and holder.get("expires", 0) > self.clock():
            self.held_until = float(holder["expires"])
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


class Heartbeat:
    """Renews ``lease`` from a thread of its own every third of its life, while the holder
    works (``with Heartbeat(lease, until):``), and never after ``until`` (wall clock): a run
    hung past its time budget lets its lease expire.

    The work loop reads ``lost`` after each unit and stops when another run has taken over.
    A renewal that fails (Storage unreachable) is tried again at the next beat; two beats
    missed in a row still leave a third of the lease's life.
    """

    def __init__(self, lease: Lease, until: float) -> None:
        self.lease = lease
        self.until = until
        self.lost = False
        self.failures: list[str] = []  # renewals that raised (kept for the run's notes)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._beat, name="lease-heartbeat", daemon=True)

    def _beat(self) -> None:
        while not self._stop.wait(self.lease.ttl_seconds / 3):
            if self.lease.clock() > self.until:
                return
            try:
                if not self.lease.renew():
                    self.lost = True
                    return
            except Exception as error:  # retried at the next beat; reported in the notes
                self.failures.append(f"{type(error).__name__}: {error}")

    def __enter__(self) -> Heartbeat:
        self._thread.start()
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 traceback: TracebackType | None) -> None:
        self._stop.set()
        self._thread.join()
