"""Docs API v1 through google-api-python-client over HTTP: create, get, index arithmetic."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from googleapiclient.errors import HttpError

from functions.adapters.clients import Clients
from tests.e2e.emulator.contract import assert_matches_schema

USER = "ht.a@sgddt-demo.edu.vn"


def checked(schema_name: str, body: Any) -> Any:
    assert_matches_schema("docs", schema_name, body)
    return body


@pytest.fixture
def docs(as_user: Callable[[str], Clients]) -> Any:
    return as_user(USER).service("docs")


def new_doc(docs: Any, title: str = "Báo cáo") -> str:
    created = checked("Document", docs.documents().create(body={"title": title}).execute())
    return str(created["documentId"])


def get(docs: Any, document_id: str) -> dict[str, Any]:
    return checked("Document", docs.documents().get(documentId=document_id).execute())  # type: ignore[no-any-return]


def update(docs: Any, document_id: str, *requests: dict[str, Any]) -> dict[str, Any]:
    answer = docs.documents().batchUpdate(documentId=document_id,
                                          body={"requests": list(requests)}).execute()
    return checked("BatchUpdateDocumentResponse", answer)  # type: ignore[no-any-return]


def body_text(document: dict[str, Any]) -> str:
    out = []
    for element in document["body"]["content"]:
        for run in element.get("paragraph", {}).get("elements", []):
            out.append(run.get("textRun", {}).get("content", ""))
    return "".join(out)


def test_a_new_document_has_a_section_break_then_one_empty_paragraph(docs: Any) -> None:
    document = get(docs, new_doc(docs, "Kế hoạch"))
    assert document["title"] == "Kế hoạch"
    first, second = document["body"]["content"]
    assert first == {"endIndex": 1, "sectionBreak": {"sectionStyle": {
        "columnSeparatorStyle": "NONE", "contentDirection": "LEFT_TO_RIGHT",
        "sectionType": "CONTINUOUS"}}}
    assert (second["startIndex"], second["endIndex"]) == (1, 2)
    assert second["paragraph"]["elements"][0]["textRun"]["content"] == "\n"
    style = document["documentStyle"]
    assert style["pageSize"] == {"width": {"magnitude": 612, "unit": "PT"},
                                 "height": {"magnitude": 792, "unit": "PT"}}
    assert document["revisionId"]


def test_the_service_account_without_storage_cannot_create_a_document(clients: Clients) -> None:
    with pytest.raises(HttpError) as raised:
        clients.service("docs").documents().create(body={"title": "x"}).execute()
    assert raised.value.resp.status == 403


def test_inserted_text_shifts_the_indexes_of_what_follows(docs: Any) -> None:
    document_id = new_doc(docs)
    update(docs, document_id, {"insertText": {"location": {"index": 1}, "text": "Xin chào\n"}},
           {"insertText": {"endOfSegmentLocation": {}, "text": "Cuối"}})
    content = get(docs, document_id)["body"]["content"]
    assert [(e.get("startIndex", 0), e["endIndex"]) for e in content] == [(0, 1), (1, 10),
                                                                          (10, 15)]
    assert body_text(get(docs, document_id)) == "Xin chào\nCuối\n"


def test_an_index_past_the_end_is_refused_with_googles_message(docs: Any) -> None:
    document_id = new_doc(docs)
    update(docs, document_id, {"insertText": {"location": {"index": 1}, "text": "abcd"}})
    with pytest.raises(HttpError) as raised:
        update(docs, document_id, {"insertText": {"location": {"index": 100}, "text": "x"}})
    assert raised.value.resp.status == 400
    assert raised.value.reason == ("Invalid requests[0].insertText: Index 100 must be less than "
                                   "the end index of the referenced segment, 6.")
