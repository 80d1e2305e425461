"""Who can reach a unit Sheet beyond what the settings grant. A head who re-shares the Sheet (to
anyone with the link, to an outside Gmail address, or lifts a reader to editor) cannot be
stopped in a shared drive (README); provisioning finds it on its next run, reports it in its
output and in the Sở overview's tab of unlisted sharing, and, with
``storage.unlisted_sharing: remove``, takes it away.

Cost contract: one ``permissions.list`` per unit Sheet built before this run (Drive reads, sent
through Drive's batch, 100 to an HTTP round trip): 2 000 units are 2 000 Drive reads, a sixth of
a minute of Drive's 12 000-a-minute quota, and never a Sheets call per unit. The overview's tab
is written (one Sheets call) only when what it shows changed. A Sheet created in this run is not
read: its permissions are the ones just made.

Permissions inherited from the shared drive (its members: the service account, the Sở's
readers) are not the unit's and are skipped; so are inherited ones from a parent folder (Drive
lists them on the Sheet, but only the folder can drop them — verified only on the emulator,
which does not list folder inheritance).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from functions.blueprints import cells, so_sheet
from functions.blueprints.layout import UnitLayout
from functions.domain.model import Unit
from functions.services.provision_units import wanted_grants
from functions.services.registry import Registry, fingerprint
from functions.services.workspace import Workspace

ROLE_RANK = {"reader": 1, "commenter": 2, "writer": 3, "fileOrganizer": 4, "organizer": 5,
             "owner": 6}
NEW_TAB_ROWS = 1000  # rows of a tab added without a size


@dataclass(frozen=True)
class Finding:
    """One permission on a unit Sheet that the settings do not grant (or grant lower)."""

    code: str
    unit_name: str
    permission_id: str
    who: str  # Vietnamese: the address, the domain, or "anyone with the link"
    role: str
    allowed: str | None  # the role the settings grant this grantee; None: none at all
    fixed: bool = False  # removed or lowered to ``allowed`` by this run (a dry run: would be)


def rank(role: str | None) -> int:
    return ROLE_RANK.get(role or "", 0)


def direct_role(permission: Mapping[str, Any]) -> str | None:
    """The role held on the file itself (None when it only comes by inheritance). Shared-drive
    items list ``permissionDetails`` (one entry per source); My Drive items do not."""
    details = permission.get("permissionDetails")
    if not details:
        return str(permission.get("role", "")) or None
    roles = [str(d.get("role")) for d in details if not d.get("inherited")]
    return max(roles, key=rank) if roles else None


def unlisted(permissions: Iterable[Mapping[str, Any]], allowed: Mapping[str, str]
             ) -> list[tuple[Mapping[str, Any], str, str | None]]:
    """(permission, its direct role, the allowed role) of every direct permission that
    ``allowed`` (email → the highest role the settings grant) does not cover."""
    found = []
    for permission in permissions:
        role = direct_role(permission)
        if role is None or role == "owner" or permission.get("view") == "published":
            continue
        email = str(permission.get("emailAddress", "")).lower()
        granted = allowed.get(email) if permission.get("type") in ("user", "group") else None
        if granted is None or rank(role) > rank(granted):
            found.append((permission, role, granted))
    return found


def describe(permission: Mapping[str, Any], texts: Mapping[str, Any]) -> str:
    kind = permission.get("type")
    if kind == "anyone":
        return str(texts["anyone_listed" if permission.get("allowFileDiscovery") else "anyone"])
    if kind == "domain":
        return str(texts["domain"]).format(ten_mien=permission.get("domain", ""))
    email = str(permission.get("emailAddress", ""))
    return str(texts["group"]).format(email=email) if kind == "group" else email


def unit_sheets(units: Iterable[Unit], registry: Registry, skip: Iterable[str] = ()
                ) -> dict[str, tuple[str, str, dict[str, str]]]:
    """code → (name, sheet id, allowed grants) of the built unit Sheets to audit. Allowed: what
    the settings grant, and what the record says was granted (a dry run has not yet applied
    the settings' changes: those are the sharing step's to report, not unlisted)."""
    skipped = set(skip)
    sheets = {}
    for unit in units:
        entry = registry.units.get(unit.code, {})
        if not entry.get("built") or not entry.get("sheet") or unit.code in skipped:
            continue
        allowed = dict(wanted_grants(unit))
        for email, held in entry.get("grants", {}).items():
            if rank(held.get("role")) > rank(allowed.get(email)):
                allowed[email] = str(held["role"])
        sheets[unit.code] = (unit.name, str(entry["sheet"]), allowed)
    return sheets


def audit(ws: Workspace, sheets: Mapping[str, tuple[str, str, Mapping[str, str]]],
          texts: Mapping[str, Any], remove: bool, dry_run: bool) -> list[Finding]:
    """Reads the permissions of ``sheets`` (code → (unit name, sheet id, allowed grants)) and,
    when ``remove`` (and not dry), removes or lowers what the settings do not grant."""
    codes = sorted(sheets)
    held = ws.drive.permissions_of([sheets[code][1] for code in codes]) if codes else {}
    findings: list[Finding] = []
    for code in codes:
        name, sheet_id, allowed = sheets[code]
        found = unlisted(held[sheet_id], allowed)
        if remove and not dry_run and found:
            revoke = [str(p["id"]) for p, _, granted in found if granted is None]
            if revoke:
                ws.drive.revoke(sheet_id, revoke)
            lower = {str(p["id"]): granted for p, _, granted in found if granted is not None}
            if lower:
                ws.drive.update_permissions(sheet_id, lower)
        findings += [Finding(code, name, str(p["id"]), describe(p, texts), role, granted, remove)
                     for p, role, granted in found]
    return findings


def lines(findings: Iterable[Finding], texts: Mapping[str, Any]) -> tuple[list[str], list[str]]:
    """(actions, notes) for the provisioning report, in Vietnamese."""
    roles = texts["roles"]
    actions, notes = [], []
    for f in findings:
        where = f"bảng của «{f.unit_name}» ({f.code})"
        role = roles.get(f.role, f.role)
        if f.allowed is None:
            fix = f"gỡ quyền «{role}» của {f.who} trên {where} (cấu hình không cấp)"
        else:
            fix = (f"đưa quyền của {f.who} trên {where} từ «{role}» về "
                   f"«{roles.get(f.allowed, f.allowed)}» như cấu hình")
        if f.fixed:
            actions.append(fix)
        else:
            notes.append(f"Lưu ý: {where} được chia sẻ ngoài cấu hình: {f.who}, quyền «{role}»"
                         + ("" if f.allowed is None else
                            f" (cấu hình cho «{roles.get(f.allowed, f.allowed)}»)"))
    return actions, notes


def show(ws: Workspace, registry: Registry, layout: UnitLayout, findings: list[Finding],
         texts: Mapping[str, Any], now: str) -> None:
    """The overview's tab of unlisted sharing: added the first time something is found,
    rewritten whole (one Sheets call) only when the findings changed."""
    entry = registry.overview
    key = fingerprint([[f.code, f.who, f.role, f.allowed, f.fixed] for f in findings])
    tab = entry.setdefault("sharing", {})
    if not entry.get("id") or tab.get("shown", fingerprint([])) == key:
        return
    roles = texts["roles"]
    rows: list[list[object]] = [
        [f.code, f.unit_name, f.who, roles.get(f.role, f.role),
         roles.get(f.allowed, f.allowed) if f.allowed else texts["not_granted"],
         str(texts["lowered" if f.allowed else "removed"]).format(luc=now) if f.fixed
         else texts["reported"]]
        for f in findings]
    requests: list[dict[str, Any]] = []
    if not tab.get("added"):
        requests += so_sheet.sharing_tab(layout, texts, ws.service_account)
    grid = int(tab.get("grid_rows", NEW_TAB_ROWS))
    if len(rows) + 1 > grid:
        requests.append({"appendDimension": {"sheetId": so_sheet.SHARING_ID,
                                             "dimension": "ROWS", "length": len(rows) + 1 - grid}})
        grid = len(rows) + 1
    requests.append({"updateCells": {  # the rows, and everything below them cleared
        "range": cells.grid_range(so_sheet.SHARING_ID, (1, None), (0, len(texts["headers"]))),
        "rows": cells.rows(rows), "fields": "userEnteredValue"}})
    ws.sheets.batch_update(entry["id"], requests)
    tab.update(added=True, shown=key, grid_rows=grid)
    registry.changed()
