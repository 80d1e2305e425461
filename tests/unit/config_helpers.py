"""Write small configurations into a temporary directory for the configuration tests."""

from __future__ import annotations

import unicodedata
from pathlib import Path

from click.testing import CliRunner, Result

from functions.cli import main
from functions.config.sample import write_sample

UNITS_HEADER = "Mã đơn vị,Tên đơn vị,Email thủ trưởng,Email theo dõi,Loại đơn vị,Trạng thái"
ROSTER_HEADER = "Họ và tên,Email,Chức vụ,Mã đơn vị,Nhóm,Email khác"
GOOD_UNITS = [
    "SO-VP,Văn phòng Sở,chanhvp@demo.edu.vn,,Phòng thuộc Sở,",
    "THPT-A,Trường THPT A,hta@demo.edu.vn;phohta@demo.edu.vn,vanthu@demo.edu.vn,Trường THPT,",
    "THPT-CU,Trường THPT Cũ,,,Trường THPT,ngừng hoạt động",
]
GOOD_ROSTER = [
    "Nguyễn Văn An,annv@demo.edu.vn,Hiệu trưởng,THPT-A,,",
    "Trần Thị Bình,binhtt@demo.edu.vn,Tổ trưởng chuyên môn,THPT-A,,binh@gmail.com",
    "Lê Văn Cường,cuonglv@demo.edu.vn,Chuyên viên,SO-VP,1,",
]


def write_config(
    directory: Path,
    units: list[str] | None = None,
    roster: list[str] | None = None,
    *,
    units_header: str = UNITS_HEADER,
    roster_header: str = ROSTER_HEADER,
) -> Path:
    """The sample settings file with small units/roster CSVs; returns the settings path."""
    write_sample(directory)
    lines = [units_header, *(GOOD_UNITS if units is None else units)]
    (directory / "don_vi.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    lines = [roster_header, *(GOOD_ROSTER if roster is None else roster)]
    (directory / "nhan_su.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return directory / "guongmau.yaml"


def run_cli(*args: str, cwd: Path | None = None) -> Result:
    runner = CliRunner()
    if cwd is None:
        return runner.invoke(main, list(args))
    with runner.isolated_filesystem(temp_dir=cwd):
        return runner.invoke(main, list(args))


def snapshot(directory: Path) -> dict[str, bytes]:
    files = (path for path in directory.rglob("*") if path.is_file())
    return {str(path.relative_to(directory)): path.read_bytes() for path in files}


_TONES = "\u0300\u0301\u0303\u0309\u0323"


def to_cp1258(text: str) -> bytes:
    """Encode as Windows-1258 does: base letters precomposed, tone marks as combining bytes."""
    out = bytearray()
    for char in text:
        decomposed = unicodedata.normalize("NFD", char)
        base = unicodedata.normalize("NFC", "".join(c for c in decomposed if c not in _TONES))
        tones = "".join(c for c in decomposed if c in _TONES)
        out += (base + tones).encode("cp1258")
    return bytes(out)
