"""Shared pieces of the tests of the cloud entry points (no tests here): the functions served
by functions-framework from ``functions/main.py``, pointed at a province on the emulator, and
the OIDC tokens Cloud Run hands them."""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import functions_framework
import pytest

from functions import bootstrap
from tests.e2e.collect_helpers import Province

MAIN = Path(__file__).resolve().parents[2] / "functions" / "main.py"
SCHEDULER = "scheduler@guongmau-demo.iam.gserviceaccount.com"


def point_functions_at(monkeypatch: pytest.MonkeyPatch, config: Path, emulator_url: str) -> None:
    """The functions' environment as deployed: this configuration, this emulator, and only
    the Scheduler's account trusted to call the HTTP functions."""
    monkeypatch.setenv("GUONGMAU_CONFIG", str(config))
    monkeypatch.setenv("GUONGMAU_EMULATOR", emulator_url)
    monkeypatch.setenv("GUONGMAU_ALLOWED_INVOKERS", SCHEDULER)
    monkeypatch.delenv("GUONGMAU_ALLOW_ANY_INVOKER", raising=False)
    bootstrap.context.cache_clear()


@pytest.fixture
def entry_points(province: Province, monkeypatch: pytest.MonkeyPatch) -> Iterator[Province]:
    """The functions' environment pointing at this province; their cached context cleared."""
    point_functions_at(monkeypatch, province.config_dir / "guongmau.yaml", province.url)
    yield province
    bootstrap.context.cache_clear()


def http_client(target: str) -> Any:
    """An HTTP function (``reconcile``, ``renew_watches``, ``provision``) as a test client."""
    return functions_framework.create_app(target=target, source=str(MAIN)).test_client()


def token(claims: Any) -> str:
    """An OIDC token as Cloud Run hands it on: verified, its signature replaced."""
    def part(data: Any) -> str:
        return base64.urlsafe_b64encode(json.dumps(data).encode()).decode().rstrip("=")
    return f"{part({'alg': 'RS256', 'typ': 'JWT'})}.{part(claims)}.SIGNATURE_REMOVED_BY_GOOGLE"


def as_scheduler() -> dict[str, str]:
    return {"Authorization": "Bearer " + token({"email": SCHEDULER, "aud": "https://f"})}
