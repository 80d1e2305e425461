"""Retention end to end: the sample province lives a year (2025: responses, a quarantined one,
the year-end reports and postings, reminders counted), then the Sở provisions 2031; a past year
still within its period (2027) holds a few files and state objects. On 15 January 2031 (2025
ended on 10 December 2025; five years kept, through 10 December 2030) retention must erase or
anonymise 2025 and leave 2027 and 2031 exactly as they were. Everything goes through the real
client libraries against the emulator; the test reads back through the APIs itself."""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from googleapiclient.errors import HttpError

from emulator.core import Config
from emulator.server import start
from functions import bootstrap
from functions.adapters.clients import Clients, Target
from functions.adapters.drive import DOCUMENT, FOLDER, SPREADSHEET
from functions.adapters.errors import GoogleApiError
from functions.config import load
from functions.config.deployment import Deployment
from functions.config.sample import write_sample
from functions.domain.model import PeriodKind
from functions.domain.retention import ANONYMOUS, Action
from functions.services import emulator_setup, erasure, reports
from functions.services import retention as service
from functions.services.provision import provision
from functions.services.registry import app_properties
from functions.services.remind import DailyCount
from functions.services.workspace import Workspace, connect
from tests.conftest import Control
from tests.e2e import collect_helpers as helpers
from tests.e2e import entry_helpers
from tests.e2e.collect_helpers import GUONGMAU, QUARANTINE_TITLE, YEAR_END, Province
from tests.e2e.test_collect_routing import add_to_roster, retire
from tests.e2e.test_provision_helpers import quick_gate
from tests.e2e.test_reports import DAY, _scenario, _text

collect_snapshot = helpers.collect_snapshot  # fixture

OLD, KEPT, CURRENT = 2025, 2027, 2031
TODAY = date(2031, 1, 15)
STRANGER = "khach.la@ngoai-nganh.vn"
STRANGER_NAME = "Trịnh Khách Lạ"
CLOSED = "GDNN-GDTX-ST"
GONE = "Hoàng Thị Kim Oanh"  # on 2025's roster, never submitted, left before 2031
GONE_EMAIL = "oanhhtk@sgddt-demo.edu.vn"
ERASED = "anlq@sgddt-demo.edu.vn"  # erased at his request in 2025: the record of it stays


@pytest.fixture(scope="module")
def years_snapshot(collect_snapshot: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The emulator's data after 2025 was lived, 2031 provisioned and 2027's leftovers made."""
    root = tmp_path_factory.mktemp("retention") / "years"
    shutil.copytree(collect_snapshot, root)
    running = start(root / "emulator", config=Config(quotas_enabled=False))
    try:
        old = Province(running, root / "config")
        add_to_roster(old, {"Họ và tên": GONE, "Email": GONE_EMAIL,
                            "Chức vụ": "Chuyên viên", "Mã đơn vị": "SO-VP"})
        people = _scenario(old)
        made = reports.make_reports(old.deployment, old.ws, PeriodKind.YEAR, DAY)
        assert GONE in _doc_text(old, made.published[0].doc_id), "listed as not submitted"
        reports.make_postings(old.deployment, old.ws, DAY)
        closed = old.unit_label(CLOSED)  # the form still lists it once the unit has closed
        retire(old, CLOSED)
        old.submit("ke-hoach-nhom-2", STRANGER, old.answers(
            "ke-hoach-nhom-2", STRANGER_NAME, closed, "q1"))
        old.collect(today=YEAR_END)
        DailyCount(old.ws, OLD, date(2025, 12, 8)).add(3)
        erasure.erase(old.deployment, old.ws, ERASED, "Lê Quang An, đơn ngày 01/12/2025")
        assert people["lien"].email and _quarantined(old)
        write_sample(root / "config-2031", year=CURRENT)
        deployment = _current(running.url, root)
        assert deployment.directory().person(GONE_EMAIL) is None, "not on 2031's roster"
        provision(deployment, connect(Clients(Target(emulator_url=running.url)),
                                      deployment.settings), date(2031, 1, 10))
        _kept_year(old.ws, deployment)
    finally:
        running.stop()
    return root


def _current(url: str, root: Path) -> Deployment:
    return emulator_setup.prepare(url, load(root / "config-2031" / "guongmau.yaml"))


def _kept_year(ws: Workspace, deployment: Deployment) -> None:
    """What a 2027 within its period holds (made cheaply, as provisioning would name it)."""
    drive_id = deployment.settings.storage.shared_drive_id or ""
    folder = ws.drive.create("Năm 2027", FOLDER, drive_id, app_properties(KEPT, "folder", "year"))
    ws.drive.create("Bảng theo dõi 2027", SPREADSHEET, folder["id"],
                    app_properties(KEPT, "unit-sheet", "SO-VP"))
    ws.drive.create("Báo cáo 2027", DOCUMENT, folder["id"],
                    app_properties(KEPT, "report-doc", "so|ca-nam"))
    ws.state.write(f"years/{KEPT}/ledger/ke-hoach-nhom-1.json", {"entries": {"r1": ["SO-VP", "t"]}})
    ws.state.write(f"reminders/{KEPT}/sent-2027-12-08.json", {"count": 2})


def _quarantined(province: Province, overview_id: str = "") -> list[list[Any]]:
    return province.values(overview_id or province.overview_id,
                           [f"'{QUARANTINE_TITLE}'!A2:G"])[0]


@pytest.fixture
def years(years_snapshot: Path, tmp_path: Path) -> Iterator[Province]:
    """2025's province (its configuration) on a fresh copy of the snapshot's emulator."""
    with helpers.province_from(years_snapshot, tmp_path / "years") as found:
        yield found


def _ports(province: Province) -> tuple[Deployment, Workspace, service.Docs]:
    deployment = _current(province.url, province.config_dir.parent)
    clients = Clients(Target(emulator_url=province.url))
    ws = connect(clients, deployment.settings)
    return deployment, ws, service.docs_port(clients, ws)


def _everything(ws: Workspace, drive_id: str) -> dict[str, Any]:
    """Every Drive file (with its version) and every state object (with its value and
    generation): what "identical before and after" compares."""
    files = {f["id"]: f for f in ws.drive.find(
        drive_id, {}, fields="id,name,appProperties,version,modifiedTime")}
    state = {}
    for name in ws.state.names(""):
        if name.endswith("/jobs/retention.json"):
            continue
        found = ws.state.read(name)
        state[name] = (found.value, found.generation)
    return {"files": files, "state": state}


def _of_year(found: dict[str, Any], year: int) -> dict[str, Any]:
    return {
        "files": {i: f for i, f in found["files"].items()
                  if f.get("appProperties", {}).get("guongmauYear") == str(year)},
        "state": {n: v for n, v in found["state"].items()
                  if n.startswith((f"years/{year}/", f"reminders/{year}/"))}}


def _doc_text(province: Province, doc_id: str) -> str:
    docs = Clients(Target(emulator_url=province.url)).service("docs")
    return _text(docs.documents().get(documentId=doc_id).execute()["body"]["content"])


def _figures(province: Province, overview: str = "") -> list[list[Any]]:
    return province.values(overview or province.overview_id, ["'Tổng hợp đơn vị'!A2:Z"])[0]


def _assert_2025_erased(province: Province, before: dict[str, Any], after: dict[str, Any],
                        figures: list[list[Any]]) -> None:
    old_before, old_after = _of_year(before, OLD), _of_year(after, OLD)
    kinds_after = sorted(f["appProperties"]["guongmau"] for f in old_after["files"].values())
    assert set(kinds_after) == {"folder", "unit-folder", "report-doc", "so-overview"}, kinds_after
    assert not any(f["appProperties"]["guongmauKey"].startswith("niem-yet|")
                   for f in old_after["files"].values() if f["appProperties"]["guongmau"]
                   == "report-doc"), "the public postings of 2025 are deleted"
    erasures = {n: v for n, v in old_before["state"].items() if "/erasures/" in n}
    assert erasures and old_after["state"] == erasures, \
        "every state object of 2025 is deleted but the records of erasures"
    forms = [i for i, f in old_before["files"].items()
             if f["appProperties"]["guongmau"] == "form"]
    assert forms
    for form_id in forms:  # the responses went with the form
        with pytest.raises(HttpError) as gone:
            province.ws.forms.service.forms().responses().list(formId=form_id).execute()
        assert gone.value.resp.status == 404
    signer = province.deployment.settings.agency.signer  # signs in office: kept
    roster = {s.name for unit in province.deployment.units for s in province.staff(unit.code)
              if s.name != signer}
    kept_docs = [i for i, f in old_after["files"].items()
                 if f["appProperties"]["guongmau"] == "report-doc"]
    texts = [_doc_text(province, doc_id) for doc_id in kept_docs]
    assert len(texts) > 1
    for doc_id, text in zip(kept_docs, texts, strict=True):
        named = sorted(name for name in roster | {STRANGER_NAME, GONE} if name in text)
        assert named == [], f"names left in a kept report: {named}"
        assert old_after["files"][doc_id]["appProperties"]["guongmauRetention"] == "anonymised"
    assert all(ANONYMOUS in text for text in texts)
    assert any("Tổng cộng" in text for text in texts)  # the Sở's figures stay
    overview = next(i for i, f in old_after["files"].items()
                    if f["appProperties"]["guongmau"] == "so-overview")
    assert _quarantined(province, overview) == []
    assert _figures(province, overview) == figures  # the per-unit figures stay


def _assert_others_identical(before: dict[str, Any], after: dict[str, Any]) -> None:
    for year in (KEPT, CURRENT):
        assert _of_year(after, year) == _of_year(before, year), f"{year} changed"
        assert _of_year(before, year)["files"] and _of_year(before, year)["state"]


def test_only_the_year_past_its_period_is_erased_and_a_rerun_changes_nothing(
        years: Province) -> None:
    deployment, ws, docs = _ports(years)
    drive_id = deployment.settings.storage.shared_drive_id or ""
    before, figures = _everything(ws, drive_id), _figures(years)
    assert len(figures) > 5 and _quarantined(years)
    years.control.reset_calls()
    outcome = service.retention(deployment, ws, docs, TODAY)
    calls, items = years.calls(), outcome.items
    deleted = sum(1 for i in items if i.file_id and i.fate.action is Action.DELETE)
    anonymised = sum(1 for i in items
                     if i.kind == "report-doc" and i.fate.action is Action.ANONYMISE)
    assert calls["drive.files.delete"] == deleted, "one call per deleted file"
    assert calls["docs.documents.get"] == calls["docs.documents.batchUpdate"] == anonymised
    assert calls["drive.files.update"] == anonymised + 1, "each anonymised file marked once"
    assert calls["storage.objects.delete"] == sum(1 for i in items if not i.file_id)
    assert calls.get("sheets.spreadsheets.values.batchGet", 0) <= 1, \
        "names come from the report snapshot; only a Sheet changed since it is read"
    print(f"\nretention of {OLD}: {len(items)} files and objects, {sum(calls.values())} calls: "
          f"{dict(sorted(calls.items()))}")
    assert outcome.past_years == [OLD]
    assert {h.year: h.past for h in outcome.horizons} == {OLD: True, KEPT: False}
    after = _everything(ws, drive_id)
    _assert_2025_erased(years, before, after, figures)
    _assert_others_identical(before, after)
    years.control.reset_calls()
    again = service.retention(deployment, ws, docs, TODAY)
    assert again.items == []
    assert years.calls() == {"storage.objects.list": 2, "drive.files.list": 2}, \
        "a rerun costs its listings only: the state's, the year folders', 2025's files"
    assert _everything(ws, drive_id) == after


def test_on_the_last_day_of_the_period_nothing_goes(years: Province) -> None:
    deployment, ws, docs = _ports(years)
    drive_id = deployment.settings.storage.shared_drive_id or ""
    before = _everything(ws, drive_id)
    outcome = service.retention(deployment, ws, docs, date(2030, 12, 10))
    assert outcome.items == [] and outcome.past_years == []
    assert _everything(ws, drive_id) == before


def _command(province: Province, *args: str) -> tuple[list[str], dict[str, str]]:
    env = {**os.environ, "GUONGMAU_EMULATOR": province.url}
    return [GUONGMAU, "--config", str(province.config_dir.parent / "config-2031" /
                                      "guongmau.yaml"), "data", "retention",
            "--hom-nay", TODAY.isoformat(), *args], env


def test_the_dry_run_lists_each_file_with_its_kind_year_and_reason_and_writes_nothing(
        years: Province) -> None:
    deployment, ws, _ = _ports(years)
    before = _everything(ws, deployment.settings.storage.shared_drive_id or "")
    years.control.reset_calls()
    command, env = _command(years, "--dry-run")
    done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert any(line.startswith("Sẽ xóa biểu mẫu «") and "(năm 2025)" in line
               and "câu trả lời" in line for line in lines), done.stdout
    assert any(line.startswith("Sẽ ẩn danh báo cáo (Google Docs) «") for line in lines)
    assert any(line.startswith("Sẽ xóa niêm yết công khai «") for line in lines)
    assert any(line.startswith("Sẽ xóa dữ liệu trạng thái «reminders/2025/") for line in lines)
    assert not any("2027" in line or "2031" in line for line in lines if line.startswith("Sẽ"))
    assert "Năm 2027: kết thúc 10/12/2027, lưu đến hết 10/12/2032 — còn trong thời hạn, giữ " \
           "nguyên" in lines
    writes = {m for m in years.calls() if not m.endswith(("get", "list", "batchGet"))}
    assert writes == set(), f"the dry run wrote: {writes}"
    assert _everything(ws, deployment.settings.storage.shared_drive_id or "") == before


@pytest.mark.parametrize("method,count", [("docs.documents.batchUpdate", 1),
                                          ("drive.files.delete", 5),
                                          ("storage.objects.delete", 2)])
def test_a_run_killed_midway_is_finished_by_the_next_one(years: Province, method: str,
                                                          count: int) -> None:
    deployment, ws, docs = _ports(years)
    drive_id = deployment.settings.storage.shared_drive_id or ""
    before, figures = _everything(ws, drive_id), _figures(years)
    years.control.reset_calls()
    command, env = _command(years)
    process = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               text=True)
    assert helpers.kill_when(years, process, method, count), "the run ended before the kill"
    service.retention(deployment, ws, docs, TODAY)
    after = _everything(ws, drive_id)
    _assert_2025_erased(years, before, after, figures)
    _assert_others_identical(before, after)


def test_lost_answers_and_a_failed_run_then_a_rerun_converges(years: Province) -> None:
    deployment, ws, docs = _ports(years)
    ws = connect(Clients(Target(emulator_url=years.url)), deployment.settings,
                 gate=quick_gate())
    docs = service.docs_port(Clients(Target(emulator_url=years.url)), ws)
    drive_id = deployment.settings.storage.shared_drive_id or ""
    before, figures = _everything(ws, drive_id), _figures(years)
    control = Control(years.url)
    # A delete whose answer is lost is retried (and finds the file gone); a refused anonymising
    # is retried; state deletes refused for good make the run fail after the files went.
    control.post("faults", {"method": "drive.files.delete", "status": "drop-after", "count": 1})
    control.post("faults", {"method": "docs.documents.batchUpdate", "status": 503, "count": 1})
    control.post("faults", {"method": "storage.objects.delete", "status": 503, "count": 50})
    with pytest.raises(GoogleApiError):
        service.retention(deployment, ws, docs, TODAY)
    control.delete("faults")
    assert _of_year(_everything(ws, drive_id), OLD)["state"], "the failure came midway"
    service.retention(deployment, ws, docs, TODAY)
    after = _everything(ws, drive_id)
    _assert_2025_erased(years, before, after, figures)
    _assert_others_identical(before, after)


def test_the_scheduled_function_erases_the_past_year_for_the_scheduler_only(
        years: Province, monkeypatch: pytest.MonkeyPatch) -> None:
    deployment, ws, _ = _ports(years)
    drive_id = deployment.settings.storage.shared_drive_id or ""
    before, figures = _everything(ws, drive_id), _figures(years)
    entry_helpers.point_functions_at(
        monkeypatch, years.config_dir.parent / "config-2031" / "guongmau.yaml", years.url)
    monkeypatch.setenv("GUONGMAU_HOM_NAY", TODAY.isoformat())
    try:
        client = entry_helpers.http_client("retention")
        years.control.reset_calls()
        assert client.post("/").status_code == 401
        assert years.calls() == {}, "refused before any call to Google"
        answer = client.post("/", headers=entry_helpers.as_scheduler())
    finally:
        bootstrap.context.cache_clear()
    assert answer.status_code == 200, answer.get_data(as_text=True)
    assert answer.get_json()["past_years"] == [OLD] and answer.get_json()["complete"] is True
    after = _everything(ws, drive_id)
    _assert_2025_erased(years, before, after, figures)
    assert ws.state.read(f"years/{CURRENT}/jobs/retention.json").value["counts"]["items"] > 20
    _assert_others_identical(before, after)


def test_a_run_out_of_time_stops_between_two_items_and_the_next_finishes(
        years: Province) -> None:
    deployment, ws, docs = _ports(years)
    drive_id = deployment.settings.storage.shared_drive_id or ""
    before, figures = _everything(ws, drive_id), _figures(years)
    ticks = iter(range(10_000))
    first = service.retention(deployment, ws, docs, TODAY, seconds=12,
                              clock=lambda: float(next(ticks)))
    assert not first.complete and 0 < len(first.items) < 20
    assert "Hết thời gian cho phép; lần chạy sau làm tiếp phần còn lại." in service.summary(
        first, dry_run=False)
    rest = service.retention(deployment, ws, docs, TODAY)
    assert rest.complete and {i.file_id or i.name for i in rest.items}.isdisjoint(
        i.file_id or i.name for i in first.items), "nothing done twice"
    after = _everything(ws, drive_id)
    _assert_2025_erased(years, before, after, figures)
    _assert_others_identical(before, after)
