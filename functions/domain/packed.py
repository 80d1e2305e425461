"""A response's answers held compressed while a collection waits to write its unit.

A full pass holds every changed response from its listing until its unit's write: at 63 000
responses their free texts (Vietnamese, so two bytes a character in a Python string) were most
of a collection's memory. Packed (the answers' JSON, zlib level 1) they take a fourth of it; the
last mapping unpacked is kept, since a unit's rows read one response's answers one after
another.
"""

from __future__ import annotations

import json
import zlib
from collections.abc import Iterator, Mapping

from functions.domain.model import Answer


class PackedAnswers(Mapping[str, Answer]):
    __slots__ = ("_blob",)
    _last: tuple[bytes, dict[str, Answer]] | None = None  # the last one unpacked

    def __init__(self, answers: Mapping[str, Answer]) -> None:
        plain = {key: value if isinstance(value, str) else list(value)
                 for key, value in answers.items()}
        data = json.dumps(plain, ensure_ascii=False, separators=(",", ":")).encode()
        self._blob = zlib.compress(data, 1)

    def _unpacked(self) -> dict[str, Answer]:
        last = PackedAnswers._last
        if last is not None and last[0] is self._blob:
            return last[1]
        raw = json.loads(zlib.decompress(self._blob))
        found: dict[str, Answer] = {key: value if isinstance(value, str) else tuple(value)
                                    for key, value in raw.items()}
        PackedAnswers._last = (self._blob, found)
        return found

    def __getitem__(self, key: str) -> Answer:
        return self._unpacked()[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._unpacked())

    def __len__(self) -> int:
        return len(self._unpacked())

    def get(self, key: str, default: Answer | None = None) -> Answer | None:  # type: ignore[override]
        return self._unpacked().get(key, default)
