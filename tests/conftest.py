"""Shared fixtures: a real emulator over HTTP, and clients built by the service's own factory."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import requests

from emulator.core import Config
from emulator.server import RunningEmulator, start
from functions.adapters.clients import Clients, Target

SHARED = Path(__file__).resolve().parents[1].parent / "shared"


class Control:
    """The emulator's control endpoints (/_emulator/...), for tests."""

    def __init__(self, url: str) -> None:
        self.url = url

    def get(self, path: str) -> Any:
        answer = requests.get(f"{self.url}/_emulator/{path}", timeout=30)
        answer.raise_for_status()
        return answer.json()

    def post(self, path: str, body: Any = None) -> Any:
        answer = requests.post(f"{self.url}/_emulator/{path}", json=body, timeout=30)
        answer.raise_for_status()
        return answer.json()

    def delete(self, path: str, body: Any = None) -> Any:
        answer = requests.delete(f"{self.url}/_emulator/{path}", json=body, timeout=30)
        answer.raise_for_status()
        return answer.json()

    def calls(self) -> dict[str, Any]:
        return self.get("calls")  # type: ignore[no-any-return]

    def reset_calls(self) -> None:
        self.delete("calls")


@pytest.fixture
def emulator_config() -> Config:
    """Quotas off by default so tests run at full speed; quota tests turn them on."""
    return Config(quotas_enabled=False)


@pytest.fixture
def emulator(emulator_config: Config, tmp_path: Path) -> Iterator[RunningEmulator]:
    running = start(tmp_path / "emulator-data", config=emulator_config)
    try:
        yield running
    finally:
        running.stop()


@pytest.fixture
def control(emulator: RunningEmulator) -> Control:
    return Control(emulator.url)


@pytest.fixture
def clients(emulator: RunningEmulator) -> Clients:
    """Clients acting as the service identity (the emulator's service account)."""
    return Clients(Target(emulator_url=emulator.url))


@pytest.fixture
def as_user(emulator: RunningEmulator) -> Callable[[str], Clients]:
    """Clients acting as a person, e.g. ``as_user("ht.a@sgddt-demo.edu.vn")``."""
    return lambda email: Clients(Target(emulator_url=emulator.url, user=email))


@pytest.fixture
def shared_dir() -> Path:
    if not SHARED.is_dir():
        pytest.skip(f"{SHARED} is absent: it sits beside the project on the developers' machines")
    return SHARED
