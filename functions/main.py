"""Cloud Functions (Cloud Run functions, gen2) entry points: a few lines each."""

from __future__ import annotations

import os
from typing import Any

import flask
import functions_framework
from cloudevents.http import CloudEvent

from functions import triggers
from functions.adapters import clients as client_factory
from functions.bootstrap import context
from functions.config.deployment import Deployment
from functions.services import remind as reminders
from functions.services import reports, run_log, runner, watches
from functions.services import retention as retention_service
from functions.services.provision import provision as provision_year
from functions.services.workspace import Workspace

EVENT_LIMIT = 540.0  # seconds an event-driven function may run
HTTP_LIMIT = 3600.0


def _logged(name: str, deployment: Deployment, ws: Workspace) -> Any:
    """The run's structured log line and, on success, its record for `guongmau status`."""
    return run_log.logged_run(name, deployment.settings.year, ws.gate.calls, ws.state)


def _refused(request: flask.Request) -> flask.Response | None:
    refusal = triggers.refusal(request.headers.get("Authorization", ""), os.environ)
    if refusal is None:
        return None
    return flask.Response(refusal.message, status=refusal.status,
                          content_type="text/plain; charset=utf-8")


@functions_framework.cloud_event
def collect(event: CloudEvent) -> None:
    """A Forms watch notification (Pub/Sub): the form id is in the message attributes."""
    form_id = triggers.notified_form(event.data, str(event.get("id", "")))
    if form_id is None:
        return  # logged and acknowledged: a redelivery would be just as malformed
    deployment, ws = context()
    with _logged("collect", deployment, ws) as run:
        outcome = runner.run(deployment, ws, form_ids=[form_id], budget_seconds=EVENT_LIMIT)
        run_log.note_sync(run, outcome)


@functions_framework.http
def reconcile(request: flask.Request) -> Any:
    """Scheduled catch-up: every response, unfiltered, compared by version."""
    if (refused := _refused(request)) is not None:
        return refused
    deployment, ws = context()
    with _logged("reconcile", deployment, ws) as run:
        outcome = runner.run(deployment, ws, full=True, budget_seconds=HTTP_LIMIT)
        run_log.note_sync(run, outcome)
    return {"listed": outcome.listed, "changed": outcome.changed, "busy": outcome.busy,
            "units_written": outcome.units_written, "complete": outcome.complete}


@functions_framework.http
def renew_watches(request: flask.Request) -> Any:
    if (refused := _refused(request)) is not None:
        return refused
    deployment, ws = context()
    with _logged("renew_watches", deployment, ws) as run:
        renewed = watches.renew_all(deployment, ws)
        run.counts = {"renewed": len(renewed)}
    return {"renewed": renewed}


@functions_framework.http
def provision(request: flask.Request) -> Any:
    if (refused := _refused(request)) is not None:
        return refused
    deployment, ws = context()
    with _logged("provision", deployment, ws) as run:
        outcome = provision_year(deployment, ws, runner.local_today(deployment),
                                 budget_seconds=HTTP_LIMIT)
        run.counts = {"actions": len(outcome.actions), "notes": len(outcome.notes)}
    return {"actions": outcome.actions, "notes": outcome.notes, "complete": outcome.complete}


@functions_framework.http
def report(request: flask.Request) -> Any:
    """Scheduled daily: the reports of every period whose report day has come (once each)."""
    if (refused := _refused(request)) is not None:
        return refused
    deployment, ws = context()
    with _logged("report", deployment, ws) as run:
        made = reports.scheduled(deployment, ws, runner.local_today(deployment),
                                 seconds=HTTP_LIMIT - 300)  # stop between documents in time
        run.counts = {"documents": len(made)}
    return {"documents": [{"title": doc.title, "link": doc.link} for doc in made]}


@functions_framework.http
def remind(request: flask.Request) -> Any:
    """Scheduled (schedule.reminders): the reminder rounds due today, each mail once."""
    if (refused := _refused(request)) is not None:
        return refused
    deployment, ws = context()
    with _logged("remind", deployment, ws) as run:
        notes = deployment.settings.notifications
        send = reminders.mailbox(client_factory.for_environment(os.environ), notes.sender or "",
                                 ws.gate, notes, os.environ.get("GUONGMAU_SMTP_PASSWORD"))
        outcome = reminders.remind(deployment, ws, send, runner.local_today(deployment))
        run.counts = {"sent": outcome.sent, "digests": outcome.digests,
                      "deferred": outcome.deferred}
    return {"sent": outcome.sent, "digests": outcome.digests, "deferred": outcome.deferred,
            "notes": outcome.notes}


@functions_framework.http
def retention(request: flask.Request) -> Any:
    """Scheduled weekly (schedule.retention): past years' personal data, once past its period."""
    if (refused := _refused(request)) is not None:
        return refused
    deployment, ws = context()
    with _logged("retention", deployment, ws) as run:
        docs = retention_service.docs_port(client_factory.for_environment(os.environ), ws)
        outcome = retention_service.retention(deployment, ws, docs,
                                              runner.local_today(deployment),
                                              seconds=HTTP_LIMIT - 300)
        run.counts = {"items": len(outcome.items), "past_years": outcome.past_years}
        if not outcome.complete:
            run.stop_reason = "hết thời gian cho phép; lần chạy sau làm tiếp phần còn lại"
    return {"items": [item.line("Đã") for item in outcome.items],
            "past_years": outcome.past_years, "complete": outcome.complete}
