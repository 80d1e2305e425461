"""`guongmau check-google`: checks, on the Sở's real Workspace, what the design assumes of
Google, before the first `provision`.

The checks are data: a list of ``Step`` (the assumption in Vietnamese, the function that tries
it, the facts it needs from earlier steps). Each becomes one ``Finding``: verified, refused
(with Google's answer or the preparation step to make), needs a person (the API cannot show it:
a link to look at), or not checked (an earlier step it depends on failed). Whatever happens,
what the run made is removed at the end (files trashed, watch and subscription deleted) unless
the admin keeps it (`--giu-lai`). Steps: ``google_check_steps`` (preparation, Sheets, Docs)
and ``google_check_forms`` (the form copy, publishing, responders, watch and notification).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, Protocol

from functions.adapters.errors import GoogleApiError, TransportError
from functions.adapters.pubsub import PubSub
from functions.config.deployment import Deployment
from functions.services.workspace import Workspace


class Outcome(StrEnum):
    VERIFIED = "đã kiểm chứng"
    REFUSED = "bị từ chối"
    PERSON = "cần người xem"
    SKIPPED = "chưa kiểm tra được"


@dataclass(frozen=True)
class Finding:
    assumption: str
    outcome: Outcome
    detail: str = ""


class Refused(Exception):
    """An assumption does not hold; the message says what Google answered or what to do."""


class NeedsPerson(Exception):
    """The API cannot show it: the message says what a person should look at, and where."""


class Submitter(Protocol):
    def submit(self, link: str) -> bool:
        """Submits the pre-filled form at ``link``; False when a person has to do it."""


@dataclass(frozen=True)
class Waits:
    """How long (seconds) to wait for a submitted response and for its notification."""

    response: float = 600.0
    notification: float = 300.0
    poll: float = 5.0


@dataclass
class Probe:
    """What the steps share: the ports, the facts learnt so far and what the run made."""

    deployment: Deployment
    ws: Workspace
    pubsub: PubSub
    submitter: Submitter
    waits: Waits = field(default_factory=Waits)
    facts: dict[str, Any] = field(default_factory=dict)
    made_files: list[str] = field(default_factory=list)  # trashed at the end, last first
    watch: tuple[str, str] | None = None  # (form id, watch id)
    subscription: str | None = None

    def wait_for(self, seconds: float, found: Callable[[], Any]) -> Any:
        """Polls ``found`` until it returns something truthy or ``seconds`` pass."""
        deadline = time.monotonic() + seconds
        while True:
            value = found()
            if value or time.monotonic() >= deadline:
                return value
            time.sleep(self.waits.poll)


@dataclass(frozen=True)
class Step:
    assumption: str
    run: Callable[[Probe], str]  # returns what was seen; raises Refused or NeedsPerson
    needs: tuple[str, ...] = ()  # facts an earlier step must have set


def _google(error: GoogleApiError) -> str:
    return f"Google trả lời {error.status} ({error.api}): {error.message}"


def run(probe: Probe, steps: Iterable[Step], keep: bool = False) -> list[Finding]:
    """Runs every step in order, then removes what they made (unless ``keep``)."""
    findings: list[Finding] = []
    try:
        for step in steps:
            findings.append(_attempt(probe, step))
            probe.ws.report(f"- {step.assumption}: {findings[-1].outcome}")
    finally:
        if not keep:
            findings.extend(clean_up(probe))
    return findings


def _attempt(probe: Probe, step: Step) -> Finding:
    missing = [need for need in step.needs if need not in probe.facts]
    if missing:
        return Finding(step.assumption, Outcome.SKIPPED, "một bước trước đó không thành công")
    try:
        return Finding(step.assumption, Outcome.VERIFIED, step.run(probe))
    except Refused as refused:
        return Finding(step.assumption, Outcome.REFUSED, str(refused))
    except NeedsPerson as person:
        return Finding(step.assumption, Outcome.PERSON, str(person))
    except TransportError:
        raise  # no answer is no verdict: the run stops (exit 4), and is run again
    except GoogleApiError as error:
        return Finding(step.assumption, Outcome.REFUSED, _google(error))


def clean_up(probe: Probe) -> list[Finding]:
    """Deletes the watch and the subscription, trashes the files; a failure is a finding."""
    undone: list[str] = []
    if probe.watch is not None:
        try:
            probe.ws.forms.delete_watch(*probe.watch)
        except GoogleApiError as error:
            undone.append(f"theo dõi {probe.watch[1]}: {_google(error)}")
    if probe.subscription is not None:
        try:
            probe.pubsub.unsubscribe(probe.subscription)
        except GoogleApiError as error:
            undone.append(f"{probe.subscription}: {_google(error)}")
    for file_id in reversed(probe.made_files):
        try:
            probe.ws.drive.update(file_id, trashed=True)
        except GoogleApiError as error:
            undone.append(f"tệp {file_id}: {_google(error)}")
    if not undone:
        return []
    return [Finding("Dọn những gì lần kiểm tra đã tạo", Outcome.REFUSED,
                    "còn lại, hãy xóa bằng tay: " + "; ".join(undone))]


def table(findings: list[Finding]) -> list[str]:
    """The findings as a Markdown table (one line each), as the README shows it."""
    lines = ["| Điều thiết kế giả định | Kết quả | Chi tiết |", "|---|---|---|"]
    for finding in findings:
        detail = finding.detail.replace("|", "/").replace("\n", " ")
        lines.append(f"| {finding.assumption} | {finding.outcome} | {detail} |")
    return lines


def refused(findings: list[Finding]) -> bool:
    return any(f.outcome is Outcome.REFUSED for f in findings)
