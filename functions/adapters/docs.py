"""Docs v1: replace texts in a Doc (``replaceAllText``, a batch of them per call)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from functions.adapters.retry import Gate

BATCH = 500  # replacements per batchUpdate: a Sở report names a few thousand people at most


class Docs:
    def __init__(self, service: Any, gate: Gate | None = None) -> None:
        self.service = service
        self.gate = gate or Gate()

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

