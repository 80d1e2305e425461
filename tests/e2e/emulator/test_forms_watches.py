"""Forms watches through the API, and their Pub/Sub push delivered to a local HTTP endpoint."""

from __future__ import annotations

import json
import queue
import socket
import threading
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
import requests
from googleapiclient.errors import HttpError

from emulator import pubsub
from functions.adapters.clients import Clients
from tests.e2e.emulator.test_forms_helpers import (
    OWNER,
    checked,
    create_form,
    dozen_items,
    error_of,
    publish,
    question_ids,
)

TOPIC = "projects/guongmau-demo/topics/form-responses"
SCHEMA_TOPIC = "projects/guongmau-demo/topics/form-schema"


@pytest.fixture
def push_endpoint() -> Iterator[tuple[str, queue.Queue[tuple[dict[str, str], Any]]]]:
    """A tiny local HTTP server standing in for a push subscriber (a gen2 function)."""
    received: queue.Queue[tuple[dict[str, str], Any]] = queue.Queue()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers["Content-Length"]))
            received.put(({k.lower(): v for k, v in self.headers.items()}, json.loads(body)))
            self.send_response(204)
            self.end_headers()

        def log_message(self, format: str, *args: Any) -> None:
            """Quiet."""

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/push", received
    finally:
        server.shutdown()
        server.server_close()


def watch_body(event_type: str, topic: str = TOPIC) -> dict[str, Any]:
    return {"watch": {"target": {"topic": {"topicName": topic}}, "eventType": event_type}}


def test_watches_are_created_listed_renewed_and_deleted(
    as_user: Callable[[str], Clients], control: Any
) -> None:
    forms = as_user(OWNER).service("forms")
    form = create_form(forms)
    watches = forms.forms().watches()
    created = checked("Watch", watches.create(formId=form["formId"],
                                              body=watch_body("RESPONSES")).execute())
    assert created["state"] == "ACTIVE" and created["eventType"] == "RESPONSES"
    assert created["target"] == {"topic": {"topicName": TOPIC}}
    assert created["expireTime"] > created["createTime"]
    listed = checked("ListWatchesResponse", watches.list(formId=form["formId"]).execute())
    assert listed == {"watches": [created]}
    control.post("clock", {"advance": 3 * 24 * 3600})
    renewed = checked("Watch", watches.renew(formId=form["formId"], watchId=created["id"],
                                             body={}).execute())
    assert renewed["id"] == created["id"] and renewed["createTime"] == created["createTime"]
    assert renewed["expireTime"] > created["expireTime"]
    assert watches.delete(formId=form["formId"], watchId=created["id"]).execute() == {}
    assert watches.list(formId=form["formId"]).execute() == {"watches": []}
    with pytest.raises(HttpError) as caught:
        watches.delete(formId=form["formId"], watchId=created["id"]).execute()
    error = error_of(caught.value)
    assert (error["code"], error["message"]) == (403, "Watch not found or permission denied.")


def test_a_watch_expires_seven_days_after_creation(as_user: Callable[[str], Clients]) -> None:
    from datetime import datetime

    forms = as_user(OWNER).service("forms")
    form = create_form(forms)
    watch = forms.forms().watches().create(formId=form["formId"],
                                           body=watch_body("SCHEMA")).execute()
    def parse(text: str) -> datetime:
        return datetime.fromisoformat(text.replace("Z", "+00:00"))
    lifetime = parse(watch["expireTime"]) - parse(watch["createTime"])
    assert lifetime.total_seconds() == 7 * 24 * 3600


def test_a_second_watch_for_the_same_event_type_is_refused(
    as_user: Callable[[str], Clients],
) -> None:
    forms = as_user(OWNER).service("forms")
    form = create_form(forms)
    watches = forms.forms().watches()
    watches.create(formId=form["formId"], body=watch_body("RESPONSES")).execute()
    with pytest.raises(HttpError) as caught:
        watches.create(formId=form["formId"], body=watch_body("RESPONSES", SCHEMA_TOPIC)
                       ).execute()
    error = error_of(caught.value)
    assert (error["code"], error["status"]) == (400, "FAILED_PRECONDITION")
    watches.create(formId=form["formId"], body=watch_body("SCHEMA", SCHEMA_TOPIC)).execute()
    assert len(watches.list(formId=form["formId"]).execute()["watches"]) == 2


def test_a_malformed_topic_name_is_refused(as_user: Callable[[str], Clients]) -> None:
    forms = as_user(OWNER).service("forms")
    form = create_form(forms)
    with pytest.raises(HttpError) as caught:
        forms.forms().watches().create(formId=form["formId"],
                                       body=watch_body("RESPONSES", "form-responses")).execute()
    assert error_of(caught.value)["code"] == 400


def test_a_submission_and_an_edit_push_a_cloud_event_with_the_ids_in_its_attributes(
    as_user: Callable[[str], Clients],
    control: Any,
    emulator: Any,
    push_endpoint: tuple[str, queue.Queue[tuple[dict[str, str], Any]]],
) -> None:
    url, received = push_endpoint
    control.post("pubsub/subscriptions", {"topic": TOPIC, "pushEndpoint": url})
    forms = as_user(OWNER).service("forms")
    form = create_form(forms)
    form = forms.forms().batchUpdate(formId=form["formId"], body={
        "requests": dozen_items(), "includeFormInResponse": True}).execute()["form"]
    publish(forms, form["formId"])
    watch = forms.forms().watches().create(formId=form["formId"],
                                           body=watch_body("RESPONSES")).execute()
    control.post(f"forms/{form['formId']}/settings", {"allowResponseEdits": True})
    ids = question_ids(form)
    answers = {ids["Tên đơn vị"]: ["THCS A"], ids["Đã nộp?"]: ["Có"]}
    sent = control.post(f"forms/{form['formId']}/responses",
                        {"respondentEmail": "gv.an@sgddt-demo.edu.vn", "answers": answers})
    headers, body = received.get(timeout=10)
    assert headers["ce-type"] == "google.cloud.pubsub.topic.v1.messagePublished"
    assert headers["ce-source"] == f"//pubsub.googleapis.com/{TOPIC}"
    message = body["message"]
    assert message["attributes"] == {"formId": form["formId"], "watchId": watch["id"],
                                     "eventType": "RESPONSES"}
    assert "data" not in message and message["messageId"] and message["publishTime"]
    control.post(f"forms/{form['formId']}/responses",
                 {"respondentEmail": "gv.an@sgddt-demo.edu.vn", "answers": answers,
                  "responseId": sent["responseId"]})
    _, again = received.get(timeout=10)
    assert again["message"]["attributes"]["eventType"] == "RESPONSES"
    assert again["message"]["messageId"] != message["messageId"]


def test_a_schema_watch_fires_on_batch_update_and_an_expired_watch_is_silent(
    as_user: Callable[[str], Clients],
    control: Any,
    push_endpoint: tuple[str, queue.Queue[tuple[dict[str, str], Any]]],
) -> None:
    url, received = push_endpoint
    control.post("pubsub/subscriptions", {"topic": SCHEMA_TOPIC, "pushEndpoint": url})
    forms = as_user(OWNER).service("forms")
    form = create_form(forms)
    watch = forms.forms().watches().create(formId=form["formId"],
                                           body=watch_body("SCHEMA", SCHEMA_TOPIC)).execute()
    forms.forms().batchUpdate(formId=form["formId"],
                              body={"requests": dozen_items()[:1]}).execute()
    _, body = received.get(timeout=10)
    assert body["message"]["attributes"] == {"formId": form["formId"], "watchId": watch["id"],
                                             "eventType": "SCHEMA"}
    control.post("clock", {"advance": 7 * 24 * 3600 + 1})
    forms.forms().batchUpdate(formId=form["formId"],
                              body={"requests": dozen_items()[1:2]}).execute()
    forms.forms().watches().renew(formId=form["formId"], watchId=watch["id"], body={}).execute()
    forms.forms().batchUpdate(formId=form["formId"],
                              body={"requests": dozen_items()[2:3]}).execute()
    _, renewed = received.get(timeout=10)  # only the change made after the renewal
    assert renewed["message"]["attributes"]["watchId"] == watch["id"]
    with pytest.raises(queue.Empty):
        received.get(timeout=0.5)


def test_a_submission_without_a_subscriber_still_succeeds(
    as_user: Callable[[str], Clients], control: Any
) -> None:
    forms = as_user(OWNER).service("forms")
    form = create_form(forms)
    form = forms.forms().batchUpdate(formId=form["formId"], body={
        "requests": dozen_items()[:1], "includeFormInResponse": True}).execute()["form"]
    publish(forms, form["formId"])
    forms.forms().watches().create(formId=form["formId"], body=watch_body("RESPONSES")).execute()
    answer = requests.post(f"{control.url}/_emulator/forms/{form['formId']}/responses",
                           json={"answers": {question_ids(form)["Tên đơn vị"]: ["A"]}},
                           timeout=30)
    assert answer.status_code == 200, answer.text


@pytest.mark.parametrize("topic_state", [{"formsPublisher": False}, {"exists": False}])
def test_a_watch_on_a_topic_forms_may_not_publish_to_is_refused(
    as_user: Callable[[str], Clients], control: Any, topic_state: dict[str, bool]
) -> None:
    forms = as_user(OWNER).service("forms")
    form = create_form(forms)
    control.post("pubsub/topics", {"topic": TOPIC, **topic_state})
    with pytest.raises(HttpError) as caught:
        forms.forms().watches().create(formId=form["formId"],
                                       body=watch_body("RESPONSES")).execute()
    error = error_of(caught.value)
    assert error["code"] == 403 and "forms-notifications@system.gserviceaccount.com" in (
        error["message"])
    assert forms.forms().watches().list(formId=form["formId"]).execute() == {"watches": []}


def _watched_form(as_user: Callable[[str], Clients]) -> tuple[dict[str, Any], str]:
    """A published form with a RESPONSES watch on TOPIC, and its first question's id."""
    forms = as_user(OWNER).service("forms")
    form = create_form(forms)
    form = forms.forms().batchUpdate(formId=form["formId"], body={
        "requests": dozen_items()[:1], "includeFormInResponse": True}).execute()["form"]
    publish(forms, form["formId"])
    forms.forms().watches().create(formId=form["formId"], body=watch_body("RESPONSES")).execute()
    return form, question_ids(form)["Tên đơn vị"]


def test_a_removed_push_subscription_receives_nothing_more(
    as_user: Callable[[str], Clients],
    control: Any,
    push_endpoint: tuple[str, queue.Queue[tuple[dict[str, str], Any]]],
) -> None:
    url, received = push_endpoint
    subscription = {"topic": TOPIC, "pushEndpoint": url}
    control.post("pubsub/subscriptions", subscription)
    form, question = _watched_form(as_user)
    submit = {"answers": {question: ["A"]}}
    control.post(f"forms/{form['formId']}/responses", submit)
    received.get(timeout=10)
    assert control.delete("pubsub/subscriptions", subscription) == {"endpoints": []}
    control.post(f"forms/{form['formId']}/responses", submit)
    with pytest.raises(queue.Empty):
        received.get(timeout=0.5)
    assert control.get("pubsub/deliveries")["waiting"] == 0


def test_a_dead_push_endpoint_costs_a_few_delivery_threads_not_one_per_submission(
    as_user: Callable[[str], Clients], control: Any
) -> None:
    with socket.socket() as probe:  # a port nobody listens on: every push is refused
        probe.bind(("127.0.0.1", 0))
        dead = f"http://127.0.0.1:{probe.getsockname()[1]}/push"
    control.post("pubsub/subscriptions", {"topic": TOPIC, "pushEndpoint": dead})
    form, question = _watched_form(as_user)
    before = _threads_besides_requests()
    for _ in range(20):
        control.post(f"forms/{form['formId']}/responses", {"answers": {question: ["A"]}})
    assert _threads_besides_requests() - before <= pubsub.WORKERS < 20, \
        "a retrying thread per submission"
    deliveries = control.get("pubsub/deliveries")
    assert 1 <= deliveries["threads"] <= pubsub.WORKERS and deliveries["delivered"] == 0
    assert 0 < deliveries["waiting"] <= 20, "failed pushes wait for their retry"


def _threads_besides_requests() -> int:
    """Threads alive, leaving out the server's own per-request ones (still finishing)."""
    return sum(1 for t in threading.enumerate() if "process_request_thread" not in t.name)
