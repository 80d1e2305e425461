"""Pub/Sub push delivery, shaped as Eventarc delivers a topic message to a gen2 function.

A binary-mode CloudEvent: ``ce-*`` headers, and a body ``{"message": {...}, "subscription"}``
whose message carries the Forms watch's ids in ``attributes`` and empty ``data``. Delivery runs
on a few background threads per emulator (``Pusher``, at most ``WORKERS``: pushes arrive
together, as Pub/Sub's do), so a slow function never blocks a submission and a dead endpoint
costs a queued retry, not a thread per submission: a failed
push is retried a few times with back-off, other deliveries going first meanwhile; at most
``QUEUE_LIMIT`` deliveries wait, further ones are dropped with a warning (Pub/Sub would keep
them for days; a test or benchmark whose endpoint is gone does not need them).
"""

from __future__ import annotations

import base64
import heapq
import itertools
import json
import logging
import secrets
import threading
import time
import urllib.request
from dataclasses import dataclass
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
    payload = json.dumps(body).encode()
    for endpoint in subscriptions["endpoints"]:
        emulator.pusher.push(Delivery(endpoint, payload, headers))


ATTEMPTS = 5
WORKERS = 8  # delivery threads at most (Pub/Sub pushes concurrently; a burst must coalesce)
QUEUE_LIMIT = 1000  # deliveries waiting (first tries and retries) before new ones are dropped


@dataclass(frozen=True)
class Delivery:
    endpoint: str
    payload: bytes
    headers: dict[str, str]
    attempt: int = 0


class Pusher:
    """Up to ``WORKERS`` delivery threads (started as work waits) sharing a queue ordered by
    due time."""

    def __init__(self, timeout: float, backoff: float = 0.2) -> None:
        self.timeout, self.backoff = timeout, backoff
        self.dropped = 0
        self.delivered = 0
        self._due: list[tuple[float, int, Delivery]] = []
        self._order = itertools.count()
        self._ready = threading.Condition()
        self._threads: list[threading.Thread] = []
        self._idle = 0  # threads waiting for work
        self._closed = False

    @property
    def threads(self) -> int:
        """Delivery threads alive (at most ``WORKERS``)."""
        return sum(1 for thread in self._threads if thread.is_alive())

    def waiting(self) -> int:
        with self._ready:
            return len(self._due)

    def push(self, delivery: Delivery, delay: float = 0.0) -> None:
        with self._ready:
            if self._closed:
                return
            if len(self._due) >= QUEUE_LIMIT:
                self.dropped += 1
                log.warning("push queue full: message to %s dropped", delivery.endpoint)
                return
            heapq.heappush(self._due, (time.monotonic() + delay, next(self._order), delivery))
            self._threads = [thread for thread in self._threads if thread.is_alive()]
            if self._idle == 0 and len(self._threads) < WORKERS:
                thread = threading.Thread(target=self._work, name="pubsub-push", daemon=True)
                self._threads.append(thread)
                thread.start()
            self._ready.notify()

    def close(self) -> None:
        """Stops the delivery thread; what still waits is dropped (the emulator stops)."""
        with self._ready:
            self._closed = True
            self._due.clear()
            self._ready.notify()

    def _work(self) -> None:
        while True:
            with self._ready:
                while not self._closed and (not self._due
                                            or self._due[0][0] > time.monotonic()):
                    wait = self._due[0][0] - time.monotonic() if self._due else None
                    self._idle += 1
                    self._ready.wait(wait)
                    self._idle -= 1
                if self._closed:
                    return
                _, _, delivery = heapq.heappop(self._due)
            if self._send(delivery):
                self.delivered += 1
            elif delivery.attempt + 1 < ATTEMPTS:
                retry = Delivery(delivery.endpoint, delivery.payload, delivery.headers,
                                 delivery.attempt + 1)
                self.push(retry, delay=self.backoff * 2**delivery.attempt)

    def _send(self, delivery: Delivery) -> bool:
        try:
            request = urllib.request.Request(delivery.endpoint, delivery.payload,
                                             delivery.headers, method="POST")
            with urllib.request.urlopen(request, timeout=self.timeout) as answer:
                return bool(answer.status < 300)
        except OSError as exc:
            log.warning("push to %s failed (attempt %d): %s", delivery.endpoint,
                        delivery.attempt + 1, exc)
            return False
