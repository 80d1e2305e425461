"""Answers held packed read back exactly as they were given, and take less memory."""

from __future__ import annotations

import sys

from functions.domain.packed import PackedAnswers

ANSWERS = {"ho_ten": "Nguyễn Thị Hương", "don_vi": "Trường THPT Chu Văn An",
           "tieu_chi_1": "Gương mẫu chấp hành chủ trương, đường lối của Đảng " * 8,
           "lua_chon": ("Có", "Không")}


def test_packed_answers_read_back_as_given() -> None:
    packed = PackedAnswers(ANSWERS)
    assert dict(packed) == ANSWERS
    assert packed == ANSWERS
    assert packed.get("lua_chon") == ("Có", "Không")
    assert packed.get("khong_co", "") == ""
    assert "tieu_chi_1" in packed and len(packed) == 4


def test_two_packed_responses_read_in_turn_never_mix() -> None:
    first, second = PackedAnswers({"a": "một"}), PackedAnswers({"a": "hai"})
    assert [first["a"], second["a"], first["a"]] == ["một", "hai", "một"]


def test_packed_answers_are_smaller_than_the_strings_they_hold() -> None:
    held = sum(sys.getsizeof(value) for value in ANSWERS.values() if isinstance(value, str))
    assert sys.getsizeof(PackedAnswers(ANSWERS)._blob) < held / 2
