"""What `guongmau deploy` must change: a pure function of the wanted setup and what exists.

The wanted setup (``Wanted``) comes from the settings and the function table; what exists
(``Cloud``) is read through a port (gcloud's describe/list JSON in production, a fake in
tests). ``plan`` compares them resource by resource and returns the gcloud commands that make
them equal, in an order where each command finds what it needs; an empty plan means nothing
to do, so a second run changes nothing.

Least privilege: the runtime identity gets object access to the state bucket only (its Drive,
Forms and Sheets rights come from the shared drive membership, not from IAM); the invoker
identity gets the Cloud Run Invoker role on the HTTP functions and nothing else. No command
makes a key: both identities are used keyless.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from functions.deploy.table import FUNCTIONS, CloudFunction, Trigger

RUNTIME_ID = "guongmau-runtime"
INVOKER_ID = "guongmau-scheduler"
FORMS_PUBLISHER = "serviceAccount:forms-notifications@system.gserviceaccount.com"
# developers.google.com/workspace/forms/api/guides/push-notifications (read 2026-12-01)
PUBLISHER = "roles/pubsub.publisher"
OBJECT_USER = "roles/storage.objectUser"
INVOKER = "roles/run.invoker"
PUBLIC = frozenset({"allUsers", "allAuthenticatedUsers"})
ATTEMPT_DEADLINE = "1800s"  # Scheduler's maximum for HTTP targets; the run itself goes on
APIS = ("cloudfunctions.googleapis.com", "run.googleapis.com", "cloudbuild.googleapis.com",
        "artifactregistry.googleapis.com", "eventarc.googleapis.com", "pubsub.googleapis.com",
        "cloudscheduler.googleapis.com", "storage.googleapis.com", "iamcredentials.googleapis.com",
        "forms.googleapis.com", "sheets.googleapis.com", "drive.googleapis.com",
        "docs.googleapis.com")
CONFIG_IN_SOURCE = "config/guongmau.yaml"  # where the bundle puts the settings
MANAGED_ENV = frozenset({"GUONGMAU_CONFIG", "GUONGMAU_ALLOWED_INVOKERS"})


@dataclass(frozen=True)
class Wanted:
    project: str
    region: str
    runtime: str  # "python311": the interpreter the lock file was resolved with
    topic: str  # projects/<p>/topics/<t>
    bucket: str
    time_zone: str
    schedules: dict[str, str]  # entry point -> cron line
    source_dir: str
    source_hash: str  # fingerprint of the bundle: a label on each function

    def account(self, account_id: str) -> str:
        return f"{account_id}@{self.project}.iam.gserviceaccount.com"

    @property
    def runtime_account(self) -> str:
        return self.account(RUNTIME_ID)

    @property
    def invoker_account(self) -> str:
        return self.account(INVOKER_ID)

    def url(self, function: CloudFunction) -> str:
        """The function's URL, also the audience of the Scheduler's OIDC tokens."""
        return f"https://{self.region}-{self.project}.cloudfunctions.net/{function.name}"

    def environment(self) -> dict[str, str]:
        """The variables the deploy owns; others (GUONGMAU_DELEGATED_SUBJECT set by hand, the
        platform's own LOG_EXECUTION_ID) are left as they are and not compared."""
        return {"GUONGMAU_CONFIG": CONFIG_IN_SOURCE,
                "GUONGMAU_ALLOWED_INVOKERS": self.invoker_account}


@dataclass
class Cloud:
    """What exists, as far as the plan cares (production: parsed from gcloud's JSON)."""

    services: set[str] = field(default_factory=set)
    accounts: set[str] = field(default_factory=set)
    topics: set[str] = field(default_factory=set)
    buckets: dict[str, dict[str, bool]] = field(default_factory=dict)  # uniform, no_public
    bindings: dict[str, set[tuple[str, str]]] = field(default_factory=dict)  # (member, role)
    functions: dict[str, dict[str, str]] = field(default_factory=dict)
    jobs: dict[str, dict[str, str]] = field(default_factory=dict)


@dataclass(frozen=True)
class Step:
    """One gcloud command; ``kind``/``name``/``value`` say what it leaves behind."""

    kind: str
    name: str
    what: str  # a Vietnamese line for the user
    argv: tuple[str, ...]
    value: Any = None


def function_config(wanted: Wanted, function: CloudFunction) -> dict[str, str]:
    """The function's settings as compared with a deployed one (see gcloud_port.read_function)."""
    env = ",".join(f"{key}={value}" for key, value in sorted(wanted.environment().items()))
    pubsub = function.trigger is Trigger.PUBSUB
    return {"entry_point": function.entry_point, "runtime": wanted.runtime,
            "trigger": f"topic:{wanted.topic}" if pubsub else "http",
            "retry": "true" if pubsub else "false",
            "timeout": f"{function.timeout_seconds}s", "memory": function.memory,
            "service_account": wanted.runtime_account,
            "trigger_account": wanted.runtime_account if pubsub else "",
            "env": env, "source": wanted.source_hash}


def job_config(wanted: Wanted, function: CloudFunction) -> dict[str, str]:
    return {"schedule": wanted.schedules[function.entry_point], "time_zone": wanted.time_zone,
            "uri": wanted.url(function), "http_method": "POST",
            "oidc_account": wanted.invoker_account, "audience": wanted.url(function),
            "attempt_deadline": ATTEMPT_DEADLINE}


def plan(wanted: Wanted, cloud: Cloud) -> list[Step]:
    steps = _foundations(wanted, cloud)
    for function in FUNCTIONS:
        steps += _function(wanted, cloud, function)
    for function in FUNCTIONS:
        if function.schedule is not None:
            steps += _job(wanted, cloud, function)
    return steps


def _foundations(wanted: Wanted, cloud: Cloud) -> list[Step]:
    p = ("--project", wanted.project)
    steps: list[Step] = []
    missing = tuple(api for api in APIS if api not in cloud.services)
    if missing:
        steps.append(Step("services", "", f"bật các API: {', '.join(missing)}",
                          ("gcloud", "services", "enable", *missing, *p), set(missing)))
    for account_id, role in ((RUNTIME_ID, "chạy các chức năng"),
                             (INVOKER_ID, "Cloud Scheduler gọi các chức năng")):
        email = wanted.account(account_id)
        if email not in cloud.accounts:
            steps.append(Step("account", email, f"tạo tài khoản dịch vụ {email} ({role})",
                              ("gcloud", "iam", "service-accounts", "create", account_id,
                               f"--display-name=guongmau: {role}", *p), email))
    if wanted.topic not in cloud.topics:
        steps.append(Step("topic", wanted.topic, f"tạo chủ đề Pub/Sub {wanted.topic}",
                          ("gcloud", "pubsub", "topics", "create", wanted.topic), wanted.topic))
    steps += _grant(cloud, f"topic:{wanted.topic}", FORMS_PUBLISHER, PUBLISHER,
                    "cho tài khoản thông báo của Google Forms gửi vào chủ đề",
                    ("gcloud", "pubsub", "topics", "add-iam-policy-binding", wanted.topic))
    steps += _bucket(wanted, cloud)
    return steps


def _bucket(wanted: Wanted, cloud: Cloud) -> list[Step]:
    url = f"gs://{wanted.bucket}"
    safe = {"uniform": True, "no_public": True}
    flags = ("--uniform-bucket-level-access", "--public-access-prevention")
    found = cloud.buckets.get(wanted.bucket)
    steps: list[Step] = []
    if found is None:
        steps.append(Step("bucket", wanted.bucket,
                          f"tạo bucket {url} (quyền truy cập đồng nhất, chặn truy cập công khai)",
                          ("gcloud", "storage", "buckets", "create", url, "--project",
                           wanted.project, "--location", wanted.region, *flags), safe))
    elif found != safe:
        steps.append(Step("bucket", wanted.bucket,
                          f"bật quyền truy cập đồng nhất và chặn truy cập công khai cho {url}",
                          ("gcloud", "storage", "buckets", "update", url, *flags), safe))
    return steps + _grant(cloud, f"bucket:{wanted.bucket}",
                          f"serviceAccount:{wanted.runtime_account}", OBJECT_USER,
                          "cho tài khoản chạy đọc, ghi trạng thái trong bucket",
                          ("gcloud", "storage", "buckets", "add-iam-policy-binding", url))


def _function(wanted: Wanted, cloud: Cloud, function: CloudFunction) -> list[Step]:
    config = function_config(wanted, function)
    found = cloud.functions.get(function.name)
    steps: list[Step] = []
    if found != config:
        changed = sorted(key for key in config if (found or {}).get(key) != config[key])
        what = (f"triển khai chức năng {function.name}" if found is None
                else f"cập nhật chức năng {function.name} (thay đổi: {', '.join(changed)})")
        steps.append(Step("function", function.name, what, _deploy_argv(wanted, function),
                          config))
    where = ("--region", wanted.region, "--project", wanted.project)
    resource = f"function:{function.name}"
    for member, role in sorted(cloud.bindings.get(resource, set())):
        if member in PUBLIC:
            steps.append(Step("revoke", resource, f"bỏ quyền gọi không cần xác thực ({member}) "
                              f"của {function.name}",
                              ("gcloud", "functions", "remove-invoker-policy-binding",
                               function.name, *where, f"--member={member}"), (member, role)))
    caller = wanted.runtime_account if function.trigger is Trigger.PUBSUB \
        else wanted.invoker_account
    return steps + _grant(cloud, resource, f"serviceAccount:{caller}", INVOKER,
                          f"cho {caller} quyền gọi {function.name} (Cloud Run Invoker)",
                          ("gcloud", "functions", "add-invoker-policy-binding", function.name,
                           *where), role_flag=False)


def _deploy_argv(wanted: Wanted, function: CloudFunction) -> tuple[str, ...]:
    config = function_config(wanted, function)
    trigger: tuple[str, ...] = ("--trigger-http",)
    if function.trigger is Trigger.PUBSUB:
        trigger = ("--trigger-topic", wanted.topic, "--retry",
                   "--trigger-service-account", wanted.runtime_account)
    return ("gcloud", "functions", "deploy", function.name, "--gen2",
            "--project", wanted.project, "--region", wanted.region,
            "--runtime", wanted.runtime, "--source", wanted.source_dir,
            "--entry-point", function.entry_point, *trigger, "--no-allow-unauthenticated",
            "--service-account", wanted.runtime_account,
            "--timeout", config["timeout"], "--memory", function.memory,
            "--update-env-vars", config["env"],
            "--update-labels", f"guongmau-source={wanted.source_hash}")


def _job(wanted: Wanted, cloud: Cloud, function: CloudFunction) -> list[Step]:
    config = job_config(wanted, function)
    found = cloud.jobs.get(function.name)
    if found == config:
        return []
    verb = "create" if found is None else "update"
    what = (f"tạo lịch {function.name} ({config['schedule']}, {config['time_zone']})"
            if found is None else f"cập nhật lịch {function.name} ({config['schedule']}, "
                                  f"{config['time_zone']})")
    argv = ("gcloud", "scheduler", "jobs", verb, "http", function.name,
            "--project", wanted.project, "--location", wanted.region,
            f"--schedule={config['schedule']}", f"--time-zone={config['time_zone']}",
            f"--uri={config['uri']}", "--http-method=POST",
            f"--oidc-service-account-email={config['oidc_account']}",
            f"--oidc-token-audience={config['audience']}",
            f"--attempt-deadline={config['attempt_deadline']}")
    return [Step("job", function.name, what, argv, config)]


def _grant(cloud: Cloud, resource: str, member: str, role: str, what: str,
           command: tuple[str, ...], role_flag: bool = True) -> list[Step]:
    if (member, role) in cloud.bindings.get(resource, set()):
        return []
    flags = (f"--member={member}",) + ((f"--role={role}",) if role_flag else ())
    return [Step("binding", resource, what, command + flags, (member, role))]
