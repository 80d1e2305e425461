"""Email addresses as the configuration files write them."""

from __future__ import annotations

import re

from functions.domain.text import nfc

_LABEL = r"[a-z0-9](?:[a-z0-9-]*[a-z0-9])?"
_EMAIL = re.compile(rf"^[a-z0-9!#$%&'*+/=?^_`{{|}}~.-]+@{_LABEL}(?:\.{_LABEL})+$")
_SEPARATORS = re.compile(r"[;,\s]+")


def normalise(email: str) -> str:
    """The address lower-cased, NFC-normalised and stripped.

    >>> normalise("  An.NV@Sgddt-Demo.edu.vn ")
    'an.nv@sgddt-demo.edu.vn'
    """
    return nfc(email).lower()


def is_valid(email: str) -> bool:
    """Whether the (normalised) address is well formed.

    >>> is_valid("annv@sgddt-demo.edu.vn"), is_valid("annv@"), is_valid("an nv@x.vn")
    (True, False, False)
    """
    return bool(_EMAIL.match(email)) and ".." not in email and not email.startswith(".")


def split(cell: str) -> list[str]:
    """A cell holding one or more addresses separated by `;` or `,`.

    >>> split("a@x.vn; B@x.vn,")
    ['a@x.vn', 'b@x.vn']
    """
    return [normalise(part) for part in _SEPARATORS.split(cell) if part.strip()]
