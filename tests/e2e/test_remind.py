"""Reminders end to end: the province as collection left it, the emulator's Gmail outbox as
the mail that went out. Each missing person gets one email per round, each unit head a
digest of exactly the missing people, nothing twice, and no more than the daily limit."""

from __future__ import annotations

import dataclasses
import os
from datetime import date
from typing import Any

import requests
from click.testing import CliRunner

from functions.cli import main
from functions.services import remind
from functions.services.remind import RemindOutcome
from tests.e2e import collect_helpers as helpers
from tests.e2e.collect_helpers import Province

collect_snapshot = helpers.collect_snapshot  # fixture
province = helpers.province  # fixture

SENDER = "vanphong@sgddt-demo.edu.vn"
SEVEN_BEFORE = date(2025, 2, 21)  # the plan's deadline is 28/02: «7 ngày trước»
TWO_BEFORE = date(2025, 2, 26)


def outbox(province: Province) -> list[dict[str, Any]]:
    answer = requests.get(f"{province.url}/_emulator/gmail/outbox", timeout=10)
    answer.raise_for_status()
    return list(answer.json()["messages"])


def configured(province: Province, limit: int = 2000) -> None:
    settings = province.deployment.settings
    notes = dataclasses.replace(settings.notifications, sender=SENDER, daily_limit=limit)
    province.deployment = dataclasses.replace(
        province.deployment, settings=dataclasses.replace(settings, notifications=notes))


def run(province: Province, today: date, dry_run: bool = False) -> RemindOutcome:
    send = remind.mailbox(_clients(province), SENDER)
    return remind.remind(province.deployment, province.ws, send, today, dry_run=dry_run)


def _clients(province: Province) -> Any:
    from functions.adapters.clients import Clients, Target

    return Clients(Target(emulator_url=province.url))


def missing(province: Province, code: str, submitted: set[str]) -> list[str]:
    return [p.email for p in province.deployment.directory().staff_of(code)
            if p.email not in submitted]


def test_no_mail_goes_out_when_no_sending_mailbox_is_configured(province: Province) -> None:
    outcome = run(province, SEVEN_BEFORE)
    assert outcome.sent == outcome.digests == 0
    assert "tắt" in outcome.notes[0]
    assert outbox(province) == []


def test_each_missing_person_gets_one_email_and_each_head_a_digest_of_exactly_them(
        province: Province) -> None:
    configured(province)
    binh = province.submit_as("ke-hoach-nhom-2", "binhnd@sgddt-demo.edu.vn", "k1")
    province.collect()
    assert run(province, SEVEN_BEFORE - date.resolution).sent == 0, "no round yet"
    outcome = run(province, SEVEN_BEFORE)
    staff = province.deployment.directory()
    units = [u for u in province.deployment.active_units if staff.staff_of(u.code)]
    everyone = [p.email for u in units for p in staff.staff_of(u.code)]
    assert outcome.sent == len(everyone) - 1 and outcome.deferred == 0
    mails = outbox(province)
    people = [m for m in mails if "Nhắc nộp" in m["subject"]]
    assert sorted(r for m in people for r in m["to"]) == sorted(
        e for e in everyone if e != binh.email)
    to_an = next(m for m in people if m["to"] == ["anlq@sgddt-demo.edu.vn"])
    assert "Còn 7 ngày nữa là đến hạn nộp Đăng ký kế hoạch cá nhân (ngày 28/02/2025)" \
        in to_an["text"]
    assert "usp=pp_url&entry." in to_an["text"], "the pre-filled form link"
    assert "Đồng chí nhận thư này vì" in to_an["text"]
    digest = next(m for m in mails if m["to"] == ["ngochtt@sgddt-demo.edu.vn"])
    listed = {line.split("(")[-1].rstrip(")") for line in digest["text"].splitlines()
              if line.startswith("- ")}
    assert listed == set(missing(province, "SO-VP", {binh.email}))
    assert province.unit_sheet("SO-VP") in digest["text"]
    assert outcome.digests == sum(len(u.head_emails) for u in units)
    # A rerun the same day, and the next day: the round is sent already.
    again = run(province, SEVEN_BEFORE)
    later = run(province, SEVEN_BEFORE + date.resolution)
    assert again.sent == again.digests == later.sent == later.digests == 0
    assert len(outbox(province)) == len(mails)
    assert run(province, TWO_BEFORE).sent == len(everyone) - 1, "the next round is new"


def test_the_daily_limit_sends_digests_first_and_defers_the_rest_to_the_next_day(
        province: Province) -> None:
    configured(province, limit=15)
    first = run(province, SEVEN_BEFORE)
    assert first.digests + first.sent == 15 and first.deferred > 0
    assert first.digests == sum(len(u.head_emails) for u in province.deployment.active_units
                                if province.deployment.directory().staff_of(u.code))
    assert any("Hoãn" in note for note in first.notes)
    assert run(province, SEVEN_BEFORE).sent == 0, "the day's limit is spent"
    second = run(province, SEVEN_BEFORE + date.resolution)
    assert second.sent == 15 and second.digests == 0
    received = [(r, m["subject"]) for m in outbox(province) for r in m["to"]]
    assert len(received) == len(set(received)), "nobody got the same reminder twice"


def test_a_dry_run_lists_the_mail_and_sends_nothing(province: Province) -> None:
    configured(province)
    outcome = run(province, SEVEN_BEFORE, dry_run=True)
    assert outcome.planned and outcome.sent == 0
    assert outbox(province) == []


def invoke(province: Province, *args: str) -> Any:
    env = {**os.environ, "GUONGMAU_EMULATOR": province.url}
    return CliRunner().invoke(main, ["--config", str(province.config_dir / "guongmau.yaml"),
                                     "remind", *args], env=env)


def test_the_command_says_it_is_off_then_sends_once_the_mailbox_is_named(
        province: Province) -> None:
    off = invoke(province, "--hom-nay", "2025-02-21")
    assert off.exit_code == 0, off.output
    assert "Thư nhắc đang tắt" in off.output and "Đã gửi 0 thư nhắc" in off.output
    config = province.config_dir / "guongmau.yaml"
    text = config.read_text(encoding="utf-8")
    config.write_text(text.replace("notifications:\n", f"notifications:\n  sender: {SENDER}\n"),
                      encoding="utf-8")
    planned = invoke(province, "--period", "ke-hoach", "--dry-run", "--hom-nay", "2025-02-21")
    assert planned.exit_code == 0, planned.output
    assert "Sẽ gửi: anlq@sgddt-demo.edu.vn: Nhắc nộp" in planned.output
    assert outbox(province) == []
    sent = invoke(province, "--period", "ke-hoach", "--hom-nay", "2025-02-21")
    assert sent.exit_code == 0, sent.output
    mails = outbox(province)
    digests = sum("người chưa nộp" in m["subject"] for m in mails)
    assert f"Đã gửi {len(mails) - digests} thư nhắc và {digests} thư tổng hợp" in sent.output
    count = len(mails)
    assert "Đợt nhắc: Đăng ký kế hoạch cá nhân: 7-ngay-truoc" in sent.output
    again = invoke(province, "--period", "ke-hoach", "--hom-nay", "2025-02-21")
    assert "Đã gửi 0 thư nhắc và 0 thư tổng hợp; hoãn 0 thư." in again.output
    assert len(outbox(province)) == count
