"""The forms a reconcile need not list: closed when a complete pass listed them, and nothing
their responses' routing depends on changed since.

A closed form (provisioning publishes it with ``isAcceptingResponses: false`` outside its
period) takes neither new answers nor edits, so once a complete full pass has listed it closed
and applied all it held, listing it again finds nothing new. A form is skipped only while:
- the record made at that pass (``years/<year>/closed_forms.json``: form key → key) equals
  the key now, which covers the directory (units, staff, their other emails and groups: a
  roster change re-routes responses, e.g. releases a quarantined one), the form (id, content,
  question ids, privacy notices) and its closing (provisioning counts them in the registry:
  a form opened and closed again between two passes is listed);
- the registry says it is closed, and so does Google (``publishSettings`` alone, one small
  Forms read): a form reopened by provisioning (the period's dates changed) or by hand in
  Google Forms is listed.
A complete full pass records the forms it listed closed and forgets those it listed open. The
fast path (notifications) never skips. Saved after the ledgers: a record never covers
responses the ledgers do not.
"""

from __future__ import annotations

from collections.abc import Sequence

from functions.adapters.storage import PreconditionFailed
from functions.domain.directory import Directory
from functions.services.lease import CasStore
from functions.services.registry import Registry, fingerprint
from functions.services.workspace import Workspace


def directory_key(directory: Directory) -> str:
    """What routing and placement read of the directory (pure)."""
    return fingerprint([
        [[u.code, u.name, u.kind, u.active] for u in directory.units],
        [[p.email, list(p.other_emails), p.unit_code, int(p.group), p.name, p.position]
         for p in directory.staff]])


def form_key(entry: dict[str, object], directory: str) -> str:
    """The key of a closed form's listing: its closing, its content and privacy notices (a
    row's notice is drawn from them), the directory (pure)."""
    return fingerprint([entry.get("id"), entry.get("fingerprint"), entry.get("questions"),
                        entry.get("notices"), entry.get("closings", 0), directory])


class ClosedForms:
    def __init__(self, store: CasStore, year: int) -> None:
        self.store = store
        self.name = f"years/{year}/closed_forms.json"
        self.recorded: dict[str, str] = {}
        self.generation = 0
        self.seen: dict[str, str] = {}  # forms listed closed by this pass → their key
        self.listed: list[str] = []

    def choose(self, ws: Workspace, registry: Registry, keys: Sequence[str],
               directory: Directory) -> list[str]:
        """The forms of ``keys`` this full pass must list."""
        found = self.store.read(self.name)
        self.recorded = dict((found.value or {}).get("forms", {}))
        self.generation = found.generation
        where = directory_key(directory)
        for key in keys:
            entry = registry.forms.get(key, {})
            if entry.get("id") and entry.get("accepting") is False \
                    and not ws.forms.accepting(str(entry["id"])):
                self.seen[key] = form_key(entry, where)
                if self.recorded.get(key) == self.seen[key]:
                    continue
            self.listed.append(key)
        return list(self.listed)

    def save_complete(self) -> None:
        """After a complete pass, its ledgers saved: what it listed closed is recorded."""
        wanted = {key: found for key, found in self.recorded.items() if key not in self.listed}
        wanted.update({key: self.seen[key] for key in self.listed if key in self.seen})
        if wanted == self.recorded:
            return
        value = {"forms": wanted}
        try:
            self.generation = self.store.write(self.name, value, if_generation=self.generation)
        except PreconditionFailed:
            # Writers hold the lease: this is our own write retried after a lost answer.
            self.generation = self.store.write(self.name, value)
        self.recorded = wanted
