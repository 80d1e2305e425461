"""On the emulator, the Workspace admin's one-time steps, done automatically.

On Google these are done by hand once (README: «Chuẩn bị một lần»): a shared drive with the
service account as content manager, the Sở readers' group, and a template form carrying the
two settings the API cannot set (one response per person; respondents may edit).
"""

from __future__ import annotations

import dataclasses

import requests

from functions.adapters.clients import Clients, Target, check_emulator_url
from functions.adapters.drive import FORM, Drive
from functions.adapters.errors import NotConnected
from functions.blueprints.layout import load_yaml
from functions.config.deployment import Deployment
from functions.config.settings import Pacing
from functions.services.registry import app_properties


def admin_of(deployment: Deployment) -> str:
    domain = deployment.settings.storage.responders.domain or "sgddt-demo.edu.vn"
    return f"quantri@{domain}"


def _control(url: str, path: str, body: object) -> dict[str, object]:
    answer = requests.post(f"{url.rstrip('/')}/_emulator/{path}", json=body, timeout=30)
    answer.raise_for_status()
    return answer.json()


def _service_account(emulator_url: str) -> str:
    """The emulator's service identity, from its health page: the first contact, so a wrong
    or dead address is reported here as NotConnected."""
    try:
        health = requests.get(f"{emulator_url.rstrip('/')}/_emulator/health", timeout=30)
        health.raise_for_status()
        return str(health.json()["serviceAccount"])
    except (requests.RequestException, KeyError, TypeError) as error:
        raise NotConnected("unreachable", emulator_url, str(error)[:300]) from error


def prepare(emulator_url: str, deployment: Deployment) -> Deployment:
    """The deployment, with the template form's id filled in when the settings leave it empty
    and the pacing of the emulator's quotas."""
    check_emulator_url(emulator_url)
    storage = deployment.settings.storage
    drive_id = storage.shared_drive_id or "0AGuongmauDemoDrive"
    admin = admin_of(deployment)
    service_account = _service_account(emulator_url)
    _control(emulator_url, "drives", {
        "id": drive_id, "name": f"Mô hình gương mẫu – {deployment.settings.agency.display_name}",
        "members": [{"email": admin, "role": "organizer"},
                    {"email": service_account, "role": "fileOrganizer"}]})
    if storage.so_readers:
        _control(emulator_url, "groups", {"email": storage.so_readers, "members": [admin]})
        _control(emulator_url, "drives", {"id": drive_id, "members": [
            {"email": storage.so_readers, "role": "reader", "type": "group"}]})
    template = storage.form_template_id or _template(emulator_url, drive_id, admin, deployment)
    new_storage = dataclasses.replace(storage, shared_drive_id=drive_id,
                                      form_template_id=template)
    settings = dataclasses.replace(deployment.settings, storage=new_storage,
                                   pacing=_emulator_pacing(emulator_url))
    return dataclasses.replace(deployment, settings=settings)


def _emulator_pacing(emulator_url: str) -> Pacing:
    """The limiter paces to the emulator's own quotas: its window (compressed time in
    benchmarks) and limits; none when the emulator counts no quota (tests, --no-quotas)."""
    answer = requests.get(f"{emulator_url.rstrip('/')}/_emulator/quotas", timeout=30)
    answer.raise_for_status()
    quotas = answer.json()
    limits = tuple((*str(key).split(".", 1), int(project), int(user))
                   for key, (project, user) in quotas["limits"].items())
    return Pacing(float(quotas["windowSeconds"]), limits,  # type: ignore[arg-type]
                  enabled=bool(quotas["enabled"]))


def _template(emulator_url: str, drive_id: str, admin: str, deployment: Deployment) -> str:
    drive = Drive(Clients(Target(emulator_url=emulator_url, user=admin)).service("drive"))
    properties = app_properties(0, "template")
    for found in drive.find(drive_id, properties):
        return str(found["id"])
    names = load_yaml("drive.yaml")
    folder = drive.create(names["template_folder"], "application/vnd.google-apps.folder",
                          drive_id, app_properties(0, "template-folder"))
    form = drive.create(names["template_name"], FORM, folder["id"], properties)
    _control(emulator_url, f"forms/{form['id']}/settings",
             {"limitOneResponsePerUser": True, "allowResponseEdits": True})
    return str(form["id"])
