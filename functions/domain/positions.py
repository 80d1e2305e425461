"""Position (chức vụ) to group rule. The keywords are data from the settings file."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property

from functions.domain.model import Group
from functions.domain.text import nfc, words_key

# One title may hold several roles: "Giáo viên, Bí thư Đoàn trường", "Hiệu trưởng kiêm Bí thư".
_ROLE_SEPARATORS = re.compile(r"[,;/+&]|\s-\s|\bkiêm\b|\bđồng thời\b", re.IGNORECASE)


@dataclass(frozen=True)
class PositionRule:
    """Nhóm 1 when one role of the title contains a `group_one` phrase and no `not_group_one`
    phrase; otherwise Nhóm 2. Phrases match whole words on folded text.

    >>> rule = PositionRule(("hiệu trưởng", "bí thư đoàn"), ("tổ trưởng", "phó bí thư"))
    >>> rule.group_of("Phó Hiệu trưởng"), rule.group_of("Tổ trưởng chuyên môn")
    (<Group.ONE: 1>, <Group.TWO: 2>)
    >>> rule.group_of("Giáo viên, Bí thư Đoàn trường"), rule.group_of("Phó Bí thư Đoàn")
    (<Group.ONE: 1>, <Group.TWO: 2>)
    """

    group_one: tuple[str, ...]
    not_group_one: tuple[str, ...] = ()

    def group_of(self, position: str) -> Group:
        for role in _ROLE_SEPARATORS.split(nfc(position)):
            key = words_key(role)
            if any(phrase in key for phrase in self._excluded):
                continue
            if any(phrase in key for phrase in self._included):
                return Group.ONE
        return Group.TWO

    @cached_property
    def _included(self) -> tuple[str, ...]:
        return tuple(words_key(phrase) for phrase in self.group_one)

    @cached_property
    def _excluded(self) -> tuple[str, ...]:
        return tuple(words_key(phrase) for phrase in self.not_group_one)
