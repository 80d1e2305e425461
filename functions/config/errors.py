"""Configuration problems, collected all at once and raised together."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Problem:
    """One thing wrong in a configuration file, located as a spreadsheet user would look for it.

    `row` counts like a spreadsheet: the header is row 1. `column` is the header name (or the
    settings key, for the YAML file).
    """

    file: str
    row: int | None
    column: str | None
    message: str

    def __str__(self) -> str:
        where = [self.file]
        if self.row is not None:
            where.append(f"dòng {self.row}")
        if self.column:
            where.append(f"cột «{self.column}»" if self.row is not None else f"mục «{self.column}»")
        return f"{', '.join(where)}: {self.message}"


class ConfigError(Exception):
    """The configuration cannot be used; `problems` lists everything found, in file order."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = tuple(problems)
        super().__init__("\n".join(str(problem) for problem in problems))


class Problems:
    """A collector passed to the parsers so that every problem is reported, not only the first."""

    def __init__(self) -> None:
        self.items: list[Problem] = []

    def add(self, file: Path | str, row: int | None, column: str | None, message: str) -> None:
        self.items.append(Problem(str(file), row, column, message))

    def __bool__(self) -> bool:
        return bool(self.items)

    def raise_if_any(self) -> None:
        if self.items:
            raise ConfigError(self.items)
