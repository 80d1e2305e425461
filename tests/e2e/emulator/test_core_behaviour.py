"""The emulator's shared behaviour: faults, quotas, persistence, unknown methods, identity."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from googleapiclient.errors import HttpError

from emulator.core import Config
from emulator.server import RunningEmulator, start
from functions.adapters.clients import Clients, Target
from functions.adapters.errors import GoogleApiError
from functions.adapters.forms import Forms
from functions.adapters.retry import Gate, RetryPolicy
from functions.adapters.sheets import Sheets
from tests.conftest import Control

USER = "gv.a@sgddt-demo.edu.vn"


def _spreadsheet(clients: Clients) -> str:
    created = clients.service("sheets").spreadsheets().create(
        body={"properties": {"title": "Thử"}}).execute()
    return str(created["spreadsheetId"])


def test_a_call_with_retries_succeeds_through_two_injected_429s(
        as_user: Callable[[str], Clients], control: Control) -> None:
    clients = as_user(USER)
    form = clients.service("forms").forms().create(body={"info": {"title": "Thử"}}).execute()
    control.post("faults", {"method": "forms.forms.get", "status": 429, "count": 2})
    control.reset_calls()

    answer = Forms(clients.service("forms"), Gate(RetryPolicy(retries=3))).get(form["formId"])

    assert answer["formId"] == form["formId"]
    assert control.calls()["methods"]["forms.forms.get"] == 3


def test_a_call_facing_429_forever_fails_after_a_bounded_time_with_a_clear_error(
        as_user: Callable[[str], Clients], control: Control) -> None:
    clients = as_user(USER)
    form = clients.service("forms").forms().create(body={"info": {"title": "Thử"}}).execute()
    control.post("faults", {"method": "forms.*", "status": 429, "rate": 1.0, "seed": 1})
    started = time.monotonic()

    with pytest.raises(GoogleApiError) as raised:
        Forms(clients.service("forms"), Gate(RetryPolicy(retries=2))).get(form["formId"])

    assert raised.value.status == 429
    assert "Quota exceeded" in raised.value.message
    assert time.monotonic() - started < 10  # 2 retries: rand() * (1 + 2) seconds at most


def test_gspread_calls_retry_503_and_then_give_up_with_the_status(
        as_user: Callable[[str], Clients], control: Control) -> None:
    clients = as_user(USER)
    spreadsheet_id = _spreadsheet(clients)
    sheets = Sheets(clients.gspread, Gate(RetryPolicy(retries=1, backoff_seconds=0.01)))
    control.post("faults", {"method": "sheets.spreadsheets.values.batchGet", "status": 503,
                            "count": 1})
    assert sheets.read(spreadsheet_id, ["A1:B2"]) == [[]]

    control.post("faults", {"method": "sheets.spreadsheets.values.batchGet", "status": 503,
                            "rate": 1.0})
    with pytest.raises(GoogleApiError) as raised:
        sheets.read(spreadsheet_id, ["A1:B2"])
    assert raised.value.status == 503


def test_a_dropped_connection_is_retried_by_the_client(
        as_user: Callable[[str], Clients], control: Control) -> None:
    clients = as_user(USER)
    spreadsheet_id = _spreadsheet(clients)
    control.post("faults", {"method": "sheets.spreadsheets.get", "status": "drop", "count": 1})

    got = clients.service("sheets").spreadsheets().get(spreadsheetId=spreadsheet_id).execute(
        num_retries=2)

    assert got["spreadsheetId"] == spreadsheet_id


def test_a_fault_after_n_calls_fires_on_the_next_one_only(
        as_user: Callable[[str], Clients], control: Control) -> None:
    clients = as_user(USER)
    spreadsheet_id = _spreadsheet(clients)
    sheets = clients.service("sheets").spreadsheets()
    control.post("faults", {"method": "sheets.spreadsheets.get", "status": 503, "count": 1,
                            "after": 2})
    sheets.get(spreadsheetId=spreadsheet_id).execute()
    sheets.get(spreadsheetId=spreadsheet_id).execute()
    with pytest.raises(HttpError) as raised:
        sheets.get(spreadsheetId=spreadsheet_id).execute()
    assert raised.value.resp.status == 503
    sheets.get(spreadsheetId=spreadsheet_id).execute()


@pytest.mark.parametrize(("status", "lands"), [("hang", False), ("hang-after", True)])
def test_a_held_call_waits_unanswered_until_the_faults_are_cleared(
        as_user: Callable[[str], Clients], control: Control, status: str, lands: bool) -> None:
    """What a kill at an exact point needs: the call is held (before or after its effect)
    and the hold is visible, until the faults are cleared; then its connection closes."""
    clients = as_user(USER)
    spreadsheet_id = _spreadsheet(clients)
    control.post("faults", {"method": "sheets.spreadsheets.batchUpdate", "status": status,
                            "count": 1})
    body = {"requests": [{"updateSpreadsheetProperties": {
        "properties": {"title": "Đổi"}, "fields": "title"}}]}
    caller = threading.Thread(target=clients.service("sheets").spreadsheets().batchUpdate(
        spreadsheetId=spreadsheet_id, body=body).execute)
    caller.start()
    deadline = time.monotonic() + 10
    while control.get("faults")["hanging"] < 1:
        assert time.monotonic() < deadline, "the call was never held"
        time.sleep(0.02)
    title = as_user(USER).service("sheets").spreadsheets().get(
        spreadsheetId=spreadsheet_id).execute()["properties"]["title"]
    assert (title == "Đổi") is lands
    assert caller.is_alive(), "a held call gets no answer"
    control.delete("faults")
    caller.join(10)
    assert control.get("faults") == {"rules": 0, "hanging": 0}


@pytest.fixture
def quota_emulator(tmp_path: Path) -> RunningEmulator:
    running = start(None, config=Config(quotas_enabled=True))
    yield running  # type: ignore[misc]
    running.stop()


def test_the_per_user_read_quota_answers_429_until_the_minute_passes(
        quota_emulator: RunningEmulator) -> None:
    clients = Clients(Target(emulator_url=quota_emulator.url, user=USER))
    control = Control(quota_emulator.url)
    spreadsheet_id = _spreadsheet(clients)
    values = clients.service("sheets").spreadsheets().values()
    for _ in range(60):  # Sheets: 60 reads a minute per user
        values.get(spreadsheetId=spreadsheet_id, range="A1").execute()

    with pytest.raises(HttpError) as raised:
        values.get(spreadsheetId=spreadsheet_id, range="A1").execute()
    assert raised.value.resp.status == 429
    assert b"RESOURCE_EXHAUSTED" in raised.value.content

    other = Clients(Target(emulator_url=quota_emulator.url, user="gv.b@sgddt-demo.edu.vn"))
    with pytest.raises(HttpError):  # the file is not theirs, but the quota is per user: 403
        other.service("sheets").spreadsheets().values().get(
            spreadsheetId=spreadsheet_id, range="A1").execute()

    control.post("clock", {"advance": 61})
    assert values.get(spreadsheetId=spreadsheet_id, range="A1").execute()["range"]


def test_state_survives_a_restart_on_the_same_data_folder(tmp_path: Path) -> None:
    first = start(tmp_path)
    clients = Clients(Target(emulator_url=first.url, user=USER))
    spreadsheet_id = _spreadsheet(clients)
    clients.service("sheets").spreadsheets().values().update(
        spreadsheetId=spreadsheet_id, range="A1", valueInputOption="RAW",
        body={"values": [["còn đây"]]}).execute()
    first.stop()

    second = start(tmp_path)
    try:
        again = Clients(Target(emulator_url=second.url, user=USER))
        got = again.service("sheets").spreadsheets().values().get(
            spreadsheetId=spreadsheet_id, range="A1").execute()
        assert got["values"] == [["còn đây"]]
    finally:
        second.stop()


def test_a_method_the_emulator_does_not_implement_answers_404_in_googles_shape(
        as_user: Callable[[str], Clients]) -> None:
    clients = as_user(USER)
    spreadsheet_id = _spreadsheet(clients)
    with pytest.raises(HttpError) as raised:
        clients.service("sheets").spreadsheets().developerMetadata().search(
            spreadsheetId=spreadsheet_id, body={"dataFilters": []}).execute()
    assert raised.value.resp.status == 404
    assert json.loads(raised.value.content)["error"]["status"] == "NOT_FOUND"


def test_no_token_acts_as_the_service_account_and_an_email_token_as_that_person(
        clients: Clients, as_user: Callable[[str], Clients]) -> None:
    me = clients.service("drive").about().get(fields="user").execute()["user"]["emailAddress"]
    assert me.endswith(".iam.gserviceaccount.com")
    person = as_user(USER).service("drive").about().get(fields="user").execute()
    assert person["user"]["emailAddress"] == USER


def test_an_append_whose_answer_is_lost_lands_twice_when_retried(
        as_user: Callable[[str], Clients], control: Control) -> None:
    """Why the service never appends: a retried values.append after a lost answer duplicates
    the row (GOOGLE_FACTS), which "drop-after" reproduces; a write at an explicit position
    retried the same way changes nothing."""
    clients = as_user(USER)
    spreadsheet_id = _spreadsheet(clients)
    values = clients.service("sheets").spreadsheets().values()
    control.post("faults", {"method": "sheets.spreadsheets.values.append",
                            "status": "drop-after", "count": 1})
    values.append(spreadsheetId=spreadsheet_id, range="A1", valueInputOption="RAW",
                  body={"values": [["một dòng"]]}).execute(num_retries=2)
    got = values.get(spreadsheetId=spreadsheet_id, range="A1:A5").execute()["values"]
    assert got == [["một dòng"], ["một dòng"]]

    control.post("faults", {"method": "sheets.spreadsheets.values.update",
                            "status": "drop-after", "count": 1})
    values.update(spreadsheetId=spreadsheet_id, range="B1", valueInputOption="RAW",
                  body={"values": [["ở đúng chỗ"]]}).execute(num_retries=2)
    got = values.get(spreadsheetId=spreadsheet_id, range="B1:B5").execute()["values"]
    assert got == [["ở đúng chỗ"]]
