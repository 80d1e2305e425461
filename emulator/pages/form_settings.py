"""A form's settings page for its editors: ``/forms/d/{formId}/edit``.

Shows the publish state, the responder link and the number of responses, and sets the two
settings Google's API can neither set nor show ("one response per person", "respondents may
edit their response"), as a person does in Google Forms' settings tab.
"""

from __future__ import annotations

from urllib.parse import quote

from werkzeug.wrappers import Request, Response

from emulator import acl, files
from emulator.core import Emulator
from emulator.pages import layout, page
from emulator.services import forms, forms_model


def can_edit(emulator: Emulator, user: str, file: dict[str, object]) -> bool:
    return acl.rank_of(emulator.store, user, file) >= acl.ROLE_RANK["writer"]


@page(r"/forms/d/(?P<form_id>[^/]+)/edit", verbs=("GET", "POST"))
def settings(emulator: Emulator, request: Request, params: dict[str, str]) -> Response:
    form_id, user = params["form_id"], layout.current_user(request)
    file = acl.find_file(emulator.store, form_id, include_trashed=False)
    if file is None or file.get("mimeType") != files.FORM:
        return layout.not_found(emulator, request, "Không tìm thấy biểu mẫu này.")
    if not can_edit(emulator, user, file):
        return layout.forbidden(emulator, request,
                                "Chỉ người chỉnh sửa biểu mẫu mới xem được phần cài đặt.")
    saved = False
    if request.method == "POST":
        record = forms_model.stored(emulator, form_id)
        for name in forms_model.EXTRA_SETTINGS:
            record["extraSettings"][name] = request.form.get(name) == "on"
        forms_model.save(emulator, record, content_changed=False)
        saved = True
    form = forms.form_resource(emulator, form_id)
    state = forms_model.publish_state(forms_model.stored(emulator, form_id))
    count = len(forms_model.responses_of(emulator, forms_model.stored(emulator, form_id)))
    return layout.render(
        emulator, request, "form_settings.html", title=form["info"].get("title", ""),
        form_title=form["info"].get("title", ""), published=state["isPublished"],
        accepting=state["isAcceptingResponses"], responses=count,
        extra=forms.form_extra_settings(emulator, form_id), saved=saved,
        responder_link=f"/forms/d/e/{quote(form_id, safe='')}/viewform",
    )
