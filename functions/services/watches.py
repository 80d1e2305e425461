"""Keeping every form watched: a watch expires 7 days after its creation or renewal.

Google keeps at most one watch per event type per form per project
(developers.google.com/workspace/forms/api/guides/push-notifications) and refuses a second
create (400 FAILED_PRECONDITION, observed in vm0-ai/vm0#25163): a create is not idempotent.
So the form's watches are listed before a create and again after a failed one; a watch
that is there (made by an attempt whose answer was lost, or by a run killed before it saved
its record) is adopted, never made twice.
"""

from __future__ import annotations

from typing import Any

from functions.adapters.errors import GoogleApiError
from functions.clock import moment_text
from functions.config.deployment import Deployment
from functions.services.registry import RegistryStore
from functions.services.workspace import Workspace

EVENT = "RESPONSES"


def topic_of(watch: dict[str, Any]) -> str:
    return str(watch.get("target", {}).get("topic", {}).get("topicName", ""))


def ensure_watch(ws: Workspace, form_id: str, topic: str) -> dict[str, Any]:
    """The form's one RESPONSES watch on ``topic``: a listed one adopted (and renewed, so it
    runs a full week from now), else created. A watch on another topic is deleted first: it
    would make Google refuse the create."""
    for attempt in range(2):
        for watch in ws.forms.watches(form_id):
            if watch.get("eventType") != EVENT:
                continue
            if topic_of(watch) == topic:
                return ws.forms.renew(form_id, str(watch["id"]))
            _delete(ws, form_id, str(watch["id"]))
        try:
            return ws.forms.watch(form_id, topic)
        except GoogleApiError as error:
            # 400: one exists after all (a repeated create met the one it made): listed again.
            if error.status != 400 or attempt:
                raise
    raise AssertionError("unreachable")


def _delete(ws: Workspace, form_id: str, watch_id: str) -> None:
    try:
        ws.forms.delete_watch(form_id, watch_id)
    except GoogleApiError as error:
        if error.status not in (403, 404):  # 403 "Watch not found": already gone
            raise


def renew_all(deployment: Deployment, ws: Workspace) -> list[str]:
    """Renews each form's RESPONSES watch, recreating one that expired or vanished."""
    topic = deployment.settings.pubsub_topic
    records = RegistryStore(ws.state, deployment.settings.year)
    registry = records.load()
    done = []
    for key, entry in sorted(registry.forms.items()):
        if not entry.get("id") or not topic:
            continue
        watch = entry.get("watch", {})
        renewed = None
        if watch.get("id") and watch.get("topic") == topic:
            try:
                renewed = ws.forms.renew(entry["id"], watch["id"])
            except GoogleApiError as error:
                if error.status not in (400, 403, 404):
                    raise  # else expired or deleted: found or made again below
        if renewed is None:
            renewed = ensure_watch(ws, entry["id"], topic)
        entry["watch"] = {"id": renewed["id"], "topic": topic,
                          "expireTime": renewed.get("expireTime", "")}
        registry.changed()
        until = moment_text(renewed.get("expireTime", ""), deployment.settings.schedule.time_zone)
        done.append(f"{key}: đến {until}")
    records.save(registry, force=True)
    return done
