"""Cloud Pub/Sub v1, the little ``check-google`` needs: a topic, its IAM policy, a pull
subscription (create, pull, acknowledge, delete).

Facts (cloud.google.com/pubsub/docs/reference/rest): ``topics.getIamPolicy`` answers a
``Policy`` (``bindings[].role`` and ``members`` such as
``serviceAccount:forms-notifications@system.gserviceaccount.com``); a subscription is created
with ``PUT .../subscriptions/{name}`` and a body naming its ``topic``; ``pull`` answers
``receivedMessages[{ackId, message}]`` (possibly none); a subscription receives only messages
published after it was created.

The emulator's topics exist as the Workspace admin made them (README step 4): every topic
exists, with the Forms publisher's right, unless a control route says otherwise:
``POST /_emulator/pubsub/topics`` ``{"topic", "exists": bool, "formsPublisher": bool}``.
Forms refuses a watch on a topic that is missing or that Forms may not publish to
(``refusal``). Verified only on the emulator: Google's exact wording of that refusal.

Stored: collection ``pubsub`` (topic → ``{"endpoints", "exists", "formsPublisher"}``, shared
with the push subscriptions of ``emulator/pubsub.py``), ``subscriptions`` (name →
``{"name", "topic", "messages"}``).
"""

from __future__ import annotations

import secrets
from typing import Any

from emulator.control import route
from emulator.core import Call, Emulator
from emulator.errors import ApiError
from emulator.services import handles

FORMS_PUBLISHER = "serviceAccount:forms-notifications@system.gserviceaccount.com"
PUBLISHER_ROLE = "roles/pubsub.publisher"
MAX_MESSAGES = 1000  # PullRequest.maxMessages: "The maximum number of messages to return"


def topic_record(emulator: Emulator, topic: str) -> dict[str, Any]:
    """The topic's record, as the admin left it (exists, Forms may publish) unless changed."""
    record = emulator.store.get("pubsub", topic) or {"endpoints": []}
    return {"exists": True, "formsPublisher": True, **record}


def refusal(emulator: Emulator, topic: str) -> ApiError | None:
    """Why Forms cannot publish to ``topic``, or None. Wording: guess (after the Gmail and
    Cloud Storage answers for the same cause: "does not have permission to publish messages
    to the Cloud Pub/Sub topic ..., or that topic does not exist")."""
    record = topic_record(emulator, topic)
    if record["exists"] and record["formsPublisher"]:
        return None
    return ApiError(403, f"The Forms service account ({FORMS_PUBLISHER.split(':')[1]}) does not "
                         f"have permission to publish messages to the Cloud Pub/Sub topic "
                         f"'{topic}', or that topic does not exist.")


def _topic(call: Call) -> str:
    topic = f"projects/{call.params['projectsId']}/topics/{call.params['topicsId']}"
    if not topic_record(call.emulator, topic)["exists"]:
        raise ApiError(404, "Resource not found (resource=" + call.params["topicsId"] + ").")
    return topic


@handles("pubsub.projects.topics.get")
def get_topic(call: Call) -> Any:
    return {"name": _topic(call)}


@handles("pubsub.projects.topics.getIamPolicy")
def get_policy(call: Call) -> Any:
    record = topic_record(call.emulator, _topic(call))
    policy: dict[str, Any] = {"version": 1, "etag": "BwYAAAAAAAA="}
    if record["formsPublisher"]:
        policy["bindings"] = [{"role": PUBLISHER_ROLE, "members": [FORMS_PUBLISHER]}]
    return policy


def _subscription_name(call: Call) -> str:
    return f"projects/{call.params['projectsId']}/subscriptions/{call.params['subscriptionsId']}"


def _subscription(call: Call) -> dict[str, Any]:
    found = call.store.get("subscriptions", _subscription_name(call))
    if found is None:
        raise ApiError(404, "Resource not found (resource="
                            f"{call.params['subscriptionsId']}).")
    return dict(found)


@handles("pubsub.projects.subscriptions.create")
def create_subscription(call: Call) -> Any:
    name = _subscription_name(call)
    topic = str((call.body or {}).get("topic", ""))
    if not topic.startswith("projects/") or not topic_record(call.emulator, topic)["exists"]:
        raise ApiError(404, f"Resource not found (resource={topic.rsplit('/', 1)[-1]}).")
    if call.store.get("subscriptions", name) is not None:
        raise ApiError(409, "Resource already exists in the project (resource="
                            f"{call.params['subscriptionsId']}).")
    call.store.put("subscriptions", name, {"name": name, "topic": topic, "messages": []})
    return {"name": name, "topic": topic, "ackDeadlineSeconds": 10,
            "messageRetentionDuration": "604800s", "state": "ACTIVE"}


@handles("pubsub.projects.subscriptions.pull")
def pull(call: Call) -> Any:
    subscription = _subscription(call)
    wanted = int((call.body or {}).get("maxMessages") or 0)
    if not 0 < wanted <= MAX_MESSAGES:
        raise ApiError(400, "maxMessages must be between 1 and 1000.")  # wording: guess
    return {"receivedMessages": subscription["messages"][:wanted]}


@handles("pubsub.projects.subscriptions.acknowledge")
def acknowledge(call: Call) -> Any:
    name = _subscription_name(call)
    _subscription(call)
    acked = set((call.body or {}).get("ackIds") or [])
    record = call.store.get("subscriptions", name)
    record["messages"] = [m for m in record["messages"] if m["ackId"] not in acked]
    call.store.touch("subscriptions", name)
    return {}


@handles("pubsub.projects.subscriptions.delete")
def delete_subscription(call: Call) -> Any:
    _subscription(call)
    call.store.delete("subscriptions", _subscription_name(call))
    return {}


def deliver_to_pull(emulator: Emulator, topic: str, message: dict[str, Any]) -> None:
    """Queues a published message on every pull subscription of ``topic``."""
    for name, subscription in emulator.store.collection("subscriptions").items():
        if subscription["topic"] == topic:
            subscription["messages"].append({"ackId": secrets.token_hex(12),
                                             "message": dict(message)})
            emulator.store.touch("subscriptions", name)


@route("POST", "/_emulator/pubsub/topics")
def _topic_state(emulator: Emulator, body: Any, params: dict[str, str]) -> Any:
    topic = str(body["topic"])
    record = emulator.store.get("pubsub", topic) or {"endpoints": []}
    for key in ("exists", "formsPublisher"):
        if key in body:
            record[key] = bool(body[key])
    emulator.store.put("pubsub", topic, record)
    return topic_record(emulator, topic)
