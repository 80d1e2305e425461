"""Each entry point driven with the request its trigger really sends (Eventarc's binary-mode
Pub/Sub push; Cloud Scheduler's POST with an OIDC token whose signature Cloud Run removed)
writes one structured JSON line for Cloud Logging (severity, function, year, counts, API calls
by method, duration; the reason when it stopped early; the error when it failed) and records
its last success for `guongmau status`."""

from __future__ import annotations

import json
import time
from typing import Any

import pytest

from functions.services import run_log
from functions.services.lease import Lease
from tests.e2e import collect_helpers as helpers
from tests.e2e import entry_helpers
from tests.e2e.collect_helpers import Province
from tests.e2e.entry_helpers import SCHEDULER, http_client, token
from tests.e2e.test_entry_points import collect_client

collect_snapshot = helpers.collect_snapshot  # fixture
province = helpers.province  # fixture
entry_points = entry_helpers.entry_points  # fixture

PROJECT, TOPIC = "guongmau-demo", "projects/guongmau-demo/topics/guongmau-forms"


def eventarc_push(form_id: str) -> tuple[dict[str, Any], dict[str, str]]:
    """A Forms watch notification as Eventarc pushes it to a gen2 function (binary mode)."""
    message = {"attributes": {"eventType": "RESPONSES", "formId": form_id,
                              "watchId": "w-1"},
               "messageId": "11937923011474843", "message_id": "11937923011474843",
               "publishTime": "2025-01-10T03:04:05.123Z",
               "publish_time": "2025-01-10T03:04:05.123Z"}
    body = {"message": message, "subscription":
            f"projects/{PROJECT}/subscriptions/eventarc-asia-southeast1-guongmau-collect-"
            "123456-sub-789"}
    headers = {"Content-Type": "application/json", "ce-id": "11937923011474843",
               "ce-source": f"//pubsub.googleapis.com/{TOPIC}", "ce-specversion": "1.0",
               "ce-type": "google.cloud.pubsub.topic.v1.messagePublished",
               "ce-time": "2025-01-10T03:04:05.123Z"}
    return body, headers


def scheduler_request(function: str) -> dict[str, str]:
    """The headers of a Cloud Scheduler HTTP job with an OIDC token, as the function sees them."""
    url = f"https://asia-southeast1-{PROJECT}.cloudfunctions.net/guongmau-{function}"
    now = int(time.time())
    claims = {"aud": url, "azp": "1049", "email": SCHEDULER, "email_verified": True,
              "exp": now + 3600, "iat": now, "iss": "https://accounts.google.com",
              "sub": "1049"}
    return {"Authorization": f"Bearer {token(claims)}", "User-Agent": "Google-Cloud-Scheduler",
            "X-CloudScheduler": "true", "X-CloudScheduler-JobName": f"guongmau-{function}",
            "X-CloudScheduler-ScheduleTime": "2025-01-10T03:00:00Z",
            "Content-Type": "application/octet-stream"}


def log_lines(capsys: pytest.CaptureFixture[str]) -> list[dict[str, Any]]:
    lines = []
    for line in capsys.readouterr().out.splitlines():
        if line.startswith("{"):
            lines.append(json.loads(line))
    return lines


def test_the_eventarc_push_collects_and_logs_one_structured_line(
        entry_points: Province, capsys: pytest.CaptureFixture[str]) -> None:
    binh = entry_points.submit_as("ke-hoach-nhom-2", "binhnd@sgddt-demo.edu.vn", "e1")
    capsys.readouterr()
    body, headers = eventarc_push(entry_points.form_id("ke-hoach-nhom-2"))
    answer = collect_client().post("/", json=body, headers=headers)
    assert answer.status_code == 200, answer.get_data(as_text=True)
    rows = entry_points.values(entry_points.unit_sheet("SO-VP"), ["'Kế hoạch'!A2:A"])[0]
    assert [binh.response_id] in rows
    [line] = log_lines(capsys)
    assert line["severity"] == "INFO" and line["function"] == "collect"
    assert line["year"] == 2025 and line["counts"]["changed"] == 1
    assert line["api_calls"]["forms.forms.responses.list"] >= 1
    assert line["api_calls_total"] == sum(line["api_calls"].values())
    assert line["duration_seconds"] >= 0 and "stop_reason" not in line
    record = run_log.last_success(entry_points.ws.state, 2025, "collect")
    assert record is not None and record["counts"]["changed"] == 1


@pytest.mark.parametrize("function", ["reconcile", "renew_watches", "provision", "report"])
def test_each_scheduled_function_runs_for_the_schedulers_oidc_request_and_records_success(
        entry_points: Province, capsys: pytest.CaptureFixture[str], function: str) -> None:
    store = entry_points.ws.state
    assert run_log.last_success(store, 2025, function) is None
    capsys.readouterr()
    answer = http_client(function).post("/", data=b"", headers=scheduler_request(
        function.replace("_", "-")))
    assert answer.status_code == 200, answer.get_data(as_text=True)
    [line] = log_lines(capsys)
    assert (line["severity"], line["function"], line["year"]) == ("INFO", function, 2025)
    assert line["counts"], "the run's counts are logged"
    record = run_log.last_success(store, 2025, function)
    assert record is not None and record["last_success"].startswith("20")


def test_a_run_that_finds_another_holding_the_lease_says_why_it_stopped(
        entry_points: Province, capsys: pytest.CaptureFixture[str]) -> None:
    held = Lease(entry_points.ws.state, ttl_seconds=600, name="years/2025/lease.json")
    assert held.acquire()
    capsys.readouterr()
    answer = http_client("reconcile").post("/", headers=scheduler_request("reconcile"))
    assert answer.status_code == 200 and answer.get_json()["busy"] is True
    [line] = log_lines(capsys)
    assert line["severity"] == "WARNING" and "đồng bộ khác" in line["stop_reason"]


def test_a_failed_run_logs_an_error_line_with_googles_answer(
        entry_points: Province, capsys: pytest.CaptureFixture[str]) -> None:
    entry_points.control.post("faults", {"method": "forms.forms.responses.list",
                                         "status": 403, "count": 100})
    capsys.readouterr()
    answer = http_client("reconcile").post("/", headers=scheduler_request("reconcile"))
    assert answer.status_code == 500
    [line] = log_lines(capsys)
    assert line["severity"] == "ERROR" and line["function"] == "reconcile"
    assert line["google_status"] == 403 and line["google_api"] == "forms"
    assert "thất bại" in line["message"]
    assert run_log.last_success(entry_points.ws.state, 2025, "reconcile") is None
