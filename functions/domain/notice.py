"""The privacy notice a form showed, as a short version (pure).

A version is the first 12 hex digits of the SHA-256 of the rendered notice's NFC text: the
same words give the same version in every year and on every machine, and a version can be
turned back into the words through the texts kept beside the history (``services/notices``).
A form's history is a list of ``[version, since]`` in the order they took effect, ``since``
an RFC 3339 UTC time ("" for the first: in force since the form was made).

>>> v = notice_version("Thông báo")
>>> v == notice_version("Tho\\u0302ng ba\\u0301o ") and len(v)
12
>>> history = [["aaa", ""], ["bbb", "2026-03-01T00:00:00.000000Z"]]
>>> in_force(history, "2026-02-28T23:59:59.000000Z")
'aaa'
>>> in_force(history, "2026-03-01T00:00:00.000000Z")
'bbb'
>>> in_force([], "2026-03-01T00:00:00.000000Z")
''
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

from functions.domain.text import nfc

VERSION_DIGITS = 12


def notice_version(text: str) -> str:
    return hashlib.sha256(nfc(text).encode()).hexdigest()[:VERSION_DIGITS]


def in_force(history: Sequence[Sequence[str]], at: str) -> str:
    """The version in force at ``at`` (a time formatted as ``format_time`` writes it, so that
    strings compare as times); "" when the history is empty."""
    found = ""
    for version, since in history:
        if since <= at:
            found = version
    return found
