"""The cloud entry points as Cloud Run serves them (functions-framework, real clients, the
emulator): an HTTP function runs only for the invokers it is told to trust, and refuses
everyone when it is told no one; a malformed Pub/Sub notification is acknowledged, not
retried forever; ``provision`` opens and closes forms by the date where the units are."""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import functions_framework
import pytest
from click.testing import CliRunner

from emulator.server import RunningEmulator
from functions import bootstrap
from functions.adapters.clients import Clients, Target
from functions.cli import main
from functions.config import load
from functions.config.sample import write_sample
from functions.services import emulator_setup
from functions.services.registry import RegistryStore
from functions.services.workspace import connect
from tests.e2e import collect_helpers as helpers
from tests.e2e import entry_helpers
from tests.e2e.collect_helpers import Province
from tests.e2e.entry_helpers import MAIN, SCHEDULER, as_scheduler, http_client, token

collect_snapshot = helpers.collect_snapshot  # fixture
province = helpers.province  # fixture
entry_points = entry_helpers.entry_points  # fixture

HTTP_FUNCTIONS = ("reconcile", "renew_watches", "provision", "report", "remind", "retention")


def test_reconcile_refuses_callers_it_does_not_trust_and_runs_for_the_scheduler(
        entry_points: Province, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GUONGMAU_ALLOWED_INVOKERS", f"{SCHEDULER}, ops@sgddt-demo.edu.vn")
    entry_points.submit_as("ke-hoach-nhom-2", "binhnd@sgddt-demo.edu.vn", "r1")
    client = http_client("reconcile")
    unsigned = client.post("/")
    assert unsigned.status_code == 401
    assert "mã xác thực" in unsigned.get_data(as_text=True)
    stranger = client.post("/", headers={"Authorization": "Bearer " + token(
        {"email": "someone@example.com", "aud": "https://reconcile"})})
    assert stranger.status_code == 403
    assert "Không có quyền" in stranger.get_data(as_text=True)
    assert client.post("/", headers={"Authorization": "Bearer not-a-jwt"}).status_code == 401
    assert entry_points.calls().get("forms.forms.responses.list", 0) == 0, "refused: no run"
    accepted = client.post("/", headers={"Authorization": "Bearer " + token(
        {"email": SCHEDULER.upper(), "aud": "https://reconcile"})})
    assert accepted.status_code == 200, accepted.get_data(as_text=True)
    assert accepted.get_json()["changed"] == 1
    assert accepted.get_json()["complete"] is True


@pytest.mark.parametrize("target", HTTP_FUNCTIONS)
def test_with_no_invokers_configured_every_http_function_refuses_everyone(
        entry_points: Province, monkeypatch: pytest.MonkeyPatch, target: str) -> None:
    monkeypatch.delenv("GUONGMAU_ALLOWED_INVOKERS")
    entry_points.control.reset_calls()
    answer = http_client(target).post("/", headers=as_scheduler())
    assert answer.status_code == 403
    assert "chưa đặt GUONGMAU_ALLOWED_INVOKERS" in answer.get_data(as_text=True)
    assert entry_points.calls() == {}, "refused before any call to Google"


def test_allow_any_invoker_lets_local_work_run_without_a_token(
        entry_points: Province, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("GUONGMAU_ALLOWED_INVOKERS")
    monkeypatch.setenv("GUONGMAU_ALLOW_ANY_INVOKER", "1")
    answer = http_client("renew_watches").post("/")
    assert answer.status_code == 200, answer.get_data(as_text=True)
    assert "renewed" in answer.get_json()


@pytest.mark.parametrize("payload", [[1, 2], "email", 42, None])
def test_a_token_whose_payload_is_not_a_json_object_is_unauthenticated(
        entry_points: Province, payload: Any) -> None:
    answer = http_client("reconcile").post(
        "/", headers={"Authorization": "Bearer " + token(payload)})
    assert answer.status_code == 401, answer.get_data(as_text=True)


@pytest.mark.parametrize("payload", ["%%%", "gA", "_-8"])  # not base64; not UTF-8; not JSON
def test_a_token_whose_payload_cannot_be_read_is_unauthenticated(
        entry_points: Province, payload: str) -> None:
    answer = http_client("reconcile").post(
        "/", headers={"Authorization": f"Bearer eyJhbGciOiJSUzI1NiJ9.{payload}.sig"})
    assert answer.status_code == 401, answer.get_data(as_text=True)


# ---------------------------------------------------------------- Pub/Sub notifications

def cloud_event(data: Any) -> dict[str, Any]:
    """A Pub/Sub push as Eventarc delivers it (structured CloudEvent)."""
    return {"specversion": "1.0", "id": "ev-1", "source":
            "//pubsub.googleapis.com/projects/p/topics/guongmau-forms",
            "type": "google.cloud.pubsub.topic.v1.messagePublished", "data": data}


def collect_client() -> Any:
    return functions_framework.create_app(target="collect", source=str(MAIN),
                                          signature_type="cloudevent").test_client()


def post_event(data: Any) -> Any:
    return collect_client().post("/", json=cloud_event(data),
                                 headers={"Content-Type": "application/cloudevents+json"})


@pytest.mark.parametrize("data", [
    "formId=abc",
    {"message": None},
    {"message": {"attributes": ["formId", "abc"]}},
    {"message": {"attributes": {"formId": 7}}},
    {"message": {"attributes": {"eventType": "RESPONSES"}}},
    {"subscription": "projects/p/subscriptions/s"},
], ids=["data-a-string", "message-null", "attributes-a-list", "form-id-a-number",
        "no-form-id", "no-message"])
def test_a_malformed_notification_is_logged_and_acknowledged_not_retried(
        entry_points: Province, caplog: pytest.LogCaptureFixture, data: Any) -> None:
    entry_points.control.reset_calls()
    with caplog.at_level(logging.WARNING, logger="guongmau.triggers"):
        answer = post_event(data)
    assert answer.status_code == 200, answer.get_data(as_text=True)
    assert "không đúng dạng" in caplog.text and "ev-1" in caplog.text
    assert entry_points.calls() == {}, "nothing to collect for it"


def test_a_well_formed_notification_collects_its_form(entry_points: Province) -> None:
    binh = entry_points.submit_as("ke-hoach-nhom-2", "binhnd@sgddt-demo.edu.vn", "n1")
    answer = post_event({"message": {"attributes": {
        "formId": entry_points.form_id("ke-hoach-nhom-2"), "watchId": "w",
        "eventType": "RESPONSES"}, "data": ""}})
    assert answer.status_code == 200, answer.get_data(as_text=True)
    rows = entry_points.values(entry_points.unit_sheet("SO-VP"), ["'Kế hoạch'!A2:A"])[0]
    assert [binh.response_id] in rows


def test_a_real_failure_answers_an_error_so_pub_sub_retries(
        entry_points: Province, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("GUONGMAU_CONFIG", str(tmp_path / "missing.yaml"))
    bootstrap.context.cache_clear()
    answer = post_event({"message": {"attributes": {
        "formId": entry_points.form_id("ke-hoach-nhom-2")}}})
    assert answer.status_code == 500


# ---------------------------------------------------------------- the units' date

VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")


@pytest.fixture
def clock_not_in_vietnam() -> Iterator[date]:
    """The process's clock in a zone whose date is not Vietnam's right now (a function's clock
    is UTC: from 17:00 UTC its date is a day behind); yields Vietnam's date."""
    now = datetime.now(VIETNAM)
    # UTC-12 is 19 hours behind Vietnam, UTC+14 7 hours ahead: one of them is on another day.
    zone = "Etc/GMT+12" if now.hour < 17 else "Pacific/Kiritimati"
    before = os.environ.get("TZ")
    os.environ["TZ"] = zone
    time.tzset()
    try:
        assert date.today() != datetime.now(VIETNAM).date(), "the test needs another day"
        yield now.date()
    finally:
        if before is None:
            os.environ.pop("TZ", None)
        else:
            os.environ["TZ"] = before
        time.tzset()


def plan_period_only_today(config: Path, today: date) -> None:
    """A sample configuration of ``today``'s year whose plan period is open on ``today``
    only, and the report periods later, in their order."""
    later = {key: date(today.year + 1, month, 1)
             for month, key in enumerate(("quy-1", "6-thang", "quy-3", "ca-nam"), start=2)}
    text = config.read_text(encoding="utf-8")
    text = text.replace("phase: 2023-2025", f"phase: {today.year - 1}-{today.year + 1}")
    text = text.replace("year: 2025", f"year: {today.year}")
    lines = []
    for line in text.splitlines():
        key = line.strip().split(":", 1)[0]
        if key == "ke-hoach":
            line = (f"  ke-hoach: {{label: Đăng ký kế hoạch cá nhân, opens: {today}, "
                    f"deadline: {today}}}")
        elif key in ("quy-1", "6-thang", "quy-3", "ca-nam"):
            label = line.split("label:", 1)[1].split(",", 1)[0].strip()
            line = f"  {key}: {{label: {label}, opens: {later[key]}, deadline: {later[key]}}}"
        lines.append(line)
    config.write_text("\n".join(lines) + "\n", encoding="utf-8")


@pytest.mark.parametrize("how", ["function", "command"])
def test_provision_opens_a_period_by_the_units_date_not_the_machines_clock(
        emulator: RunningEmulator, monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
        clock_not_in_vietnam: date, how: str) -> None:
    today = clock_not_in_vietnam
    write_sample(tmp_path / "config")
    config = tmp_path / "config" / "guongmau.yaml"
    plan_period_only_today(config, today)
    if how == "function":
        entry_helpers.point_functions_at(monkeypatch, config, emulator.url)
        try:
            answer = http_client("provision").post("/", headers=as_scheduler())
            assert answer.status_code == 200, answer.get_data(as_text=True)
            assert answer.get_json()["complete"] is True
        finally:
            bootstrap.context.cache_clear()
    else:
        ran = CliRunner().invoke(main, ["--config", str(config), "provision"],
                                 env={"GUONGMAU_EMULATOR": emulator.url})
        assert ran.exit_code == 0, ran.output
    deployment = emulator_setup.prepare(emulator.url, load(config))
    ws = connect(Clients(Target(emulator_url=emulator.url)), deployment.settings)
    registry = RegistryStore(ws.state, today.year).load()
    accepting = {key: ws.forms.get(entry["id"])["publishSettings"]["publishState"].get(
        "isAcceptingResponses", False) for key, entry in registry.forms.items()}
    assert accepting == {key: key.startswith("ke-hoach") for key in accepting}, accepting
