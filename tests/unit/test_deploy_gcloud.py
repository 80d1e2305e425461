"""The gcloud port: a missing or logged-out gcloud is one Vietnamese line and exit 3; what a
deployed function and job look like in gcloud's JSON reads back as the plan's own config, so a
deployed project plans no change."""

from __future__ import annotations

import subprocess
from collections.abc import Sequence
from pathlib import Path

import pytest
from click.testing import CliRunner

from functions.cli import main
from functions.config.sample import write_sample
from functions.deploy import gcloud
from functions.deploy.gcloud import DeployBlocked, Gcloud, GcloudFailed
from functions.deploy.plan import MANAGED_ENV, Wanted, function_config, job_config
from functions.deploy.table import FUNCTIONS

WANTED = Wanted(project="p1", region="asia-southeast1", runtime="python311",
                topic="projects/p1/topics/forms", bucket="b1", time_zone="Asia/Ho_Chi_Minh",
                schedules={"reconcile": "*/15 * * * *", "renew_watches": "0 2 * * *",
                           "provision": "0 1 * * *"}, source_dir="/src", source_hash="abc")


def answering(code: int, out: str = "", err: str = "") -> gcloud.Runner:
    def run(argv: Sequence[str]) -> subprocess.CompletedProcess[str]:
        return subprocess.CompletedProcess(list(argv), code, out, err)
    return run


def test_missing_gcloud_says_how_to_install_it() -> None:
    with pytest.raises(DeployBlocked, match="Chưa cài gcloud"):
        Gcloud(which=lambda name: None).check()


def test_gcloud_without_an_active_account_says_to_log_in() -> None:
    with pytest.raises(DeployBlocked, match="gcloud auth login"):
        Gcloud(run=answering(0, ""), which=lambda name: "/usr/bin/gcloud").check()
    Gcloud(run=answering(0, "admin@sgddt.edu.vn\n"), which=lambda n: "/usr/bin/gcloud").check()


def test_a_failed_command_names_the_step_and_gclouds_last_line() -> None:
    port = Gcloud(run=answering(1, err="WARNING: x\nERROR: (gcloud) PERMISSION_DENIED: no"))
    with pytest.raises(GcloudFailed) as failed:
        port._json("functions", "describe", "f")
    assert failed.value.detail == "ERROR: (gcloud) PERMISSION_DENIED: no"
    assert Gcloud(run=answering(1, err="ERROR: NOT_FOUND: f")).\
        _json("functions", "describe", "f") is None


def test_a_deployed_function_reads_back_as_its_planned_config() -> None:
    collect = next(f for f in FUNCTIONS if f.entry_point == "collect")
    described = {
        "buildConfig": {"entryPoint": "collect", "runtime": "python311"},
        "serviceConfig": {"timeoutSeconds": 540, "availableMemory": "512Mi",
                          "serviceAccountEmail": WANTED.runtime_account,
                          "environmentVariables": {**WANTED.environment(),
                                                   "LOG_EXECUTION_ID": "true",
                                                   "GUONGMAU_DELEGATED_SUBJECT": "a@b.vn"}},
        "eventTrigger": {"pubsubTopic": WANTED.topic, "retryPolicy": "RETRY_POLICY_RETRY",
                         "serviceAccountEmail": WANTED.runtime_account},
        "labels": {"guongmau-source": "abc"}}
    assert gcloud.read_function(described) == function_config(WANTED, collect), \
        "variables the deploy does not own are not compared (nor overwritten)"
    assert set(WANTED.environment()) == MANAGED_ENV
    reconcile = next(f for f in FUNCTIONS if f.entry_point == "reconcile")
    job = {"schedule": "*/15 * * * *", "timeZone": "Asia/Ho_Chi_Minh", "attemptDeadline":
           "1800s", "httpTarget": {"uri": WANTED.url(reconcile), "httpMethod": "POST",
                                   "oidcToken": {"serviceAccountEmail": WANTED.invoker_account,
                                                 "audience": WANTED.url(reconcile)}}}
    assert gcloud.read_job(job) == job_config(WANTED, reconcile)


def test_deploy_without_gcloud_exits_3_with_one_line(tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    write_sample(tmp_path)
    monkeypatch.setenv("PATH", str(tmp_path / "no-tools"))  # no gcloud on the PATH
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["deploy", "--project", "guongmau-demo", "--region",
                                       "asia-southeast1"])
    assert result.exit_code == 3, result.output
    assert result.output.strip().splitlines() == [
        "Chưa cài gcloud (Google Cloud CLI): cài theo https://cloud.google.com/sdk/docs/install "
        "rồi chạy «gcloud auth login»."]
    dry = CliRunner().invoke(main, ["deploy", "--project", "guongmau-demo", "--region",
                                    "asia-southeast1", "--dry-run"])
    assert dry.exit_code == 0, dry.output
    assert "gcloud functions deploy guongmau-collect" in dry.output
