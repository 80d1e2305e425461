"""Vietnamese alphabetical order (pure): letters first, tones second.

The Vietnamese alphabet orders the modified letters as letters of their own
(a ă â b c d đ e ê g h i k l m n o ô ơ p q r s t u ư v x y); a tone only breaks ties between
words spelled alike, in the order of Unicode CLDR's Vietnamese collation (no tone, huyền,
hỏi, ngã, sắc, nặng). Python's default order puts "Đ" after "Z" and "Á" after "Z" too.
A person is listed by given name (the last word), then the whole name, as Vietnamese
registers are.

>>> sorted(["Đức", "Dũng", "Ánh", "An", "Ân", "Bình"], key=sort_key)
['An', 'Ánh', 'Ân', 'Bình', 'Dũng', 'Đức']
>>> sorted(["Nguyễn Văn Bình", "Trần Thị An", "Lê An"], key=name_key)
['Lê An', 'Trần Thị An', 'Nguyễn Văn Bình']
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

ALPHABET = "aăâbcdđeêfghijklmnoôơpqrstuưvwxyz"  # f j w z: foreign names, in Latin order
_RANK = {letter: index for index, letter in enumerate(ALPHABET)}
_SHAPE_MARKS = "\u0306\u0302\u031b"  # breve (ă), circumflex (â ê ô), horn (ơ ư): new letters
_TONE_RANK = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}

Key = tuple[tuple[int, ...], tuple[int, ...], str]


@lru_cache(maxsize=16_384)
def sort_key(text: str) -> Key:
    """(letters, tones, text): compare letters first; tones only when the letters tie."""
    letters: list[int] = []
    tones: list[int] = []
    for char in unicodedata.normalize("NFC", text).casefold():
        parts = unicodedata.normalize("NFD", char)
        shape = unicodedata.normalize("NFC", parts[0] + "".join(
            mark for mark in parts[1:] if mark in _SHAPE_MARKS))
        tone = max((_TONE_RANK.get(mark, 0) for mark in parts[1:]), default=0)
        if shape in _RANK:
            letters.append(_RANK[shape])
            tones.append(tone)
        elif shape.isalnum():
            letters.append(100 + ord(shape))  # digits and other scripts after the alphabet
            tones.append(tone)
        else:
            letters.append(0 if shape.isspace() else 1)  # a word boundary sorts first: "An" < "Anh"
            tones.append(0)
    return tuple(letters), tuple(tones), text


def name_key(full_name: str) -> tuple[Key, Key]:
    """A person's place in a Vietnamese list: given name (last word), then the full name."""
    words = full_name.split()
    return sort_key(words[-1] if words else ""), sort_key(full_name)
