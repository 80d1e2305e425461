"""The emulator's state: plain JSON data by collection and id, persisted one file per resource.

Keeping every resource plain JSON makes persistence trivial and lets a restart resume exactly.
Only resources changed since the last flush are rewritten, so a write to one unit's Sheet costs
one small file write however large the province is.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any
from urllib.parse import quote, unquote

MARKER = ".guongmau-emulator"  # in a data folder the emulator made: the only kind --reset empties
MARKER_TEXT = ("Thư mục dữ liệu của trình giả lập guongmau. Lệnh «guongmau emulator --reset» chỉ "
               "xóa nội dung của thư mục có tệp này.\n")


def copied(value: Any) -> Any:
    """A deep copy of plain JSON data (dicts, lists, scalars): several times faster than
    ``copy.deepcopy``, which a province's worth of cell writes and reads used to spend most
    of their time in."""
    if type(value) is dict:
        return {key: copied(item) for key, item in value.items()}
    if type(value) is list:
        return [copied(item) for item in value]
    return value


class Store:
    def __init__(self, directory: Path | None = None) -> None:
        self.directory = directory
        self._data: dict[str, dict[str, Any]] = {}
        self._dirty: set[tuple[str, str]] = set()
        if directory is not None:
            self._load(directory)

    def _load(self, directory: Path) -> None:
        directory.mkdir(parents=True, exist_ok=True)
        if not any(directory.iterdir()):  # made (or found empty) by us: ours to reset later
            (directory / MARKER).write_text(MARKER_TEXT, encoding="utf-8")
        for kind_dir in sorted(p for p in directory.iterdir() if p.is_dir()):
            kind = unquote(kind_dir.name)
            for path in kind_dir.glob("*.json"):
                with open(path, encoding="utf-8") as handle:
                    self.collection(kind)[unquote(path.stem)] = json.load(handle)

    def collection(self, kind: str) -> dict[str, Any]:
        """The live dict of one collection (mutate through put/touch/delete to persist)."""
        return self._data.setdefault(kind, {})

    def get(self, kind: str, key: str) -> Any:
        return self._data.get(kind, {}).get(key)

    def put(self, kind: str, key: str, value: Any) -> Any:
        self.collection(kind)[key] = value
        self._dirty.add((kind, key))
        return value

    def touch(self, kind: str, key: str) -> None:
        """Marks a resource changed in place."""
        self._dirty.add((kind, key))

    def delete(self, kind: str, key: str) -> None:
        self._data.get(kind, {}).pop(key, None)
        self._dirty.add((kind, key))

    def flush(self) -> None:
        if self.directory is None:
            self._dirty.clear()
            return
        for kind, key in sorted(self._dirty):
            path = self.directory / quote(kind, safe="") / f"{quote(key, safe='')}.json"
            value = self.get(kind, key)
            if value is None:
                path.unlink(missing_ok=True)
                continue
            path.parent.mkdir(parents=True, exist_ok=True)
            temporary = path.with_suffix(".tmp")
            with open(temporary, "w", encoding="utf-8") as handle:
                handle.write(json.dumps(value, ensure_ascii=False))  # C encoder: ~10x faster
            os.replace(temporary, path)
        self._dirty.clear()

    def clear(self) -> None:
        for kind, items in self._data.items():
            self._dirty.update((kind, key) for key in items)
        self._data.clear()
        self.flush()
