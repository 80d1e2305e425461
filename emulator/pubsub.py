"""Pub/Sub push delivery, shaped as Eventarc delivers a topic message to a gen2 function.

A binary-mode CloudEvent: ``ce-*`` headers, and a body ``{"message": {...}, "subscription"}``
whose message carries the Forms watch's ids in ``attributes`` and empty ``data``. Delivery runs
on a background thread, retried a few times, so a slow function never blocks a submission.
"""

from __future__ import annotations

import base64
import json
import logging
import secrets
import threading
import time
import urllib.request
from typing import Any

from emulator.core import Emulator

log = logging.getLogger(__name__)


def publish(emulator: Emulator, topic: str, attributes: dict[str, str], data: bytes = b"") -> None:
    """Pushes one message to every endpoint subscribed to ``topic`` and queues it on the
    topic's pull subscriptions."""
    from emulator.services.pubsub_topics import deliver_to_pull

    subscriptions = emulator.store.get("pubsub", topic) or {"endpoints": []}
    message_id = str(secrets.randbelow(10**16))
    published = emulator.timestamp()
    message: dict[str, Any] = {
        "attributes": attributes,
        "messageId": message_id,
        "publishTime": published,
    }
    if data:
        message["data"] = base64.b64encode(data).decode()
    deliver_to_pull(emulator, topic, message)
    project = topic.split("/")[1] if topic.startswith("projects/") else "emulator"
    body = {"message": message, "subscription": f"projects/{project}/subscriptions/guongmau-push"}
    headers = {
        "Content-Type": "application/json",
        "ce-id": message_id,
        "ce-source": f"//pubsub.googleapis.com/{topic}",
        "ce-specversion": "1.0",
        "ce-type": "google.cloud.pubsub.topic.v1.messagePublished",
        "ce-time": published,
    }
    for endpoint in subscriptions["endpoints"]:
        thread = threading.Thread(
            target=_deliver, args=(endpoint, body, headers, emulator.config.push_timeout),
            daemon=True,
        )
        thread.start()


def _deliver(endpoint: str, body: dict[str, Any], headers: dict[str, str], timeout: float) -> None:
    payload = json.dumps(body).encode()
    for attempt in range(5):
        try:
            request = urllib.request.Request(endpoint, payload, headers, method="POST")
            with urllib.request.urlopen(request, timeout=timeout) as answer:
                if answer.status < 300:
                    return
        except OSError as exc:
            log.warning("push to %s failed (attempt %d): %s", endpoint, attempt + 1, exc)
        time.sleep(0.2 * 2**attempt)
