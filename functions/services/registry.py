"""What the service created in Workspace for one year, and in which state: the state record.

Kept in the state bucket under ``years/<year>/registry/``: ``main.json`` holds the record but
its three maps by unit code — ``units``, and the overview's ``rows`` and ``shown`` — which are
spread over shards by code (``sharded.py``): a notification that writes one unit reads the main
object and that unit's shards, not the whole record (≈ 0.8 MB at 2 000 units). A save writes
only the objects that changed. A record kept in the former single object
(``years/<year>/registry.json``) is carried over on first load and deleted once the new layout
is saved. Every created file also carries ``appProperties`` naming what it is, so a lost
record can be rebuilt from Drive. Ids are generated before a create and recorded first: a
create retried after a crash reuses the id, and Drive answers 409 instead of leaving a twin.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from functions.adapters.storage import PreconditionFailed
from functions.services.lease import CasStore
from functions.services.sharded import ShardedDict, dump, shards_for, write_cas

# Where the maps by unit code live in the record, and how many units a shard holds: the number of
# shards is fixed when the record is created, from the units expected (2 000 units: 128 shards of
# about 6 KB for ``units``, 16 of about 3 KB for the others; a 10-unit province: one of each, so
# reading the whole record is a few objects, not 160).
SHARDED = {("units",): 16, ("overview", "rows"): 125, ("overview", "shown"): 125}
APP_KEY = "guongmau"  # appProperties: {"guongmau": "<kind>", "guongmauYear": "2025", ...}


def fingerprint(value: Any) -> str:
    """A short stable digest of JSON-able data: "is this still what we built?"."""
    data = json.dumps(value, sort_keys=True, ensure_ascii=False, default=str).encode()
    return hashlib.sha256(data).hexdigest()[:16]


def app_properties(year: int, kind: str, key: str = "") -> dict[str, str]:
    properties = {APP_KEY: kind, "guongmauYear": str(year)}
    if key:
        properties["guongmauKey"] = key
    return properties


@dataclass
class Registry:
    """The year's state record. Sections are plain dicts so the record stays readable JSON."""

    year: int
    data: dict[str, Any] = field(default_factory=dict)
    generation: int = 0
    dirty: bool = False

    @property
    def folders(self) -> dict[str, str]:
        return self.data.setdefault("folders", {})

    @property
    def forms(self) -> dict[str, dict[str, Any]]:
        return self.data.setdefault("forms", {})

    @property
    def units(self) -> dict[str, dict[str, Any]]:
        return self.data.setdefault("units", {})

    @property
    def overview(self) -> dict[str, Any]:
        return self.data.setdefault("overview", {})

    @property
    def spare_ids(self) -> list[str]:
        return self.data.setdefault("spare_ids", [])

    def changed(self) -> None:
        self.dirty = True

    def empty(self) -> bool:
        """Nothing was ever recorded for the year."""
        return not self.generation and not self.dirty

    def file_ids(self) -> set[str]:
        """Every Drive file the record names: folders, forms, unit folders and Sheets, the
        overview (the ones to keep when a listing shows twins)."""
        ids = set(self.folders.values())
        ids |= {str(entry["id"]) for entry in self.forms.values() if entry.get("id")}
        for entry in self.units.values():
            ids |= {str(entry[key]) for key in ("folder", "sheet") if entry.get(key)}
        if self.overview.get("id"):
            ids.add(str(self.overview["id"]))
        return ids


class RegistryStore:
    """Loads and saves the record. Saved after each step that landed, at most once a second
    (Cloud Storage takes one write a second to one object name,
    cloud.google.com/storage/quotas#objects), and on every exit of a run (``kept``): a run that
    stops resumes with what is left, without finding again what is recorded. The files
    themselves stay the truth: what a killed run did not record is found and adopted."""

    def __init__(self, store: CasStore, year: int, min_interval: float = 1.0,
                 read_only: bool = False, expected_units: int = 0) -> None:
        self.store = store
        self.expected_units = expected_units  # sizes the shards of a record created here
        self.read_only = read_only  # a dry run: what it notes in memory is never saved
        self.prefix = f"years/{year}/registry/"
        self.name = self.prefix + "main.json"
        self.former = f"years/{year}/registry.json"
        self.year = year
        self.min_interval = min_interval
        self._last_save = 0.0
        self._carried = False
        self._saved_main = ""

    def load(self) -> Registry:
        found = self.store.read(self.name)
        data = dict(found.value or {})
        carried: dict[tuple[str, ...], dict[str, Any]] = {}
        if not found.generation:
            former = self.store.read(self.former)
            data = dict(former.value or {})
            self._carried = bool(former.generation)
            carried = {path: dict(_pop(data, path)) for path in SHARDED}
        shards = data.pop("shards", {})
        expected = max(self.expected_units, len(carried.get(("units",), {})))
        for path, per_shard in SHARDED.items():
            name = "_".join(path)
            sharded = ShardedDict(self.store, f"{self.prefix}{name}/",
                                  int(shards.get(name) or shards_for(expected, per_shard)))
            if not found.generation:
                sharded.fill(carried.get(path, {}))
            _place(data, path, sharded)
        self._saved_main = "" if self._carried else dump(_main(data)) if found.generation else ""
        return Registry(self.year, data, found.generation, dirty=self._carried)

    def carry_over(self, registry: Registry) -> None:
        """Saves a record read from the former single object in the new layout, creating only
        what does not exist yet: a reader (the collection) may meet the record first, and a
        writer (provisioning) may carry it over meanwhile; the writer's objects win."""
        if not self._carried or self.read_only:
            return
        for path in SHARDED:
            _sharded(registry.data, path, self.store, self.prefix).save(create_only=True)
        with contextlib.suppress(PreconditionFailed):
            registry.generation = self.store.write(self.name, _main(registry.data),
                                                   if_generation=0)
        self.store.delete(self.former)
        self._carried = False

    def whole(self) -> dict[str, Any]:
        """The record as one plain dict, every shard read (the checks and tests)."""
        data = dict(self.load().data)
        data["overview"] = dict(data.get("overview", {}))
        for path in SHARDED:
            _place(data, path, dict(_pop(data, path)))
        return data

    def overwrite(self, record: dict[str, Any]) -> None:
        """Makes ``record`` (one plain dict, as ``whole`` gives) the saved record."""
        registry = self.load()
        data = dict(record)
        data["overview"] = dict(data.get("overview", {}))
        for path in SHARDED:
            sharded = _sharded(registry.data, path, self.store, self.prefix)
            sharded.load_all()
            sharded.clear()
            sharded.update(_pop(data, path))
            _place(data, path, sharded)
        registry.data = data
        registry.changed()
        self.save(registry, force=True)

    @contextmanager
    def kept(self, registry: Registry, *others: Callable[[], None]) -> Iterator[None]:
        """Saves the record, then runs ``others`` (the saves of what goes with it), when the
        block exits, however it exits. On a failure the failure is what is reported, even if
        the save fails too."""
        try:
            yield
        except BaseException:
            with contextlib.suppress(Exception):
                self._save_all(registry, others)
            raise
        self._save_all(registry, others)

    def _save_all(self, registry: Registry, others: Sequence[Callable[[], None]]) -> None:
        self.save(registry, force=True)
        for save in others:
            save()

    def save(self, registry: Registry, force: bool = False) -> bool:
        """Writes the record if it changed (unless saved less than ``min_interval`` ago and not
        ``force``); True when it was written."""
        if not registry.dirty or self.read_only:
            return False
        if not force and time.monotonic() - self._last_save < self.min_interval:
            return False
        # The shards first, then the main object: a main object never names what is not saved.
        for path in SHARDED:
            _sharded(registry.data, path, self.store, self.prefix).save()
        main = _main(registry.data)
        if dump(main) != self._saved_main or not registry.generation:
            registry.generation = write_cas(self.store, self.name, main, registry.generation)
            self._saved_main = dump(main)
        if self._carried:
            self.store.delete(self.former)
            self._carried = False
        registry.dirty = False
        self._last_save = time.monotonic()
        return True


def _pop(data: dict[str, Any], path: tuple[str, ...]) -> Any:
    holder = data
    for key in path[:-1]:
        holder = holder.setdefault(key, {})
    return holder.pop(path[-1], {})


def _place(data: dict[str, Any], path: tuple[str, ...], value: Any) -> None:
    holder = data
    for key in path[:-1]:
        holder = holder.setdefault(key, {})
    holder[path[-1]] = value


def _sharded(data: dict[str, Any], path: tuple[str, ...], store: CasStore,
             prefix: str) -> ShardedDict:
    """The map at ``path``; one a caller replaced with a plain dict is taken into its shards."""
    holder = data
    for key in path[:-1]:
        holder = holder.setdefault(key, {})
    found = holder.get(path[-1])
    if isinstance(found, ShardedDict):
        return found
    name = "_".join(path)
    sharded = ShardedDict(store, f"{prefix}{name}/", shards_for(len(found or {}), SHARDED[path]))
    sharded.load_all()
    for key in list(sharded):
        del sharded[key]
    sharded.update(found or {})
    holder[path[-1]] = sharded
    return sharded


def _main(data: dict[str, Any]) -> dict[str, Any]:
    """The record without its sharded maps, naming their shards."""
    main = {key: value for key, value in data.items() if key != "units"}
    if isinstance(main.get("overview"), dict):
        main["overview"] = {key: value for key, value in main["overview"].items()
                            if key not in ("rows", "shown")}
    shards = {}
    for path in SHARDED:
        holder: Any = data
        for key in path:
            holder = holder.get(key) if isinstance(holder, dict) else None
        shards["_".join(path)] = holder.shards if isinstance(holder, ShardedDict) \
            else shards_for(len(holder or {}), SHARDED[path])
    main["shards"] = shards
    return main
