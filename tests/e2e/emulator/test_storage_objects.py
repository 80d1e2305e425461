"""Cloud Storage objects through google-api-python-client: compare-and-set by generation."""

from __future__ import annotations

import json
from typing import Any

import pytest
from googleapiclient.errors import HttpError
from googleapiclient.http import MediaInMemoryUpload

from functions.adapters.clients import Clients

try:
    from tests.e2e.emulator.contract import assert_matches_schema
except ImportError:  # the shared contract helper has not landed yet: the same check, locally
    from emulator import schema

    def assert_matches_schema(service: str, schema_name: str, body: Any) -> None:
        schema.validate(service, schema_name, body, strict=True)

BUCKET = "guongmau-state"


def insert(storage: Any, name: str, data: bytes, **preconditions: Any) -> Any:
    media = MediaInMemoryUpload(data, mimetype="application/json")
    answer = storage.objects().insert(bucket=BUCKET, name=name, media_body=media,
                                      **preconditions).execute()
    assert_matches_schema("storage.v1", "Object", answer)
    return answer


def test_two_inserts_if_absent_one_wins_and_one_gets_412(clients: Clients) -> None:
    storage = clients.service("storage")
    first = insert(storage, "locks/sync.json", b'{"owner": "a"}', ifGenerationMatch=0)
    with pytest.raises(HttpError) as caught:
        insert(storage, "locks/sync.json", b'{"owner": "b"}', ifGenerationMatch=0)
    assert caught.value.resp.status == 412
    error = json.loads(caught.value.content)["error"]
    assert error["errors"][0]["reason"] == "conditionNotMet"
    assert error["message"] == "At least one of the pre-conditions you specified did not hold."
    data = storage.objects().get_media(bucket=BUCKET, object="locks/sync.json").execute()
    assert json.loads(data) == {"owner": "a"}
    meta = storage.objects().get(bucket=BUCKET, object="locks/sync.json").execute()
    assert meta["generation"] == first["generation"]


def test_a_write_at_the_read_generation_succeeds_and_a_stale_one_fails(clients: Clients) -> None:
    storage = clients.service("storage")
    first = insert(storage, "cursor.json", b"1", ifGenerationMatch=0)
    second = insert(storage, "cursor.json", b"2", ifGenerationMatch=first["generation"])
    assert int(second["generation"]) > int(first["generation"])
    with pytest.raises(HttpError) as caught:
        insert(storage, "cursor.json", b"3", ifGenerationMatch=first["generation"])
    assert caught.value.resp.status == 412


def test_delete_honours_the_generation_and_a_missing_object_is_404(clients: Clients) -> None:
    storage = clients.service("storage")
    made = insert(storage, "a/b c.json", b"{}")
    with pytest.raises(HttpError) as stale:
        storage.objects().delete(bucket=BUCKET, object="a/b c.json",
                                 ifGenerationMatch=int(made["generation"]) + 1).execute()
    assert stale.value.resp.status == 412
    storage.objects().delete(bucket=BUCKET, object="a/b c.json",
                             ifGenerationMatch=made["generation"]).execute()
    with pytest.raises(HttpError) as missing:
        storage.objects().get(bucket=BUCKET, object="a/b c.json").execute()
    assert missing.value.resp.status == 404
    assert "No such object: guongmau-state/a/b c.json" in str(missing.value)


def test_list_by_prefix_and_a_multipart_insert_keeps_metadata(clients: Clients) -> None:
    storage = clients.service("storage")
    media = MediaInMemoryUpload(b"x", mimetype="text/plain")
    storage.objects().insert(bucket=BUCKET, body={"name": "units/u1", "metadata": {"k": "v"}},
                             media_body=media).execute()
    insert(storage, "units/u2", b"y")
    insert(storage, "other", b"z")
    listed = storage.objects().list(bucket=BUCKET, prefix="units/").execute()
    assert_matches_schema("storage.v1", "Objects", listed)
    assert [o["name"] for o in listed["items"]] == ["units/u1", "units/u2"]
    assert listed["items"][0]["metadata"] == {"k": "v"}
