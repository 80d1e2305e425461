"""Docs v1: read a Doc's text and tables (one ``documents.get``), replace texts in it
(``replaceAllText``, a batch of them per call)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from functions.adapters.retry import Gate

BATCH = 500  # replacements per batchUpdate: a Sở report names a few thousand people at most


@dataclass(frozen=True)
class Content:
    text: str  # every character of the body, tables included, in order
    tables: list[list[list[str]]]  # each table's rows of cell texts (stripped)


class Docs:
    def __init__(self, service: Any, gate: Gate | None = None) -> None:
        self.service = service
        self.gate = gate or Gate()

    def read(self, document_id: str) -> Content:
        document = self.gate.execute("docs", self.service.documents().get(
            documentId=document_id, fields="body.content"))
        tables: list[list[list[str]]] = []
        text = _walk(document.get("body", {}).get("content", []), tables)
        return Content(text, tables)

    def replace_all(self, document_id: str, replacements: Mapping[str, str]) -> int:
        """Replaces each text (case-sensitive) everywhere in the Doc; the number replaced.
        Repeating it changes nothing more, so a call whose answer was lost may be repeated."""
        pairs = list(replacements.items())
        changed = 0
        for start in range(0, len(pairs), BATCH):
            requests = [{"replaceAllText": {"containsText": {"text": old, "matchCase": True},
                                            "replaceText": new}}
                        for old, new in pairs[start:start + BATCH]]
            answer = self.gate.execute("docs", self.service.documents().batchUpdate(
                documentId=document_id, body={"requests": requests}))
            changed += sum(int(reply.get("replaceAllText", {}).get("occurrencesChanged", 0))
                           for reply in answer.get("replies", []))
        return changed



def _walk(elements: list[dict[str, Any]], tables: list[list[list[str]]]) -> str:
    """The text of ``elements``; each table met is added to ``tables``."""
    out: list[str] = []
    for element in elements:
        if "paragraph" in element:
            out += [run.get("textRun", {}).get("content", "")
                    for run in element["paragraph"].get("elements", [])]
        elif "table" in element:
            rows: list[list[str]] = []
            tables.append(rows)
            for row in element["table"].get("tableRows", []):
                cells = [_walk(cell.get("content", []), tables)
                         for cell in row.get("tableCells", [])]
                rows.append([cell.strip() for cell in cells])
                out += cells
    return "".join(out)
