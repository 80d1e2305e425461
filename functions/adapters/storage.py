"""Cloud Storage objects with generation preconditions: the compare-and-set store behind the
lease and the sync state (cursors, what was applied).

The store counts the bytes of state it moves (``moved``: "read", "written": the objects'
contents, not the HTTP overhead), the measure of what a run costs in state (README: a
notification moves a few kilobytes). It keeps the small objects it last read or wrote with their
generation: a read whose metadata shows the same generation does not download them again (the
registry's main object is read by the trigger and by the sync of the same run).

One store may be used from two threads (the lease's heartbeat and the run it guards): its calls
are serialised, since the httplib2 connection underneath is not thread-safe.
"""

from __future__ import annotations

import json
import threading
from collections import Counter
from dataclasses import dataclass
from typing import Any

from googleapiclient.http import MediaInMemoryUpload

from functions.adapters.errors import GoogleApiError
from functions.adapters.retry import Gate

CACHED_BYTES = 64 * 1024  # objects kept for a read at the same generation: heads, shards, main


@dataclass(frozen=True)
class Versioned:
    value: Any
    generation: int  # 0: the object does not exist


_LIST_FIELDS = "nextPageToken,items(name)"


class PreconditionFailed(Exception):
    """Another writer changed the object since it was read."""


class ObjectStore:
    def __init__(self, service: Any, bucket: str, gate: Gate | None = None) -> None:
        self.service = service
        # A collection resource is built from the discovery document (~1 ms of CPU each):
        # built once, not per call (thousands of calls in a province's run).
        self._objects = service.objects()
        self.bucket = bucket
        self.gate = gate or Gate()
        self._lock = threading.RLock()
        self.moved: Counter[str] = Counter()
        self._cache: dict[str, tuple[int, bytes]] = {}  # name → (generation, contents)

    def _run(self, request: Any) -> Any:
        return self.gate.execute("storage", request)

    def read(self, name: str) -> Versioned:
        with self._lock:
            return self._read(name)

    def _read(self, name: str) -> Versioned:
        while True:
            try:
                meta = self._run(self._objects.get(bucket=self.bucket, object=name))
            except GoogleApiError as error:
                if error.status == 404:
                    self._cache.pop(name, None)
                    return Versioned(None, 0)
                raise
            generation = int(meta["generation"])
            cached = self._cache.get(name)
            if cached is not None and cached[0] == generation:
                return Versioned(json.loads(cached[1]), generation)
            try:
                data = self._run(self._objects.get_media(
                    bucket=self.bucket, object=name, generation=generation))
            except GoogleApiError as error:
                if error.status == 404:
                    continue  # replaced or deleted since its metadata was read: read again
                raise
            self.moved["read"] += len(data)
            self._keep(name, generation, data)
            return Versioned(json.loads(data), generation)

    def _keep(self, name: str, generation: int, data: bytes) -> None:
        if len(data) <= CACHED_BYTES:
            self._cache[name] = (generation, data)
        else:
            self._cache.pop(name, None)

    def write(self, name: str, value: Any, if_generation: int | None = None) -> int:
        """Writes ``value``; with ``if_generation``, only if the object is still at that generation
        (0: only if absent)."""
        with self._lock:
            return self._write(name, value, if_generation)

    def _write(self, name: str, value: Any, if_generation: int | None) -> int:
        data = json.dumps(value, ensure_ascii=False).encode()
        media = MediaInMemoryUpload(data, mimetype="application/json")
        request = self._objects.insert(bucket=self.bucket, name=name, media_body=media,
                                                ifGenerationMatch=if_generation)
        self.moved["written"] += len(data)  # sent, whether or not it lands
        try:
            answer = self._run(request)
        except GoogleApiError as error:
            if error.status == 412:
                raise PreconditionFailed(name) from error
            raise
        self._keep(name, int(answer["generation"]), data)
        return int(answer["generation"])

    def names(self, prefix: str) -> list[str]:
        """The names of the objects under ``prefix`` (a page per 1 000)."""
        found: list[str] = []
        token = None
        with self._lock:
            while True:
                answer = self._run(self._objects.list(
                    bucket=self.bucket, prefix=prefix, pageToken=token, fields=_LIST_FIELDS))
                found += [str(item["name"]) for item in answer.get("items", [])]
                token = answer.get("nextPageToken")
                if not token:
                    return found

    def delete(self, name: str, if_generation: int | None = None) -> None:
        with self._lock:
            self._delete(name, if_generation)

    def _delete(self, name: str, if_generation: int | None) -> None:
        self._cache.pop(name, None)
        try:
            self._run(self._objects.delete(
                bucket=self.bucket, object=name, ifGenerationMatch=if_generation))
        except GoogleApiError as error:
            if error.status == 412:
                raise PreconditionFailed(name) from error
            if error.status != 404:
                raise
