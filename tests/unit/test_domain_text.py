"""Comparison keys for Vietnamese text, and the doctests of the pure modules."""

from __future__ import annotations

import doctest
import importlib

import pytest

from functions.domain.text import fold

DOCTESTED = [
    "functions.domain.text",
    "functions.domain.positions",
    "functions.domain.forms",
    "functions.domain.templating",
    "functions.domain.notice",
    "functions.config.emails",
    "functions.config.encoding",
]


@pytest.mark.parametrize("module", DOCTESTED)
def test_the_examples_in_docstrings_hold(module: str) -> None:
    failures, _ = doctest.testmod(importlib.import_module(module))
    assert failures == 0


@pytest.mark.parametrize(
    ("old_style", "new_style"),
    [("Hoà Bình", "Hòa Bình"), ("thuỷ", "thủy"), ("khoẻ", "khỏe"), ("Hoá học", "Hóa học")],
)
def test_both_tone_placements_compare_equal(old_style: str, new_style: str) -> None:
    assert fold(old_style) == fold(new_style)


def test_qu_keeps_its_tone_on_the_vowel_after_it() -> None:
    assert fold("Quý") == "quý"
