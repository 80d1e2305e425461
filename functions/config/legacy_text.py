"""Vietnamese typed in a legacy encoding, then saved as UTF-8: «HiÖu tr­ëng» for «Hiệu trưởng».

`encoding.decode` refuses files that are not UTF-8. This catches the other case: a file that is
valid UTF-8 but whose text was typed with a TCVN3 (ABC) or VNI font, or decoded with the wrong
code page, before it was saved. Such text passes every other check and silently breaks the
position rule (a «HiÖu tr­ëng» is not a «hiệu trưởng»: Nhóm 1 loses its leaders).

The rule, word by word: a word is *plausible* when it is ASCII, or a Vietnamese syllable (one
tone mark at most, Vietnamese letters only, a known final consonant, no capital inside). Correct
Vietnamese is therefore never flagged. A text is flagged when some of its words are not
plausible and one legacy reading (TCVN3, VNI, Windows-1258, UTF-8 read as Windows-1252) makes
most of them plausible; that reading is shown to the user. A foreign name («Müller») has no such
reading and passes.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from itertools import pairwise

_TONES = "\u0300\u0301\u0303\u0309\u0323"
_BASES = "aăâeêioôơuưy"  # Vietnamese vowel letters without tone
_VOWELS = frozenset(
    unicodedata.normalize("NFC", base + tone) for base in _BASES for tone in ("", *_TONES))
_LETTERS = _VOWELS | frozenset("bcdđfghjklmnpqrstvwxz")
_SYLLABLE = re.compile(
    rf"^[bcdđfghjklmnpqrstvwxz']*[{''.join(sorted(_VOWELS))}]{{1,3}}(c|ch|k|m|n|ng|nh|p|t)?$")
# Punctuation around a word. TCVN3 codes ô as «: so « closes no word and » opens none.
_OPENING = "\ufeff«‘’\"'()[]…•·*!?.,;:"
_CLOSING = "\ufeff»‘’\"'()[]…•·*!?.,;:"
_SEPARATORS = r"\s,.;:()\[\]/\\&+=_@|“”–—→-"
_WORD = re.compile(f"[^{_SEPARATORS}]+")
# A hat or breve vowel after another vowel: only these pairs exist (quân, quê, tiên, uyên,
# muốn, người, thuở; xoắn, quăng). «Vaên» (VNI for Văn) has none of them.
_AFTER = {"â": "u", "ê": "uiy", "ô": "u", "ơ": "uư", "ă": "ou", "ư": ""}

# TCVN3 (TCVN 5712:1993, the ABC fonts .VnTime): byte -> letter. The bytes are what the text
# holds once read as Windows-1252.
_TCVN3 = dict(zip(
    b"\xa1\xa2\xa3\xa4\xa5\xa6\xa7\xa8\xa9\xaa\xab\xac\xad\xae"
    b"\xb5\xb6\xb7\xb8\xb9\xbb\xbc\xbd\xbe\xc6\xc7\xc8\xc9\xca\xcb"
    b"\xcc\xce\xcf\xd0\xd1\xd2\xd3\xd4\xd5\xd6\xd7\xd8\xdc\xdd\xde"
    b"\xdf\xe1\xe2\xe3\xe4\xe5\xe6\xe7\xe8\xe9\xea\xeb\xec\xed\xee"
    b"\xef\xf1\xf2\xf3\xf4\xf5\xf6\xf7\xf8\xf9\xfa\xfb\xfc\xfd\xfe",
    "ĂÂÊÔƠƯĐăâêôơưđ" "àảãáạằẳẵắặầẩẫấậ" "èẻẽéẹềểễếệìỉĩíị" "òỏõóọồổỗốộờởỡớợ" "ùủũúụừửữứựỳỷỹýỵ",
    strict=True))
# VNI Windows: a base letter followed by mark characters (lower case; upper case alike).
_VNI_MARKS = {"ù": "\u0301", "ø": "\u0300", "û": "\u0309", "õ": "\u0303", "ï": "\u0323",
              "â": "\u0302", "á": "\u0302\u0301", "à": "\u0302\u0300", "å": "\u0302\u0309",
              "ã": "\u0302\u0303", "ä": "\u0302\u0323", "ê": "\u0306", "é": "\u0306\u0301",
              "è": "\u0306\u0300", "ú": "\u0306\u0309", "ü": "\u0306\u0303", "ë": "\u0306\u0323"}
_VNI_HAT_OR_BREVE = frozenset("âáàåãäêéèúüë")  # only after a (breve, hat), e and o (hat)
_VNI_LETTERS = {"ô": "ơ", "ö": "ư", "ñ": "đ", "æ": "ỉ", "ó": "ĩ", "ò": "ị"}


@dataclass(frozen=True)
class Legacy:
    encoding: str  # as Unikey's converter names it
    reading: str  # the text as it was meant, by that encoding


def detect(text: str) -> Legacy | None:
    """The legacy encoding `text` was typed in, with its reading; None for plausible text.

    >>> detect("HiÖu tr\\u00adëng")
    Legacy(encoding='TCVN3 (ABC)', reading='Hiệu trưởng')
    >>> detect("Tröôøng THPT Chu Vaên An")
    Legacy(encoding='VNI Windows', reading='Trường THPT Chu Văn An')
    >>> detect("Phó Hiệu trưởng, Bí thư Đoàn") is None and detect("Anna Müller") is None
    True
    """
    words = _WORD.findall(text)
    bad = [word for word in words if not _plausible(word)]
    if not bad:
        return None
    best: tuple[int, str, dict[str, str]] = (0, "", {})
    for name, read in _READERS:
        fixed = {word: read_word for word in bad
                 if (read_word := read(word)) is not None and read_word != word
                 and _plausible(read_word)}
        if len(fixed) > best[0]:
            best = (len(fixed), name, fixed)
    count, name, fixed = best
    if count == 0 or count * 2 < len(bad):
        return None
    read = dict(_READERS)[name]
    for word in words:  # «Phã» is a plausible word, but in TCVN3 text it means «Phó»
        if word not in fixed and not word.isascii():
            read_word = read(word)
            if read_word is not None and _plausible(read_word):
                fixed[word] = read_word
    return Legacy(name, _WORD.sub(lambda word: fixed.get(word[0], word[0]), text))


def problem(text: str) -> str | None:
    """The Vietnamese message for a cell holding legacy-encoded text, or None."""
    found = detect(text)
    if found is None:
        return None
    if found.encoding == _UTF8_AS_1252:
        how = ("tệp UTF-8 đã bị mở nhầm bằng bảng mã Windows-1252 rồi lưu lại; hãy dùng lại tệp "
               "gốc, hoặc trong Excel chọn Dữ liệu → Từ Văn bản/CSV, Nguồn gốc tệp «65001: Unicode "
               "(UTF-8)», rồi lưu lại")
    else:
        how = (f"chữ được gõ bằng bảng mã cũ {found.encoding} rồi lưu thành UTF-8; hãy chuyển "
               "sang Unicode, ví dụ bằng Unikey: chép các ô, mở Công cụ chuyển mã "
               f"(Ctrl+Shift+F6), nguồn {found.encoding}, đích Unicode, bấm «Chuyển mã», dán "
               "lại rồi lưu tệp")
    return f"«{text}» không phải chữ Unicode (có lẽ là «{found.reading}»): {how}"


@functools.lru_cache(maxsize=1 << 16)  # a roster of 60 000 repeats a few thousand syllables
def _plausible(word: str) -> bool:
    word = unicodedata.normalize("NFC", word.lstrip(_OPENING).rstrip(_CLOSING))
    if word.isascii():
        return True
    lower = word.lower()
    if any(char.isupper() and not char.isascii() and before.islower()
           for before, char in pairwise(word)):
        return False  # «phÒng»: a capital inside a word
    if any(not (char in _LETTERS or char.isascii()) for char in lower):
        return False
    if word.isupper():
        return True  # an abbreviation: «SGDĐT», «QĐ»
    tones = sum(mark in _TONES for mark in unicodedata.normalize("NFD", lower))
    letters = "".join(char for char in lower if char.isalpha() or char == "'")
    return tones <= 1 and bool(_SYLLABLE.match(letters)) and _pairs_exist(letters)


def _pairs_exist(letters: str) -> bool:
    bases = ["".join(c for c in unicodedata.normalize("NFD", char) if c not in _TONES)
             for char in letters]
    bases = [unicodedata.normalize("NFC", base) for base in bases]
    for index in range(1, len(bases)):
        first, second = bases[index - 1], bases[index]
        if index >= 2 and bases[index - 2] + first in ("gi", "qu"):
            continue  # a consonant: giữ, giờ, quờ
        allowed = _AFTER.get(second)
        if allowed is not None and first in _VOWELS and first not in allowed:
            return False
    return True


def _bytes(word: str) -> bytes | None:
    """The bytes `word` was read from as Windows-1252 (whose 5 holes pass through as Latin-1)."""
    out = bytearray()
    for char in word:
        try:
            out += char.encode("cp1252")
        except UnicodeEncodeError:
            if not 0x80 <= ord(char) <= 0x9F:
                return None
            out.append(ord(char))
    return bytes(out)


def _tcvn3(word: str) -> str | None:
    raw = _bytes(word)
    return None if raw is None else "".join(_TCVN3.get(code, chr(code)) for code in raw)


def _vni(word: str) -> str | None:
    out: list[str] = []
    for char in word:
        lower = char.lower()
        previous = out[-1].lower() if out else ""
        mark = _VNI_MARKS.get(lower)
        if mark and previous and (lower not in _VNI_HAT_OR_BREVE or previous in "aeo"):
            out.append(mark)
        elif lower in _VNI_LETTERS:
            letter = _VNI_LETTERS[lower]
            out.append(letter.upper() if char.isupper() else letter)
        else:
            out.append(char)
    return unicodedata.normalize("NFC", "".join(out))


def _recoded(target: str) -> Callable[[str], str | None]:
    def read(word: str) -> str | None:
        raw = _bytes(word)
        try:
            return None if raw is None else unicodedata.normalize("NFC", raw.decode(target))
        except UnicodeDecodeError:
            return None
    return read


_UTF8_AS_1252 = "UTF-8 đọc nhầm thành Windows-1252"
_READERS: tuple[tuple[str, Callable[[str], str | None]], ...] = (
    ("TCVN3 (ABC)", _tcvn3),
    ("VNI Windows", _vni),
    ("Windows-1258", _recoded("cp1258")),
    (_UTF8_AS_1252, _recoded("utf-8")),
)
