"""`guongmau deploy`: bundle the source, read what exists, plan, and (unless a dry run) apply."""

from __future__ import annotations

import shlex
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from functions.config.settings import Settings
from functions.deploy import source
from functions.deploy.gcloud import DeployBlocked
from functions.deploy.plan import Cloud, Step, Wanted, plan
from functions.deploy.table import FUNCTIONS


class CloudPort(Protocol):
    def check(self) -> None: ...
    def read(self, wanted: Wanted) -> Cloud: ...
    def apply(self, step: Step) -> None: ...


@dataclass
class DeployOutcome:
    steps: list[Step]
    applied: list[Step] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def wanted(settings: Settings, project: str, region: str, source_dir: Path, source_hash: str,
           runtime: str) -> Wanted:
    if not settings.pubsub_topic:
        raise DeployBlocked("Cấu hình chưa có pubsub_topic (projects/<dự án>/topics/<tên>): "
                            "hãy đặt rồi chạy lại.")
    topic_project = settings.pubsub_topic.split("/")[1]
    if topic_project != project:
        # "Only the project that owns a topic may create a watch with it" (Forms API,
        # WatchTarget.topic): the functions' project must own the topic.
        raise DeployBlocked(f"Chủ đề Pub/Sub {settings.pubsub_topic} thuộc dự án "
                            f"«{topic_project}», không phải «{project}»: Google Forms chỉ gửi "
                            "thông báo vào chủ đề của chính dự án chạy các chức năng; hãy sửa "
                            "pubsub_topic rồi chạy lại.")
    schedules = {f.entry_point: str(getattr(settings.schedule, f.schedule))
                 for f in FUNCTIONS if f.schedule is not None}
    return Wanted(project=project, region=region, runtime=runtime, topic=settings.pubsub_topic,
                  bucket=settings.storage.state_bucket, time_zone=settings.schedule.time_zone,
                  schedules=schedules, source_dir=str(source_dir), source_hash=source_hash)


def deploy(settings: Settings, project: str, region: str, cloud: CloudPort, *,
           dry_run: bool, source_dir: Path, report: Callable[[str], None]) -> DeployOutcome:
    """Plans against what exists and applies step by step (each reported as it lands). A dry
    run without gcloud plans against an empty project and says so."""
    source_hash = source.build(settings, source_dir)
    target = wanted(settings, project, region, source_dir, source_hash, source.runtime())
    notes: list[str] = []
    try:
        cloud.check()
        current = cloud.read(target)
    except DeployBlocked as blocked:
        if not dry_run:
            raise
        notes.append(f"{blocked} Kế hoạch dưới đây coi như dự án còn trống.")
        report(notes[-1])
        current = Cloud()
    outcome = DeployOutcome(plan(target, current), notes=notes)
    for step in outcome.steps:
        if dry_run:
            report(f"Sẽ {step.what}:\n  {shlex.join(step.argv)}")
            continue
        cloud.apply(step)
        outcome.applied.append(step)
        report(f"Đã {step.what}")
    return outcome
