"""CPU of routing and row building, in isolation: one plan per staff member of a generated
province (60 000 at 2 000 units by default) turned from Forms API JSON into responses, routed,
and drawn into each unit's first write (``python -m benchmarks.collect_cpu [--units N]
[--no-history] [--profile]``).

Pure functions only, no HTTP: the same steps as a collection's ``_gather`` and ``plan``, on
empty unit Sheets with their history tab, as provisioning makes them (the history records
edits only, so a first collection adds no history row; ``--no-history``: Sheets built before
that tab, the figure published before it existed). The raw responses are built before the clock
starts; the time measured (``time.process_time``) is ``to_response`` + ``route`` + ``plan``
(rows, history, statuses, roster and overview cells), printed as measured and per 60 000
responses, next to the whole process's CPU. The peak memory printed is the process's, raw
responses included.
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import os
import pstats
import random
import resource
import tempfile
import time
from collections import defaultdict
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from benchmarks.province import Province, plan_answers
from functions.config import Deployment, load
from functions.domain.routing import route
from functions.services.form_responses import format_time, to_response
from functions.services.provision import layout_for
from functions.services.unit_sync import Change, History, TabState, plan

TODAY = date(2025, 2, 20)
TARGET_SECONDS = 3.0  # issue 10: routing and row building of 60 000 responses
TARGET_RESPONSES = 60_000
GRID_ROWS = 1000  # a new tab's rows


def raw_responses(deployment: Deployment) -> dict[str, list[dict[str, Any]]]:
    """Per plan form, its responses as ``forms.responses.list`` returns them (question ids are
    the question keys: the mapping is the identity)."""
    directory = deployment.directory()
    rng = random.Random(7)
    start = datetime(2025, 2, 1, tzinfo=UTC)
    found: dict[str, list[dict[str, Any]]] = {}
    for group in (1, 2):
        key = f"ke-hoach-nhom-{group}"
        spec, raws = deployment.form(key), found.setdefault(key, [])
        ids = {q.key: q.key for q in spec.questions}
        for person in (p for p in deployment.staff if p.group.value == group):
            answers = plan_answers(spec, ids, person, directory.unit(person.unit_code), rng)
            moment = format_time(start + timedelta(seconds=len(raws)))
            raws.append({
                "responseId": f"r{group}-{len(raws):06d}", "createTime": moment,
                "lastSubmittedTime": moment, "respondentEmail": person.email,
                "answers": {qid: {"questionId": qid,
                                  "textAnswers": {"answers": [{"value": v} for v in values]}}
                            for qid, values in answers.items()}})
    return found


def route_and_build(deployment: Deployment, raws: dict[str, list[dict[str, Any]]],
                    history: bool = True) -> int:
    """The measured work; returns the number of requests the unit writes would send."""
    directory = deployment.directory()
    layout = layout_for(deployment)
    year = deployment.settings.year
    by_unit: dict[str, list[Change]] = defaultdict(list)
    for key, items in raws.items():
        spec = deployment.form(key)
        question_keys = {q.key: q.key for q in spec.questions}
        for raw in items:
            response = to_response(raw, spec, question_keys, year)
            routing = route(response, directory)
            by_unit[routing.unit_code or ""].append(
                Change(response, routing, format_time(response.last_submitted)))
    gc.freeze()  # as collect.sync does once it has gathered
    requests = 0
    for code, changes in sorted(by_unit.items()):
        unit = directory.unit(code)
        if unit is None:
            continue
        tabs = {tab.sheet_id: TabState(tab, GRID_ROWS) for tab in layout.tabs}
        unit_plan = plan(layout, unit, directory.staff_of(code), deployment.periods, tabs, 0, [],
                         changes, TODAY, "08:00 20/02/2025",
                         history=History(0, GRID_ROWS) if history else None)
        requests += len(unit_plan.requests)
    gc.unfreeze()
    return requests


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--units", type=int, default=2000)
    parser.add_argument("--no-history", action="store_true",
                        help="unit Sheets without the history tab (the earlier figure)")
    parser.add_argument("--profile", action="store_true", help="print the top cProfile entries")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        deployment = load(Province(args.units).write(Path(folder)))
    raws = raw_responses(deployment)
    count = sum(len(items) for items in raws.values())
    # The raw responses stand for pages a service run holds one at a time: kept out of the
    # garbage collector's passes, which would otherwise walk all 60 000 at every full pass.
    gc.collect()
    gc.freeze()
    profiler = cProfile.Profile() if args.profile else None
    cpu = time.process_time()
    if profiler:
        profiler.enable()
    requests = route_and_build(deployment, raws, history=not args.no_history)
    if profiler:
        profiler.disable()
    cpu = time.process_time() - cpu
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{count} câu trả lời / responses, {len(deployment.active_units)} đơn vị / units, "
          f"{requests} yêu cầu ghi / write requests")
    per_target = cpu * TARGET_RESPONSES / max(1, count)
    verdict = "đạt / met" if per_target < TARGET_SECONDS else "CHƯA ĐẠT / NOT MET"
    print(f"Định tuyến và dựng dòng / routing and row building "
          f"({'không có' if args.no_history else 'có'} tab lịch sử / "
          f"{'without' if args.no_history else 'with'} history tab): {cpu:.2f} s CPU, "
          f"{per_target:.2f} s cho / per {TARGET_RESPONSES:_} ".replace("_", " ")
          + f"(mục tiêu / target < {TARGET_SECONDS:.0f} s: {verdict})")
    print(f"CPU cả tiến trình / whole process (province generated, responses built): "
          f"{time.process_time():.1f} s; bộ nhớ đỉnh / peak memory {peak:.0f} MB; "
          f"tải máy / load average {os.getloadavg()[0]:.1f}")
    if profiler:
        pstats.Stats(profiler).sort_stats("tottime").print_stats(25)


if __name__ == "__main__":
    main()
