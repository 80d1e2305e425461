"""Cloud Functions (Cloud Run functions, gen2) entry points: a few lines each."""

from __future__ import annotations

import os
from datetime import date
from typing import Any

import flask
import functions_framework
from cloudevents.http import CloudEvent

from functions.bootstrap import context, invoker_allowed
from functions.services import runner, watches
from functions.services.provision import provision as provision_year

EVENT_LIMIT = 540.0  # seconds an event-driven function may run
HTTP_LIMIT = 3600.0


def _refused(request: flask.Request) -> flask.Response | None:
    authorization = request.headers.get("Authorization", "")
    if invoker_allowed({"Authorization": authorization},
                       os.environ.get("GUONGMAU_ALLOWED_INVOKERS")):
        return None
    return flask.Response("Không có quyền gọi chức năng này.", status=403)


@functions_framework.cloud_event
def collect(event: CloudEvent) -> None:
    """A Forms watch notification (Pub/Sub): the form id is in the message attributes."""
    attributes = (event.data or {}).get("message", {}).get("attributes", {})
    deployment, ws = context()
    runner.run(deployment, ws, form_ids=[attributes.get("formId", "")],
               budget_seconds=EVENT_LIMIT)


@functions_framework.http
def reconcile(request: flask.Request) -> Any:
    """Scheduled catch-up: every response, unfiltered, compared by version."""
    if (refused := _refused(request)) is not None:
        return refused
    deployment, ws = context()
    outcome = runner.run(deployment, ws, full=True, budget_seconds=HTTP_LIMIT)
    return {"listed": outcome.listed, "changed": outcome.changed, "busy": outcome.busy,
            "units_written": outcome.units_written, "complete": outcome.complete}


@functions_framework.http
def renew_watches(request: flask.Request) -> Any:
    if (refused := _refused(request)) is not None:
        return refused
    deployment, ws = context()
    return {"renewed": watches.renew_all(deployment, ws)}


@functions_framework.http
def provision(request: flask.Request) -> Any:
    if (refused := _refused(request)) is not None:
        return refused
    deployment, ws = context()
    outcome = provision_year(deployment, ws, date.today())
    return {"actions": outcome.actions}
