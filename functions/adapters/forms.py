"""Forms v1: fill a copied form in one batchUpdate, publish it, read responses, keep watches."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from functions.adapters.retry import Gate, Repeat

# Responses a page. Google allows 5 000, but a page is parsed whole before its first response is
# used: 5 000 plans took ~130 MB while parsed, a fourth of a 63 000-response collection's peak.
# 1 000 keep that to ~27 MB for one more "expensive read" per 1 000 responses (180 a minute per
# user: 63 pages for 63 000 responses is well inside a minute's quota).
PAGE_SIZE = 1000


class Forms:
    def __init__(self, service: Any, gate: Gate | None = None) -> None:
        self.service = service
        # A collection resource is built from the discovery document (~1 ms of CPU each):
        # built once, not per call (thousands of calls in a province's run).
        self._forms = service.forms()
        self.gate = gate or Gate()

    def _run(self, request: Any, repeat: Repeat = Repeat.ANY) -> Any:
        return self.gate.execute("forms", request, repeat=repeat)

    def get(self, form_id: str) -> dict[str, Any]:
        return self._run(self._forms.get(formId=form_id))

    def accepting(self, form_id: str) -> bool:
        """Whether the form takes responses now: its publish state alone (``fields``), a small
        read. A legacy form, without publish settings, is open."""
        answer = self._run(self._forms.get(formId=form_id, fields="publishSettings"))
        state = answer.get("publishSettings", {}).get("publishState", {})
        return bool(state.get("isAcceptingResponses", True))

    def batch_update(self, form_id: str, requests: list[dict[str, Any]],
                     revision: str | None = None) -> dict[str, Any]:
        """Applies ``requests`` atomically; with ``revision``, only if the form is still at that
        revision (``writeControl.requiredRevisionId``): a call repeated after its answer was
        lost is then refused (400) instead of applied twice, so it may be repeated. Without,
        it is not repeated (a second ``createItem`` would add the question twice)."""
        body: dict[str, Any] = {"requests": requests, "includeFormInResponse": True}
        if revision:
            body["writeControl"] = {"requiredRevisionId": revision}
        return self._run(self._forms.batchUpdate(formId=form_id, body=body),
                         repeat=Repeat.ANY if revision else Repeat.REFUSED)

    def publish(self, form_id: str, *, accepting: bool) -> None:
        body = {
            "publishSettings": {"publishState": {"isPublished": True,
                                                 "isAcceptingResponses": accepting}},
            "updateMask": "publishState",
        }
        self._run(self._forms.setPublishSettings(formId=form_id, body=body))

    def responses(self, form_id: str, since: str | None = None) -> Iterator[dict[str, Any]]:
        """Every response, or those with ``timestamp >= since`` (keep the filter across pages)."""
        token = None
        query_filter = f"timestamp >= {since}" if since else None
        while True:
            answer = self._run(self._forms.responses().list(
                formId=form_id, pageSize=PAGE_SIZE, pageToken=token, filter=query_filter))
            yield from answer.get("responses", [])
            token = answer.get("nextPageToken")
            if not token:
                return

    def watches(self, form_id: str) -> list[dict[str, Any]]:
        answer = self._run(self._forms.watches().list(formId=form_id))
        return list(answer.get("watches", []))

    def watch(self, form_id: str, topic: str) -> dict[str, Any]:
        """Creates the form's RESPONSES watch. Repeated after a lost answer, the create meets
        the watch it made (400): ``services.watches.ensure_watch`` lists and adopts it."""
        body = {"watch": {"target": {"topic": {"topicName": topic}}, "eventType": "RESPONSES"}}
        return self._run(self._forms.watches().create(
            formId=form_id, body=body))

    def delete_watch(self, form_id: str, watch_id: str) -> None:
        self._run(self._forms.watches().delete(formId=form_id, watchId=watch_id))

    def renew(self, form_id: str, watch_id: str) -> dict[str, Any]:
        return self._run(self._forms.watches().renew(
            formId=form_id, watchId=watch_id, body={}))
