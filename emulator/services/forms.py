"""Forms API v1: create, get, batchUpdate, setPublishSettings; the form as a Drive file type.

Submodules: ``forms_model`` (stored record, Form resource, ids, times), ``forms_items``
(batchUpdate requests), ``forms_responses`` (submission, responses.list/get),
``forms_watches`` (watches and their Pub/Sub notifications).

Public functions for the pages and other modules: ``form_resource``, ``form_extra_settings``,
``submit_response`` (re-exported here).

Control endpoints: ``POST /_emulator/forms/{formId}/responses`` (forms_responses),
``POST /_emulator/forms/{formId}/settings`` ``{"limitOneResponsePerUser": bool,
"allowResponseEdits": bool}`` (here): the settings Google's API can neither set nor show;
``POST /_emulator/forms/{formId}/legacy`` (here): the form becomes a legacy form, without
``publishSettings`` (the admin's template made in the old Forms editor).
"""

from __future__ import annotations

import copy
from typing import Any

from emulator import files
from emulator.control import route
from emulator.core import Call, Emulator
from emulator.errors import ApiError
from emulator.services import forms_items, forms_model, forms_watches, handles
from emulator.services.forms_model import form_extra_settings, form_resource
from emulator.services.forms_responses import submit_response

__all__ = ["form_extra_settings", "form_resource", "submit_response"]

# The message Google answers when forms.create gets more than the title (seen in many public
# reports, e.g. "HttpError 400 ... Only info.title can be set when creating a form. To add
# items and change settings, use batchUpdate."). documentTitle is also accepted, as the
# forms.create reference says ("Only the form.info.title and form.info.document_title fields
# are copied to the new form").
CREATE_ONLY_TITLE = ("Only info.title can be set when creating a form. To add items and change "
                     "settings, use batchUpdate.")


@handles("forms.forms.create")
def create(call: Call) -> Any:
    body = call.body or {}
    info = body.get("info") or {}
    extra_info = set(info) - {"title", "documentTitle"}
    if set(body) - {"info"} or extra_info:
        raise ApiError(400, CREATE_ONLY_TITLE)
    title = info.get("title", "")
    document_title = info.get("documentTitle") or title or "Untitled form"
    try:
        record = files.new_file(call.emulator, call.user, name=document_title,
                                mime_type=files.FORM)
    except ApiError as error:
        # Drive's refusal (a storage-less service account) reaches a Forms client in the
        # Forms error shape; its message stays Drive's, which explains the cause. Guess: the
        # real Forms API's wording for this case was not recorded.
        raise ApiError(error.code, error.message) from error
    form = forms_model.stored(call.emulator, record["id"])
    form["info"] = {"title": title, "documentTitle": document_title}
    # The `unpublished` query parameter predates the 2026 change; forms created through the
    # API now start unpublished whatever it says (api-changes-to-google-forms guide), so the
    # service must call setPublishSettings. Deliberate: `unpublished=false` is ignored.
    forms_model.save(call.emulator, form, content_changed=False)
    return form_resource(call.emulator, record["id"])


@handles("forms.forms.get")
def get(call: Call) -> Any:
    forms_model.load(call.emulator, call.user, call.params["formId"], "reader")
    return form_resource(call.emulator, call.params["formId"])


@handles("forms.forms.batchUpdate")
def batch_update(call: Call) -> Any:
    emulator = call.emulator
    form_id = call.params["formId"]
    record = forms_model.load(emulator, call.user, form_id, "writer")
    body = call.body or {}
    control = body.get("writeControl") or {}
    required, target = control.get("requiredRevisionId"), control.get("targetRevisionId")
    if required is not None and target is not None:
        raise ApiError(400, "Only one of required_revision_id and target_revision_id may be "
                            "set.")  # guess (the two are a oneof in WriteControl)
    if required is not None and required != record["revisionId"]:
        # Message as seen in public reports of Google's answer (400 FAILED_PRECONDITION).
        raise ApiError(400, f"The required revision ID '{required}' does not match the latest "
                            "revision.", status="FAILED_PRECONDITION")
    if target is not None and target not in record.get("revisions", []):
        # Reference: a target revision "too far behind the latest revision" answers 400.
        # The emulator applies the requests on the latest revision (no transformation).
        raise ApiError(400, f"The target revision ID '{target}' is too old or invalid.")
    changed, replies = forms_items.apply(record, body.get("requests") or [])
    if any(changed[key] != record[key] for key in changed):
        record.update(changed)
        forms_model.bump_revision(record)
        forms_model.save(emulator, record)
        forms_watches.notify(emulator, form_id, "SCHEMA")
    answer: dict[str, Any] = {
        "replies": replies,
        "writeControl": {"requiredRevisionId": record["revisionId"]},
    }
    if body.get("includeFormInResponse"):
        answer["form"] = form_resource(emulator, form_id)
    return answer


# The reference (forms.setPublishSettings) spells the mask paths in the proto's snake case
# ("publish_state") in some renderings and in camel case in others: both are accepted.
PUBLISH_MASK_PATHS = frozenset({"publishState", "publish_state", "*"})
LEGACY_FORM = ("Legacy forms aren't supported because they don't have the publish_settings "
               "field.")  # the reference's sentence; status and exact wording are guesses


@handles("forms.forms.setPublishSettings")
def set_publish_settings(call: Call) -> Any:
    """PublishState rules (reference: PublishState): ``isPublished`` and ``isAcceptingResponses``
    are both required; accepting responses while unpublished is refused (the reference says
    the field is "forced to false"; the emulator is stricter: code must never ask for it)."""
    emulator = call.emulator
    form_id = call.params["formId"]
    record = forms_model.load(emulator, call.user, form_id, "writer")
    if record.get("publishSettings") is None:
        raise ApiError(400, LEGACY_FORM, status="FAILED_PRECONDITION")
    body = call.body or {}
    wanted = body.get("publishSettings")
    if wanted is None:
        raise ApiError(400, "publish_settings is required.")  # guess
    mask = [p.strip() for p in (body.get("updateMask") or "*").split(",") if p.strip()]
    for path in mask:
        if path not in PUBLISH_MASK_PATHS:
            # The reference lists only publish_state (publishState) and "*". Wording: guess.
            raise ApiError(400, f"Invalid update_mask path: '{path}'. Supported: "
                                "publish_state, *.")
    state = dict(wanted.get("publishState") or {})
    missing = [name for name in ("isPublished", "isAcceptingResponses") if name not in state]
    if missing:
        raise ApiError(400, f"publish_settings.publish_state.{_snake(missing[0])} is "
                            "required.")  # wording: guess
    published, accepting = bool(state["isPublished"]), bool(state["isAcceptingResponses"])
    if accepting and not published:
        raise ApiError(400, "An unpublished form cannot accept responses: set is_published "
                            "to true, or is_accepting_responses to false.")  # wording: guess
    record["publishSettings"] = {
        "publishState": {"isPublished": published, "isAcceptingResponses": accepting}
    }
    forms_model.save(emulator, record, content_changed=False)
    return {"formId": form_id, "publishSettings": copy.deepcopy(record["publishSettings"])}


def _snake(name: str) -> str:
    return "".join(f"_{c.lower()}" if c.isupper() else c for c in name)


@route("POST", r"/_emulator/forms/(?P<formId>[^/]+)/legacy")
def _make_legacy(emulator: Emulator, body: Any, params: dict[str, str]) -> Any:
    """Turns a form into a legacy form (made before publish settings existed): no
    ``publishSettings``; published and open, as such forms are; its copies are legacy too."""
    record = forms_model.stored(emulator, params["formId"])
    record["publishSettings"] = None
    forms_model.save(emulator, record, content_changed=False)
    return {"formId": params["formId"], "legacy": True}


@route("POST", r"/_emulator/forms/(?P<formId>[^/]+)/settings")
def _extra_settings(emulator: Emulator, body: Any, params: dict[str, str]) -> Any:
    record = forms_model.stored(emulator, params["formId"])
    for name, value in (body or {}).items():
        if name not in forms_model.EXTRA_SETTINGS or not isinstance(value, bool):
            raise ApiError(400, f"Unknown or non-boolean setting {name!r}; expected "
                                f"{', '.join(forms_model.EXTRA_SETTINGS)}.")
        record["extraSettings"][name] = value
    forms_model.save(emulator, record, content_changed=False)
    return form_extra_settings(emulator, params["formId"])


# --- the form as a Drive file type ------------------------------------------------------------

def _create_content(emulator: Emulator, file_id: str, title: str) -> None:
    emulator.store.put("forms", file_id, forms_model.empty_record(emulator, file_id, title))


def _copy_content(emulator: Emulator, source_id: str, new_id: str, title: str) -> None:
    """A copy keeps items (and their ids), info, settings and the extra settings; not the
    responses, watches nor publish state. Guess: the copy starts unpublished, as a form
    copied in the Forms UI must be published again; the copy of a legacy form is legacy
    (verified only on the emulator: the stricter assumption)."""
    source = forms_model.stored(emulator, source_id)
    record = forms_model.empty_record(emulator, new_id, title)
    for key in ("info", "settings", "items", "extraSettings"):
        record[key] = copy.deepcopy(source[key])
    if source.get("publishSettings") is None:
        record["publishSettings"] = None
    record["info"]["documentTitle"] = title
    emulator.store.put("forms", new_id, record)


def _rename_content(emulator: Emulator, file_id: str, title: str) -> None:
    record = emulator.store.get("forms", file_id)
    if record is not None and record["info"].get("documentTitle") != title:
        record["info"]["documentTitle"] = title
        forms_model.bump_revision(record)
        emulator.store.touch("forms", file_id)


def _delete_content(emulator: Emulator, file_id: str) -> None:
    record = emulator.store.get("forms", file_id)
    if record is not None:
        forms_model.drop_responses(emulator, record)
    emulator.store.delete("forms", file_id)
    forms_watches.drop_all(emulator, file_id)


def _export(emulator: Emulator, file_id: str, mime_type: str) -> bytes | None:
    return None  # Drive offers no export of a Google Form


files.register(files.FORM, files.ContentType(
    create=_create_content,
    copy=_copy_content,
    rename=_rename_content,
    delete=_delete_content,
    export=_export,
))
