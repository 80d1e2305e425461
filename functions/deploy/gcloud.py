"""The gcloud port: what exists in the project (parsed from gcloud's JSON) and running a step.

Only this module starts gcloud. Its readers turn describe/list answers into the plan's
``Cloud``; a resource gcloud cannot find is simply absent. Verified against gcloud 528's
output formats as documented, not against a live project (none is reachable from here).
"""

from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Callable, Sequence
from typing import Any

from functions.deploy.plan import FUNCTIONS, MANAGED_ENV, Cloud, Step, Wanted

Runner = Callable[[Sequence[str]], subprocess.CompletedProcess[str]]


class DeployBlocked(Exception):
    """gcloud is missing or not logged in: one Vietnamese line says what to do."""


class GcloudFailed(Exception):
    def __init__(self, step: str, detail: str) -> None:
        super().__init__(f"{step}: {detail}")
        self.step = step
        self.detail = detail


def _run(argv: Sequence[str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(list(argv), capture_output=True, text=True, check=False)


class Gcloud:
    def __init__(self, run: Runner = _run, which: Callable[[str], str | None] = shutil.which
                 ) -> None:
        self.run = run
        self.which = which

    def check(self) -> None:
        """Raises DeployBlocked unless gcloud is installed and an account is logged in."""
        if self.which("gcloud") is None:
            raise DeployBlocked("Chưa cài gcloud (Google Cloud CLI): cài theo "
                                "https://cloud.google.com/sdk/docs/install rồi chạy "
                                "«gcloud auth login».")
        answer = self.run(["gcloud", "auth", "list", "--filter=status:ACTIVE",
                           "--format=value(account)"])
        if answer.returncode != 0 or not answer.stdout.strip():
            raise DeployBlocked("gcloud chưa đăng nhập: chạy «gcloud auth login» bằng tài khoản "
                                "quản trị dự án Google Cloud rồi chạy lại.")

    def _json(self, *argv: str) -> Any:
        answer = self.run(["gcloud", *argv, "--format=json"])
        if answer.returncode != 0:
            if "NOT_FOUND" in answer.stderr or "not found" in answer.stderr.lower():
                return None
            raise GcloudFailed(" ".join(argv[:4]), _last_line(answer.stderr))
        return json.loads(answer.stdout or "null")

    def read(self, wanted: Wanted) -> Cloud:
        p = f"--project={wanted.project}"
        cloud = Cloud()
        services = self._json("services", "list", "--enabled", p) or []
        cloud.services = {str(s.get("config", {}).get("name", "")) for s in services}
        accounts = self._json("iam", "service-accounts", "list", p) or []
        cloud.accounts = {str(a.get("email", "")) for a in accounts}
        if self._json("pubsub", "topics", "describe", wanted.topic) is not None:
            cloud.topics.add(wanted.topic)
            cloud.bindings[f"topic:{wanted.topic}"] = _bindings(
                self._json("pubsub", "topics", "get-iam-policy", wanted.topic))
        bucket = self._json("storage", "buckets", "describe", f"gs://{wanted.bucket}")
        if bucket is not None:
            cloud.buckets[wanted.bucket] = read_bucket(bucket)
            cloud.bindings[f"bucket:{wanted.bucket}"] = _bindings(self._json(
                "storage", "buckets", "get-iam-policy", f"gs://{wanted.bucket}"))
        where = (f"--region={wanted.region}", p)
        for function in FUNCTIONS:
            found = self._json("functions", "describe", function.name, "--gen2", *where)
            if found is not None:
                cloud.functions[function.name] = read_function(found)
                cloud.bindings[f"function:{function.name}"] = _bindings(self._json(
                    "run", "services", "get-iam-policy", function.name, *where))
            job = self._json("scheduler", "jobs", "describe", function.name,
                             f"--location={wanted.region}", p)
            if job is not None:
                cloud.jobs[function.name] = read_job(job)
        return cloud

    def apply(self, step: Step) -> None:
        answer = self.run(step.argv)
        if answer.returncode != 0:
            raise GcloudFailed(step.what, _last_line(answer.stderr))


def read_function(found: dict[str, Any]) -> dict[str, str]:
    """A ``gcloud functions describe --gen2`` answer as the plan's function_config."""
    build = found.get("buildConfig", {})
    service = found.get("serviceConfig", {})
    event = found.get("eventTrigger") or {}
    env = {key: value for key, value in service.get("environmentVariables", {}).items()
           if key in MANAGED_ENV}  # gcloud adds LOG_EXECUTION_ID; an admin may add others
    return {"entry_point": str(build.get("entryPoint", "")),
            "runtime": str(build.get("runtime", "")),
            "trigger": f"topic:{event['pubsubTopic']}" if event.get("pubsubTopic") else "http",
            "retry": "true" if event.get("retryPolicy") == "RETRY_POLICY_RETRY" else "false",
            "timeout": f"{service.get('timeoutSeconds', '')}s",
            "memory": str(service.get("availableMemory", "")),
            "service_account": str(service.get("serviceAccountEmail", "")),
            "trigger_account": str(event.get("serviceAccountEmail", "")),
            "env": ",".join(f"{k}={v}" for k, v in sorted(env.items())),
            "source": str(found.get("labels", {}).get("guongmau-source", ""))}


def read_job(found: dict[str, Any]) -> dict[str, str]:
    target = found.get("httpTarget", {})
    oidc = target.get("oidcToken", {})
    return {"schedule": str(found.get("schedule", "")),
            "time_zone": str(found.get("timeZone", "")), "uri": str(target.get("uri", "")),
            "http_method": str(target.get("httpMethod", "")),
            "oidc_account": str(oidc.get("serviceAccountEmail", "")),
            "audience": str(oidc.get("audience", "")),
            "attempt_deadline": str(found.get("attemptDeadline", ""))}


def read_bucket(found: dict[str, Any]) -> dict[str, bool]:
    return {"uniform": bool(found.get("uniform_bucket_level_access")),
            "no_public": found.get("public_access_prevention") == "enforced"}


def _bindings(policy: Any) -> set[tuple[str, str]]:
    found = set()
    for binding in (policy or {}).get("bindings", []):
        for member in binding.get("members", []):
            found.add((str(member), str(binding.get("role", ""))))
    return found


def _last_line(text: str) -> str:
    lines = [line.strip() for line in text.strip().splitlines() if line.strip()]
    return (lines[-1] if lines else "gcloud không cho biết lý do")[:300]
