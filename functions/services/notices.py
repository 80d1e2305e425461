"""Which privacy notice each form showed, and since when: kept in the year's state record.

``registry.forms[key]["notices"]`` is the form's history (``[[version, since], ...]``, see
``domain/notice``) and ``registry.data["notice_texts"]`` maps every version to its full text,
so a version stamped on a response can always be turned back into the words the person read.
Provisioning records a version when a form starts showing it; collection stamps each response
with the version in force at its last submission. ``since`` is taken just after the form's
update landed: a person who opened the form before and sent it after is stamped with the new
version (the times are the function's clock against Google's submission times).
"""

from __future__ import annotations

from datetime import datetime

from functions.domain.notice import in_force, notice_version
from functions.domain.text import nfc
from functions.services.form_responses import format_time
from functions.services.registry import Registry


def record(registry: Registry, form_key: str, text: str, since: datetime | None) -> bool:
    """Notes that form ``form_key`` shows ``text`` from ``since`` (None: since it was made);
    True when that is news (a first version, or another than the one in force)."""
    version = notice_version(text)
    texts = registry.data.setdefault("notice_texts", {})
    history = registry.forms.setdefault(form_key, {}).setdefault("notices", [])
    fresh = texts.get(version) != nfc(text)
    texts[version] = nfc(text)
    if history and history[-1][0] == version:
        if fresh:
            registry.changed()
        return False
    history.append([version, format_time(since) if since and history else ""])
    registry.changed()
    return True


def version_in_force(registry: Registry, form_key: str, at: datetime) -> str:
    """The version form ``form_key`` showed at ``at`` ("" when nothing is recorded)."""
    return in_force(registry.forms.get(form_key, {}).get("notices", []), format_time(at))


def notice_text(registry: Registry, version: str) -> str | None:
    """The words of notice ``version`` (None: a version this year's record does not hold)."""
    text = registry.data.get("notice_texts", {}).get(version)
    return None if text is None else str(text)
