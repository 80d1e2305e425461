"""The deployed source: a directory gcloud uploads as it is.

Its root holds ``main.py`` (the functions-framework default entry file: a one-line re-export of
``functions/main.py``, so no ``GOOGLE_FUNCTION_SOURCE`` is needed and the package imports as
it does here), ``requirements.txt`` pinned from this package's own dependencies (it wins over
any pyproject.toml), the package, the data directories, and the settings with their units and
roster files under ``config/``.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import sys
from importlib import metadata
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from functions.config.settings import Settings
from functions.deploy.plan import CONFIG_IN_SOURCE
from functions.paths import PACKAGE_DIR, data_dir

DATA_DIRS = ("forms", "sheets_templates", "docs_templates")  # those present are bundled
SUPPORTED_RUNTIMES = ("python311", "python312", "python313")
# cloud.google.com/functions/docs/runtime-support#python (read 2026-12-01)
SHIM = ('"""Entry file of the deployed source: the functions live in functions/main.py."""\n\n'
        "from functions.main import *  # noqa: F403\n")


class SourceProblem(Exception):
    """The source cannot be bundled as it is (a Vietnamese line says why)."""


def runtime() -> str:
    """The Cloud Run runtime matching the interpreter the lock file is resolved with."""
    name = f"python{sys.version_info.major}{sys.version_info.minor}"
    if name not in SUPPORTED_RUNTIMES:
        raise SourceProblem(f"Python {sys.version_info.major}.{sys.version_info.minor} không có "
                            f"trên Cloud Run functions; hãy chạy bằng một trong: "
                            f"{', '.join(SUPPORTED_RUNTIMES)}.")
    return name


def locked_requirements(distribution: str = "guongmau") -> list[str]:
    """``name==version`` for every runtime dependency of the package (the closure of
    pyproject.toml's ``dependencies``, extras left out), as installed here."""
    pins: dict[str, str] = {}
    queue = [r for r in _requirements(distribution)]
    while queue:
        requirement = queue.pop()
        name = canonicalize_name(requirement.name)
        if name in pins:
            continue
        try:
            pins[name] = metadata.version(requirement.name)
        except metadata.PackageNotFoundError as error:
            raise SourceProblem(f"Thiếu gói «{requirement.name}» trong môi trường này; chạy "
                                "«pip install -e .» rồi chạy lại.") from error
        queue += _requirements(requirement.name)
    return [f"{name}=={version}" for name, version in sorted(pins.items())]


def _requirements(distribution: str) -> list[Requirement]:
    found = []
    for line in metadata.requires(distribution) or []:
        requirement = Requirement(line)
        if requirement.marker is None or requirement.marker.evaluate({"extra": ""}):
            found.append(requirement)
    return found


MARKER = ".guongmau-deploy-source"  # a directory holding it was made by build: safe to empty


def build(settings: Settings, target: Path) -> str:
    """Writes the bundle into ``target`` (emptied first, only if a previous build made it);
    returns its fingerprint."""
    if target.exists():
        if not target.is_dir() or (not (target / MARKER).exists() and any(target.iterdir())):
            raise SourceProblem(f"{target} đã có và không do «guongmau deploy» tạo; không xóa "
                                "nó: hãy chọn --source-dir khác (một thư mục trống).")
        shutil.rmtree(target)
    target.mkdir(parents=True)
    (target / MARKER).write_text("", encoding="utf-8")
    (target / "main.py").write_text(SHIM, encoding="utf-8")
    (target / "requirements.txt").write_text("\n".join(locked_requirements()) + "\n",
                                             encoding="utf-8")
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc", "_data")
    shutil.copytree(PACKAGE_DIR, target / "functions", ignore=ignore)
    for name in DATA_DIRS:
        try:
            found = data_dir(name)
        except FileNotFoundError:
            if name != "docs_templates":  # only the reports need it
                raise
            continue
        shutil.copytree(found, target / name, ignore=ignore)
    config = target / CONFIG_IN_SOURCE
    config.parent.mkdir(parents=True)
    shutil.copy2(settings.path, config)
    base = settings.path.parent
    for extra in (settings.units_file, settings.roster_file):
        if extra is not None:
            inside = _inside(extra, base)
            (config.parent / inside).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(extra, config.parent / inside)
    return fingerprint(target)


def _inside(path: Path, base: Path) -> Path:
    relative = Path(os.path.relpath(path.resolve(), base.resolve()))
    if relative.parts and relative.parts[0] == "..":
        raise SourceProblem(f"Tệp {path} nằm ngoài thư mục của tệp cấu hình ({base}); hãy "
                            "chép nó vào thư mục đó để triển khai cùng.")
    return relative


def fingerprint(root: Path) -> str:
    """A digest of every file's path and bytes: the same source gives the same label."""
    digest = hashlib.sha256()
    for path in sorted(p for p in root.rglob("*") if p.is_file() and p.name != MARKER):
        digest.update(path.relative_to(root).as_posix().encode() + b"\0")
        digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()[:16]
