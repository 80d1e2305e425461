"""Docs API v1: documents.create, documents.get, documents.batchUpdate; the Doc file type.

A Doc is a Drive record (its title is the record's name) plus its content in the ``documents``
collection, stored as blocks without indexes (``docs_model``). Request kinds live in
``docs_requests``; Drive's import of HTML and DOCX uploads in ``docs_import``/``docs_docx``;
exports in ``docs_export``.
"""

from __future__ import annotations

import copy
from typing import Any

from emulator import acl, files
from emulator.core import Call, Emulator
from emulator.errors import ApiError
from emulator.services import handles
from emulator.services.docs_edit import EditError
from emulator.services.docs_model import Json, new_document, render_blocks, revision_id
from emulator.services.docs_requests import KINDS, TAB_ID

COLLECTION = "documents"
# documents.get on a missing document (Google's generic NOT_FOUND text).
NOT_FOUND = "Requested entity was not found."


def _content(emulator: Emulator, document_id: str) -> Json:
    doc = emulator.store.get(COLLECTION, document_id)
    if doc is None:
        raise ApiError(404, NOT_FOUND)
    return doc


def _render_tab(doc: Json) -> Json:
    out: Json = {"body": {"content": render_blocks(doc["body"])[0]}}
    for kind, key in (("headers", "headerId"), ("footers", "footerId")):
        if doc[kind]:
            out[kind] = {segment_id: {key: segment_id, "content": render_blocks(blocks)[0]}
                         for segment_id, blocks in doc[kind].items()}
    out["documentStyle"] = copy.deepcopy(doc["documentStyle"])
    out["namedStyles"] = copy.deepcopy(doc["namedStyles"])
    if doc.get("lists"):
        out["lists"] = copy.deepcopy(doc["lists"])
    return out


def document_resource(
    emulator: Emulator,
    document_id: str,
    *,
    include_tabs: bool = False,
    suggestions_view_mode: str | None = None,
) -> dict[str, Any]:
    """The Document that ``documents.get`` answers (no access check: callers do their own)."""
    doc = _content(emulator, document_id)
    record = emulator.store.get("files", document_id) or {}
    title = record.get("name", "")
    tail = {
        "revisionId": revision_id(doc),
        "suggestionsViewMode": suggestions_view_mode or "SUGGESTIONS_INLINE",
        "documentId": document_id,
    }
    if include_tabs:
        # With includeTabsContent the content moves into Document.tabs and the legacy
        # top-level fields are left empty (documents.get reference).
        tab = {"tabProperties": {"tabId": TAB_ID, "title": "Tab 1"},
               "documentTab": _render_tab(doc)}
        return {"title": title, **tail, "tabs": [tab]}
    return {"title": title, **_render_tab(doc), **tail}


def _require_document(call: Call, role: str) -> dict[str, Any]:
    document_id = call.params["documentId"]
    # The Docs API answers 403 for a document the caller cannot see, 404 for a missing one
    # (guess, by analogy with the Sheets recordings).
    record = acl.require(call.store, call.user, document_id, role, hidden_status=403,
                         not_found_message=NOT_FOUND)
    if record.get("mimeType") != files.DOCUMENT or call.store.get(COLLECTION, document_id) is None:
        raise ApiError(400, "This operation is not supported for this document")
    return record


@handles("docs.documents.create")
def create(call: Call) -> Json:
    # "Creates a blank document using the title given in the request. Other fields in the
    # request, including any provided content, are ignored." (documents.create reference)
    title = (call.body or {}).get("title") or "Untitled document"
    record = files.new_file(call.emulator, call.user, name=title, mime_type=files.DOCUMENT)
    return document_resource(call.emulator, record["id"])


@handles("docs.documents.get")
def get(call: Call) -> Json:
    _require_document(call, "reader")
    return document_resource(call.emulator, call.params["documentId"],
                             include_tabs=call.flag("includeTabsContent"),
                             suggestions_view_mode=call.arg("suggestionsViewMode"))


@handles("docs.documents.batchUpdate")
def batch_update(call: Call) -> Json:
    _require_document(call, "writer")
    document_id = call.params["documentId"]
    stored = _content(call.emulator, document_id)
    body = call.body or {}
    control = body.get("writeControl", {})
    required = control.get("requiredRevisionId")
    if required and required != revision_id(stored):
        # Message is a guess; Google refuses a stale requiredRevisionId with 400.
        raise ApiError(400, "The required revision ID does not match the latest revision of "
                            "the document.")
    doc = copy.deepcopy(stored)  # a batch is atomic: nothing is kept if one request fails
    replies = []
    for number, request in enumerate(body.get("requests", [])):
        kind = next(iter(request))
        apply = KINDS.get(kind)
        if apply is None:
            raise ApiError(501, f"Invalid requests[{number}].{kind}: this request kind is not "
                                "implemented by the guongmau emulator.")
        try:
            replies.append(apply(doc, request[kind]))
        except EditError as error:
            raise ApiError(400, f"Invalid requests[{number}].{kind}: {error}") from None
    if replies:
        doc["revision"] += 1
        call.store.put(COLLECTION, document_id, doc)
        files.touch(call.emulator, document_id)
    return {"replies": replies, "writeControl": {"requiredRevisionId": revision_id(doc)},
            "documentId": document_id}


# --- The Doc file type, for Drive ---

def _create(emulator: Emulator, file_id: str, title: str) -> None:
    emulator.store.put(COLLECTION, file_id, new_document(file_id))


def _copy(emulator: Emulator, source_id: str, new_id: str, title: str) -> None:
    doc = copy.deepcopy(_content(emulator, source_id))
    doc.update(documentId=new_id, revision=1)
    emulator.store.put(COLLECTION, new_id, doc)


def _rename(emulator: Emulator, file_id: str, title: str) -> None:
    """Nothing to do: a Doc's title is its Drive record's name."""


def _delete(emulator: Emulator, file_id: str) -> None:
    emulator.store.delete(COLLECTION, file_id)


def _export(emulator: Emulator, file_id: str, mime_type: str) -> bytes | None:
    from emulator.services import docs_export

    record = emulator.store.get("files", file_id) or {}
    return docs_export.export(_content(emulator, file_id), record.get("name", ""), mime_type)


def _import(emulator: Emulator, file_id: str, data: bytes, mime_type: str) -> None:
    from emulator.services import docs_docx, docs_import

    if mime_type in (docs_docx.DOCX, "application/msword"):
        doc = docs_docx.document_from_docx(file_id, data)
    elif mime_type in ("text/html", "application/xhtml+xml"):
        doc = docs_import.document_from_html(file_id, data.decode("utf-8", errors="replace"))
    elif mime_type.startswith("text/"):
        doc = docs_import.document_from_text(file_id, data.decode("utf-8", errors="replace"))
    else:
        raise ApiError(400, f"Cannot import a file of type {mime_type} as a Google Doc.",
                       reason="badRequest")  # guess
    emulator.store.put(COLLECTION, file_id, doc)


files.register(files.DOCUMENT, files.ContentType(
    create=_create, copy=_copy, rename=_rename, delete=_delete, export=_export,
    import_media=_import,
))
