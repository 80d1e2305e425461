"""Keeping every form watched: a watch expires 7 days after its creation or renewal."""

from __future__ import annotations

from functions.adapters.errors import GoogleApiError
from functions.config.deployment import Deployment
from functions.services.registry import RegistryStore
from functions.services.workspace import Workspace


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
        try:
            renewed = ws.forms.renew(entry["id"], watch["id"]) if watch.get("id") else None
        except GoogleApiError as error:
            if error.status not in (400, 403, 404):
                raise
            renewed = None  # expired or deleted: make a new one
        if renewed is None:
            live = [w for w in ws.forms.watches(entry["id"]) if w.get("eventType") == "RESPONSES"]
            renewed = live[0] if live else ws.forms.watch(entry["id"], topic)
            if live:
                renewed = ws.forms.renew(entry["id"], renewed["id"])
        entry["watch"] = {"id": renewed["id"], "topic": topic,
                          "expireTime": renewed.get("expireTime", "")}
        registry.changed()
        done.append(f"{key}: đến {renewed.get('expireTime', '?')}")
    records.save(registry, force=True)
    return done
