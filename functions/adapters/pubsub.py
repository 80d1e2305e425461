"""Cloud Pub/Sub v1, only what `check-google` needs: the topic, its IAM policy, and a pull
subscription it makes and deletes (scope ``https://www.googleapis.com/auth/pubsub``)."""

from __future__ import annotations

from typing import Any

from functions.adapters.retry import Gate

FORMS_PUBLISHER = "serviceAccount:forms-notifications@system.gserviceaccount.com"
PUBLISHER_ROLES = frozenset({"roles/pubsub.publisher", "roles/pubsub.editor", "roles/owner",
                             "roles/editor", "roles/pubsub.admin"})


class PubSub:
    def __init__(self, service: Any, gate: Gate | None = None) -> None:
        self.service = service
        self.gate = gate or Gate()

    def _run(self, request: Any) -> Any:
        return self.gate.execute("pubsub", request)

    def topic(self, topic: str) -> dict[str, Any]:
        return self._run(self.service.projects().topics().get(topic=topic))

    def forms_may_publish(self, topic: str) -> bool:
        """Whether the topic's policy lets Google Forms publish (a role with
        ``pubsub.topics.publish`` bound to Forms' service account)."""
        policy = self._run(self.service.projects().topics().getIamPolicy(resource=topic))
        return any(FORMS_PUBLISHER in binding.get("members", [])
                   for binding in policy.get("bindings", [])
                   if binding.get("role") in PUBLISHER_ROLES)

    def subscribe(self, name: str, topic: str) -> dict[str, Any]:
        return self._run(self.service.projects().subscriptions().create(
            name=name, body={"topic": topic}))

    def pull(self, name: str, max_messages: int = 10) -> list[dict[str, Any]]:
        """Received messages, acknowledged at once (a check needs each one only once)."""
        answer = self._run(self.service.projects().subscriptions().pull(
            subscription=name, body={"maxMessages": max_messages}))
        received = list(answer.get("receivedMessages", []))
        if received:
            self._run(self.service.projects().subscriptions().acknowledge(
                subscription=name, body={"ackIds": [m["ackId"] for m in received]}))
        return [dict(m.get("message", {})) for m in received]

    def unsubscribe(self, name: str) -> None:
        self._run(self.service.projects().subscriptions().delete(subscription=name))
