"""The cloud entry points served locally by functions-framework: the emulator pushes a watch
notification per submission to ``collect``, and the response shows in its unit's Sheet within
seconds; a burst of notifications leads to a few runs, not one each; ``reconcile`` answers only
the invokers it is told to trust."""

from __future__ import annotations

import base64
import json
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import functions_framework
import pytest
from werkzeug.serving import make_server

from functions import bootstrap
from tests.e2e import collect_helpers as helpers
from tests.e2e.collect_helpers import Province

collect_snapshot = helpers.collect_snapshot  # fixture
province = helpers.province  # fixture

MAIN = Path(__file__).resolve().parents[2] / "functions" / "main.py"
SCHEDULER = "scheduler@guongmau-demo.iam.gserviceaccount.com"
WITHIN = 10.0  # seconds


@pytest.fixture
def entry_points(province: Province, monkeypatch: pytest.MonkeyPatch) -> Iterator[Province]:
    """The functions' environment pointing at this province; their cached context cleared."""
    monkeypatch.setenv("GUONGMAU_CONFIG", str(province.config_dir / "guongmau.yaml"))
    monkeypatch.setenv("GUONGMAU_EMULATOR", province.url)
    bootstrap.context.cache_clear()
    yield province
    bootstrap.context.cache_clear()


@pytest.fixture
def collect_url(entry_points: Province) -> Iterator[str]:
    """``collect`` served over HTTP (threaded: notifications arrive together, as they would
    at several instances), subscribed to the forms' topic."""
    app = functions_framework.create_app(target="collect", source=str(MAIN),
                                         signature_type="cloudevent")
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{server.server_port}/"
    entry_points.control.post("pubsub/subscriptions", {
        "topic": entry_points.deployment.settings.pubsub_topic, "pushEndpoint": url})
    try:
        yield url
    finally:
        server.shutdown()
        thread.join(10)


def shown_ids(province: Province, code: str) -> set[str]:
    rows = province.values(province.unit_sheet(code), ["'Kế hoạch'!A2:A"])[0]
    return {str(row[0]) for row in rows if row}


def wait_for(province: Province, code: str, ids: set[str], limit: float) -> float:
    started = time.monotonic()
    while time.monotonic() - started < limit:
        if ids <= shown_ids(province, code):
            return time.monotonic() - started
        time.sleep(0.1)
    raise AssertionError(f"{len(ids - shown_ids(province, code))} responses not shown in "
                         f"{code} after {limit} s")


def test_a_submission_shows_in_its_unit_sheet_within_ten_seconds(
        entry_points: Province, collect_url: str) -> None:
    province = entry_points
    for number in range(2):  # the second one as the warm instance sees it
        started = time.monotonic()
        binh = province.submit_as("ke-hoach-nhom-2", "binhnd@sgddt-demo.edu.vn", f"l{number}")
        wait_for(province, "SO-VP", {binh.response_id}, WITHIN)
        assert time.monotonic() - started < WITHIN


def test_a_burst_of_twenty_notifications_leads_to_a_few_runs(
        entry_points: Province, collect_url: str) -> None:
    province = entry_points
    province.submit_as("ke-hoach-nhom-2", "binhnd@sgddt-demo.edu.vn", "warm")
    time.sleep(0.5)
    province.control.reset_calls()
    staff = [p.email for p in province.staff("SO-VP")] + [p.email for p in province.staff(
        "SO-GDPT")]
    burst = {province.submit_as("ke-hoach-nhom-2", staff[i % len(staff)], f"b{i}").response_id
             for i in range(20)}
    wait_for(province, "SO-VP", {r for r in burst if province.responses[r].email in
                                 {p.email for p in province.staff("SO-VP")}}, 30)
    wait_for(province, "SO-GDPT", {r for r in burst if province.responses[r].email in
                                   {p.email for p in province.staff("SO-GDPT")}}, 30)
    time.sleep(1.0)  # let the last notifications finish
    lists = province.calls().get("forms.forms.responses.list", 0)
    assert 1 <= lists <= 6, f"{lists} passes over the form for 20 notifications"


def token(claims: dict[str, object]) -> str:
    """An OIDC token as Cloud Run hands it on: verified, its signature replaced."""
    def part(data: dict[str, object]) -> str:
        return base64.urlsafe_b64encode(json.dumps(data).encode()).decode().rstrip("=")
    return f"{part({'alg': 'RS256', 'typ': 'JWT'})}.{part(claims)}.SIGNATURE_REMOVED_BY_GOOGLE"


def test_reconcile_refuses_callers_it_does_not_trust_and_runs_for_the_scheduler(
        entry_points: Province, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GUONGMAU_ALLOWED_INVOKERS", f"{SCHEDULER}, ops@sgddt-demo.edu.vn")
    entry_points.submit_as("ke-hoach-nhom-2", "binhnd@sgddt-demo.edu.vn", "r1")
    client = functions_framework.create_app(target="reconcile", source=str(MAIN)).test_client()
    refused = client.post("/")
    assert refused.status_code == 403
    assert "Không có quyền" in refused.get_data(as_text=True)
    stranger = client.post("/", headers={"Authorization": "Bearer " + token(
        {"email": "someone@example.com", "aud": "https://reconcile"})})
    assert stranger.status_code == 403
    assert client.post("/", headers={"Authorization": "Bearer not-a-jwt"}).status_code == 403
    assert entry_points.calls().get("forms.forms.responses.list", 0) == 0, "refused: no run"
    accepted = client.post("/", headers={"Authorization": "Bearer " + token(
        {"email": SCHEDULER.upper(), "aud": "https://reconcile"})})
    assert accepted.status_code == 200, accepted.get_data(as_text=True)
    assert accepted.get_json()["changed"] == 1
    assert accepted.get_json()["complete"] is True
