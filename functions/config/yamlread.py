"""Typed access to a parsed YAML mapping that records problems instead of raising."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from pathlib import Path
from typing import Any

import yaml

from functions.config.errors import Problems
from functions.domain.text import nfc


class _Loader(yaml.SafeLoader):
    """Safe YAML without implicit dates: a date stays text so that a bad one is reported by key."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def load_yaml(path: Path, display: str, problems: Problems) -> dict[str, Any] | None:
    """The YAML mapping in `path`, or None with a problem recorded."""
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=_Loader)
    except FileNotFoundError:
        problems.add(display, None, None, "không tìm thấy tệp")
        return None
    except UnicodeDecodeError:
        problems.add(display, None, None, "tệp không phải UTF-8")
        return None
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        row = mark.line + 1 if mark is not None else None
        problems.add(display, row, None, f"lỗi cú pháp YAML: {getattr(error, 'problem', error)}")
        return None
    if not isinstance(data, dict):
        problems.add(display, None, None, "tệp phải là một bảng các mục «khóa: giá trị»")
        return None
    return data


class Section:
    """One mapping of the file; `prefix` names it in messages (e.g. "agency.")."""

    def __init__(
        self, data: Mapping[str, Any], display: str, problems: Problems, prefix: str = ""
    ) -> None:
        self.data, self.display, self.problems, self.prefix = data, display, problems, prefix

    def problem(self, key: str, message: str) -> None:
        self.problems.add(self.display, None, self.prefix + key, message)

    def section(self, key: str) -> Section:
        value = self.data.get(key) or {}
        if not isinstance(value, Mapping):
            self.problem(key, "phải là một bảng các mục «khóa: giá trị»")
            value = {}
        return Section(value, self.display, self.problems, f"{self.prefix}{key}.")

    def text(self, key: str, default: str | None = None) -> str:
        value = self.data.get(key, default)
        if value is None or (isinstance(value, str) and not value.strip()):
            if default is None:
                self.problem(key, "thiếu giá trị")
            return default or ""
        if not isinstance(value, str | int | float):
            self.problem(key, "phải là một đoạn văn bản")
            return ""
        return nfc(str(value))

    def optional_text(self, key: str) -> str | None:
        value = self.text(key, "")
        return value or None

    def integer(self, key: str, default: int | None = None) -> int:
        value = self.data.get(key, default)
        if isinstance(value, bool) or not isinstance(value, int):
            self.problem(key, "phải là một số nguyên" if value is not None else "thiếu giá trị")
            return default or 0
        return value

    def flag(self, key: str, default: bool) -> bool:
        value = self.data.get(key, default)
        if not isinstance(value, bool):
            self.problem(key, "phải là true hoặc false")
            return default
        return value

    def texts(self, key: str, default: tuple[str, ...] = ()) -> tuple[str, ...]:
        value = self.data.get(key, list(default))
        if not isinstance(value, list) or not all(isinstance(v, str | int) for v in value):
            self.problem(key, "phải là một danh sách")
            return default
        return tuple(nfc(str(v)) for v in value if str(v).strip())

    def day(self, key: str, year: int, default: str | None) -> date | None:
        """A date written 2025-04-05, or a default "04-05" (month-day) in `year`."""
        value = self.data.get(key, default)
        if isinstance(value, date):
            return value
        try:
            text = str(value)
            return date.fromisoformat(text if text.count("-") == 2 else f"{year:04d}-{text}")
        except ValueError:
            self.problem(key, f"ngày «{value}» không hợp lệ; ghi theo dạng NĂM-THÁNG-NGÀY, "
                         "ví dụ 2025-04-05")
            return None

    def unknown_keys(self, known: set[str]) -> None:
        for key in self.data:
            if key not in known:
                self.problem(str(key), "mục không được hỗ trợ (gõ nhầm tên?)")
