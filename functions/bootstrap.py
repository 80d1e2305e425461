"""Wiring for the cloud entry points: configuration and ports, built once per instance.

Read lazily on the first call (never at import): ``GUONGMAU_CONFIG`` names the settings file
deployed with the source (default ``guongmau.yaml``); ``GUONGMAU_EMULATOR`` points the
clients at the local emulator instead of Google.
"""

from __future__ import annotations

import base64
import functools
import json
import os
from collections.abc import Mapping
from pathlib import Path

from functions.adapters import clients as client_factory
from functions.config import load
from functions.config.deployment import Deployment
from functions.services import emulator_setup
from functions.services.workspace import Workspace, connect


@functools.cache
def context() -> tuple[Deployment, Workspace]:
    environ = os.environ
    deployment = load(Path(environ.get("GUONGMAU_CONFIG", "guongmau.yaml")))
    emulator_url = environ.get("GUONGMAU_EMULATOR")
    if emulator_url:
        deployment = emulator_setup.prepare(emulator_url, deployment)
    clients = client_factory.for_environment(environ)
    return deployment, connect(clients, deployment.settings)


def invoker_allowed(headers: Mapping[str, str], allowed: str | None) -> bool:
    """Whether the caller may run an HTTP function.

    Cloud Run has already verified the OIDC token (deploy without unauthenticated access) and
    replaced its signature, so only the claims are read here, never re-verified. With
    ``allowed`` (comma-separated emails) set, the token's ``email`` claim must be one of them.
    """
    if not allowed:
        return True
    token = headers.get("Authorization", "").removeprefix("Bearer ").strip()
    parts = token.split(".")
    if len(parts) != 3:
        return False
    try:
        padded = parts[1] + "=" * (-len(parts[1]) % 4)
        claims = json.loads(base64.urlsafe_b64decode(padded))
    except ValueError:
        return False
    return str(claims.get("email", "")).lower() in {
        email.strip().lower() for email in allowed.split(",") if email.strip()}
