"""The form steps of `check-google`: the copy of the template, what it carries over,
publishing, the responder grant, a watch and its Pub/Sub notification after a pre-filled
response. Each goes through the code path `provision` uses (copy, fill, publish, grant, watch).

Facts set for later steps: ``copy`` (the copied form), ``form`` (the copy, publishable),
``questions`` (key → questionId), ``published``, ``responders``, ``watched``, ``response``.
"""

from __future__ import annotations

import dataclasses
import secrets
from typing import Any

from functions.adapters.drive import FOLDER
from functions.blueprints import form_requests
from functions.domain.routing import UNIT_QUESTION
from functions.services import preflight
from functions.services.google_check import NeedsPerson, Probe, Refused, Step
from functions.services.provision_forms import (
    _ids_from_form,
    fill,
    responder_grant,
    set_responders,
)
from functions.services.registry import app_properties

CHECK_KIND = "check-google"  # appProperties of everything the check makes


def scratch_folder(probe: Probe) -> str:
    storage = probe.deployment.settings.storage
    root = storage.folder_id or storage.shared_drive_id or ""
    folder = probe.ws.drive.create(f"guongmau check-google {secrets.token_hex(3)}", FOLDER, root,
                                   app_properties(0, CHECK_KIND, "folder"))
    probe.made_files.append(folder["id"])
    probe.facts["folder"] = folder["id"]
    return f"thư mục nháp «{folder['name']}»"


def _spec(probe: Probe) -> Any:
    """The first form of the year, reduced to its unit question (the pre-filled one)."""
    spec = probe.deployment.forms[0]
    return dataclasses.replace(spec, questions=(spec.question(UNIT_QUESTION),))


def copy_template(probe: Probe) -> str:
    template = probe.deployment.settings.storage.form_template_id or ""
    copied = probe.ws.drive.copy(template, "guongmau check-google – biểu mẫu",
                                 probe.facts["folder"], app_properties(0, CHECK_KIND, "form"))
    probe.made_files.append(copied["id"])
    probe.facts["copy"] = copied["id"]
    form = probe.ws.forms.get(copied["id"])
    if "publishSettings" not in form:
        raise Refused(preflight.legacy_template(template))
    probe.facts["form"] = copied["id"]
    return "bản sao trả về publishSettings"


def fill_copy(probe: Probe) -> str:
    """The one batchUpdate provision sends (items, email collection, at the revision read),
    on the copy."""
    spec = _spec(probe)
    form = fill(probe.ws, spec, probe.ws.forms.get(probe.facts["form"]), {})
    probe.facts["questions"], _ = _ids_from_form(spec, form)
    probe.facts["responderUri"] = form.get("responderUri", "")
    collected = form.get("settings", {}).get("emailCollectionType")
    if collected != "VERIFIED":
        raise Refused(f"thu thập email: Google giữ «{collected}», không phải VERIFIED")
    return "câu hỏi và «thu thập email đã xác minh» được ghi bằng một batchUpdate"


def extra_settings(probe: Probe) -> str:
    link = probe.ws.drive.get(probe.facts["copy"], fields="webViewLink").get("webViewLink", "")
    raise NeedsPerson(
        "API của Forms không cho đọc «Giới hạn ở 1 câu trả lời» và «Cho phép chỉnh sửa sau "
        f"khi gửi». Chạy lại với --giu-lai, mở {link} → Cài đặt → Câu trả lời và xem hai "
        "cài đặt này đã được bật như trong biểu mẫu mẫu.")


def publish(probe: Probe) -> str:
    form_id = probe.facts["form"]
    probe.ws.forms.publish(form_id, accepting=True)
    state = probe.ws.forms.get(form_id).get("publishSettings", {}).get("publishState", {})
    if not (state.get("isPublished") and state.get("isAcceptingResponses")):
        raise Refused(f"đọc lại trạng thái xuất bản: {state}")
    probe.facts["published"] = True
    return "isPublished và isAcceptingResponses đọc lại là true"


def grant_responders(probe: Probe) -> str:
    """As provision does (``set_responders``), then read back."""
    form_id = probe.facts["form"]
    grant = responder_grant(probe.deployment)
    set_responders(probe.ws, form_id, grant)
    held = probe.ws.drive.permissions(form_id, published_view=True)
    if not any(grant.held_by(p) and p.get("view") == "published" for p in held):
        raise Refused(f"quyền {grant.body()} không có khi đọc lại: {held}")
    probe.facts["responders"] = grant.kind
    return f"quyền trả lời «{grant.kind}» (view: published) đọc lại được"


def watch(probe: Probe) -> str:
    topic = probe.deployment.settings.pubsub_topic or ""
    project = topic.split("/")[1]
    name = f"projects/{project}/subscriptions/guongmau-check-{secrets.token_hex(4)}"
    probe.pubsub.subscribe(name, topic)
    probe.subscription = name
    made = probe.ws.forms.watch(probe.facts["form"], topic)
    probe.watch = (probe.facts["form"], str(made["id"]))
    probe.facts["watched"] = True
    return f"theo dõi {made.get('state', '')}, hết hạn {made.get('expireTime', '')}"


def _unit_label(probe: Probe) -> str:
    return next(u for u in probe.deployment.units if u.active).choice_label


def prefilled_response(probe: Probe) -> str:
    question = probe.facts["questions"][UNIT_QUESTION]
    label = _unit_label(probe)
    link = form_requests.prefilled_url(probe.facts["responderUri"], question, label)
    if not probe.submitter.submit(link):
        probe.ws.report(f"Hãy mở đường dẫn sau bằng một tài khoản được phép trả lời và gửi "
                        f"biểu mẫu, giữ nguyên đơn vị đã điền sẵn:\n{link}")
    responses = probe.wait_for(probe.waits.response,
                               lambda: list(probe.ws.forms.responses(probe.facts["form"])))
    if not responses:
        raise NeedsPerson(f"chưa có câu trả lời nào sau {probe.waits.response:.0f} giây; hãy "
                          f"gửi biểu mẫu qua {link} rồi chạy lại")
    probe.facts["response"] = responses[0]
    answers = responses[0].get("answers", {}).get(question, {})
    got = [a.get("value") for a in answers.get("textAnswers", {}).get("answers", [])]
    if got != [label]:
        raise Refused(f"đường dẫn entry.{int(question, 16)} điền «{label}» nhưng câu trả lời "
                      f"ghi {got}")
    return f"câu trả lời mang đơn vị «{label}» điền sẵn qua entry.{int(question, 16)}"


def notification(probe: Probe) -> str:
    form_id = probe.facts["form"]

    def arrived() -> list[dict[str, Any]]:
        return [m for m in probe.pubsub.pull(probe.subscription or "")
                if m.get("attributes", {}).get("formId") == form_id]

    messages = probe.wait_for(probe.waits.notification, arrived)
    if not messages:
        raise Refused(f"không nhận được thông báo Pub/Sub trong {probe.waits.notification:.0f} "
                      "giây sau câu trả lời")
    attributes = messages[0].get("attributes", {})
    return (f"thông báo {attributes.get('eventType')} mang formId và watchId trong attributes, "
            f"{'có' if messages[0].get('data') else 'không có'} data")


STEPS = (
    Step("Tạo được thư mục trong Drive dùng chung", scratch_folder, ("drive",)),
    Step("Bản sao biểu mẫu mẫu có publishSettings (không phải biểu mẫu kiểu cũ)",
         copy_template, ("folder", "template")),
    Step("Một batchUpdate điền bản sao, thu thập email đã xác minh", fill_copy, ("form",)),
    Step("Bản sao giữ «1 câu trả lời» và «cho phép chỉnh sửa» của biểu mẫu mẫu",
         extra_settings, ("copy",)),
    Step("Xuất bản bản sao (setPublishSettings) và đọc lại", publish, ("questions",)),
    Step("Cấp quyền trả lời theo cấu hình và đọc lại", grant_responders, ("published",)),
    Step("Tạo theo dõi câu trả lời (tài khoản dịch vụ) và đăng ký nhận từ chủ đề", watch,
         ("published", "topic")),
    Step("Đường dẫn điền sẵn entry.<số> điền đúng đơn vị", prefilled_response,
         ("responders",)),
    Step("Forms gửi thông báo Pub/Sub khi có câu trả lời", notification,
         ("watched", "response")),
)
