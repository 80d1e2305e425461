"""A folder and a live Sheet per unit, shared with its heads and readers; renames and
retirements applied in place; nothing ever created twice."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from functions.adapters.drive import FOLDER, SPREADSHEET, Grant
from functions.adapters.errors import GoogleApiError
from functions.blueprints import cells
from functions.blueprints.form_requests import prefilled_url
from functions.blueprints.layout import OVERVIEW_ID, UnitLayout, load_yaml
from functions.blueprints.unit_sheet import FormLink, build_requests, link_rows
from functions.config.deployment import Deployment
from functions.domain.model import Unit
from functions.domain.routing import UNIT_QUESTION
from functions.services.files import ensure_file
from functions.services.registry import Registry, app_properties, fingerprint
from functions.services.workspace import Workspace


def wanted_grants(unit: Unit) -> dict[str, str]:
    """email → role: heads write (readers only, once the unit is retired), followers read."""
    grants = {email: "reader" for email in unit.reader_emails}
    for email in unit.head_emails:
        grants[email] = "writer" if unit.active else "reader"
    return grants


def ghost_units(deployment: Deployment, registry: Registry) -> list[Unit]:
    """Units the record holds whose code left the units file. Codes are identities, so a
    vanished code is a unit retired in place (read-only Sheet, its row marked), never a unit
    silently kept active beside its successor."""
    listed = {unit.code for unit in deployment.units}
    return [Unit(code, str(entry.get("name", code)), active=False,
                 reader_emails=tuple(sorted(entry.get("grants", {}))))
            for code, entry in registry.units.items() if code not in listed]


def ghost_warnings(deployment: Deployment, registry: Registry, ghosts: Sequence[Unit]
                   ) -> list[str]:
    """One line per code that vanished since the last run (said once: when it is retired)."""
    lines = []
    for ghost in ghosts:
        entry = registry.units[ghost.code]
        if not entry.get("built") or not entry.get("active", True):
            continue
        twins = [u.code for u in deployment.units if u.code not in registry.units
                 and u.name.casefold() == ghost.name.casefold()]
        moved = f" (có vẻ đã đổi thành mã «{twins[0]}»)" if twins else ""
        lines.append(f"Lưu ý: mã đơn vị «{ghost.code}» («{ghost.name}») không còn trong danh "
                     f"sách đơn vị{moved}: bảng của đơn vị này chuyển sang ngừng hoạt động (chỉ "
                     "xem) và không được tính vào tổng hợp. Mã đơn vị là định danh: nếu chỉ "
                     "đổi mã, hãy giữ mã cũ và chỉ đổi tên đơn vị.")
    return lines


def form_links(deployment: Deployment, registry: Registry, unit: Unit) -> list[FormLink]:
    links = []
    for spec in deployment.forms:
        entry = registry.forms.get(spec.key, {})
        question = entry.get("questions", {}).get(UNIT_QUESTION)
        uri = entry.get("responderUri", "")
        if uri and question:
            url = prefilled_url(uri, question, unit.choice_label)
            links.append(FormLink(spec.title, spec.group.label, url))
    return links


def unit_context(deployment: Deployment, unit: Unit) -> dict[str, str]:
    settings = deployment.settings
    return {"nam": str(settings.year), "mo_hinh": settings.model, "ten_don_vi": unit.name,
            "ma_don_vi": unit.code, "so": settings.agency.display_name}


def ensure_unit(deployment: Deployment, ws: Workspace, registry: Registry, layout: UnitLayout,
                unit: Unit, extra_requests: Sequence[dict[str, Any]], dry_run: bool) -> list[str]:
    """Brings one unit's folder, Sheet and sharing to their wanted state."""
    year = deployment.settings.year
    names = load_yaml("drive.yaml")
    context = unit_context(deployment, unit)
    folder_name = names["unit_folder"].format(**context)
    sheet_name = layout.text("title").format(**context)
    entry = registry.units.setdefault(unit.code, {})
    done: list[str] = []
    if not entry.get("built"):
        if not unit.active:
            registry.units.pop(unit.code)
            return done
        done.append(f"tạo thư mục và bảng theo dõi của «{unit.name}»")
        if dry_run:
            return done
        drive_id = deployment.settings.storage.shared_drive_id or ""
        if not entry.get("folder"):  # recorded only once it exists
            entry["folder"] = create_folder(ws, registry, drive_id, folder_name,
                                            registry.folders["units"],
                                            app_properties(year, "unit-folder", unit.code))
            registry.changed()
        props = app_properties(year, "unit-sheet", unit.code)
        entry["sheet"], created = ensure_file(
            ws, deployment.settings.storage.shared_drive_id or "", props,
            lambda: ws.drive.create(sheet_name, SPREADSHEET, entry["folder"], props))
        links = form_links(deployment, registry, unit)
        if created or not is_built(ws, entry["sheet"]):
            requests = build_requests(layout, context, deployment.periods, links,
                                      ws.service_account)
            build(ws, entry["sheet"], [*requests, *extra_requests])
        entry.update(name=unit.name, built=True, links=fingerprint(links))
        registry.changed()
    else:
        done += _refresh(ws, entry, unit, deployment, registry, layout, folder_name, sheet_name,
                         dry_run)
    shared = _share(ws, entry, unit, deployment.settings.notifications.email, dry_run)
    if shared and not dry_run:
        registry.changed()  # the grants held are part of the record
    done += shared
    if entry.get("active", True) != unit.active:
        entry["active"] = unit.active
        registry.changed()
    return done


def _refresh(ws: Workspace, entry: dict[str, Any], unit: Unit, deployment: Deployment,
             registry: Registry, layout: UnitLayout, folder_name: str, sheet_name: str,
             dry_run: bool) -> list[str]:
    """A built unit whose name changed: folder, Sheet and overview line renamed. Its form links
    carry the unit's label (name and code), so they are rewritten too, in the same call."""
    links = form_links(deployment, registry, unit)
    renamed = entry.get("name") != unit.name
    relinked = entry.get("links") != fingerprint(links)
    if not renamed and not relinked:
        return []
    done = [f"đổi tên «{entry.get('name')}» thành «{unit.name}»" if renamed else
            f"cập nhật đường dẫn biểu mẫu trong bảng của «{unit.name}»"]
    if dry_run:
        return done
    requests: list[dict[str, Any]] = []
    if renamed:
        ws.drive.update(entry["folder"], name=folder_name)
        ws.drive.update(entry["sheet"], name=sheet_name)
        line = layout.text("overview", "unit_line").format(**unit_context(deployment, unit))
        requests.append(cells.update_cells(OVERVIEW_ID, 1, 0, [[line]]))
    if relinked:
        requests.append(link_rows(links))
    ws.sheets.batch_update(entry["sheet"], requests)
    entry.update(name=unit.name, links=fingerprint(links))
    registry.changed()
    return done


def is_built(ws: Workspace, sheet_id: str) -> bool:
    """Whether an adopted Sheet already got its tabs (an earlier run's build landed)."""
    metadata = ws.sheets.metadata(sheet_id, "sheets.properties.sheetId")
    return len(metadata.get("sheets", [])) > 1


def build(ws: Workspace, sheet_id: str, requests: list[dict[str, Any]]) -> None:
    """A new Sheet's one build (tabs, protections, first cells): atomic, but not repeatable (a
    second ``addSheet`` of a title is refused). After a failure that may hide a build that
    landed (a lost answer, a 5xx, a repeat refused), a Sheet that has its tabs is built."""
    try:
        ws.sheets.batch_update(sheet_id, requests)
    except GoogleApiError:
        if not is_built(ws, sheet_id):
            raise


def create_folder(ws: Workspace, registry: Registry, drive_id: str, name: str, parent: str,
                  props: dict[str, str]) -> str:
    """A folder with a pre-generated id (a spare one of the record): a repeated create answers
    409 instead of leaving a twin. A spare id leaves the record only once its folder exists: a
    run that stops while creating (and saves its record on the way out) keeps it, and the
    next run's create answers 409 and adopts. A 409 on a folder that is not this one (an id
    given out by a run that stopped before its record was saved, then given to another
    folder) takes another id rather than adopting the wrong folder. Returns the folder's id."""
    while True:
        if not registry.spare_ids:
            registry.spare_ids.extend(ws.drive.generate_ids(1))
        folder_id = registry.spare_ids[-1]
        found: str | None = folder_id
        try:
            ws.drive.create(name, FOLDER, parent, props, file_id=folder_id)
        except GoogleApiError as error:
            if error.status != 409:
                raise
            found = _adopt(ws, drive_id, folder_id, props)
        registry.spare_ids.remove(folder_id)
        registry.changed()
        if found:
            return found


def _adopt(ws: Workspace, drive_id: str, folder_id: str, props: dict[str, str]) -> str | None:
    """After a 409: the folder of ``props`` (under this id, or one made under another), if
    there is one."""
    if _carries(ws, folder_id, props):
        return folder_id  # created by an earlier, interrupted attempt
    for found in ws.drive.find(drive_id, props):  # ours, made under another id
        return str(found["id"])
    return None


def _carries(ws: Workspace, file_id: str, props: dict[str, str]) -> bool:
    try:
        found = ws.drive.get(file_id, fields="id,appProperties")
    except GoogleApiError as error:
        if error.status in (403, 404):
            return False  # the id is someone else's file
        raise
    return bool(found.get("appProperties", {}) == props)


def _share(ws: Workspace, entry: dict[str, Any], unit: Unit, notify: bool,
           dry_run: bool) -> list[str]:
    """Grants to the wanted people, in place: new ones added, changed roles updated (a retired
    unit's heads become readers), people no longer listed removed."""
    held: dict[str, dict[str, str]] = entry.setdefault("grants", {})  # email → {role, id}
    wanted = wanted_grants(unit)
    add = [Grant("user", role, email=email) for email, role in sorted(wanted.items())
           if email not in held]
    change = {email: role for email, role in sorted(wanted.items())
              if email in held and held[email].get("role") != role}
    remove = sorted(email for email in held if email not in wanted)
    if not add and not change and not remove:
        return []
    done = [f"chia sẻ bảng của «{unit.name}»: +{len(add)} / đổi quyền {len(change)} / "
            f"−{len(remove)} người"]
    if dry_run:
        return done
    ids = [held[email]["id"] for email in remove if held[email].get("id")]
    if ids:
        ws.drive.revoke(entry["sheet"], ids)
    for email in remove:
        held.pop(email)
    if change:
        ws.drive.update_permissions(entry["sheet"], {held[email]["id"]: role
                                                     for email, role in change.items()})
        for email, role in change.items():
            held[email]["role"] = role
    if add:
        created = ws.drive.grant(entry["sheet"], add, notify=notify)
        for grant, permission_id in zip(add, created, strict=True):
            held[grant.email] = {"role": grant.role, "id": permission_id}
    return done
