"""A TrueType font read just enough to embed it in a PDF (pure, standard library only).

The PDF export writes Vietnamese letters (ễ, ự, đ...) that the built-in PDF fonts lack, so it
embeds a Unicode TrueType font as a CIDFontType2 with Identity-H encoding: text is written as
glyph ids, read from the font's ``cmap`` (format 4, BMP), widths from ``hmtx``. A system font is
used when one is installed (Debian's fonts-dejavu-core or fonts-liberation); without one the
export falls back to the plain built-in font. Verified only on the emulator.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass
from functools import cache
from pathlib import Path

CANDIDATES = (
    Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"),
    Path("/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf"),
    Path("/usr/share/fonts/truetype/freefont/FreeSans.ttf"),
)


@dataclass(frozen=True)
class TrueType:
    name: str
    data: bytes
    units_per_em: int
    glyphs: dict[int, int]  # code point → glyph id
    advances: tuple[int, ...]  # glyph id → advance width (font units)

    def glyph(self, char: str) -> int:
        return self.glyphs.get(ord(char), 0)

    def width(self, glyph: int) -> int:
        """Advance in thousandths of the font size (PDF glyph space)."""
        advance = self.advances[min(glyph, len(self.advances) - 1)] if self.advances else 0
        return round(advance * 1000 / self.units_per_em)


def _tables(data: bytes) -> dict[bytes, tuple[int, int]]:
    count = struct.unpack_from(">H", data, 4)[0]
    found = {}
    for index in range(count):
        tag, _, offset, length = struct.unpack_from(">4sIII", data, 12 + 16 * index)
        found[tag] = (offset, length)
    return found


def _cmap_format4(data: bytes, start: int) -> dict[int, int]:
    segments = struct.unpack_from(">H", data, start + 6)[0] // 2
    ends = struct.unpack_from(f">{segments}H", data, start + 14)
    starts_at = start + 16 + 2 * segments
    starts = struct.unpack_from(f">{segments}H", data, starts_at)
    deltas = struct.unpack_from(f">{segments}h", data, starts_at + 2 * segments)
    offsets_at = starts_at + 4 * segments
    offsets = struct.unpack_from(f">{segments}H", data, offsets_at)
    glyphs: dict[int, int] = {}
    for i in range(segments):
        for code in range(starts[i], ends[i] + 1):
            if code == 0xFFFF:
                continue
            if offsets[i] == 0:
                glyph = (code + deltas[i]) & 0xFFFF
            else:
                where = offsets_at + 2 * i + offsets[i] + 2 * (code - starts[i])
                glyph = struct.unpack_from(">H", data, where)[0]
                glyph = (glyph + deltas[i]) & 0xFFFF if glyph else 0
            if glyph:
                glyphs[code] = glyph
    return glyphs


def parse(data: bytes, name: str) -> TrueType:
    tables = _tables(data)
    head, hhea, hmtx, cmap = (tables[tag][0] for tag in (b"head", b"hhea", b"hmtx", b"cmap"))
    units = struct.unpack_from(">H", data, head + 18)[0]
    metrics = struct.unpack_from(">H", data, hhea + 34)[0]
    advances = tuple(struct.unpack_from(">H", data, hmtx + 4 * i)[0] for i in range(metrics))
    subtables = struct.unpack_from(">H", data, cmap + 2)[0]
    glyphs: dict[int, int] = {}
    for index in range(subtables):
        platform, encoding, offset = struct.unpack_from(">HHI", data, cmap + 4 + 8 * index)
        start = cmap + offset
        if (platform, encoding) in ((3, 1), (0, 3)) and struct.unpack_from(
                ">H", data, start)[0] == 4:
            glyphs = _cmap_format4(data, start)
            break
    return TrueType(name, data, units, glyphs, advances)


@cache
def system_font() -> TrueType | None:
    """The first installed candidate that covers Vietnamese letters, or None."""
    for path in CANDIDATES:
        try:
            font = parse(path.read_bytes(), path.stem.replace(" ", ""))
        except (OSError, KeyError, struct.error):
            continue
        if all(ord(ch) in font.glyphs for ch in "ăâđêôơưễựĐ"):
            return font
    return None
