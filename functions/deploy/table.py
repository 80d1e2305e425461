"""The one table of the Cloud Run functions (gen2) the service deploys.

Adding a function (``report``, ``remind``) is one line here plus its entry point in
``functions/main.py``; the plan, the Scheduler jobs and the tests follow the table.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

EVENT_TIMEOUT = 540  # seconds: the most an event-driven function may run
HTTP_TIMEOUT = 3600  # seconds: the most an HTTP function may run
# cloud.google.com/functions/docs/configuring/timeout (read 2026-12-01)


class Trigger(StrEnum):
    PUBSUB = "pubsub"  # the Forms watch notifications (Eventarc delivers the push)
    HTTP = "http"  # called by Cloud Scheduler with an OIDC token


@dataclass(frozen=True)
class CloudFunction:
    entry_point: str  # the function's name in main.py
    trigger: Trigger
    timeout_seconds: int
    memory: str
    schedule: str | None = None  # the settings' `schedule` line that runs it (HTTP only)

    @property
    def name(self) -> str:
        """The deployed name: Cloud Run allows lowercase letters, digits and hyphens only."""
        return "guongmau-" + self.entry_point.replace("_", "-")


# collect and reconcile: a full collection of 63 222 responses at 2 000 units peaked at 306 MB
# resident in a process of its own (`python -m benchmarks.collect_cost --units 2000 --process`,
# 2026-12-01; 488 MB with 5 000-response pages, 443-678 MB before the state was sharded and the
# waiting answers packed): 512 MiB leaves 40 % (a notification may drain a full pass too).
FUNCTIONS: tuple[CloudFunction, ...] = (
    CloudFunction("collect", Trigger.PUBSUB, EVENT_TIMEOUT, "512Mi"),
    CloudFunction("reconcile", Trigger.HTTP, HTTP_TIMEOUT, "512Mi", "reconcile"),
    CloudFunction("renew_watches", Trigger.HTTP, HTTP_TIMEOUT, "256Mi", "renew_watches"),
    CloudFunction("provision", Trigger.HTTP, HTTP_TIMEOUT, "512Mi", "provision"),
    CloudFunction("report", Trigger.HTTP, HTTP_TIMEOUT, "1Gi", "reports"),
    CloudFunction("remind", Trigger.HTTP, HTTP_TIMEOUT, "512Mi", "reminders"),
    CloudFunction("retention", Trigger.HTTP, HTTP_TIMEOUT, "512Mi", "retention"),
)
