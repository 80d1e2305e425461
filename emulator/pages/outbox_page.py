"""The emulator's outbox: every email ``gmail.users.messages.send`` sent, newest first, so the
demo's reminders can be read as their recipients would read them."""

from __future__ import annotations

from werkzeug.wrappers import Request, Response

from emulator.core import Emulator
from emulator.pages import layout, page
from emulator.services.gmail import outbox


@page(r"/gmail/outbox")
def outbox_page(emulator: Emulator, request: Request, params: dict[str, str]) -> Response:
    messages = list(reversed(outbox(emulator.store)))
    return layout.render(emulator, request, "outbox.html", title="Thư đã gửi",
                         messages=messages)
