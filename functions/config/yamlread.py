"""Typed access to a parsed YAML mapping that records problems instead of raising."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import yaml

from functions.config import legacy_text
from functions.config.errors import Problems
from functions.domain.text import nfc


@dataclass(frozen=True)
class DuplicateKey:
    key: str
    first_line: int  # 1-based, as an editor counts
    line: int


class _Loader(yaml.SafeLoader):
    """Safe YAML without implicit dates (a date stays text so that a bad one is reported by
    key) that records every key written twice in one mapping: PyYAML would silently keep the
    last one, so a forgotten older line would win without a word."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self.duplicates: list[DuplicateKey] = []

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: dict[str, int] = {}
        for key_node, _ in node.value:  # before merges: overriding a merged `<<` key is fine
            if not isinstance(key_node, yaml.ScalarNode):
                continue
            line = key_node.start_mark.line + 1
            if key_node.value in seen:
                self.duplicates.append(DuplicateKey(key_node.value, seen[key_node.value], line))
            else:
                seen[key_node.value] = line
        return super().construct_mapping(node, deep=deep)


_Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def parse(text: str) -> tuple[Any, list[DuplicateKey]]:
    """The YAML document in `text` and the keys written twice in it (raises yaml.YAMLError)."""
    loader = _Loader(text)
    try:
        return loader.get_single_data(), loader.duplicates
    finally:
        loader.dispose()


def duplicate_message(duplicate: DuplicateKey) -> str:
    return (f"khóa «{duplicate.key}» được ghi hai lần (lần đầu ở dòng {duplicate.first_line}); "
            "YAML chỉ giữ lần ghi sau cùng, hãy xóa một lần")


def strict_load(path: Path) -> Any:
    """The YAML data shipped in this project's folders: a key written twice is an error."""
    data, duplicates = parse(path.read_text(encoding="utf-8"))
    if duplicates:
        first = duplicates[0]
        raise ValueError(f"{path}, dòng {first.line}: {duplicate_message(first)}")
    return data


def load_yaml(path: Path, display: str, problems: Problems) -> dict[str, Any] | None:
    """The YAML mapping in `path`, or None with a problem recorded."""
    try:
        data, duplicates = parse(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        problems.add(display, None, None, "không tìm thấy tệp")
        return None
    except UnicodeDecodeError:
        problems.add(display, None, None, "tệp không phải UTF-8")
        return None
    except IsADirectoryError:
        problems.add(display, None, None, "đây là một thư mục; hãy ghi đường dẫn tới tệp "
                     "guongmau.yaml trong thư mục đó")
        return None
    except OSError as error:  # no permission, a path through a file...
        problems.add(display, None, None, f"không đọc được tệp ({error.strerror})")
        return None
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        row = mark.line + 1 if mark is not None else None
        problems.add(display, row, None, f"lỗi cú pháp YAML: {getattr(error, 'problem', error)}")
        return None
    for duplicate in duplicates:
        problems.add(display, duplicate.line, None, duplicate_message(duplicate))
    if not isinstance(data, dict):
        problems.add(display, None, None, "tệp phải là một bảng các mục «khóa: giá trị»")
        return None
    return None if duplicates else data


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
        text = nfc(str(value))
        if (message := legacy_text.problem(text)) is not None:
            self.problem(key, message)
        return text

    def optional_text(self, key: str) -> str | None:
        value = self.text(key, "")
        return value or None

    def integer(self, key: str, default: int | None = None,
                bounds: tuple[int, int] | None = None) -> int:
        """An integer, within `bounds` (inclusive) when given."""
        value = self.data.get(key, default)
        if isinstance(value, bool) or not isinstance(value, int):
            self.problem(key, "phải là một số nguyên" if value is not None else "thiếu giá trị")
            return default or 0
        if bounds is not None and not bounds[0] <= value <= bounds[1]:
            self.problem(key, f"giá trị {value} không hợp lệ; phải từ {bounds[0]} đến {bounds[1]}")
            return default or bounds[0]
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
        texts = tuple(nfc(str(v)) for v in value if str(v).strip())
        for text in texts:
            if (message := legacy_text.problem(text)) is not None:
                self.problem(key, message)
        return texts

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
