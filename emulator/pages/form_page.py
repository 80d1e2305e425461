"""A form's responder page: ``/forms/d/e/{formId}/viewform`` (the form's ``responderUri``).

As Google's page does: only people with responder access may fill it (a ``view: "published"``
permission, or any role on the form); an unpublished or closed form takes no answers; the
pre-fill parameters ``entry.<n>=value`` fill questions; "one response per person" and
"respondents may edit" are honoured. The respondent's email field stands in for Google sign-in.
Submissions go through the Forms service's ``submit_response``, so watches are notified.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from werkzeug.datastructures import MultiDict
from werkzeug.wrappers import Request, Response

from emulator import acl, files
from emulator.core import Emulator
from emulator.errors import ApiError
from emulator.pages import form_model, layout, page
from emulator.services import forms, forms_model

NO_ACCESS = "Bạn không có quyền truy cập biểu mẫu này."
CLOSED = "Biểu mẫu này hiện không nhận câu trả lời."
EMAIL_NOTES = {
    "VERIFIED": "Email của bạn sẽ được ghi lại khi bạn gửi biểu mẫu này.",
    "RESPONDER_INPUT": "Email của bạn sẽ được ghi lại cùng câu trả lời.",
    "DO_NOT_COLLECT": "Biểu mẫu này không ghi lại email của bạn; email chỉ dùng để kiểm tra "
                      "quyền truy cập.",
}


class _Stop(Exception):
    """A page that ends the request early (no access, closed form, ...)."""

    def __init__(self, response: Response) -> None:
        super().__init__()
        self.response = response


def _form_url(form_id: str, **query: str) -> str:
    url = f"/forms/d/e/{quote(form_id, safe='')}/viewform"
    if query:
        url += "?" + "&".join(f"{k}={quote(v, safe='')}" for k, v in query.items())
    return url


def _open(emulator: Emulator, request: Request, form_id: str, user: str) -> dict[str, Any]:
    """The form, if ``user`` may respond to it now; else raises ``_Stop`` with the page."""
    file = acl.find_file(emulator.store, form_id, include_trashed=False)
    if file is None or file.get("mimeType") != files.FORM:
        raise _Stop(layout.not_found(emulator, request, "Không tìm thấy biểu mẫu này."))
    if not acl.can_respond(emulator.store, user, file):
        raise _Stop(layout.forbidden(emulator, request, NO_ACCESS))
    form = forms.form_resource(emulator, form_id)
    state = forms_model.publish_state(forms_model.stored(emulator, form_id))
    if not (state["isPublished"] and state["isAcceptingResponses"]):
        raise _Stop(_notice(emulator, request, form, CLOSED))
    return form


def _notice(
    emulator: Emulator, request: Request, form: dict[str, Any], message: str,
    *, edit_link: str | None = None, another: bool = False, status: int = 200,
) -> Response:
    title = form.get("info", {}).get("title", "")
    return layout.render(emulator, request, "form_notice.html", status, title=title,
                         form_title=title, message=message, edit_link=edit_link,
                         another_link=_form_url(form["formId"]) if another else None)


def _responses_of(emulator: Emulator, form_id: str, email: str) -> list[dict[str, Any]]:
    """The person's responses (the Forms service keeps the email even when not collected)."""
    from emulator.services import forms_model  # the Forms service's response storage

    stored = forms_model.responses_of(emulator, forms_model.stored(emulator, form_id))
    return [r for r in stored if email and r.get("respondentEmail") == email]


def _editable(emulator: Emulator, request: Request, form: dict[str, Any], user: str,
              response_id: str) -> dict[str, Any]:
    extra = forms.form_extra_settings(emulator, form["formId"])
    if not extra["allowResponseEdits"]:
        raise _Stop(_notice(emulator, request, form, "Biểu mẫu này không cho phép chỉnh sửa "
                                                     "câu trả lời đã gửi.", status=403))
    for response in _responses_of(emulator, form["formId"], user):
        if response["responseId"] == response_id:
            return response
    raise _Stop(layout.forbidden(emulator, request,
                                 "Bạn không thể chỉnh sửa câu trả lời này: nó không phải của "
                                 "bạn hoặc không còn tồn tại."))


def _already(emulator: Emulator, request: Request, form: dict[str, Any], user: str) -> None:
    """Stops with the "already responded" page when the form takes one response per person."""
    extra = forms.form_extra_settings(emulator, form["formId"])
    previous = _responses_of(emulator, form["formId"], user)
    if extra["limitOneResponsePerUser"] and previous:
        link = (_form_url(form["formId"], edit2=previous[-1]["responseId"])
                if extra["allowResponseEdits"] else None)
        raise _Stop(_notice(emulator, request, form, "Bạn đã trả lời biểu mẫu này. Mỗi người "
                                                     "chỉ được gửi một câu trả lời.",
                            edit_link=link))


def _show(
    emulator: Emulator, request: Request, form: dict[str, Any], blocks: list[form_model.Block],
    email: str, *, response_id: str = "", problem: str = "", email_error: str = "",
    status: int = 200,
) -> Response:
    info = form.get("info", {})
    collection = form.get("settings", {}).get("emailCollectionType", "DO_NOT_COLLECT")
    return layout.render(
        emulator, request, "form_fill.html", status, title=info.get("title", ""),
        info=info, blocks=blocks, email=email, email_note=EMAIL_NOTES.get(collection, ""),
        email_error=email_error, response_id=response_id, problem=problem,
        action=f"/forms/d/e/{quote(form['formId'], safe='')}/formResponse",
        other=form_model.OTHER,
    )


@page(r"/forms/d/e/(?P<form_id>[^/]+)/viewform")
def view_form(emulator: Emulator, request: Request, params: dict[str, str]) -> Response:
    user = layout.current_user(request)
    try:
        form = _open(emulator, request, params["form_id"], user)
        blocks = form_model.blocks_of(form)
        questions = form_model.questions_of(blocks)
        response_id = request.args.get("edit2", "")
        if response_id:
            previous = _editable(emulator, request, form, user, response_id)
            form_model.fill_from_response(questions, previous)
        else:
            _already(emulator, request, form, user)
            form_model.fill(questions, request.args)
    except _Stop as stop:
        return stop.response
    return _show(emulator, request, form, blocks, user, response_id=response_id)


@page(r"/forms/d/e/(?P<form_id>[^/]+)/formResponse", verbs=("POST",))
def submit_form(emulator: Emulator, request: Request, params: dict[str, str]) -> Response:
    fields: MultiDict[str, str] = request.form
    email = (fields.get("emailAddress") or layout.current_user(request)).strip().lower()
    response_id = fields.get("edit2", "") or None
    try:
        form = _open(emulator, request, params["form_id"], email)
        if response_id:
            _editable(emulator, request, form, email, response_id)
        else:
            _already(emulator, request, form, email)
    except _Stop as stop:
        return stop.response
    blocks = form_model.blocks_of(form)
    questions = form_model.questions_of(blocks)
    form_model.fill(questions, fields)
    email_error = "" if not email or form_model.EMAIL.match(email) else \
        "Vui lòng nhập một địa chỉ email hợp lệ."
    if not email and _needs_email(emulator, form):
        email_error = "Vui lòng nhập email của bạn (thay cho đăng nhập Google)."
    if not form_model.check(questions) or email_error:
        return _refuse(emulator, request, form, blocks, email, response_id, email_error)
    answers = {qid: [_api_value(v) for v in values]
               for qid, values in form_model.answers_of(questions).items()}
    try:
        saved = forms.submit_response(emulator, form["formId"], email or None, answers,
                                      response_id=response_id)
    except ApiError as error:
        form_model.mark_api_error(questions, error.message)
        return _refuse(emulator, request, form, blocks, email, response_id, "")
    extra = forms.form_extra_settings(emulator, form["formId"])
    edit_link = (_form_url(form["formId"], edit2=saved["responseId"])
                 if extra["allowResponseEdits"] and email else None)
    answer = _notice(emulator, request, form, "Câu trả lời của bạn đã được ghi lại.",
                     edit_link=edit_link, another=not extra["limitOneResponsePerUser"])
    return layout.remember_user(request, answer, email) if email else answer


def _needs_email(emulator: Emulator, form: dict[str, Any]) -> bool:
    collection = form.get("settings", {}).get("emailCollectionType", "DO_NOT_COLLECT")
    extra = forms.form_extra_settings(emulator, form["formId"])
    return collection in ("VERIFIED", "RESPONDER_INPUT") or extra["limitOneResponsePerUser"]


def _api_value(value: str) -> str:
    """A browser's ``datetime-local`` value ("2025-03-01T08:30") as a date-time answer with a
    space ("2025-03-01 08:30"). Guess, checked only on the emulator: the Forms docs do not
    show a date-time answer."""
    if len(value) == 16 and value[10] == "T" and value[:4].isdigit():
        return value.replace("T", " ")
    return value


def _refuse(
    emulator: Emulator, request: Request, form: dict[str, Any], blocks: list[form_model.Block],
    email: str, response_id: str | None, email_error: str,
) -> Response:
    problem = ("Không gửi được câu trả lời. Vui lòng sửa các câu trả lời được đánh dấu bên dưới."
               if any(q.error for q in form_model.questions_of(blocks)) or email_error else
               "Không gửi được câu trả lời: có câu trả lời không hợp lệ. Vui lòng kiểm tra lại.")
    return _show(emulator, request, form, blocks, email, response_id=response_id or "",
                 problem=problem, email_error=email_error, status=400)
