"""Normalisation of Vietnamese text for comparisons (NFC, case, tone placement, spacing).

>>> fold("  Phó  Hiệu TRƯỞNG ") == fold("phó hiệu trưởng")
True
>>> fold("Hoà Bình") == fold("Hòa Bình")
True
>>> fold("trưởng") == fold("trường")
False
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_TONES = "\u0300\u0301\u0303\u0309\u0323"
# "hoà"/"hòa", "khoẻ"/"khỏe", "thuỷ"/"thủy": the tone mark may sit on either vowel of an open
# o-a, o-e, u-y syllable. Canonical form here: on the first vowel. "qu" is a consonant, so
# "quý" keeps its mark.
_SHIFTED_TONE = re.compile(
    rf"(?<![qQ])([oOuU])([aAeEyY])([{_TONES}])(?=$|[^\w\u0300-\u036f])",
)
_SPACES = re.compile(r"\s+")
_PUNCTUATION = re.compile(r"[\W_]+")


def nfc(text: str) -> str:
    """NFC-normalised text with surrounding whitespace removed."""
    return unicodedata.normalize("NFC", text).strip()


@lru_cache(maxsize=16_384)  # unit codes and names, asked once per routed response and person
def fold(text: str) -> str:
    """A comparison key: NFC, case-folded, single spaces, canonical tone placement.

    Diacritics are kept: "trưởng" (head) and "trường" (school) stay different.
    """
    decomposed = unicodedata.normalize("NFD", text)
    decomposed = _SHIFTED_TONE.sub(r"\1\3\2", decomposed)
    composed = unicodedata.normalize("NFC", decomposed).casefold()
    return _SPACES.sub(" ", composed).strip()


def words_key(text: str) -> str:
    """`fold` with punctuation turned into spaces and padded, for whole-phrase matching.

    >>> " hiệu trưởng " in words_key("Phó Hiệu trưởng (phụ trách)")
    True
    """
    spaced = _PUNCTUATION.sub(" ", fold(text)).strip()
    return f" {spaced} "
