"""Fill the `{placeholder}` texts of forms/ strictly: an unknown name is an error, not a blank."""

from __future__ import annotations

import string
from collections.abc import Mapping

from functions.domain.text import nfc


class TemplateError(ValueError):
    """A text names a placeholder that the context does not provide."""


class _StrictFormatter(string.Formatter):
    def get_value(self, key: int | str, args: object, kwargs: Mapping[str, object]) -> object:
        if isinstance(key, int) or key not in kwargs:
            known = ", ".join(sorted(kwargs))
            raise TemplateError(f"không có chỗ trống {{{key}}} (dùng được: {known})")
        return kwargs[key]


_FORMATTER = _StrictFormatter()


def render(text: str, context: Mapping[str, object]) -> str:
    """`text` with its `{placeholders}` filled from `context`, NFC-normalised.

    >>> render("Năm {nam}", {"nam": 2025})
    'Năm 2025'
    """
    return nfc(_FORMATTER.vformat(text, (), context))


def placeholders(text: str) -> set[str]:
    """The placeholder names used in `text`.

    >>> sorted(placeholders("{a} và {b}"))
    ['a', 'b']
    """
    return {name for _, name, _, _ in _FORMATTER.parse(text) if name}
