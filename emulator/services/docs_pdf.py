"""A Doc exported as PDF: a minimal, valid PDF 1.4 of the document's plain text.

Not Google's rendering: the emulator has no layout engine. Each paragraph is one line in a
built-in Helvetica (WinAnsi: characters outside Latin-1 show as "?"), 50 lines a page, A4.
What a client can rely on — and all the service checks — is that the answer is a PDF
(``%PDF-`` … ``%%EOF``) of the Doc. Verified only on the emulator.
"""

from __future__ import annotations

LINES_PER_PAGE = 50
A4 = (595, 842)  # points


def _escape(line: str) -> str:
    text = line.encode("latin-1", "replace").decode("latin-1")
    return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


def pdf_of(text: str) -> bytes:
    lines = [line for line in text.replace("\u000b", "\n").splitlines()] or [""]
    pages = [lines[i:i + LINES_PER_PAGE] for i in range(0, len(lines), LINES_PER_PAGE)]
    objects: list[bytes] = [b"", b""]  # 1: catalog, 2: page tree (filled in below)
    font = len(objects) + 1
    objects.append(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica "
                   b"/Encoding /WinAnsiEncoding >>")
    kids = []
    for page in pages:
        stream = "BT /F1 11 Tf 56 790 Td 14 TL " + " ".join(
            f"({_escape(line)}) '" for line in page) + " ET"
        data = stream.encode("latin-1")
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
