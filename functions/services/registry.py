"""What the service created in Workspace for one year, and in which state: the state record.

Kept as one JSON object in the state bucket (``years/<year>/registry.json``). Every created
file also carries ``appProperties`` naming what it is, so a lost record can be rebuilt from
Drive. Ids are generated before a create and recorded first: a create retried after a crash
reuses the id, and Drive answers 409 instead of leaving a twin.
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
                 read_only: bool = False) -> None:
        self.store = store
        self.read_only = read_only  # a dry run: what it notes in memory is never saved
        self.name = f"years/{year}/registry.json"
        self.year = year
        self.min_interval = min_interval
        self._last_save = 0.0

    def load(self) -> Registry:
        found = self.store.read(self.name)
        return Registry(self.year, dict(found.value or {}), found.generation)

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
        try:
            registry.generation = self.store.write(self.name, registry.data,
                                                   if_generation=registry.generation)
        except PreconditionFailed:
            # Only lease holders write it, so this is our own write retried after a lost answer.
            registry.generation = self.store.write(self.name, registry.data)
        registry.dirty = False
        self._last_save = time.monotonic()
        return True
