"""Responses whose author the roster placed elsewhere: the row moves, and what a head typed
in it moves along.

A response shown in one unit whose author the roster now places in another (or in no unit:
the quarantine) leaves the first unit's Sheet. Its people's cells (confirmation, note,
evaluation, commend, remind) are read before anything is written, land with the row in the
new unit (its note saying where from), and the old row is deleted only once the new place
shows the response: a crash in between leaves it shown twice for a moment, never lost with
what was typed in it. A unit that both gives and receives (two people swapped) may need a
second pass: the runner makes it at once.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

from functions.blueprints.layout import UnitLayout
from functions.config.deployment import Deployment
from functions.services.ledger import QUARANTINE
from functions.services.registry import Registry
from functions.services.unit_sync import (
    Carried,
    Change,
    History,
    TabState,
    carried_of,
    read_state,
)
from functions.services.workspace import Workspace

UnitState = tuple[dict[int, TabState], int, list[list[Any]], History | None]


@dataclass
class Moves:
    """``removals``: unit code → response ids it must stop showing; ``destination``: id →
    the unit now showing it (QUARANTINE for the Sở's quarantine tab)."""

    removals: dict[str, set[str]] = field(default_factory=dict)
    destination: dict[str, str] = field(default_factory=dict)
    gone: set[str] = field(default_factory=set)  # ids no longer shown where they were
    read_ahead: dict[str, UnitState] = field(default_factory=dict)  # sources, read first
    carried: dict[str, Carried] = field(default_factory=dict)
    in_quarantine: set[str] = field(default_factory=set)  # ids the quarantine tab shows

    def leave(self, response_id: str, source: str, destination: str) -> None:
        self.removals.setdefault(source, set()).add(response_id)
        self.destination[response_id] = destination

    def read_sources(self, deployment: Deployment, ws: Workspace, registry: Registry,
                     layout: UnitLayout, quarantine_keys: Any) -> None:
        """Reads every unit some rows leave (with its people's cells) before any write: the
        one read of that unit in this pass. ``quarantine_keys()``: the ids the quarantine
        tab shows, asked only when someone leaves for it."""
        directory = deployment.directory()
        for code, leaving in sorted(self.removals.items()):
            sheet_id = registry.units.get(code, {}).get("sheet")
            unit = directory.unit(code)
            if not sheet_id or unit is None:
                continue
            self.read_ahead[code] = read_state(ws, sheet_id, layout, people=True)
            for response_id in leaving:
                found = carried_of(self.read_ahead[code][0], response_id, unit.name)
                if found is not None:
                    self.carried[response_id] = found
        if QUARANTINE in self.destination.values():
            self.in_quarantine = set(quarantine_keys())

    def with_cells(self, changes: list[Change]) -> list[Change]:
        """``changes`` of a unit, those arriving from another unit carrying their cells."""
        return [replace(change, carried=self.carried[change.response.response_id])
                if change.response.response_id in self.carried else change
                for change in changes]

    def removable(self, code: str, done_units: set[str]) -> set[str]:
        """The ids ``code`` may delete now: their new place already shows them."""
        return {response_id for response_id in self.removals.get(code, set())
                if self.destination[response_id] in done_units
                or (self.destination[response_id] == QUARANTINE
                    and response_id in self.in_quarantine)}

    def settled(self, change: Change) -> bool:
        """Whether ``change`` may be recorded: the place it leaves (if any) no longer shows it."""
        response_id = change.response.response_id
        return response_id not in self.destination or response_id in self.gone
