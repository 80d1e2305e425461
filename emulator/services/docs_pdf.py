"""A Doc exported as PDF: a minimal, valid PDF 1.4 of the document's plain text.

Not Google's rendering: the emulator has no layout engine. Each paragraph is one or more lines
(wrapped at the page's width), 50 lines a page, A4. With a Unicode TrueType font installed
(``pdf_font``) the text is written in it, embedded, so Vietnamese letters stay themselves
(a ToUnicode map lets a reader copy the text out); without one, a built-in Helvetica
(WinAnsi: characters outside Latin-1 show as "?"). What a client can rely on — and all the
service checks — is that the answer is a PDF (``%PDF-`` … ``%%EOF``) of the Doc. Verified
only on the emulator.
"""

from __future__ import annotations

import zlib

from emulator.services.pdf_font import TrueType, system_font

LINES_PER_PAGE = 50
A4 = (595, 842)  # points


def _escape(line: str) -> str:
    text = line.encode("latin-1", "replace").decode("latin-1")
    return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


WRAP = 90  # characters a line at 11 pt across A4 less its margins


def _wrapped(text: str) -> list[str]:
    lines: list[str] = []
    for paragraph in text.replace("\u000b", "\n").splitlines() or [""]:
        words, line = paragraph.split(" "), ""
        for word in words:
            if line and len(line) + 1 + len(word) > WRAP:
                lines.append(line)
                line = word
            else:
                line = f"{line} {word}" if line else word
        lines.append(line)
    return lines


def _unicode_font(font: TrueType, text: str, objects: list[bytes]) -> int:
    """Appends the Type0 font objects (the font file embedded, compressed); returns its
    object number."""
    glyphs = sorted({font.glyph(ch): ch for ch in text if font.glyph(ch)}.items())
    packed = zlib.compress(font.data)
    objects.append(b"<< /Length %d /Length1 %d /Filter /FlateDecode >>\nstream\n%s\nendstream"
                   % (len(packed), len(font.data), packed))
    file_ref = len(objects)
    name = font.name.encode("ascii", "replace")
    objects.append(b"<< /Type /FontDescriptor /FontName /%s /Flags 32 /FontBBox [-1021 -463 "
                   b"1793 1232] /ItalicAngle 0 /Ascent 928 /Descent -236 /CapHeight 729 "
                   b"/StemV 80 /FontFile2 %d 0 R >>" % (name, file_ref))
    descriptor = len(objects)
    widths = b" ".join(b"%d [%d]" % (gid, font.width(gid)) for gid, _ in glyphs)
    objects.append(b"<< /Type /Font /Subtype /CIDFontType2 /BaseFont /%s /CIDSystemInfo "
                   b"<< /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> "
                   b"/FontDescriptor %d 0 R /W [%s] /CIDToGIDMap /Identity >>"
                   % (name, descriptor, widths))
    cid_font = len(objects)
    pairs = "\n".join(f"<{gid:04X}> <{ord(ch):04X}>" for gid, ch in glyphs)
    cmap = ("/CIDInit /ProcSet findresource begin 12 dict begin begincmap /CMapName "
            "/Adobe-Identity-UCS def /CMapType 2 def 1 begincodespacerange <0000> <FFFF> "
            f"endcodespacerange {len(glyphs)} beginbfchar\n{pairs}\nendbfchar endcmap "
            "CMapName currentdict /CMap defineresource pop end end").encode("ascii")
    objects.append(b"<< /Length %d >>\nstream\n%s\nendstream" % (len(cmap), cmap))
    to_unicode = len(objects)
    objects.append(b"<< /Type /Font /Subtype /Type0 /BaseFont /%s /Encoding /Identity-H "
                   b"/DescendantFonts [%d 0 R] /ToUnicode %d 0 R >>"
                   % (name, cid_font, to_unicode))
    return len(objects)


def pdf_of(text: str) -> bytes:
    lines = _wrapped(text)
    pages = [lines[i:i + LINES_PER_PAGE] for i in range(0, len(lines), LINES_PER_PAGE)]
    objects: list[bytes] = [b"", b""]  # 1: catalog, 2: page tree (filled in below)
    unicode = system_font()
    if unicode is not None:
        font = _unicode_font(unicode, "".join(lines), objects)
    else:
        objects.append(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica "
                       b"/Encoding /WinAnsiEncoding >>")
        font = len(objects)
    kids = []
    for page in pages:
        if unicode is not None:
            shown = " ".join("<" + "".join(f"{unicode.glyph(ch):04X}" for ch in line) + "> '"
                             for line in page)
        else:
            shown = " ".join(f"({_escape(line)}) '" for line in page)
        data = ("BT /F1 11 Tf 56 790 Td 14 TL " + shown + " ET").encode("latin-1")
        objects.append(b"<< /Length %d >>\nstream\n%s\nendstream" % (len(data), data))
        content = len(objects)
        objects.append(b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %d %d] /Contents %d 0 R "
                       b"/Resources << /Font << /F1 %d 0 R >> >> >>"
                       % (A4[0], A4[1], content, font))
        kids.append(len(objects))
    objects[0] = b"<< /Type /Catalog /Pages 2 0 R >>"
    objects[1] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (
        b" ".join(b"%d 0 R" % kid for kid in kids), len(kids))
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1, xref)
    return bytes(out)
