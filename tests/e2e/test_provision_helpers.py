"""Shared pieces of the provisioning end-to-end tests (no tests here).

The sample province is provisioned once per session into an emulator data folder; each test
starts its own emulator on a copy of that folder (and of the configuration), so tests stay
independent without paying the ~10 s first build each time.
"""

from __future__ import annotations

import csv
import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from emulator.core import Config
from emulator.server import RunningEmulator, start
from functions.adapters.clients import Clients, Target
from functions.adapters.retry import Gate, RetryPolicy
from functions.config import Deployment, load
from functions.config.sample import write_sample
from functions.services import emulator_setup
from functions.services.provision import Outcome, provision
from functions.services.registry import RegistryStore, app_properties
from functions.services.workspace import Workspace, connect
from tests.conftest import Control

TODAY = date(2025, 1, 10)  # the plan period (ke-hoach) is open, the report periods are not
READ_METHODS = ("get", "list")
SO_PROGRESS = "Tổng hợp đơn vị"  # the Sở overview's tab of unit rows (sheets_templates/so.yaml)


def write_methods(calls: dict[str, Any]) -> dict[str, int]:
    """The counted methods that change something (all but gets, lists and about)."""
    return {name: count for name, count in calls.get("methods", {}).items()
            if name.rsplit(".", 1)[-1] not in READ_METHODS}


def units_file(config_dir: Path) -> Path:
    return config_dir / "don_vi.csv"


def read_units_csv(config_dir: Path) -> list[dict[str, str]]:
    with units_file(config_dir).open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def write_units_csv(config_dir: Path, rows: list[dict[str, str]]) -> None:
    with units_file(config_dir).open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)


@dataclass
class Province:
    """The sample province on one emulator: configuration folder, clients, control."""

    emulator: RunningEmulator
    config_dir: Path
    control: Control = field(init=False)
    deployment: Deployment = field(init=False)
    ws: Workspace = field(init=False)
    forms_dir: Path | None = None  # forms/ of the project unless a test edits a copy

    def __post_init__(self) -> None:
        self.control = Control(self.emulator.url)
        self.reload()

    @property
    def url(self) -> str:
        return self.emulator.url

    def reload(self) -> Deployment:
        """Reads the configuration again (after a test edits it), as the CLI would."""
        loaded = load(self.config_dir / "guongmau.yaml", self.forms_dir)
        self.deployment = emulator_setup.prepare(self.url, loaded)
        self.ws = connect(self.clients(), self.deployment.settings)
        return self.deployment

    def clients(self, user: str | None = None) -> Clients:
        return Clients(Target(emulator_url=self.url, user=user))

    def provision(self, dry_run: bool = False, today: date = TODAY,
                  budget: float | None = None) -> Outcome:
        return provision(self.deployment, self.ws, today, dry_run=dry_run, budget_seconds=budget)

    def fresh_calls(self) -> None:
        self.control.reset_calls()

    def methods(self) -> dict[str, int]:
        return dict(self.control.calls().get("methods", {}))

    def writes(self) -> dict[str, int]:
        return write_methods(self.control.calls())

    def registry(self) -> dict[str, Any]:
        return RegistryStore(self.ws.state, self.deployment.settings.year).whole()

    def find(self, kind: str, key: str = "") -> list[dict[str, Any]]:
        """Files of the shared drive carrying our appProperties for ``kind`` (and ``key``)."""
        settings = self.deployment.settings
        return list(self.ws.drive.find(settings.storage.shared_drive_id or "",
                                       app_properties(settings.year, kind, key)))

    def unit_sheet(self, code: str) -> str:
        return str(self.registry()["units"][code]["sheet"])

    def form_id(self, key: str) -> str:
        return str(self.registry()["forms"][key]["id"])


QUICK_POLICY = RetryPolicy(backoff_seconds=0.05, sharing_backoff_seconds=0.1)


def quick_gate() -> Gate:
    """The service's retry policy (same retry count, same doubling) with waits 20 times
    shorter: fault tests stay fast."""
    return Gate(QUICK_POLICY)


def with_quick_backoff(province: Province) -> None:
    """The province's ports, retrying with a shorter back-off."""
    province.ws = connect(province.clients(), province.deployment.settings, gate=quick_gate())


def fresh_province(root: Path) -> Province:
    """An empty emulator (quotas off) and the sample configuration of ``guongmau init``."""
    write_sample(root / "config")
    running = start(root / "emulator", config=Config(quotas_enabled=False))
    return Province(running, root / "config")


@pytest.fixture(scope="session")
def provisioned_snapshot(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder holding the sample configuration and an emulator data folder in which the
    sample province has been provisioned once (on 2025-01-10)."""
    root = tmp_path_factory.mktemp("provisioned")
    province = fresh_province(root)
    try:
        province.provision()
    finally:
        province.emulator.stop()
    return root


@pytest.fixture
def province(provisioned_snapshot: Path, tmp_path: Path) -> Iterator[Province]:
    """The provisioned sample province, on an emulator of this test's own; calls counted from
    zero."""
    root = tmp_path / "province"
    shutil.copytree(provisioned_snapshot, root)
    running = start(root / "emulator", config=Config(quotas_enabled=False))
    try:
        found = Province(running, root / "config")
        found.fresh_calls()
        yield found
    finally:
        running.stop()


@pytest.fixture
def empty_province(tmp_path: Path) -> Iterator[Province]:
    """An empty emulator and the sample configuration, not yet provisioned."""
    found = fresh_province(tmp_path)
    try:
        found.fresh_calls()
        yield found
    finally:
        found.emulator.stop()


def state_of(province: Province) -> dict[str, Any]:
    """What provisioning leaves, without ids: files by appProperties (a twin shows as a second
    name), form contents, Sheet tabs, grants, watches, and the identity cells of the Sở
    overview's rows (a lost or doubled row shows)."""
    drive = province.clients().service("drive")
    sheets = province.clients().service("sheets")
    files: dict[tuple[str, str], list[str]] = {}
    listed = drive.files().list(
        corpora="drive", driveId=province.deployment.settings.storage.shared_drive_id,
        includeItemsFromAllDrives=True, supportsAllDrives=True, pageSize=1000,
        q="trashed = false", fields="files(id,name,appProperties)").execute()["files"]
    for one in listed:
        props = one.get("appProperties", {})
        files.setdefault((props.get("guongmau", ""), props.get("guongmauKey", "")), []).append(
            one["name"])
    forms = {}
    for spec in province.deployment.forms:
        form = province.ws.forms.get(province.form_id(spec.key))
        forms[spec.key] = {
            "items": [{k: v for k, v in item.items() if k not in ("itemId", "questionItem")}
                      for item in form["items"]],
            "published": form["publishSettings"],
            "email": form["settings"].get("emailCollectionType"),
            "watches": len(province.ws.forms.watches(form["formId"])),
        }
    units = {}
    for unit in province.deployment.units:
        entry = province.registry()["units"].get(unit.code)
        if entry is None:
            continue
        found = sheets.spreadsheets().get(
            spreadsheetId=entry["sheet"],
            fields="sheets(properties.title,protectedRanges.description)").execute()
        grants = sorted((p.get("emailAddress", ""), p["role"])
                        for p in province.ws.drive.permissions(entry["sheet"]))
        units[unit.code] = {"sheet": found, "grants": grants}
    overview = province.find("so-overview")
    rows = province.ws.sheets.read(overview[0]["id"], [f"'{SO_PROGRESS}'!A2:D"])[0] \
        if overview else []
    return {"files": {k: sorted(v) for k, v in files.items()}, "forms": forms, "units": units,
            "overview": rows}


Edit = Callable[[list[dict[str, str]]], None]


def edit_units(province: Province, edit: Edit) -> None:
    rows = read_units_csv(province.config_dir)
    edit(rows)
    write_units_csv(province.config_dir, rows)
    province.reload()
