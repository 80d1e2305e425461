"""Decoding CSV bytes: UTF-8 (with or without BOM) only, and a useful guess when it is not."""

from __future__ import annotations

import unicodedata

_VIETNAMESE_MARKS = set("ăâđêôơưĂÂĐÊÔƠƯ\u0300\u0301\u0303\u0309\u0323")
_UTF8_HINT = (
    "hãy mở tệp bằng Excel và lưu lại với kiểu «CSV UTF-8 (Comma delimited)», "
    "hoặc lưu thành .xlsx"
)


class NotUtf8(ValueError):
    """The bytes are not UTF-8; the message says what they look like (in Vietnamese)."""


def decode(data: bytes) -> str:
    """UTF-8 text without BOM; raises NotUtf8 with a guess of the real encoding.

    >>> decode("\\ufeffMã".encode("utf-8"))
    'Mã'
    """
    if data.startswith((b"\xff\xfe", b"\xfe\xff")) or _looks_utf16(data):
        raise NotUtf8(
            f"tệp được lưu dạng UTF-16 (Unicode text của Excel), không phải UTF-8; {_UTF8_HINT}"
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise NotUtf8(
            f"tệp không phải UTF-8 ({guess(data)}; byte lỗi ở vị trí {error.start}); {_UTF8_HINT}"
        ) from None
    return unicodedata.normalize("NFC", text)


def guess(data: bytes) -> str:
    """A Vietnamese description of the likely encoding of non-UTF-8 bytes."""
    try:
        as_1258 = data.decode("cp1258")
    except UnicodeDecodeError:
        as_1258 = ""
    if sum(char in _VIETNAMESE_MARKS for char in as_1258) >= 2:
        return "có vẻ là bảng mã Windows-1258 (tiếng Việt)"
    try:
        data.decode("cp1252")
    except UnicodeDecodeError:
        return "bảng mã không xác định"
    return "có vẻ là bảng mã Windows-1252 (Tây Âu) hoặc TCVN3 (ABC)"


def _looks_utf16(data: bytes) -> bool:
    sample = data[:400]
    return len(sample) >= 4 and sample.count(0) * 4 >= len(sample)
