"""The report model (pure): a unit's figures for a period, from the rows of its Sheet.

A person counts once however many times they submitted: rows are matched to the roster by any
of the person's addresses, and people outside the roster by their email (by name when the form
collected none). Only rows whose status is the current one count (a replaced submission is the
same person again). Totals per group are the roster's people plus the people outside it who
submitted, so a rate never exceeds 100 %.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from functions.domain.collation import name_key, sort_key
from functions.domain.model import Group, PeriodKind, Staff, Unit


@dataclass(frozen=True)
class Entry:
    """One current row of a unit Sheet's response tab, as a report needs it."""

    period: PeriodKind
    name: str
    email: str
    position: str
    group: Group
    criteria: tuple[tuple[str, str], ...] = ()  # (column header, the person's text)
    commitment: str = ""
    self_rating: str = ""  # tự xếp loại (year end)
    confirmed: bool = False  # plans: the head's confirmation
    evaluation: str = ""  # year end: the unit's evaluation
    commend: bool = False
    remind: bool = False
    good_practice: bool = False  # the head marks the answer as worth spreading


@dataclass(frozen=True)
class Person:
    name: str
    position: str
    group: Group
    unit: str = ""  # the unit's name, in lists that span units


@dataclass(frozen=True)
class Practice:
    author: Person
    text: str


@dataclass(frozen=True)
class Counts:
    """Per group: people, registered plans, confirmed plans, reports of the period."""

    total: int = 0
    registered: int = 0
    confirmed: int = 0
    reported: int = 0

    def __add__(self, other: Counts) -> Counts:
        return Counts(self.total + other.total, self.registered + other.registered,
                      self.confirmed + other.confirmed, self.reported + other.reported)


def rate(part: int, whole: int) -> float:
    return round(100.0 * part / whole, 1) if whole else 0.0


@dataclass(frozen=True)
class UnitFigures:
    unit: Unit
    period: PeriodKind
    on_roster: int
    groups: dict[Group, Counts]
    missing: tuple[Person, ...]  # who has not submitted for the period (plans: not registered)
    commended: tuple[Person, ...] = ()
    reminded: tuple[Person, ...] = ()
    practices: tuple[Practice, ...] = ()
    self_ratings: dict[str, int] = field(default_factory=dict)
    evaluations: dict[str, int] = field(default_factory=dict)
    plans: tuple[tuple[Person, Entry], ...] = ()  # confirmed Nhóm 1 plans (the public posting)

    @property
    def all(self) -> Counts:
        return self.groups[Group.ONE] + self.groups[Group.TWO]


def _identity(entry: Entry, roster_by_email: dict[str, Staff]) -> tuple[str, Staff | None]:
    staff = roster_by_email.get(entry.email.casefold()) if entry.email else None
    if staff is not None:
        return f"roster:{staff.email.casefold()}", staff
    return (f"email:{entry.email.casefold()}" if entry.email else f"name:{entry.name}"), None


def _people(entries: Iterable[Entry], roster_by_email: dict[str, Staff],
            ) -> dict[str, tuple[Person, Entry]]:
    """identity → (person, their latest row): one per person."""
    found: dict[str, tuple[Person, Entry]] = {}
    for entry in entries:
        key, staff = _identity(entry, roster_by_email)
        person = (Person(staff.name, staff.position, staff.group) if staff is not None
                  else Person(entry.name, entry.position, entry.group))
        found[key] = (person, entry)  # rows come in Sheet order: the later row wins
    return found


def people_sorted(people: Iterable[Person]) -> tuple[Person, ...]:
    return tuple(sorted(people, key=lambda p: (name_key(p.name), sort_key(p.position))))


def unit_figures(unit: Unit, roster: Sequence[Staff], entries: Sequence[Entry],
                 period: PeriodKind) -> UnitFigures:
    """The unit's figures for ``period`` from its current rows (plans and the period's)."""
    by_email = {email.casefold(): person for person in roster for email in person.emails}
    plans = _people((e for e in entries if e.period is PeriodKind.PLAN), by_email)
    reports = (_people((e for e in entries if e.period is period), by_email)
               if period.is_report else {})
    outsiders = {key: person for key, (person, _) in [*plans.items(), *reports.items()]
                 if not key.startswith("roster:")}
    groups: dict[Group, Counts] = {}
    for group in Group:
        def of_group(people: dict[str, tuple[Person, Entry]], g: Group = group) -> list[Entry]:
            return [entry for person, entry in people.values() if person.group is g]
        groups[group] = Counts(
            total=sum(1 for s in roster if s.group is group)
            + sum(1 for p in outsiders.values() if p.group is group),
            registered=len(of_group(plans)),
            confirmed=sum(1 for e in of_group(plans) if e.confirmed),
            reported=len(of_group(reports)))
    done = reports if period.is_report else plans
    missing = [Person(s.name, s.position, s.group) for s in roster
               if f"roster:{s.email.casefold()}" not in done]
    year_rows = list(reports.values()) if period is PeriodKind.YEAR else []
    marked = list(reports.values())
    return UnitFigures(
        unit=unit, period=period, on_roster=len(roster), groups=groups,
        missing=people_sorted(missing),
        commended=people_sorted(p for p, e in year_rows if e.commend),
        reminded=people_sorted(p for p, e in year_rows if e.remind),
        practices=tuple(Practice(p, _practice_text(e)) for p, e in
                        sorted(marked, key=lambda pe: name_key(pe[0].name)) if e.good_practice),
        self_ratings=dict(Counter(e.self_rating for _, e in year_rows if e.self_rating)),
        evaluations=dict(Counter(e.evaluation for _, e in year_rows if e.evaluation)),
        plans=tuple(sorted(((p, e) for p, e in plans.values()
                            if p.group is Group.ONE and e.confirmed),
                           key=lambda pe: name_key(pe[0].name))),
    )


def _practice_text(entry: Entry) -> str:
    return "\n".join(f"{header}: {text}" for header, text in entry.criteria if text)


@dataclass(frozen=True)
class KindGroup:
    kind: str
    units: tuple[UnitFigures, ...]


def by_kind(figures: Iterable[UnitFigures], kinds_order: Sequence[str]) -> tuple[KindGroup, ...]:
    """Units grouped by type (in the units file's order of types), Vietnamese order within."""
    grouped: dict[str, list[UnitFigures]] = {}
    for item in figures:
        grouped.setdefault(item.unit.kind, []).append(item)
    order = [kind for kind in dict.fromkeys(kinds_order) if kind in grouped]
    order += sorted((kind for kind in grouped if kind not in order), key=sort_key)
    return tuple(KindGroup(kind, tuple(sorted(grouped[kind], key=lambda f: sort_key(f.unit.name))))
                 for kind in order)


def total(figures: Iterable[UnitFigures]) -> dict[Group, Counts]:
    sums = {group: Counts() for group in Group}
    for item in figures:
        for group in Group:
            sums[group] = sums[group] + item.groups[group]
    return sums


def distribution(figures: Iterable[UnitFigures], attribute: str) -> dict[str, int]:
    """Sum of the units' self_ratings or evaluations."""
    sums: Counter[str] = Counter()
    for item in figures:
        sums.update(getattr(item, attribute))
    return dict(sums)
