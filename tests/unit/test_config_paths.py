"""Data directories are found in the packaged copy first, then at the repository root."""

from __future__ import annotations

from pathlib import Path

import pytest

from functions.config import load
from functions.paths import REPO_ROOT, data_dir
from tests.unit.config_helpers import write_config


def test_the_repository_forms_directory_is_found_in_a_checkout() -> None:
    assert data_dir("forms") == REPO_ROOT / "forms"


def test_a_packaged_copy_wins_over_the_repository_root(tmp_path: Path) -> None:
    packaged, root = tmp_path / "_data", tmp_path / "repo"
    (packaged / "forms").mkdir(parents=True)
    (root / "forms").mkdir(parents=True)
    assert data_dir("forms", (packaged, root)) == packaged / "forms"


def test_a_missing_data_directory_is_an_error_in_vietnamese(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match="không tìm thấy thư mục dữ liệu «docs_templates»"):
        data_dir("docs_templates", (tmp_path,))


def test_settings_keep_absolute_paths_whatever_the_working_directory(tmp_path: Path) -> None:
    settings = write_config(tmp_path)
    deployment = load(settings)
    assert deployment.settings.units_file.is_absolute()
    assert deployment.settings.units_file == (tmp_path / "don_vi.csv").resolve()
