"""A minimal Cloud Storage JSON API: objects insert (media and multipart), get (metadata and
``alt=media``), delete and list, with generation preconditions — enough for a lease kept by
compare-and-set.

cloud.google.com/storage/docs/json_api/v1/objects and docs/request-preconditions:
- ``ifGenerationMatch=0`` means "only if no live object has this name".
- A failed precondition answers 412 conditionNotMet, "At least one of the pre-conditions you
  specified did not hold."
- A missing object answers 404 "No such object: <bucket>/<name>".
- ``generation`` and ``metageneration`` are int64 written as strings; ``md5Hash`` is base64.
Buckets are created implicitly; anyone with a bearer token (and the service account) may use
them (emulator rule: this API has no ACLs here).
"""

from __future__ import annotations

import base64
import hashlib
import time
from typing import Any

from emulator import paging
from emulator.core import Call, Raw
from emulator.errors import ApiError
from emulator.services import handles

OBJECTS = "objects"
PRECONDITION = "At least one of the pre-conditions you specified did not hold."


def _key(bucket: str, name: str) -> str:
    return f"{bucket}/{name}"


def _check(call: Call, current: dict[str, Any] | None) -> None:
    """Applies ifGenerationMatch / ifGenerationNotMatch / ifMetagenerationMatch."""
    generation = current["generation"] if current else "0"
    wanted = call.arg("ifGenerationMatch")
    if wanted is not None and wanted != generation:
        raise ApiError(412, PRECONDITION, reason="conditionNotMet", location="If-Match")
    unwanted = call.arg("ifGenerationNotMatch")
    if unwanted is not None and unwanted == generation:
        raise ApiError(304 if call.method.http_method == "GET" else 412, PRECONDITION,
                       reason="conditionNotMet", location="If-None-Match")
    meta = call.arg("ifMetagenerationMatch")
    if meta is not None and (current is None or meta != current["metageneration"]):
        raise ApiError(412, PRECONDITION, reason="conditionNotMet", location="If-Match")


def _live(call: Call, bucket: str, name: str) -> dict[str, Any] | None:
    return call.store.get(OBJECTS, _key(bucket, name))  # type: ignore[no-any-return,unused-ignore]


def render(call: Call, stored: dict[str, Any]) -> dict[str, Any]:
    meta = {k: v for k, v in stored.items() if k != "data"}
    base = f"{call.emulator.base_url}/storage/v1/b/{stored['bucket']}/o/"
    from urllib.parse import quote

    encoded = quote(stored["name"], safe="")
    return {**meta, "selfLink": base + encoded,
            "mediaLink": f"{call.emulator.base_url}/download/storage/v1/b/{stored['bucket']}"
                         f"/o/{encoded}?generation={stored['generation']}&alt=media"}


@handles("storage.objects.insert")
def insert(call: Call) -> Any:
    bucket = call.params["bucket"]
    metadata = dict(call.body or {})
    name = call.arg("name") or metadata.get("name")
    if not name:
        raise ApiError(400, "Required", reason="required", location="name")
    current = _live(call, bucket, name)
    _check(call, current)
    data = call.media or b""
    generation = str(max(int(time.time() * 1_000_000),
                         int(current["generation"]) + 1 if current else 0))
    now = call.emulator.timestamp()
    stored = {
        "kind": "storage#object", "id": f"{bucket}/{name}/{generation}", "name": name,
        "bucket": bucket, "generation": generation, "metageneration": "1",
        "contentType": metadata.get("contentType") or call.media_type
        or "application/octet-stream",
        "size": str(len(data)), "storageClass": "STANDARD",
        "md5Hash": base64.b64encode(hashlib.md5(data).digest()).decode(),
        "etag": base64.b64encode(generation.encode()).decode().rstrip("="),
        "timeCreated": now, "updated": now, "timeStorageClassUpdated": now,
        "data": base64.b64encode(data).decode(),
    }
    if isinstance(metadata.get("metadata"), dict):
        stored["metadata"] = {k: str(v) for k, v in metadata["metadata"].items()}
    call.store.put(OBJECTS, _key(bucket, name), stored)
    return render(call, stored)


def _existing(call: Call) -> dict[str, Any]:
    bucket, name = call.params["bucket"], call.params["object"]
    current = _live(call, bucket, name)
    if current is None or (call.arg("generation") and call.arg("generation") !=
                           current["generation"]):
        raise ApiError(404, f"No such object: {bucket}/{name}")
    return current


@handles("storage.objects.get")
def get(call: Call) -> Any:
    current = _existing(call)
    _check(call, current)
    if call.arg("alt") == "media":
        return Raw(base64.b64decode(current["data"]), current["contentType"],
                   headers={"x-goog-generation": current["generation"]})
    return render(call, current)


@handles("storage.objects.delete")
def delete(call: Call) -> Any:
    current = _existing(call)
    _check(call, current)
    call.store.delete(OBJECTS, _key(current["bucket"], current["name"]))
    return None


@handles("storage.objects.list")
def list_objects(call: Call) -> Any:
    bucket, prefix = call.params["bucket"], call.arg("prefix") or ""
    found = sorted((o for o in call.store.collection(OBJECTS).values()
                    if o["bucket"] == bucket and o["name"].startswith(prefix)),
                   key=lambda o: o["name"])
    shown, following = paging.page(found, call.arg("pageToken"), call.int_arg("maxResults", 1000))
    answer: dict[str, Any] = {"kind": "storage#objects",
                              "items": [render(call, o) for o in shown]}
    if following:
        answer["nextPageToken"] = following
    return answer
