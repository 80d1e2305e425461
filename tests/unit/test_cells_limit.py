"""A cell's 50 000-character limit counted as Sheets counts it (UTF-16 units): long texts are
split into pieces that each fit, whole, never cut inside a character."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from functions.blueprints.cells import CELL_LIMIT, fit, length, split_long, too_long

TEXT = st.text(alphabet=st.sampled_from(["a", "ệ", "😀", "🇻", "\n", " "]), max_size=400)


@given(TEXT, st.integers(min_value=2, max_value=50))
def test_pieces_fit_the_limit_in_utf16_units_and_join_back_whole(text: str, limit: int) -> None:
    pieces = split_long(text, limit)
    assert "".join(pieces) == text
    assert all(length(piece) <= limit for piece in pieces)
    assert all(pieces) or pieces == [""]
    assert len(pieces) <= max(1, -(-length(text) // (limit - 1)))  # no needless piece


def test_thirty_thousand_emoji_overflow_a_cell_though_python_counts_thirty_thousand() -> None:
    emoji = "😀" * 30_000
    assert len(emoji) < CELL_LIMIT and too_long(emoji)
    assert not too_long("😀" * 25_000) and not too_long("ệ" * CELL_LIMIT)
    assert [length(piece) for piece in split_long(emoji)] == [49_800, 10_200]
    assert length(fit(emoji)) == CELL_LIMIT - 1  # an emoji does not fit the last unit
