"""Where the data directories (forms/, sheets_templates/, docs_templates/) live.

An installed package carries a copy in `functions/_data/<name>`; a source checkout uses the
directories at the repository root.
"""

from __future__ import annotations

from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
REPO_ROOT = PACKAGE_DIR.parent


def data_dir(name: str, roots: tuple[Path, ...] = (PACKAGE_DIR / "_data", REPO_ROOT)) -> Path:
    """The directory holding the `name` data files; the packaged copy wins.

    Raises FileNotFoundError when neither copy exists.
    """
    for candidate in (root / name for root in roots):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"không tìm thấy thư mục dữ liệu «{name}»")
