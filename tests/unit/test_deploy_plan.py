"""`guongmau deploy`'s plan, read without gcloud: every function deployed without
unauthenticated access, with its trigger, identity, time limit and environment; Scheduler jobs
matching the settings; the invoker identity holding nothing but the invoker role; a second run
after a successful one plans nothing."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from functions.config import load
from functions.config.sample import write_sample
from functions.deploy import plan as deploy_plan
from functions.deploy.gcloud import DeployBlocked
from functions.deploy.plan import Cloud, Step, Wanted
from functions.deploy.service import deploy, wanted
from functions.deploy.table import FUNCTIONS, Trigger

PROJECT, REGION = "guongmau-demo", "asia-southeast1"


class FakeCloud:
    """A project that keeps what each applied step leaves behind, as the real one would."""

    def __init__(self, logged_in: bool = True) -> None:
        self.cloud = Cloud()
        self.logged_in = logged_in
        self.applied: list[Step] = []

    def check(self) -> None:
        if not self.logged_in:
            raise DeployBlocked("gcloud chưa đăng nhập")

    def read(self, wanted: Wanted) -> Cloud:
        return dataclasses.replace(self.cloud, bindings={k: set(v) for k, v in
                                                         self.cloud.bindings.items()})

    def apply(self, step: Step) -> None:
        self.applied.append(step)
        cloud = self.cloud
        if step.kind == "services":
            cloud.services |= step.value
        elif step.kind == "account":
            cloud.accounts.add(step.value)
        elif step.kind == "topic":
            cloud.topics.add(step.value)
        elif step.kind == "bucket":
            cloud.buckets[step.name] = dict(step.value)
        elif step.kind == "binding":
            cloud.bindings.setdefault(step.name, set()).add(step.value)
        elif step.kind == "revoke":
            cloud.bindings[step.name].discard(step.value)
        elif step.kind == "function":
            cloud.functions[step.name] = dict(step.value)
        elif step.kind == "job":
            cloud.jobs[step.name] = dict(step.value)
        else:
            raise AssertionError(f"unknown step kind {step.kind}")


@pytest.fixture
def settings_path(tmp_path: Path) -> Path:
    write_sample(tmp_path / "cfg")
    return tmp_path / "cfg" / "guongmau.yaml"


def run(settings_path: Path, cloud: FakeCloud, tmp_path: Path, dry_run: bool) -> list[Step]:
    settings = load(settings_path).settings
    lines: list[str] = []
    outcome = deploy(settings, PROJECT, REGION, cloud, dry_run=dry_run,
                     source_dir=tmp_path / "src", report=lines.append)
    assert len(lines) == len(outcome.steps) + len(outcome.notes)
    return outcome.steps


def flag(argv: tuple[str, ...], name: str) -> str:
    for index, part in enumerate(argv):
        if part == name:
            return argv[index + 1]
        if part.startswith(name + "="):
            return part.split("=", 1)[1]
    raise AssertionError(f"{name} missing from {argv}")


def test_every_function_is_deployed_without_unauthenticated_access_with_its_trigger_identity_and_limits(  # noqa: E501
        settings_path: Path, tmp_path: Path) -> None:
    steps = run(settings_path, FakeCloud(), tmp_path, dry_run=True)
    deployed = {s.name: s.argv for s in steps if s.kind == "function"}
    assert set(deployed) == {f.name for f in FUNCTIONS}
    runtime = f"guongmau-runtime@{PROJECT}.iam.gserviceaccount.com"
    invoker = f"guongmau-scheduler@{PROJECT}.iam.gserviceaccount.com"
    for function in FUNCTIONS:
        argv = deployed[function.name]
        assert "--no-allow-unauthenticated" in argv and "--allow-unauthenticated" not in argv
        assert "--gen2" in argv
        assert flag(argv, "--entry-point") == function.entry_point
        assert flag(argv, "--service-account") == runtime
        assert flag(argv, "--runtime").startswith("python3")
        assert flag(argv, "--timeout") == f"{function.timeout_seconds}s"
        env = dict(pair.split("=", 1) for pair in flag(argv, "--update-env-vars").split(","))
        assert env == {"GUONGMAU_CONFIG": "config/guongmau.yaml",
                       "GUONGMAU_ALLOWED_INVOKERS": invoker}
        assert Path(flag(argv, "--source")) == tmp_path / "src"
        if function.trigger is Trigger.PUBSUB:
            assert flag(argv, "--trigger-topic") == "projects/guongmau-demo/topics/guongmau-forms"
            assert "--retry" in argv and "--trigger-http" not in argv
            assert function.timeout_seconds == 540
        else:
            assert "--trigger-http" in argv and "--retry" not in argv
            assert function.timeout_seconds == 3600


def test_table_time_limits_are_the_ones_the_entry_points_budget_for() -> None:
    from functions import main

    limits = {f.entry_point: f.timeout_seconds for f in FUNCTIONS}
    assert limits["collect"] == main.EVENT_LIMIT
    assert limits["reconcile"] == main.HTTP_LIMIT
    assert all(hasattr(main, f.entry_point) for f in FUNCTIONS), "an entry point is missing"


def test_every_entry_point_of_main_is_in_the_deploy_table() -> None:
    from functions_framework import _function_registry

    from functions import main

    entry_points = {name for name, value in vars(main).items()
                    if getattr(value, "__module__", "") == main.__name__
                    and name in _function_registry.REGISTRY_MAP}
    assert entry_points == {f.entry_point for f in FUNCTIONS}, \
        "add one line per entry point to functions/deploy/table.py FUNCTIONS"


def test_scheduler_jobs_match_the_settings_and_call_with_the_invokers_oidc_token(
        settings_path: Path, tmp_path: Path) -> None:
    settings = load(settings_path).settings
    steps = run(settings_path, FakeCloud(), tmp_path, dry_run=True)
    jobs = {s.name: s.argv for s in steps if s.kind == "job"}
    scheduled = [f for f in FUNCTIONS if f.schedule is not None]
    assert set(jobs) == {f.name for f in scheduled}
    for function in scheduled:
        argv = jobs[function.name]
        url = f"https://{REGION}-{PROJECT}.cloudfunctions.net/{function.name}"
        assert flag(argv, "--schedule") == getattr(settings.schedule, str(function.schedule))
        assert flag(argv, "--time-zone") == "Asia/Ho_Chi_Minh"
        assert flag(argv, "--uri") == url
        assert flag(argv, "--oidc-token-audience") == url
        assert flag(argv, "--oidc-service-account-email") == \
            f"guongmau-scheduler@{PROJECT}.iam.gserviceaccount.com"
        assert flag(argv, "--http-method") == "POST"


def test_invoker_identity_holds_nothing_but_the_invoker_role_on_the_http_functions(
        settings_path: Path, tmp_path: Path) -> None:
    steps = run(settings_path, FakeCloud(), tmp_path, dry_run=True)
    invoker = f"guongmau-scheduler@{PROJECT}.iam.gserviceaccount.com"
    granted = [s for s in steps if s.kind == "binding" and invoker in s.value[0]]
    http = {f"function:{f.name}" for f in FUNCTIONS if f.trigger is Trigger.HTTP}
    assert {s.name for s in granted} == http
    assert {s.value[1] for s in granted} == {"roles/run.invoker"}
    assert all(s.argv[:3] == ("gcloud", "functions", "add-invoker-policy-binding")
               for s in granted)
    assert not [s for s in steps if "projects" in s.argv[:2] or "keys" in s.argv], \
        "no project-wide role, no key file"


def test_the_state_bucket_is_created_uniform_and_closed_to_the_public(
        settings_path: Path, tmp_path: Path) -> None:
    steps = run(settings_path, FakeCloud(), tmp_path, dry_run=True)
    bucket = next(s for s in steps if s.kind == "bucket")
    assert bucket.argv[:5] == ("gcloud", "storage", "buckets", "create", "gs://guongmau-state")
    assert "--uniform-bucket-level-access" in bucket.argv
    assert "--public-access-prevention" in bucket.argv
    publisher = next(s for s in steps if s.name.startswith("topic:"))
    assert publisher.value == ("serviceAccount:forms-notifications@system.gserviceaccount.com",
                               "roles/pubsub.publisher")


def test_a_second_run_after_a_successful_deploy_plans_no_change(
        settings_path: Path, tmp_path: Path) -> None:
    cloud = FakeCloud()
    first = run(settings_path, cloud, tmp_path, dry_run=False)
    assert first and cloud.applied == first
    assert run(settings_path, cloud, tmp_path, dry_run=True) == []
    assert run(settings_path, cloud, tmp_path, dry_run=False) == []
    assert cloud.applied == first, "the second run applied nothing"


def test_a_changed_schedule_or_source_updates_only_what_changed(
        settings_path: Path, tmp_path: Path) -> None:
    cloud = FakeCloud()
    run(settings_path, cloud, tmp_path, dry_run=False)
    text = settings_path.read_text(encoding="utf-8")
    settings_path.write_text(text.replace('reconcile: "*/15 * * * *"',
                                          'reconcile: "*/30 * * * *"'), encoding="utf-8")
    steps = run(settings_path, cloud, tmp_path, dry_run=True)
    # the settings travel with the source: every function is redeployed, one job updated
    assert {s.kind for s in steps} == {"function", "job"}
    job = next(s for s in steps if s.kind == "job")
    assert job.argv[:5] == ("gcloud", "scheduler", "jobs", "update", "http")
    assert flag(job.argv, "--schedule") == "*/30 * * * *"
    assert all("source" in s.what for s in steps if s.kind == "function")


def test_a_function_left_open_to_everyone_loses_that_grant(
        settings_path: Path, tmp_path: Path) -> None:
    cloud = FakeCloud()
    run(settings_path, cloud, tmp_path, dry_run=False)
    cloud.cloud.bindings["function:guongmau-reconcile"].add(("allUsers", "roles/run.invoker"))
    steps = run(settings_path, cloud, tmp_path, dry_run=False)
    assert [(s.kind, s.argv[2]) for s in steps] == [("revoke", "remove-invoker-policy-binding")]
    assert ("allUsers", "roles/run.invoker") not in cloud.cloud.bindings[
        "function:guongmau-reconcile"]


def test_a_dry_run_without_gcloud_login_plans_everything_and_says_why(
        settings_path: Path, tmp_path: Path) -> None:
    settings = load(settings_path).settings
    lines: list[str] = []
    outcome = deploy(settings, PROJECT, REGION, FakeCloud(logged_in=False), dry_run=True,
                     source_dir=tmp_path / "src", report=lines.append)
    assert "chưa đăng nhập" in lines[0] and "dự án còn trống" in lines[0]
    assert len(outcome.steps) == len(run(settings_path, FakeCloud(), tmp_path, dry_run=True))
    with pytest.raises(DeployBlocked):
        deploy(settings, PROJECT, REGION, FakeCloud(logged_in=False), dry_run=False,
               source_dir=tmp_path / "src", report=lines.append)


def test_a_settings_file_without_a_topic_cannot_be_deployed(settings_path: Path,
                                                              tmp_path: Path) -> None:
    settings = dataclasses.replace(load(settings_path).settings, pubsub_topic=None)
    with pytest.raises(DeployBlocked, match="pubsub_topic"):
        wanted(settings, PROJECT, REGION, tmp_path, "x", "python311")


def test_deployed_names_are_valid_cloud_run_names() -> None:
    import re

    assert all(re.fullmatch(r"[a-z][a-z0-9-]{0,48}[a-z0-9]", f.name) for f in FUNCTIONS)
    assert deploy_plan.INVOKER_ID != deploy_plan.RUNTIME_ID


def test_a_topic_of_another_project_is_refused_forms_watches_need_their_own(
        settings_path: Path, tmp_path: Path) -> None:
    settings = load(settings_path).settings
    with pytest.raises(DeployBlocked, match="thuộc dự án «guongmau-demo», không phải «other»"):
        wanted(settings, "other", REGION, tmp_path, "x", "python311")


def test_a_source_dir_holding_other_files_is_never_emptied(settings_path: Path,
                                                            tmp_path: Path) -> None:
    from functions.deploy import source

    settings = load(settings_path).settings
    mine = tmp_path / "work"
    mine.mkdir()
    (mine / "notes.txt").write_text("keep me", encoding="utf-8")
    with pytest.raises(source.SourceProblem, match="không xóa"):
        source.build(settings, mine)
    assert (mine / "notes.txt").read_text(encoding="utf-8") == "keep me"
    first = source.build(settings, tmp_path / "bundle")
    assert source.build(settings, tmp_path / "bundle") == first, "rebuilt in place, same print"
