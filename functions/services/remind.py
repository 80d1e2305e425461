"""Reminders (đôn đốc): on a round's day, each person still missing gets one email with
their pre-filled form link, and each unit head a digest of who is missing, per group.

Cost: one read per unit Sheet (who has submitted is what the Sheet shows, as its overview
says), the sent log's reads and writes, one send per email. The mailbox's daily limit is
kept by a per-day count in the state store: digests go first; people left over are not
claimed, so the next run (the round stays due until the next one) sends them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from email.message import EmailMessage
from typing import Any

from functions.adapters.clients import Clients
from functions.adapters.gmail import Gmail
from functions.adapters.retry import Gate
from functions.adapters.smtp import SmtpServer
from functions.adapters.storage import PreconditionFailed
from functions.blueprints import unit_status
from functions.blueprints.form_requests import prefilled_url
from functions.blueprints.reminder_mail import Envelope, message
from functions.config.deployment import Deployment
from functions.config.settings import Notifications
from functions.domain.model import Group, PeriodKind, Staff, Unit
from functions.domain.reminders import Round, due_round
from functions.domain.routing import UNIT_QUESTION
from functions.services.provision import layout_for
from functions.services.registry import Registry, RegistryStore
from functions.services.reminder_log import ReminderLog
from functions.services.unit_sync import read_state, submitted_emails
from functions.services.workspace import Workspace

Send = Callable[[EmailMessage], object]


@dataclass
class RemindOutcome:
    rounds: list[str] = field(default_factory=list)  # "Kế hoạch cá nhân: 2-ngay-truoc"
    sent: int = 0  # people's emails
    digests: int = 0
    deferred: int = 0  # people's emails left for a later run (daily limit)
    planned: list[str] = field(default_factory=list)  # --dry-run: who would get what
    notes: list[str] = field(default_factory=list)


@dataclass
class DailyCount:
    """Emails sent on one day, kept in the state store (compare-and-set)."""

    ws: Workspace
    year: int
    day: date

    @property
    def name(self) -> str:
        return f"reminders/{self.year}/sent-{self.day.isoformat()}.json"

    def used(self) -> int:
        return int((self.ws.state.read(self.name).value or {}).get("count", 0))

    def add(self, count: int) -> None:
        for _ in range(20):
            current = self.ws.state.read(self.name)
            total = int((current.value or {}).get("count", 0)) + count
            try:
                self.ws.state.write(self.name, {"count": total}, current.generation)
                return
            except PreconditionFailed:
                continue


def remind(deployment: Deployment, ws: Workspace, send: Send, today: date,
           period: PeriodKind | None = None, dry_run: bool = False) -> RemindOutcome:
    """Sends the rounds due ``today`` (of ``period`` only, when given)."""
    settings = deployment.settings
    notes = settings.notifications
    outcome = RemindOutcome()
    if not notes.reminders_on or notes.sender is None:
        outcome.notes.append("Thư nhắc đang tắt (notifications.email, notifications.sender): "
                             "không gửi thư nào.")
        return outcome
    envelope = Envelope(notes.sender, settings.agency.display_name, notes.reply_to)
    registry = RegistryStore(ws.state, settings.year).load()
    log = ReminderLog(ws.state, settings.year)
    count = DailyCount(ws, settings.year, today)
    budget = notes.daily_limit - (0 if dry_run else count.used())
    layout = layout_for(deployment)
    directory = deployment.directory()
    common = {"so": settings.agency.display_name, "mo_hinh": settings.model,
              "nam": settings.year}
    for one in _due(deployment, notes.remind_days_before, today, period):
        outcome.rounds.append(f"{one.period.label}: {one.key}")
        missing: list[tuple[Unit, Staff]] = []
        for unit in deployment.active_units:
            sheet = registry.units.get(unit.code, {}).get("sheet")
            if not sheet:
                continue
            tabs, _, _, _ = read_state(ws, sheet, layout)
            status = unit_status.UnitStatus(unit, directory.staff_of(unit.code),
                                            tuple(deployment.periods),
                                            submitted_emails(layout, tabs), today)
            people = status.missing(one.period)
            missing += [(unit, person) for person in people]
            if people and budget > 0:
                budget -= _digest(one, unit, people, sheet, envelope, common, log, send,
                                  outcome, dry_run, budget)
        context = {**common, "ky": one.period.label, "han": f"{one.period.deadline:%d/%m/%Y}",
                   "con_lai": one.days_left, "qua_han": one.overdue}
        by_email = {person.email: (unit, person) for unit, person in missing}
        wanted = list(by_email)
        already = log.sent(one)
        wanted = [email for email in wanted if email not in already]
        if not dry_run:
            fits = wanted[:max(budget, 0)]
            outcome.deferred += len(wanted) - len(fits)
            wanted = log.claim(one, fits) if fits else []
        for email in wanted:
            unit, person = by_email[email]
            link = _link(deployment, registry, unit, one.period.kind, person.group)
            mail = message("person", envelope, email,
                           {**context, "ho_ten": person.name, "duong_dan": link})
            if dry_run:
                outcome.planned.append(f"{email}: {mail['Subject']}")
                continue
            send(mail)
            outcome.sent += 1
            budget -= 1
    if not dry_run and outcome.sent + outcome.digests:
        count.add(outcome.sent + outcome.digests)
    if outcome.deferred:
        outcome.notes.append(f"Hoãn {outcome.deferred} thư vì đã đến giới hạn "
                             f"{notes.daily_limit} thư mỗi ngày; lần chạy sau sẽ gửi tiếp.")
    return outcome


def _due(deployment: Deployment, days: tuple[int, ...], today: date,
         period: PeriodKind | None) -> list[Round]:
    found = []
    for one in deployment.periods:
        if period is not None and one.kind != period:
            continue
        current = due_round(one, days, today)
        if current is not None:
            found.append(current)
    return found


def _digest(one: Round, unit: Unit, people: list[Staff], sheet: str, envelope: Envelope,
            common: dict[str, Any], log: ReminderLog, send: Send, outcome: RemindOutcome,
            dry_run: bool, budget: int) -> int:
    """The unit heads' digests of ``one``; answers how many went out."""
    heads = [f"{unit.code}:{email}" for email in unit.head_emails]
    digest_round = Round(one.period, f"{one.key}-thu-truong", one.day)
    if dry_run:
        chosen = [h for h in heads if h not in log.sent(digest_round)][:budget]
    else:
        chosen = log.claim(digest_round, heads[:budget])
    groups = [{"ten": group.label, "nguoi": [{"ho_ten": p.name, "email": p.email}
                                             for p in people if p.group is group]}
              for group in Group]
    context = {**common, "ky": one.period.label, "han": f"{one.period.deadline:%d/%m/%Y}",
               "don_vi": unit.name, "so_nguoi": len(people),
               "nhom": [g for g in groups if g["nguoi"]],
               "bang_theo_doi": f"https://docs.google.com/spreadsheets/d/{sheet}/edit"}
    for head in chosen:
        mail = message("digest", envelope, head.split(":", 1)[1], context)
        if dry_run:
            outcome.planned.append(f"{head.split(':', 1)[1]}: {mail['Subject']}")
            continue
        send(mail)
        outcome.digests += 1
    return 0 if dry_run else len(chosen)


def _link(deployment: Deployment, registry: Registry, unit: Unit, kind: PeriodKind,
          group: Group) -> str:
    """The person's form of ``kind``, pre-filled with their unit (as the overview's links)."""
    for spec in deployment.forms:
        if spec.period is kind and spec.group is group:
            entry = registry.forms.get(spec.key, {})
            question = entry.get("questions", {}).get(UNIT_QUESTION)
            uri = entry.get("responderUri", "")
            if uri and question:
                return prefilled_url(uri, question, unit.choice_label)
    return ""


def mailbox(clients: Clients, sender: str, gate: Gate | None = None,
            notes: Notifications | None = None, password: str | None = None) -> Send:
    """Sending as ``sender``: through the Sở's SMTP server when the settings name one
    (``notifications.smtp_server``, "host:port"), else the Gmail API (domain-wide
    delegation, gmail.send only)."""
    if notes is not None and notes.smtp_server:
        host, _, port = notes.smtp_server.partition(":")
        return SmtpServer(host, int(port or 587), notes.smtp_username, password,
                          starttls=port != "25").send
    return Gmail(clients.mailbox(sender).service("gmail"), gate).send
