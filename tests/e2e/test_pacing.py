"""Runs paced by the quota limiter against the emulator's quotas, in compressed time (windows
of a fraction of a second stand for Google's minutes): never refused, never quicker than the
counts allow; and a run whose next call must wait past its budget stops cleanly."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest

from benchmarks.quota_time import bucket_counts
from emulator.server import RunningEmulator
from functions import bootstrap
from functions.adapters.pacing import minimum_seconds
from functions.config.sample import write_sample
from functions.services.runner import MARGIN
from functions.services.workspace import Workspace
from tests.conftest import Control
from tests.e2e import collect_helpers
from tests.e2e import test_provision_helpers as helpers
from tests.e2e.collect_helpers import assert_projection
from tests.e2e.test_collect_faults import submit_spread
from tests.e2e.test_provision_helpers import Province, state_of

province = helpers.province  # fixtures
provisioned_snapshot = helpers.provisioned_snapshot
empty_province = helpers.empty_province
collect_snapshot = collect_helpers.collect_snapshot
collected = collect_helpers.province

WINDOW = 0.25  # seconds standing for a minute
TIGHT = {"sheets.read": [300, 2], "sheets.write": [300, 2], "forms.read": [975, 3],
         "forms.write": [375, 3], "drive.read": [12000, 8], "drive.write": [12000, 8]}


def test_provisioning_paced_to_compressed_quotas_is_never_refused_and_takes_what_counts_say(
    empty_province: Province, province: Province
) -> None:
    paced = empty_province
    paced.control.post("quotas", {"enabled": True, "windowSeconds": WINDOW, "limits": TIGHT})
    paced.reload()  # the service reads the emulator's quotas: it paces to the same window
    started = time.monotonic()
    paced.provision()
    elapsed = time.monotonic() - started

    assert paced.control.get("quotas")["refused"] == 0
    limits = {tuple(key.split(".")): tuple(figures) for key, figures in TIGHT.items()}
    least = minimum_seconds(bucket_counts(paced.methods()), limits,  # type: ignore[arg-type]
                            window_seconds=WINDOW)
    assert least >= 2 * WINDOW, "the quotas were too loose to make the run wait"
    assert elapsed >= least
    paced.control.post("quotas", {"enabled": False})
    assert state_of(paced) == state_of(province)


def test_a_collect_that_would_wait_past_its_budget_stops_cleanly_and_says_when_to_resume(
    collected: collect_helpers.Province,
) -> None:
    submit_spread(collected, "a")  # responses in six units: six unit Sheets to read
    collected.control.post("quotas", {"enabled": True, "windowSeconds": 60,
                                      "limits": {"sheets.read": [300, 1]}})
    collected.reload()
    started = time.monotonic()
    outcome = collected.collect(budget=MARGIN + 8)  # 8 s of work; the next read is 60 s away
    assert time.monotonic() - started < 30, "it waited for the quota instead of stopping"
    assert not outcome.complete
    assert any("lần chạy sau (từ" in note for note in outcome.notes), outcome.notes
    assert collected.control.get("quotas")["refused"] == 0

    collected.control.post("quotas", {"enabled": False})
    collected.reload()
    assert collected.collect().complete
    assert_projection(collected)


def test_an_instances_threads_share_one_quota_limiter_but_keep_their_own_ports_and_deadlines(
    emulator: RunningEmulator, control: Control, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    write_sample(tmp_path / "config")
    control.post("quotas", {"enabled": True, "windowSeconds": 60})
    monkeypatch.setenv("GUONGMAU_CONFIG", str(tmp_path / "config" / "guongmau.yaml"))
    monkeypatch.setenv("GUONGMAU_EMULATOR", emulator.url)
    bootstrap.context.cache_clear()
    try:
        found: dict[str, Workspace] = {}
        threads = [threading.Thread(target=lambda n=n: found.__setitem__(n, bootstrap.context()[1]))
                   for n in ("a", "b")]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        first, second = found["a"], found["b"]
        assert first is not second and first.gate is not second.gate
        assert first.gate.pacer is not None
        assert first.gate.pacer is second.gate.pacer  # one identity, one quota
        first.gate.stop_by(1.0)
        assert second.gate.deadline is None  # one run's deadline is not another's
    finally:
        bootstrap.context.cache_clear()

