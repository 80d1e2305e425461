"""The emulator's PDF export carries Vietnamese letters: the text drawn, read back through the
PDF's own ToUnicode map, is the document's text (with an installed Unicode font)."""

from __future__ import annotations

import re
import zlib

import pytest

from emulator.services.docs_pdf import pdf_of
from emulator.services.pdf_font import system_font

TEXT = "Báo cáo tổng kết năm 2025 – Sở Giáo dục và Đào tạo\nNguyễn Thị Nhung: Hoàn thành tốt"


def _objects(pdf: bytes) -> dict[int, bytes]:
    return {int(m.group(1)): m.group(2) for m in re.finditer(
        rb"(\d+) 0 obj\n(.*?)\nendobj", pdf, re.S)}


def test_the_pdf_draws_vietnamese_letters_a_reader_can_copy_out() -> None:
    if system_font() is None:
        pytest.skip("no Unicode TrueType font installed (fonts-dejavu-core)")
    pdf = pdf_of(TEXT)
    assert pdf.startswith(b"%PDF-1.4") and pdf.rstrip().endswith(b"%%EOF")
    objects = _objects(pdf)
    start = int(pdf.rsplit(b"startxref\n", 1)[1].split(b"\n")[0])
    assert pdf[start:start + 4] == b"xref"
    for number, offset in enumerate(re.findall(rb"(\d{10}) 00000 n", pdf[start:]), start=1):
        assert pdf[int(offset):].startswith(b"%d 0 obj" % number)
    cmap = next(body for body in objects.values() if b"beginbfchar" in body)
    to_text = {int(g, 16): chr(int(u, 16))
               for g, u in re.findall(rb"<([0-9A-F]{4})> <([0-9A-F]{4})>", cmap)}
    page = next(body for body in objects.values() if b"BT /F1" in body)
    drawn = [bytes.fromhex(hexes.decode()) for hexes in re.findall(rb"<([0-9A-F]*)> '", page)]
    lines = ["".join(to_text[int.from_bytes(run[i:i + 2], "big")] if run[i:i + 2] != b"\0\0"
                     else " " for i in range(0, len(run), 2)) for run in drawn]
    assert lines == TEXT.split("\n")
    font_file = next(body for body in objects.values() if b"/Length1" in body)
    packed = font_file.split(b"stream\n", 1)[1].rsplit(b"\nendstream", 1)[0]
    assert zlib.decompress(packed)[:4] in (b"\0\1\0\0", b"true")  # a TrueType font, embedded
