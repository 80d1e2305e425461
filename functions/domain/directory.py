"""Look-ups over units and staff: by email, by unit code, by unit name."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from functions.domain.model import Staff, Unit
from functions.domain.text import fold

_CODE_SUFFIX = re.compile(r"\(([^()]+)\)\s*$")


@dataclass(frozen=True)
class Directory:
    units: tuple[Unit, ...]
    staff: tuple[Staff, ...] = ()
    _by_email: dict[str, Staff] = field(init=False, repr=False, compare=False)
    _by_code: dict[str, Unit] = field(init=False, repr=False, compare=False)
    _by_name: dict[str, list[Unit]] = field(init=False, repr=False, compare=False)
    _by_unit: dict[str, tuple[Staff, ...]] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        by_email = {email.casefold(): person for person in self.staff for email in person.emails}
        by_code = {fold(unit.code): unit for unit in self.units}
        by_name: dict[str, list[Unit]] = {}
        for unit in self.units:
            for name in (unit.name, unit.choice_label):
                by_name.setdefault(fold(name), []).append(unit)
        object.__setattr__(self, "_by_email", by_email)
        object.__setattr__(self, "_by_code", by_code)
        object.__setattr__(self, "_by_name", by_name)
        by_unit: dict[str, list[Staff]] = {}
        for person in self.staff:
            by_unit.setdefault(fold(person.unit_code), []).append(person)
        object.__setattr__(self, "_by_unit", {k: tuple(v) for k, v in by_unit.items()})

    @classmethod
    def of(cls, units: Iterable[Unit], staff: Iterable[Staff] = ()) -> Directory:
        return cls(tuple(units), tuple(staff))

    def person(self, email: str | None) -> Staff | None:
        """The roster entry owning this address (main or other email), if any."""
        return self._by_email.get(email.strip().casefold()) if email else None

    def unit(self, code: str) -> Unit | None:
        return self._by_code.get(fold(code))

    def units_named(self, text: str) -> list[Unit]:
        """Units whose code, name or form-list label is exactly `text` (up to case/spacing)."""
        by_code = self.unit(text)
        if by_code is not None:
            return [by_code]
        found = list(self._by_name.get(fold(text), []))
        suffix = _CODE_SUFFIX.search(text)
        if not found and suffix and self.unit(suffix[1]) is not None:
            return [self.unit(suffix[1])]  # type: ignore[list-item]  # a label from before a rename
        return found

    def staff_of(self, unit_code: str) -> tuple[Staff, ...]:
        return self._by_unit.get(fold(unit_code), ())
