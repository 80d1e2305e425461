"""The source `guongmau deploy` uploads, served as Cloud Run serves it: functions-framework
started in the bundle's directory with the deployed environment (its settings under config/,
the root main.py) receives the emulator's Eventarc push, and the response appears in its unit
Sheet. The bundle carries the data directories, the settings and a pinned requirements.txt."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from importlib import metadata
from pathlib import Path

import pytest
from packaging.requirements import Requirement

from functions.config import load
from functions.deploy import source
from functions.deploy.plan import CONFIG_IN_SOURCE
from tests.e2e import collect_helpers as helpers
from tests.e2e.collect_helpers import Province
from tests.e2e.entry_helpers import SCHEDULER
from tests.e2e.test_collect_live import wait_for

collect_snapshot = helpers.collect_snapshot  # fixture
province = helpers.province  # fixture


@pytest.fixture
def bundle(province: Province, tmp_path: Path) -> Path:
    settings = load(province.config_dir / "guongmau.yaml").settings
    source.build(settings, tmp_path / "bundle")
    return tmp_path / "bundle"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def served_collect(bundle: Path, province: Province) -> Iterator[str]:
    """``collect`` from the bundle, in a process of its own, as the deployed function runs."""
    port = free_port()
    env = {**os.environ, "GUONGMAU_CONFIG": CONFIG_IN_SOURCE, "GUONGMAU_EMULATOR": province.url,
           "GUONGMAU_ALLOWED_INVOKERS": SCHEDULER, "PYTHONPATH": str(bundle)}
    env.pop("GUONGMAU_ALLOW_ANY_INVOKER", None)
    server = subprocess.Popen(
        [sys.executable, "-m", "functions_framework", "--target", "collect",
         "--signature-type", "cloudevent", "--source", "main.py", "--host", "127.0.0.1",
         "--port", str(port)], cwd=bundle, env=env, stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT, text=True)
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
                break
            except OSError as refused:
                if server.poll() is not None or time.monotonic() > deadline:
                    output = server.stdout.read() if server.stdout else ""
                    raise AssertionError(f"the bundle did not serve: {output}") from refused
                time.sleep(0.2)
        url = f"http://127.0.0.1:{port}/"
        province.control.post("pubsub/subscriptions", {
            "topic": province.deployment.settings.pubsub_topic, "pushEndpoint": url})
        yield url
    finally:
        server.terminate()
        server.wait(10)


def test_the_deployed_collect_receives_the_push_and_the_row_appears_in_the_unit_sheet(
        province: Province, served_collect: str) -> None:
    binh = province.submit_as("ke-hoach-nhom-2", "binhnd@sgddt-demo.edu.vn", "d1")
    wait_for(province, "SO-VP", {binh.response_id}, 30.0)


def test_the_bundle_imports_its_own_copy_of_the_package(bundle: Path) -> None:
    found = subprocess.run(
        [sys.executable, "-c", "import main, functions; print(functions.__file__)"],
        cwd=bundle, env={**os.environ, "PYTHONPATH": str(bundle)}, capture_output=True,
        text=True, check=True)
    assert Path(found.stdout.strip()).parent == bundle / "functions"


def test_the_bundle_carries_data_settings_and_pinned_requirements(
        bundle: Path, province: Province) -> None:
    for name in ("forms", "sheets_templates"):
        assert any((bundle / name).iterdir()), f"{name}/ is empty in the bundle"
    if (Path(__file__).resolve().parents[2] / "docs_templates").is_dir():
        assert (bundle / "docs_templates").is_dir()
    config = bundle / CONFIG_IN_SOURCE
    assert config.read_bytes() == (province.config_dir / "guongmau.yaml").read_bytes()
    settings = load(config).settings  # it loads from the bundle, units and roster included
    assert settings.units_file.is_relative_to(bundle)
    assert settings.roster_file is None or settings.roster_file.is_relative_to(bundle)
    pins = dict(line.split("==") for line in
                (bundle / "requirements.txt").read_text().split())
    for line in metadata.requires("guongmau") or []:
        requirement = Requirement(line)
        if requirement.marker is None:
            assert requirement.name.lower() in pins, f"{requirement.name} not pinned"
    assert "functions-framework" in pins
    assert not list(bundle.rglob("__pycache__"))
    assert (bundle / "main.py").read_text().count("from functions.main import *") == 1
