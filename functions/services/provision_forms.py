"""The year's forms: copies of the admin's template, filled in one batchUpdate each, published,
open to responders, watched. A re-run changes only what differs, in place."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from functions.adapters.drive import Grant
from functions.adapters.errors import GoogleApiError
from functions.blueprints import form_requests
from functions.config.deployment import Deployment, context
from functions.config.settings import ResponderKind
from functions.domain.forms import FormSpec
from functions.domain.text import nfc
from functions.services import notices
from functions.services.files import ensure_file
from functions.services.preflight import PreflightError, legacy_template
from functions.services.registry import Registry, app_properties, fingerprint
from functions.services.watches import ensure_watch
from functions.services.workspace import Workspace

ATTEMPTS = 3  # a form another editor keeps changing is left for the next run


def is_open(deployment: Deployment, spec: FormSpec, today: date) -> bool:
    period = deployment.settings.period(spec.period.value)
    return period.opens <= today <= period.deadline


def responder_grant(deployment: Deployment) -> Grant:
    responders = deployment.settings.storage.responders
    if responders.kind is ResponderKind.DOMAIN:
        return Grant("domain", "reader", domain=responders.domain or "", published_view=True)
    if responders.kind is ResponderKind.GROUP:
        return Grant("group", "reader", email=responders.group or "", published_view=True)
    return Grant("anyone", "reader", published_view=True)


def set_responders(ws: Workspace, form_id: str, grant: Grant) -> int:
    """Makes ``grant`` the form's only responders' permission: any other published-view
    permission (an earlier setting's, or one added by hand) is removed, so a narrowed setting
    really narrows. One read, then only the writes needed. Returns how many were removed."""
    published = [p for p in ws.drive.permissions(form_id, published_view=True)
                 if p.get("view") == "published"]
    stale = [str(p["id"]) for p in published if not grant.held_by(p)]
    if stale:
        ws.drive.revoke(form_id, stale)
    if len(stale) == len(published):
        ws.drive.grant(form_id, [grant], notify=False)
    return len(stale)


def _ids_from_form(spec: FormSpec, form: dict[str, Any]) -> tuple[dict[str, str], dict[str, str]]:
    """(key → questionId, key → itemId) of a form built from ``spec`` (items in spec order)."""
    items = form.get("items", [])
    if len(items) != len(spec.questions):
        raise RuntimeError(f"form {form.get('formId')}: {len(items)} items, expected "
                           f"{len(spec.questions)}")
    questions, item_ids = {}, {}
    for question, item in zip(spec.questions, items, strict=True):
        item_ids[question.key] = item["itemId"]
        found = item.get("questionItem", {}).get("question", {}).get("questionId")
        if found:
            questions[question.key] = found
    return questions, item_ids


def _require_publish_settings(template_id: str, ws: Workspace, form: dict[str, Any]) -> None:
    """A copy of a legacy template has no ``publishSettings``: setPublishSettings would refuse
    it (forms.setPublishSettings reference). The copy goes to the bin, so that a run with a
    new template does not adopt it, and the admin is told which template to recreate."""
    if "publishSettings" in form:
        return
    ws.drive.update(str(form["formId"]), trashed=True)
    raise PreflightError([legacy_template(template_id)])


def fill(ws: Workspace, spec: FormSpec, form: dict[str, Any],
         known: dict[str, str]) -> dict[str, Any]:
    """Brings the live ``form`` (as just read) to ``spec``: info, settings, items; returns the
    form as it then is.

    Compare, apply the difference, in one call made at the revision read: a call repeated after
    its answer was lost (by the gate, or by httplib2, which re-sends a POST once by itself) is
    refused instead of adding every question twice; the form is then read again and only what
    is still missing is applied. A form that already matches costs no write.
    """
    form_id = str(form["formId"])
    for _ in range(ATTEMPTS):
        requests = form_requests.update_requests(
            spec, form, form_requests.matched_ids(spec, form, known))
        if not requests:
            return form
        try:
            return dict(ws.forms.batch_update(form_id, requests,
                                              revision=form.get("revisionId"))["form"])
        except GoogleApiError as error:
            if error.status != 400:
                raise
            seen = form.get("revisionId")
            form = ws.forms.get(form_id)
            if form.get("revisionId") == seen:
                raise  # refused on its own merits, not because an earlier attempt landed
    raise GoogleApiError(409, f"form {form_id} kept changing while it was filled", api="forms")


def ensure_form(deployment: Deployment, ws: Workspace, registry: Registry, spec: FormSpec,
                today: date, dry_run: bool) -> list[str]:
    """Brings one form to its wanted state; returns what it did (Vietnamese, for the report)."""
    settings = deployment.settings
    entry = registry.forms.setdefault(spec.key, {})
    wanted_fp = fingerprint([spec.title, spec.description, [vars(q) for q in spec.questions]])
    accepting = is_open(deployment, spec, today)
    grant = responder_grant(deployment)
    done: list[str] = []
    if not entry.get("built"):
        done.append(f"tạo biểu mẫu «{spec.title}»")
        if dry_run:
            return done
        props = app_properties(settings.year, "form", spec.key)
        entry["id"], _ = ensure_file(
            ws, settings.storage.shared_drive_id or "", props,
            lambda: ws.drive.copy(settings.storage.form_template_id or "", spec.title,
                                  registry.folders["forms"], props))
        registry.changed()
        form = ws.forms.get(entry["id"])  # adopted after an interrupted run: maybe filled
        _require_publish_settings(settings.storage.form_template_id or "", ws, form)
        # An adopted copy may be filled already, or in part: its items are compared, not
        # assumed.
        form = fill(ws, spec, form, entry.get("items", {}))
        entry["questions"], entry["items"] = _ids_from_form(spec, form)
        entry["responderUri"] = form.get("responderUri", "")
        entry["fingerprint"], entry["built"] = wanted_fp, True
        registry.changed()
    elif entry.get("fingerprint") != wanted_fp:
        done.append(f"cập nhật nội dung biểu mẫu «{spec.title}»")
        if not dry_run:
            form = fill(ws, spec, ws.forms.get(entry["id"]), entry["items"])
            entry["questions"], entry["items"] = _ids_from_form(spec, form)
            entry["fingerprint"] = wanted_fp
            registry.changed()
    if not dry_run:
        _note_notice(deployment, registry, spec)
    if entry.get("accepting") != accepting:
        done.append(f"{'mở' if accepting else 'đóng'} nhận câu trả lời «{spec.title}»")
        if not dry_run:
            ws.forms.publish(entry["id"], accepting=accepting)
            entry["accepting"] = accepting
            if not accepting:  # the reconcile skips a closed form only within one closing
                entry["closings"] = int(entry.get("closings", 0)) + 1
            registry.changed()
    grant_key = fingerprint(grant.body())
    if entry.get("responders") != grant_key:
        done.append(f"cho phép trả lời biểu mẫu «{spec.title}»")
        if not dry_run:
            if set_responders(ws, entry["id"], grant):
                done.append(f"gỡ quyền trả lời cũ của biểu mẫu «{spec.title}»")
            entry["responders"] = grant_key
            registry.changed()
    topic = settings.pubsub_topic
    if topic and entry.get("watch", {}).get("topic") != topic:
        done.append(f"theo dõi câu trả lời mới của «{spec.title}»")
        if not dry_run:
            watch = ensure_watch(ws, entry["id"], topic)
            entry["watch"] = {"id": watch["id"], "topic": topic,
                              "expireTime": watch.get("expireTime", "")}
            registry.changed()
    return done


def _note_notice(deployment: Deployment, registry: Registry, spec: FormSpec) -> None:
    """The form now shows the settings' notice (its content matches ``spec``): from now on, or
    since it was made when no version is recorded yet (a form made before versions were)."""
    text = str(context(deployment.settings)["thong_bao"])
    if nfc(text) in nfc(spec.description):
        notices.record(registry, spec.key, text, datetime.now(UTC))
