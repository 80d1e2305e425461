"""Mistyped options of the Workspace commands are refused in Vietnamese, before any work."""

from __future__ import annotations

import subprocess
import sys

import pytest


@pytest.mark.parametrize(("args", "expected"), [
    (["provision", "--hom-nay", "10/01/2025"], "ghi theo dạng NĂM-THÁNG-NGÀY"),
    (["collect", "--hom-nay", "2025-13-01"], "ngày «2025-13-01» không hợp lệ"),
    (["collect", "--gioi-han", "-5"], "không phải số giây hợp lệ"),
    (["provision", "--year", "năm nay"], "không phải một năm"),
])
def test_a_mistyped_option_is_named_and_explained_in_vietnamese(args: list[str],
                                                                expected: str) -> None:
    done = subprocess.run([sys.executable, "-m", "functions", *args], capture_output=True,
                          text=True, timeout=60, stdin=subprocess.DEVNULL)
    assert done.returncode == 2
    assert f"giá trị không hợp lệ cho «{args[1]}»" in done.stderr
    assert expected in done.stderr
    assert "Invalid value" not in done.stderr
