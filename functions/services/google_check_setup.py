"""Wires a `check-google` run: clients (with the Pub/Sub scope, recording when asked), the
ports, who submits the test response and how long to wait.

On Google a person submits the pre-filled form (verified email collection needs a signed-in
account) and the waits are minutes. On the emulator (``GUONGMAU_EMULATOR``) a test person
submits through the emulator's own form page at once, so the run needs nobody.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

import requests

from functions.adapters import clients as client_factory
from functions.adapters.pubsub import PubSub
from functions.adapters.recording import Recorder
from functions.config.deployment import Deployment
from functions.services import emulator_setup
from functions.services.google_check import Probe, Waits
from functions.services.workspace import Report, connect

EMULATOR_WAITS = Waits(response=10.0, notification=10.0, poll=0.1)


@dataclass(frozen=True)
class PersonSubmitter:
    """On Google: the link is printed (by the step) and a person submits."""

    def submit(self, link: str) -> bool:
        return False


@dataclass(frozen=True)
class EmulatorSubmitter:
    """Posts the pre-filled answers of ``link`` to the emulator's form page as ``person``."""

    person: str

    def submit(self, link: str) -> bool:
        parts = urlsplit(link)
        answers = [(k, v) for k, v in parse_qsl(parts.query) if k.startswith("entry.")]
        target = link.split("?", 1)[0].rsplit("/", 1)[0] + "/formResponse"
        requests.post(target, data=[*answers, ("emailAddress", self.person)], timeout=30)
        return True


def prepare(deployment: Deployment, environ: Mapping[str, str], record: bool,
            report: Report) -> tuple[Deployment, Probe, Recorder | None]:
    base = client_factory.for_environment(environ).target  # checks the emulator address
    emulator_url = base.emulator_url
    if emulator_url:
        deployment = emulator_setup.prepare(emulator_url, deployment)
    storage = deployment.settings.storage
    recorder = Recorder({"storage.shared_drive_id": storage.shared_drive_id or "",
                         "storage.form_template_id": storage.form_template_id or ""}) \
        if record else None
    target = dataclasses.replace(base, scopes=(*base.scopes, client_factory.PUBSUB_SCOPE),
                                 recorder=recorder)
    clients = client_factory.Clients(target)
    # Pub/Sub rights are the service identity's own (IAM), never a delegated user's.
    pubsub_clients = client_factory.Clients(dataclasses.replace(target, subject=None))
    ws = connect(clients, deployment.settings, report=report)
    if emulator_url:
        domain = storage.responders.domain or emulator_setup.admin_of(deployment).split("@")[1]
        probe = Probe(deployment, ws, PubSub(pubsub_clients.service("pubsub")),
                      EmulatorSubmitter(f"kiemtra@{domain}"), EMULATOR_WAITS)
    else:
        probe = Probe(deployment, ws, PubSub(pubsub_clients.service("pubsub")), PersonSubmitter())
    return deployment, probe, recorder


def save_recording(recorder: Recorder, directory: Path, stamp: str) -> Path:
    return recorder.save(directory, f"check-google-{stamp}")
