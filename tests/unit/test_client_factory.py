"""The client factory points the real libraries at Google, or at the emulator, by setting."""

from __future__ import annotations

import json
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from functions.adapters.clients import SCOPES, Clients, Target, for_environment


def _key_file(tmp_path: Path) -> Path:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                            serialization.NoEncryption()).decode()
    path = tmp_path / "key.json"
    path.write_text(json.dumps({
        "type": "service_account", "project_id": "p", "private_key_id": "k",
        "private_key": pem, "client_email": "guongmau@p.iam.gserviceaccount.com",
        "client_id": "1", "token_uri": "https://oauth2.googleapis.com/token"}))
    return path


def test_google_clients_keep_googles_addresses_and_ask_only_the_needed_scopes(
        tmp_path: Path) -> None:
    clients = Clients(Target(key_file=str(_key_file(tmp_path)), subject="admin@x.edu.vn"))
    sheets = clients.service("sheets")
    request = sheets.spreadsheets().get(spreadsheetId="abc")
    assert request.uri.startswith("https://sheets.googleapis.com/v4/spreadsheets/abc")
    credentials = clients._credentials()
    assert tuple(credentials._scopes) == SCOPES
    assert credentials._subject == "admin@x.edu.vn"
    assert not any(scope.endswith("/auth/cloud-platform") for scope in SCOPES)


def test_the_emulator_setting_points_every_api_at_the_local_address() -> None:
    clients = for_environment({"GUONGMAU_EMULATOR": "http://127.0.0.1:9"})
    for api, method in (("drive", "files"), ("forms", "forms"), ("docs", "documents")):
        request = getattr(clients.service(api), method)().get(
            **{"drive": {"fileId": "f"}, "forms": {"formId": "f"},
               "docs": {"documentId": "f"}}[api])
        assert request.uri.startswith("http://127.0.0.1:9/"), request.uri
    session = clients.gspread.http_client.session
    assert session.base_url == "http://127.0.0.1:9"  # type: ignore[attr-defined]


def test_without_the_emulator_setting_the_clients_target_google() -> None:
    assert for_environment({}).target.emulator_url is None
