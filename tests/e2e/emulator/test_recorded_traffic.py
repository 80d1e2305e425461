"""Replays Google's recorded Sheets and Drive traffic against the emulator.

Each gspread cassette (../shared/recorded/gspread-cassettes, real exchanges recorded by
gspread's maintainers) is replayed request by request, in order, over raw HTTP. Ids Google
issued are mapped to the ids the emulator issues as they appear in answers. Each answer must
have Google's status code and Google's JSON shape (the same keys and JSON types, recursively)
and, for the keys in ``COMPARED_VALUES``, the same values.

Deliberate differences (not compared, with the reason):
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
import requests

from emulator import discovery
from emulator.core import Config
from emulator.server import RunningEmulator, start
from tests.conftest import SHARED
from tests.e2e.emulator.contract import problems, response_schema

CASSETTES = SHARED / "recorded" / "gspread-cassettes"
REPLAYER = "gspread-replay@sgddt-demo.edu.vn"  # a person: has Drive storage, as the recorder
STRANGER = "stranger@elsewhere.example"  # owns the spreadsheets the recorder could not open

# Values compared exactly (after id mapping); every other value is compared by JSON type only.
COMPARED_VALUES = frozenset({
    "range", "updatedRange", "tableRange", "clearedRange", "clearedRanges", "majorDimension",
    "values", "updatedRows", "updatedColumns", "updatedCells", "totalUpdatedRows",
    "totalUpdatedColumns", "totalUpdatedCells", "totalUpdatedSheets", "title", "index",
    "rowCount", "columnCount", "frozenRowCount", "frozenColumnCount", "hidden", "status",
    "code", "note", "name", "mimeType", "kind", "sheetType", "hiddenByUser", "userEnteredValue",
    "formattedValue", "startRowIndex", "endRowIndex", "startColumnIndex", "endColumnIndex",
    "warningOnly", "description", "depth",
})

# Deliberate differences: (path pattern, reason). A path is the key chain joined with "/",
# list positions written as [].
DIFFERENCES: list[tuple[str, str]] = [
    (r"^modifiedTime$|^createdTime$|^files\[\]/(created|modified)Time$",
     "times differ by nature"),
    (r"^spreadsheetUrl$", "the emulator's own edit URL ({base_url}/spreadsheets/d/{id}/edit)"),
    (r"^sheets\[\]/data\[\]/columnMetadata\[\]/pixelSize$",
     "autoResizeDimensions estimates widths from text length: no font metrics"),
    (r"^sheets\[\]/protectedRanges\[\]/editors/users$",
     "the editors are the replaying user's emails, not the recorder's"),
    (r"^error/message$",
     "request-parsing messages name the proto field ('data.values') where the emulator's "
     "validator names the JSON one ('values'); checked by status only"),
    (r"^error/details$", "see error/message"),
    (r"^files$", "Drive lists hold the recorder's other spreadsheets, absent here"),
    (r"effectiveFormat", "derived display formats: Google's include theme details the "
                         "emulator does not compute"),
]

if __doc__ is not None:  # the list above, readable in the module's documentation too
    __doc__ += "\n".join(f"- {pattern}: {reason}" for pattern, reason in DIFFERENCES)

_LONG_ID = re.compile(r"(?<![A-Za-z0-9_-])(?=[A-Za-z_-]*\d)[A-Za-z0-9_-]{33,}")
_ID_KEYS = ("id", "spreadsheetId", "sheetId", "namedRangeId", "protectedRangeId", "chartId",
            "bandedRangeId", "formId", "itemId", "questionId")


def _names() -> list[str]:
    if not CASSETTES.is_dir():
        return ["(recordings absent)"]
    return sorted(p.stem for p in CASSETTES.glob("*.json"))


def _ignored(path: str) -> bool:
    return any(re.search(pattern, path) for pattern, _ in DIFFERENCES)


class Replay:
    """Replays as ``user`` (None: the emulator's service identity, as `check-google` runs)."""

    def __init__(self, emulator: RunningEmulator, user: str | None = REPLAYER) -> None:
        self.url = emulator.url
        self.ids: dict[str, str] = {}
        self.user = user

    # --- ids ---------------------------------------------------------------------------

    def learn(self, google: Any, ours: Any) -> None:
        if isinstance(google, dict) and isinstance(ours, dict):
            for key, value in google.items():
                if key in _ID_KEYS and key in ours and not isinstance(value, dict | list):
                    self.ids.setdefault(str(value), str(ours[key]))
                elif key in ours:
                    self.learn(value, ours[key])
        elif isinstance(google, list) and isinstance(ours, list):
            for g, o in zip(google, ours, strict=False):
                self.learn(g, o)

    def map_text(self, text: str) -> str:
        def swap(found: re.Match[str]) -> str:
            value = found.group(0)
            if value not in self.ids:
                self.ids[value] = self._stranger_spreadsheet()
            return self.ids[value]

        return _LONG_ID.sub(swap, text)

    def map_body(self, value: Any, key: str = "") -> Any:
        if isinstance(value, dict):  # keys too: Forms keys answers by question id
            return {self.ids.get(k, k): self.map_body(v, k) for k, v in value.items()}
        if isinstance(value, list):
            return [self.map_body(v, key) for v in value]
        if isinstance(value, str) and _LONG_ID.fullmatch(value) and value in self.ids:
            return self.ids[value]  # a known id anywhere (parents, a Pub/Sub attribute)
        if key in _ID_KEYS and str(value) in self.ids:
            mapped = self.ids[str(value)]
            return int(mapped) if isinstance(value, int) and mapped.lstrip("-").isdigit() else (
                mapped)
        return value

    def adopt(self, listed: list[dict[str, Any]]) -> None:
        """Recreates, as the replaying user's, the files Google listed from the recorder's
        Drive that the replay has not made (the recorder's earlier spreadsheets)."""
        for item in listed:
            if item.get("id") and item["id"] not in self.ids:
                answer = requests.post(f"{self.url}/v4/spreadsheets",
                                       json={"properties": {"title": item.get("name", "x")}},
                                       headers={"Authorization": f"Bearer {REPLAYER}"}, timeout=30)
                answer.raise_for_status()
                self.ids[item["id"]] = str(answer.json()["spreadsheetId"])

    def _stranger_spreadsheet(self) -> str:
        """A spreadsheet the replaying user cannot see (Google's id was someone else's)."""
        answer = requests.post(f"{self.url}/v4/spreadsheets", json={},
                               headers={"Authorization": f"Bearer {STRANGER}"}, timeout=30)
        answer.raise_for_status()
        return str(answer.json()["spreadsheetId"])

    # --- requests ----------------------------------------------------------------------

    def send(self, request: dict[str, Any]) -> requests.Response:
        parts = urlsplit(request["uri"])
        path = self.map_text(parts.path)
        query = self.map_text(parts.query)
        body = request.get("body")
        data: bytes | None = None
        headers = {"Authorization": f"Bearer {self.user}"} if self.user else {}
        if body:
            try:
                data = json.dumps(self.map_body(json.loads(body))).encode()
                headers["Content-Type"] = "application/json"
            except ValueError:  # multipart (uploads, batches): ids mapped in the text
                # check-google cassettes keep binary bytes as surrogate escapes.
                data = self.map_text(body).encode("utf-8", "surrogateescape")
                sent_type = (request.get("headers") or {}).get("Content-Type") or [""]
                if sent_type[0]:
                    headers["Content-Type"] = sent_type[0]
        url = f"{self.url}{path}" + (f"?{query}" if query else "")
        return requests.request(request["method"], url, data=data, headers=headers, timeout=60)


def compare(google: Any, ours: Any, path: str = "", key: str = "") -> Iterator[str]:
    """Where ``ours`` departs from ``google`` in shape (and value, for compared keys)."""
    if _ignored(path):
        return
    if isinstance(google, dict):
        if not isinstance(ours, dict):
            yield f"{path or '/'}: Google has an object, the emulator {ours!r:.80}"
            return
        for name in sorted(set(google) | set(ours)):
            sub = f"{path}/{name}" if path else name
            if _ignored(sub):
                continue
            if name not in ours:
                yield f"{sub}: missing (Google: {json.dumps(google[name])[:80]})"
            elif name not in google:
                yield f"{sub}: extra (emulator: {json.dumps(ours[name])[:80]})"
            else:
                yield from compare(google[name], ours[name], sub, name)
        return
    if isinstance(google, list):
        if not isinstance(ours, list):
            yield f"{path}: Google has a list, the emulator {ours!r:.80}"
            return
        plain = all(not isinstance(item, dict) for item in google)
        if key in COMPARED_VALUES and plain and google != ours:
            yield f"{path}: Google {json.dumps(google)[:120]} != emulator {json.dumps(ours)[:120]}"
            return
        if len(google) != len(ours):
            yield f"{path}: Google has {len(google)} items, the emulator {len(ours)}"
        for g, o in zip(google, ours, strict=False):
            yield from compare(g, o, f"{path}[]", key)
        return
    kinds = (bool, int | float, str)
    for json_kind in kinds:
        if isinstance(google, json_kind) != isinstance(ours, json_kind):
            yield f"{path}: Google {google!r:.60} and emulator {ours!r:.60} differ in type"
            return
    if key in COMPARED_VALUES and google != ours:
        yield f"{path}: Google {google!r:.100} != emulator {ours!r:.100}"


def _method_id(method: str, uri: str) -> str | None:
    resolved = discovery.resolve(method, urlsplit(uri).path)
    return resolved[0].id if resolved else None


@pytest.fixture(scope="module")
def replay_emulator(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningEmulator]:
    """One emulator for every cassette (each replay makes its own files): starting and
    stopping a server per cassette would cost more than the replays themselves."""
    running = start(tmp_path_factory.mktemp("replay"), config=Config(quotas_enabled=False))
    try:
        yield running
    finally:
        running.stop()


@pytest.mark.parametrize("cassette", _names())
def test_the_emulator_answers_the_recorded_google_traffic_alike(
    cassette: str, shared_dir: Path, replay_emulator: RunningEmulator
) -> None:
    recording = json.loads((CASSETTES / f"{cassette}.json").read_text(encoding="utf-8"))
    failures = replay_interactions(Replay(replay_emulator), recording["interactions"])
    assert not failures, f"{len(failures)} differences from Google:\n" + "\n".join(failures[:40])


Hook = Callable[[Replay, dict[str, Any]], None]


def replay_interactions(replay: Replay, interactions: list[dict[str, Any]],
                        before: Hook | None = None) -> list[str]:
    """Sends each recorded request in order; returns where the answers depart from Google's.
    ``before`` runs ahead of each interaction (to stand in for what a person did meanwhile)."""
    failures: list[str] = []
    for number, interaction in enumerate(interactions):
        request, recorded = interaction["request"], interaction["response"]
        if before is not None:
            before(replay, interaction)
        answer = replay.send(request)
        where = f"#{number} {request['method']} {request['uri'][:110]}"
        expected_status = recorded["status"]["code"]
        if answer.status_code != expected_status:
            failures.append(f"{where}: status {answer.status_code} (Google {expected_status}): "
                            f"{answer.text[:300]}")
            continue
        text = recorded["body"]["string"]
        if not text or not answer.content:
            continue
        try:
            google = json.loads(text)
            ours = answer.json()
        except ValueError:
            continue  # an export or a multipart batch: compared by status only
        if isinstance(google, dict) and google.get("kind") == "drive#fileList":
            replay.adopt(google.get("files", []))  # lists differ in content: never zipped
        else:
            replay.learn(google, ours)
        google = replay.map_body(google)
        failures.extend(f"{where}: {diff}" for diff in compare(google, ours))
        method_id = _method_id(request["method"], request["uri"]) or ""
        schema = response_schema(method_id)
        if schema and answer.status_code == 200:
            service = discovery.by_id()[method_id].service
            failures.extend(f"{where}: contract: {p}" for p in problems(service, schema, ours))
    return failures
