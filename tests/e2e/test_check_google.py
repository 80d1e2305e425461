"""`guongmau check-google` against the emulator: it passes (exit 0), each known Google refusal
becomes the right line of its table (exit 3), nothing it made is left behind, and the cassette
it records with `--ghi-lai` replays against another emulator as Google's own traffic does."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import requests
from click.testing import CliRunner

from emulator.core import Config
from emulator.server import RunningEmulator, start
from functions.adapters.clients import Clients, Target
from functions.adapters.drive import Drive
from functions.cli import main
from functions.config import load
from functions.config.sample import write_sample
from functions.services import emulator_setup
from functions.services.google_check_forms import CHECK_KIND
from tests.conftest import Control
from tests.e2e.emulator.test_recorded_traffic import Replay, replay_interactions


@dataclass
class Run:
    exit_code: int
    output: str

    def line(self, assumption: str) -> str:
        found = [line for line in self.output.splitlines()
                 if line.startswith(f"| {assumption}")]
        assert found, f"no table line for «{assumption}» in:\n{self.output}"
        return found[0]


@pytest.fixture
def config(tmp_path: Path) -> Path:
    write_sample(tmp_path / "so")
    return tmp_path / "so" / "guongmau.yaml"


def check_google(url: str, config: Path, *args: str) -> Run:
    result = CliRunner().invoke(main, ["--config", str(config), "check-google", *args],
                                env={**os.environ, "GUONGMAU_EMULATOR": url})
    assert "Traceback" not in result.output, result.output
    return Run(result.exit_code, result.output)


def prepared(url: str, config: Path) -> tuple[str, str]:
    """(shared drive id, template form id) as the command will find them on the emulator."""
    storage = emulator_setup.prepare(url, load(config)).settings.storage
    return storage.shared_drive_id or "", storage.form_template_id or ""


def left_behind(emulator: RunningEmulator, drive_id: str) -> list[str]:
    made = Drive(Clients(Target(emulator_url=emulator.url)).service("drive"))
    files = [f["name"] for f in made.find(drive_id, {"guongmau": CHECK_KIND})]
    store = emulator.emulator.store
    subscriptions = list(store.collection("subscriptions"))
    watches = [w["id"] for book in store.collection("watches").values()
               for w in book["watches"]]
    return files + subscriptions + watches


def test_check_google_passes_on_the_emulator_and_removes_what_it_made(
    emulator: RunningEmulator, config: Path
) -> None:
    run = check_google(emulator.url, config)
    assert run.exit_code == 0, run.output
    assert "| Điều thiết kế giả định | Kết quả | Chi tiết |" in run.output
    assert "bị từ chối" not in run.output and "chưa kiểm tra được" not in run.output
    assert "| cần người xem |" in run.line("Bản sao giữ «1 câu trả lời»")
    assert "/edit" in run.line("Bản sao giữ «1 câu trả lời»")  # the link for a person
    assert "điền sẵn qua entry." in run.line("Đường dẫn điền sẵn")
    assert "RESPONSES" in run.line("Forms gửi thông báo Pub/Sub")
    assert "USER_ENTERED tính ra 2" in run.line("Ghi RAW và USER_ENTERED")
    assert left_behind(emulator, prepared(emulator.url, config)[0]) == []


def test_with_giu_lai_what_it_made_stays_in_the_shared_drive(
    emulator: RunningEmulator, config: Path
) -> None:
    run = check_google(emulator.url, config, "--giu-lai")
    assert run.exit_code == 0, run.output
    kept = left_behind(emulator, prepared(emulator.url, config)[0])
    assert any(name.startswith("guongmau check-google") for name in kept)


def _legacy_template(control: Control, drive: str, template: str, topic: str) -> None:
    control.post(f"forms/{template}/legacy")


def _domain_refused(control: Control, drive: str, template: str, topic: str) -> None:
    control.post("drive/refused-permissions", {"types": ["domain"]})


def _no_publisher(control: Control, drive: str, template: str, topic: str) -> None:
    control.post("pubsub/topics", {"topic": topic, "formsPublisher": False})


@pytest.mark.parametrize(("refusal", "refused", "expected", "skipped"), [
    (_legacy_template, "Bản sao biểu mẫu mẫu có publishSettings", "là biểu mẫu kiểu cũ",
     "Xuất bản bản sao"),
    (_domain_refused, "Cấp quyền trả lời theo cấu hình", "Google trả lời 403 (drive)",
     "Đường dẫn điền sẵn"),
    (_no_publisher, "Chủ đề Pub/Sub và quyền đăng", "chưa có vai trò Pub/Sub Publisher",
     "Tạo theo dõi câu trả lời"),
], ids=["unpublishable copy", "wrong permission type", "missing topic right"])
def test_each_known_google_refusal_becomes_its_line_and_nothing_is_left_behind(
    emulator: RunningEmulator, control: Control, config: Path, refusal: Any, refused: str,
    expected: str, skipped: str,
) -> None:
    drive, template = prepared(emulator.url, config)
    refusal(control, drive, template, load(config).settings.pubsub_topic)
    run = check_google(emulator.url, config)
    assert run.exit_code == 3, run.output
    assert "| bị từ chối |" in run.line(refused) and expected in run.line(refused)
    assert "| chưa kiểm tra được |" in run.line(skipped)
    assert "| đã kiểm chứng |" in run.line("Ghi RAW và USER_ENTERED")  # the rest still runs
    assert left_behind(emulator, drive) == []


@pytest.fixture
def second_emulator(tmp_path: Path) -> Iterator[RunningEmulator]:
    running = start(tmp_path / "second", config=Config(quotas_enabled=False))
    try:
        yield running
    finally:
        running.stop()


def _resubmit(replay: Replay, interaction: dict[str, Any]) -> None:
    """A person answered the form between two polls: the responses the recorded list shows
    are submitted again (question ids mapped) before that list is replayed."""
    request = interaction["request"]
    if request["method"] != "GET" or not request["uri"].split("?")[0].endswith("/responses"):
        return
    listed = json.loads(interaction["response"]["body"]["string"] or "{}")
    form_id = replay.map_text(request["uri"].split("/forms/")[1].split("/")[0])
    shown = requests.get(f"{replay.url}/v1/forms/{form_id}/responses", timeout=30).json()
    if shown.get("responses"):
        return
    for response in listed.get("responses", []):
        answers = {replay.ids.get(qid, qid): [a["value"] for a in answer["textAnswers"]["answers"]]
                   for qid, answer in response.get("answers", {}).items()}
        requests.post(f"{replay.url}/_emulator/forms/{form_id}/responses", timeout=30, json={
            "respondentEmail": "kiemtra@sgddt-demo.edu.vn", "answers": answers,
        })


def test_a_recorded_check_google_cassette_replays_against_another_emulator(
    emulator: RunningEmulator, second_emulator: RunningEmulator, config: Path, tmp_path: Path
) -> None:
    run = check_google(emulator.url, config, "--ghi-lai", str(tmp_path / "cassettes"))
    assert run.exit_code == 0, run.output
    [path] = (tmp_path / "cassettes").glob("check-google-*.json")
    cassette = json.loads(path.read_text(encoding="utf-8"))
    text = path.read_text(encoding="utf-8")
    assert "Bearer" not in text and "authorization" not in text.lower()
    assert "@sgddt-demo.edu.vn" not in text and "gserviceaccount.com\"" not in text
    drive, template = prepared(emulator.url, config)
    assert drive not in text and template not in text
    replay = Replay(second_emulator, user=None)
    mine = dict(zip(("storage.shared_drive_id", "storage.form_template_id"),
                    prepared(second_emulator.url, config), strict=True))
    replay.ids.update({pseudonym: mine[role] for pseudonym, role in cassette["roles"].items()})
    failures = replay_interactions(replay, cassette["interactions"], before=_resubmit)
    assert not failures, "\n".join(failures[:20])
