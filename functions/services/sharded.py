"""A JSON mapping kept as many small objects in the state store, read one shard at a time.

A key lives in shard ``crc32(key) % shards`` (``<prefix><index>.json``): a lookup reads one
small object, and a save writes only the shards whose content changed since they were read or
last written (compared on their serialised form, so entries mutated in place are seen too).
The number of shards is fixed by the owner when the mapping is first created (from the scale
it expects) and kept in the owner's head object. A shard that does not exist is empty.
"""

from __future__ import annotations

import json
import zlib
from collections.abc import Iterator, MutableMapping
from typing import Any

from functions.adapters.storage import PreconditionFailed
from functions.services.lease import CasStore


def shard_of(key: str, shards: int) -> int:
    """Stable across processes (Python's own ``hash`` of a string is salted per process)."""
    return zlib.crc32(key.encode()) % shards


def shards_for(expected: int, per_shard: int) -> int:
    """A power of two giving about ``per_shard`` keys a shard for ``expected`` keys."""
    shards = 1
    while shards * per_shard < expected:
        shards *= 2
    return shards


def dump(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def write_cas(store: CasStore, name: str, value: Any, generation: int) -> int:
    """Compare-and-set write; a failed precondition is our own write retried after a lost
    answer (every writer of the state holds the lease), so it is written again."""
    try:
        return store.write(name, value, if_generation=generation)
    except PreconditionFailed:
        return store.write(name, value)


class ShardedDict(MutableMapping[str, Any]):
    def __init__(self, store: CasStore, prefix: str, shards: int) -> None:
        self.store = store
        self.prefix = prefix
        self.shards = max(1, shards)
        self._parts: dict[int, dict[str, Any]] = {}
        self._generations: dict[int, int] = {}
        self._saved: dict[int, str] = {}  # each loaded shard as it is stored

    def name(self, index: int) -> str:
        return f"{self.prefix}{index}.json"

    def _part(self, key: str) -> dict[str, Any]:
        return self._load(shard_of(key, self.shards))

    def _load(self, index: int) -> dict[str, Any]:
        if index not in self._parts:
            found = self.store.read(self.name(index))
            part = dict(found.value or {})
            self._parts[index] = part
            self._generations[index] = found.generation
            self._saved[index] = dump(part)
        return self._parts[index]

    def load_all(self) -> None:
        for index in range(self.shards):
            self._load(index)

    def fill(self, values: dict[str, Any]) -> None:
        """Takes ``values`` as the whole content without reading the stored shards (a carry-over
        from the single-object layout: the shards do not exist yet)."""
        for index in range(self.shards):
            self._parts.setdefault(index, {})
            self._generations.setdefault(index, 0)
            self._saved.setdefault(index, dump({}))
        for key, value in values.items():
            self[key] = value

    def __getitem__(self, key: str) -> Any:
        return self._part(key)[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self._part(key)[key] = value

    def __delitem__(self, key: str) -> None:
        del self._part(key)[key]

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and key in self._part(key)

    def get(self, key: str, default: Any = None) -> Any:
        return self._part(key).get(key, default)

    def __iter__(self) -> Iterator[str]:
        self.load_all()
        return iter([key for index in sorted(self._parts) for key in self._parts[index]])

    def __len__(self) -> int:
        self.load_all()
        return sum(len(part) for part in self._parts.values())

    def clear(self) -> None:
        self.load_all()
        for part in self._parts.values():
            part.clear()

    def changed(self) -> list[int]:
        return [index for index, part in sorted(self._parts.items())
                if dump(part) != self._saved[index]]

    def save(self, create_only: bool = False) -> int:
        """Writes the shards that changed; the number written. ``create_only``: only those that
        do not exist yet (another writer's are newer)."""
        written = self.changed()
        for index in written:
            part = self._parts[index]
            if create_only:
                try:
                    self._generations[index] = self.store.write(self.name(index), part,
                                                                if_generation=0)
                except PreconditionFailed:
                    continue
            else:
                self._generations[index] = write_cas(self.store, self.name(index), part,
                                                     self._generations[index])
            self._saved[index] = dump(part)
        return len(written)
