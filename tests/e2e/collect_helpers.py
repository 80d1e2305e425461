"""Shared pieces of the collection end-to-end tests (no tests here).

The sample province is provisioned once per session into an emulator data folder (every form
then opened, edits allowed, a person may submit twice); each test (or each hypothesis example)
starts its own emulator on a copy of that folder, so tests stay independent.

``Model`` is the tests' own reference: from the responses the emulator accepted, it computes what
every unit Sheet and the Sở overview must show. It shares nothing with the collection code but
the roster (read through the configuration loader) and the template texts' words. Sheets are
read back through the Sheets API (``values.batchGet``, ``spreadsheets.get``), never through the
service's reader.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from emulator.core import Config
from emulator.server import RunningEmulator, start
from functions.adapters.clients import Clients, Target
from functions.blueprints.unit_sheet import MISSING_TITLE_ROW
from functions.config import Deployment, load
from functions.config.sample import write_sample
from functions.domain.model import Staff
from functions.services import emulator_setup, runner
from functions.services.collect import SyncOutcome
from functions.services.provision import provision
from functions.services.registry import RegistryStore
from functions.services.workspace import Workspace, connect
from tests.conftest import Control

PROVISIONED_ON = date(2025, 1, 10)
TODAY = date(2025, 1, 20)  # the plan period is open; the report periods are not yet
YEAR_END = date(2025, 11, 20)  # every period is open

# Words the Sheets show (sheets_templates/unit.yaml, so.yaml), spelled out here on purpose.
LATEST = "Hiệu lực"
REPLACED = "Đã thay thế (có bản gửi sau)"
EDITED_AFTER_CONFIRMATION = "Đã sửa sau xác nhận (bản đã xác nhận gửi lúc "
SUBMITTED, MISSING = "Đã nộp", "Chưa nộp"
NOT_IN_ROSTER = "Không có trong danh sách nhân sự"
OVERFLOW_TITLE = "Nội dung dài"
QUARANTINE_TITLE = "Chưa xác định đơn vị"
PROGRESS_TITLE = "Tổng hợp đơn vị"
TAB_OF_PERIOD = {"ke-hoach": "Kế hoạch", "quy-1": "Quý I", "6-thang": "6 tháng",
                 "quy-3": "Quý III", "ca-nam": "Cả năm"}
PERIODS = tuple(TAB_OF_PERIOD)
PARTS = {"plan": (("Nội dung", "noi_dung"), ("Cách thức", "cach_thuc"),
                  ("Thời gian", "thoi_gian")),
         "report": (("Kết quả", "ket_qua"), ("Mức độ", "muc_do"))}


# ---------------------------------------------------------------- the province on an emulator

@dataclass
class Submitted:
    """A response as the emulator accepted it (the test's own record)."""

    response_id: str
    form_key: str
    email: str
    answers: dict[str, str]  # our question keys → the text submitted
    created: str
    last_submitted: str

    @property
    def period(self) -> str:
        return self.form_key.rsplit("-nhom-", 1)[0]

    @property
    def group(self) -> int:
        return int(self.form_key.rsplit("-nhom-", 1)[1])


@dataclass
class Province:
    """The provisioned sample province on one emulator, with the tests' own record of every
    response submitted."""

    emulator: RunningEmulator
    config_dir: Path
    control: Control = field(init=False)
    deployment: Deployment = field(init=False)
    ws: Workspace = field(init=False)
    responses: dict[str, Submitted] = field(default_factory=dict)
    _registry: dict[str, Any] = field(default_factory=dict)
    _choices: dict[str, dict[str, list[str]]] = field(default_factory=dict)
    _sheets: dict[str | None, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.control = Control(self.emulator.url)
        self.reload()

    @property
    def url(self) -> str:
        return self.emulator.url

    def reload(self) -> Deployment:
        """Reads the configuration again (after a test edited the roster), as a deploy would."""
        self.deployment = emulator_setup.prepare(self.url, load(self.config_dir / "guongmau.yaml"))
        self.ws = self.reload_workspace()
        return self.deployment

    def reload_workspace(self) -> Workspace:
        """Ports on clients of their own (another function instance, another thread)."""
        return connect(Clients(Target(emulator_url=self.url)), self.deployment.settings)

    @property
    def registry(self) -> dict[str, Any]:
        if not self._registry:
            self._registry = RegistryStore(self.ws.state,
                                           self.deployment.settings.year).whole()
        return self._registry

    def form_id(self, form_key: str) -> str:
        return str(self.registry["forms"][form_key]["id"])

    def unit_sheet(self, code: str) -> str:
        return str(self.registry["units"][code]["sheet"])

    @property
    def overview_id(self) -> str:
        return str(self.registry["overview"]["id"])

    # -- people and answers

    def staff(self, code: str) -> tuple[Staff, ...]:
        return self.deployment.directory().staff_of(code)

    def person(self, email: str) -> Staff | None:
        return self.deployment.directory().person(email)

    def unit_label(self, code: str) -> str:
        unit = self.deployment.directory().unit(code)
        assert unit is not None, code
        return unit.choice_label

    def _choice_options(self, form_key: str) -> dict[str, list[str]]:
        if form_key not in self._choices:
            form = self.ws.forms.get(self.form_id(form_key))
            by_id: dict[str, list[str]] = {}
            for item in form.get("items", []):
                question = item.get("questionItem", {}).get("question", {})
                options = question.get("choiceQuestion", {}).get("options", [])
                if options:
                    by_id[question["questionId"]] = [str(o["value"]) for o in options]
            self._choices[form_key] = by_id
        return self._choices[form_key]

    def answers(self, form_key: str, name: str, unit_label: str, tag: str,
                **overrides: str) -> dict[str, str]:
        """A complete, valid set of answers (our keys → text); free texts carry ``tag``."""
        questions: dict[str, str] = self.registry["forms"][form_key]["questions"]
        options = self._choice_options(form_key)
        found: dict[str, str] = {}
        for key, question_id in questions.items():
            if key == "ho_ten":
                found[key] = name
            elif key == "don_vi":
                found[key] = unit_label
            elif key == "chuc_vu":
                found[key] = "Chuyên viên"
            elif question_id in options:
                found[key] = options[question_id][0]
            else:
                found[key] = f"{key} {tag}"
        found.update(overrides)
        return found

    def submit(self, form_key: str, email: str, answers: dict[str, str],
               response_id: str | None = None) -> Submitted:
        """Submits (or, with ``response_id``, edits) a response through the control endpoint."""
        ids: dict[str, str] = self.registry["forms"][form_key]["questions"]
        body: dict[str, Any] = {"respondentEmail": email,
                                "answers": {ids[key]: [value] for key, value in answers.items()
                                            if value != ""}}
        if response_id:
            body["responseId"] = response_id
        raw = self.control.post(f"forms/{self.form_id(form_key)}/responses", body)
        record = Submitted(raw["responseId"], form_key, email.lower(), dict(answers),
                           raw["createTime"], raw["lastSubmittedTime"])
        self.responses[record.response_id] = record
        return record

    def edit(self, response_id: str, tag: str, **overrides: str) -> Submitted:
        old = self.responses[response_id]
        answers = {key: (f"{key} {tag}" if value.startswith(f"{key} ") else value)
                   for key, value in old.answers.items()}
        answers.update(overrides)
        return self.submit(old.form_key, old.email, answers, response_id)

    def submit_as(self, form_key: str, email: str, tag: str, unit_code: str | None = None,
                  **overrides: str) -> Submitted:
        """A response by ``email``: a roster person names their own unit unless told otherwise."""
        person = self.person(email)
        code = unit_code or (person.unit_code if person else "SO-VP")
        name = person.name if person else f"Khách {email.split('@')[0]}"
        return self.submit(form_key, email,
                           self.answers(form_key, name, self.unit_label(code), tag, **overrides))

    # -- runs

    def collect(self, *, full: bool = False, today: date = TODAY, budget: float = 600.0,
                clock: Callable[[], float] | None = None, form_keys: list[str] | None = None,
                ws: Workspace | None = None, **extra: Any) -> SyncOutcome:
        """One run as the triggers start it: notified forms (``form_keys``), every form from its
        cursor, or (``full``) the reconcile. ``extra``: more of ``runner.run``'s options."""
        if clock is not None:
            extra["clock"] = clock
        if form_keys is not None:
            return runner.run(self.deployment, ws or self.ws,
                              form_ids=[self.form_id(k) for k in form_keys], full=full,
                              budget_seconds=budget, today=today, **extra)
        return runner.run(self.deployment, ws or self.ws, every_form=True, full=full,
                          budget_seconds=budget, today=today, **extra)

    # -- reading back through the Sheets API

    def sheets_api(self, user: str | None = None) -> Any:
        if user not in self._sheets:
            self._sheets[user] = Clients(Target(emulator_url=self.url, user=user)).service(
                "sheets")
        return self._sheets[user]

    def values(self, spreadsheet_id: str, ranges: list[str]) -> list[list[list[Any]]]:
        answer = self.sheets_api().spreadsheets().values().batchGet(
            spreadsheetId=spreadsheet_id, ranges=ranges, valueRenderOption="UNFORMATTED_VALUE",
        ).execute()
        return [r.get("values", []) for r in answer.get("valueRanges", [])]

    def calls(self) -> dict[str, int]:
        return dict(self.control.calls().get("methods", {}))


def _open_every_form(province: Province) -> None:
    """What the admin does in the template once (edits allowed; the test lets a person submit
    twice), and every period's form open, so any response can be submitted: opened as
    provisioning opens one, the registry saying so."""
    for entry in province.registry["forms"].values():
        province.control.post(f"forms/{entry['id']}/settings",
                              {"limitOneResponsePerUser": False, "allowResponseEdits": True})
        if not entry.get("accepting"):
            province.ws.forms.publish(entry["id"], accepting=True)
            entry["accepting"] = True
    RegistryStore(province.ws.state, province.deployment.settings.year).overwrite(
        province.registry)


def provision_snapshot(root: Path) -> Path:
    write_sample(root / "config")
    running = start(root / "emulator", config=Config(quotas_enabled=False))
    try:
        province = Province(running, root / "config")
        provision(province.deployment, province.ws, PROVISIONED_ON)
        _open_every_form(province)
    finally:
        running.stop()
    return root


@contextlib.contextmanager
def province_from(snapshot: Path, where: Path) -> Iterator[Province]:
    """The provisioned province on an emulator of its own (a copy of ``snapshot``)."""
    if where.exists():
        shutil.rmtree(where)
    shutil.copytree(snapshot, where)
    running = start(where / "emulator", config=Config(quotas_enabled=False))
    try:
        found = Province(running, where / "config")
        found.control.reset_calls()
        yield found
    finally:
        running.stop()


@pytest.fixture(scope="session")
def collect_snapshot(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return provision_snapshot(tmp_path_factory.mktemp("collect-provisioned"))


@pytest.fixture
def province(collect_snapshot: Path, tmp_path: Path) -> Iterator[Province]:
    with province_from(collect_snapshot, tmp_path / "province") as found:
        yield found


# ---------------------------------------------------------------- the command in a process

GUONGMAU = str(Path(sys.executable).parent / "guongmau")  # the installed command


def start_collect(province: Province, *args: str) -> subprocess.Popen[str]:
    """`guongmau collect` in a process of its own, on the province's emulator."""
    env = {**os.environ, "GUONGMAU_EMULATOR": province.url}
    return subprocess.Popen(
        [GUONGMAU, "--config", str(province.config_dir / "guongmau.yaml"), "collect",
         "--hom-nay", TODAY.isoformat(), *args],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def kill_when(province: Province, process: subprocess.Popen[str], method: str, count: int,
              timeout: float = 60.0) -> bool:
    """``kill -9`` of ``process`` once the emulator has counted ``count`` calls of ``method``
    (counters reset before the process started); False if it ended first."""
    deadline = time.monotonic() + timeout
    try:
        while time.monotonic() < deadline:
            if province.calls().get(method, 0) >= count:
                process.kill()
                return True
            if process.poll() is not None:
                return False
            time.sleep(0.005)
        raise AssertionError(f"{method} was not called {count} times in {timeout} s")
    finally:
        process.kill()
        process.communicate(timeout=30)


# ---------------------------------------------------------------- the reference model

@dataclass(frozen=True)
class Row:
    """What the tests expect of one response's row (the columns they check)."""

    name: str
    email: str
    group: str
    status: str
    criterion_1: str
    notes: tuple[str, ...]  # fragments the «Lưu ý» cell must contain


@dataclass
class Expected:
    tabs: dict[str, dict[str, dict[str, Row]]]  # unit → tab title → responseId → row
    roster: dict[str, list[list[Any]]]  # unit → roster rows
    counts: dict[str, list[list[Any]]]  # unit → per period [n1 done, n1, n2 done, n2, rate]
    missing: dict[str, list[list[str]]]  # unit → per period the «Người chưa nộp» list
    quarantine: dict[str, str]  # responseId → reason fragment
    missing_count: dict[str, list[int]] = field(default_factory=dict)  # whatever the day


def criterion_text(response: Submitted) -> str:
    parts = PARTS["plan" if response.period == "ke-hoach" else "report"]
    return "\n".join(f"{label}: {response.answers[f'tc1_{key}']}" for label, key in parts
                     if response.answers.get(f"tc1_{key}"))


def _unit_named(province: Province, label: str) -> str | None:
    for unit in province.deployment.units:
        if label in (unit.choice_label, unit.name, unit.code):
            return unit.code if unit.active else None
    return None


def place(province: Province, response: Submitted) -> tuple[str | None, int, tuple[str, ...]]:
    """(unit or None for the quarantine, the group shown, note fragments), by the rules of
    issue 5: the roster (any of the person's emails) first, then the unit chosen."""
    person = province.person(response.email)
    if person is not None:
        unit = province.deployment.directory().unit(person.unit_code)
        if unit is None or not unit.active:
            return None, int(person.group), ()
        notes: tuple[str, ...] = ()
        if int(person.group) != response.group:
            notes = (f"thuộc Nhóm {int(person.group)} nhưng đã điền biểu mẫu của "
                     f"Nhóm {response.group}",)
        return unit.code, int(person.group), notes
    return _unit_named(province, response.answers.get("don_vi", "")), response.group, (
        NOT_IN_ROSTER,)


def expected(province: Province, today: date = TODAY,
             responses: list[Submitted] | None = None) -> Expected:
    """The projection of ``responses`` (default: all submitted) on every unit Sheet, drawn on
    ``today`` (the missing lists name the people of the periods open on the day drawn)."""
    chosen = list(province.responses.values()) if responses is None else responses
    tabs: dict[str, dict[str, dict[str, Row]]] = {
        unit.code: {title: {} for title in TAB_OF_PERIOD.values()}
        for unit in province.deployment.units if unit.active}
    quarantine: dict[str, str] = {}
    latest: dict[tuple[str, str, str, int], Submitted] = {}
    placed: dict[str, tuple[str, int, tuple[str, ...]]] = {}
    for response in chosen:
        code, group, notes = place(province, response)
        if code is None:
            quarantine[response.response_id] = response.email
            continue
        placed[response.response_id] = (code, group, notes)
        key = (code, response.period, response.email, group)
        if key not in latest or response.last_submitted > latest[key].last_submitted:
            latest[key] = response
    counted = {r.response_id for r in latest.values()}
    for response in chosen:
        if response.response_id not in placed:
            continue
        code, group, notes = placed[response.response_id]
        status = LATEST if response.response_id in counted else REPLACED
        tabs[code][TAB_OF_PERIOD[response.period]][response.response_id] = Row(
            response.answers.get("ho_ten", ""), response.email, f"Nhóm {group}", status,
            criterion_text(response), notes)
    roster: dict[str, list[list[Any]]] = {}
    counts: dict[str, list[list[Any]]] = {}
    missing: dict[str, list[list[str]]] = {}
    missing_count: dict[str, list[int]] = {}
    periods = {p.kind.value: p for p in province.deployment.periods}
    for code in tabs:
        people = province.staff(code)
        done = {period: {r.email for r in chosen if r.response_id in counted
                         and placed[r.response_id][0] == code and r.period == period}
                for period in PERIODS}

        def has(person: Staff, period: str, done: dict[str, set[str]] = done) -> bool:
            return any(email.lower() in done[period] for email in person.emails)

        roster[code] = [
            [p.name, p.email, p.position, f"Nhóm {int(p.group)}",
             *(SUBMITTED if has(p, k) else MISSING for k in PERIODS)] for p in people]
        counts[code] = []
        missing[code], missing_count[code] = [], []
        for k in PERIODS:
            row: list[Any] = []
            for group in (1, 2):
                members = [p for p in people if int(p.group) == group]
                row += [sum(has(p, k) for p in members), len(members)]
            total = row[1] + row[3]
            row.append(round(100 * (row[0] + row[2]) / total, 1) if total else 0)
            counts[code].append(row)
            names = [f"{p.name} ({p.email})" for p in people if not has(p, k)]
            missing[code].append(names if periods[k].opens <= today else [])
            missing_count[code].append(len(names))
    return Expected(tabs, roster, counts, missing, quarantine, missing_count)


# ---------------------------------------------------------------- what the Sheets show

@dataclass
class Shown:
    tabs: dict[str, dict[str, list[dict[str, Any]]]]  # unit → tab → rows (header → value)
    roster: dict[str, list[list[Any]]]
    counts: dict[str, list[list[Any]]]
    missing: dict[str, list[list[str]]]
    overflow: dict[str, list[list[Any]]]
    quarantine: list[dict[str, Any]]
    progress: dict[str, dict[str, Any]]
    # unit → per period: the count a heading gives in place of the names (the period opened
    # after the unit was last drawn: «… 6 người chưa nộp (xem tab Danh sách)»), else None
    pointers: dict[str, list[int | None]] = field(default_factory=dict)


POINTER = re.compile(r": (\d+) người chưa nộp \(xem tab Danh sách\)$")


def _records(rows: list[list[Any]]) -> list[dict[str, Any]]:
    if not rows:
        return []
    header = [str(h) for h in rows[0]]
    return [{h: (row[i] if i < len(row) else "") for i, h in enumerate(header)}
            for row in rows[1:] if any(cell not in ("", None) for cell in row)]


def shown_unit(province: Province, code: str) -> tuple[dict[str, list[dict[str, Any]]],
                                                      list[list[Any]], list[list[Any]],
                                                      list[list[str]], list[list[Any]],
                                                      list[int | None]]:
    titles = list(TAB_OF_PERIOD.values())
    ranges = [f"'{t}'!A1:AZ" for t in titles]
    ranges += ["'Danh sách'!A2:I", "'Tổng quan'!C7:G11", f"'Tổng quan'!A{MISSING_TITLE_ROW + 2}:A",
               f"'{OVERFLOW_TITLE}'!A2:E"]
    found = province.values(province.unit_sheet(code), ranges)
    tabs = {title: _records(found[i]) for i, title in enumerate(titles)}
    roster = [row for row in found[len(titles)] if any(row)]
    counts = found[len(titles) + 1]
    missing: list[list[str]] = []  # the stacked lists: a heading per period, then its names
    pointers: list[int | None] = []
    for row in found[len(titles) + 2]:
        line = str(row[0]) if row else ""
        if line.startswith(tuple(f"{short} (" for short in TAB_OF_PERIOD.values())):
            missing.append([])
            pointer = POINTER.search(line)
            pointers.append(int(pointer[1]) if pointer else None)
        elif line and missing:
            missing[-1].append(line)
    return tabs, roster, counts, missing, found[len(titles) + 3], pointers


def shown(province: Province) -> Shown:
    result = Shown({}, {}, {}, {}, {}, [], {})
    for unit in province.deployment.units:
        if not unit.active:
            continue
        tabs, roster, counts, missing, overflow, pointers = shown_unit(province, unit.code)
        result.pointers[unit.code] = pointers
        result.tabs[unit.code] = tabs
        result.roster[unit.code] = roster
        result.counts[unit.code] = counts
        result.missing[unit.code] = missing
        result.overflow[unit.code] = overflow
    quarantine, progress = province.values(
        province.overview_id, [f"'{QUARANTINE_TITLE}'!A1:G", f"'{PROGRESS_TITLE}'!A1:Z"])
    result.quarantine = _records(quarantine)
    result.progress = {str(r["Mã đơn vị"]): r for r in _records(progress)}
    return result


def _number(value: Any) -> Any:
    return round(float(value), 1) if isinstance(value, int | float) else value


def differences(want: Expected, got: Shown) -> list[str]:
    """Every way the Sheets differ from the projection, in words (empty: they agree)."""
    problems: list[str] = []
    seen: dict[str, str] = {}
    for code, tabs in want.tabs.items():
        for title, rows in tabs.items():
            shown_rows = got.tabs[code][title]
            for row in shown_rows:
                key = str(row.get("Mã phản hồi", ""))
                where = f"{code}/{title}"
                if key in seen:
                    problems.append(f"{key} shown twice: {seen[key]} and {where}")
                seen[key] = where
                if key not in rows:
                    problems.append(f"{where}: unexpected row {key} ({row.get('Email')})")
                    continue
                want_row = rows[key]
                have = (row.get("Họ và tên"), row.get("Email"), row.get("Nhóm"),
                        row.get("Trạng thái"), row.get("Tiêu chí 1"))
                wanted = (want_row.name, want_row.email, want_row.group, want_row.status,
                          want_row.criterion_1)
                if have != wanted:
                    problems.append(f"{where}/{key}: shows {have}, expected {wanted}")
                for note in want_row.notes:
                    if note not in str(row.get("Lưu ý", "")):
                        problems.append(f"{where}/{key}: «Lưu ý» lacks {note!r}")
            missing_rows = set(rows) - {str(r.get("Mã phản hồi")) for r in shown_rows}
            if missing_rows:
                problems.append(f"{code}/{title}: rows missing: {sorted(missing_rows)}")
        if got.roster[code] != want.roster[code]:
            problems.append(f"{code}/Danh sách: shows {got.roster[code]}, "
                            f"expected {want.roster[code]}")
        have_counts = [[_number(v) for v in row] for row in got.counts[code]]
        want_counts = [[_number(v) for v in row] for row in want.counts[code]]
        if have_counts != want_counts:
            problems.append(f"{code}/Tổng quan counts: {have_counts}, expected {want_counts}")
        # A unit drawn before a period opened names no one under its heading, only how many.
        for index, pointer in enumerate(got.pointers[code]):
            if pointer is not None and (pointer, got.missing[code][index]) != (
                    want.missing_count[code][index], []):
                problems.append(f"{code}/Tổng quan «Người chưa nộp» {PERIODS[index]}: "
                                f"{pointer} people and {got.missing[code][index]}, expected "
                                f"{want.missing_count[code][index]} and no names")
        named = [index for index, pointer in enumerate(got.pointers[code]) if pointer is None]
        if len(got.missing[code]) != len(PERIODS) or [got.missing[code][i] for i in named] \
                != [want.missing[code][i] for i in named]:
            problems.append(f"{code}/Tổng quan «Người chưa nộp»: {got.missing[code]}, "
                            f"expected {want.missing[code]}")
        progress = got.progress.get(code, {})
        for period, row in zip(PERIODS, want.counts[code], strict=True):
            short = TAB_OF_PERIOD[period]
            have = (progress.get(f"{short}: đã nộp"), _number(progress.get(f"{short}: tỷ lệ (%)")))
            if have != (row[0] + row[2], _number(row[4])):
                problems.append(f"Sở overview {code} {short}: {have}, expected "
                                f"{(row[0] + row[2], _number(row[4]))}")
    quarantined = [str(r.get("Mã phản hồi")) for r in got.quarantine]
    for key in quarantined:
        if key in seen:
            problems.append(f"{key} shown in {seen[key]} and in the quarantine")
    if sorted(quarantined) != sorted(want.quarantine):
        problems.append(f"quarantine: {sorted(quarantined)}, expected {sorted(want.quarantine)}")
    return problems


def assert_projection(province: Province, today: date = TODAY) -> None:
    problems = differences(expected(province, today), shown(province))
    assert not problems, "The Sheets differ from the projection:\n" + "\n".join(problems)


def with_status(row: Row, status: str) -> Row:
    return replace(row, status=status)
