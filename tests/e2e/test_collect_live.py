"""The cloud entry points served locally by functions-framework: the emulator pushes a watch
notification per submission to ``collect``, and the response shows in its unit's Sheet within
seconds; a burst of notifications leads to a few runs, not one each."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator

import functions_framework
import pytest
from werkzeug.serving import make_server

from tests.e2e import collect_helpers as helpers
from tests.e2e import entry_helpers
from tests.e2e.collect_helpers import Province
from tests.e2e.entry_helpers import MAIN

collect_snapshot = helpers.collect_snapshot  # fixture
province = helpers.province  # fixture
entry_points = entry_helpers.entry_points  # fixture

WITHIN = 10.0  # seconds


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
