"""Routing and row building give exactly the output recorded before they were made faster.

Varied responses (Vietnamese text typed decomposed and padded, several choices, answers long
enough to be split, emoji, unknown questions, edits of confirmed plans, retried deliveries,
rows rewritten, carried from another unit or removed, quarantine) go from Forms API JSON through
``to_response``, ``route`` and ``unit_sync.plan`` (and the quarantine's ``row_of``) as in a
collection; every request, routing and response is compared with
``data/row_building_golden.json``, recorded from the code before its speed-up (texts over 300
characters recorded by length and SHA-256).

A deliberate change of the rows (a new column, a new wording) re-records it:
``GUONGMAU_RECORD_GOLDEN=1 python -m pytest -q tests/unit/test_row_building_identical.py``,
and the diff of the JSON file shows what changed.
"""

from __future__ import annotations

import hashlib
import json
import os
import unicodedata
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from functions.blueprints.layout import OVERFLOW_ID
from functions.config import Deployment, load
from functions.domain.model import Group, Response
from functions.domain.routing import Routing, route
from functions.services.form_responses import format_time, to_response
from functions.services.provision import layout_for
from functions.services.quarantine import row_of
from functions.services.unit_sync import (
    Carried,
    Change,
    History,
    TabState,
    plan,
    submitted_emails,
)
from tests.unit.config_helpers import write_config

GOLDEN = Path(__file__).parent / "data" / "row_building_golden.json"
TODAY = date(2025, 2, 20)
NOW_TEXT = "08:00 20/02/2025"
T0 = datetime(2025, 2, 1, 1, 2, 3, 456789, tzinfo=UTC)
ROSTER = ["Nguyễn Văn An,annv@demo.edu.vn,Hiệu trưởng,THPT-A,,",
          "Trần Thị Bình,binhtt@demo.edu.vn,Tổ trưởng chuyên môn,THPT-A,,binh@gmail.com",
          "Lê Văn Cường,cuonglv@demo.edu.vn,Chuyên viên,SO-VP,1,",
          "Phạm Thị Lan,lan@demo.edu.vn,Giáo viên,THPT-A,,"]
LONG = "Tổ chức đọc sách, chia sẻ kinh nghiệm giảng dạy; " * 1300  # ~65 000: split in two
EMOJI_LONG = "Học tập 😀🎓 " * 6000  # 66 000 characters, 78 000 UTF-16 units


def _decomposed(text: str) -> str:
    """As some keyboards type Vietnamese: base letters and combining marks."""
    return unicodedata.normalize("NFD", text)


def _raw(response_id: str, minutes: int, email: str | None, answers: dict[str, Any],
         submitted: bool = True, created: str | None = None) -> dict[str, Any]:
    moment = format_time(T0 + timedelta(minutes=minutes))
    raw: dict[str, Any] = {
        "responseId": response_id, "createTime": created or format_time(T0),
        "answers": {qid: value if isinstance(value, dict) else
                    {"questionId": qid, "textAnswers": {"answers": [
                        {"value": v} for v in (value if isinstance(value, list) else [value])]}}
                    for qid, value in answers.items()}}
    if submitted:
        raw["lastSubmittedTime"] = moment
    if email is not None:
        raw["respondentEmail"] = email
    return raw


def _plan_answers(name: str, unit: str, text: str = "đọc sách mỗi tuần") -> dict[str, Any]:
    found: dict[str, Any] = {"ho_ten": name, "don_vi": unit, "chuc_vu": "Giáo viên"}
    for n in range(1, 8):
        found[f"tc{n}_noi_dung"] = f"Tiêu chí {n}: {text}"
        found[f"tc{n}_cach_thuc"] = "Thực hiện thường xuyên"
        found[f"tc{n}_thoi_gian"] = "Cả năm"
    found["cam_ket"] = ["Tôi cam kết thực hiện", "Đồng ý công khai"]
    return found


def first_listing() -> dict[str, list[dict[str, Any]]]:
    """Per form key, the responses a first collection lists."""
    an = _plan_answers(_decomposed("  Nguyễn Văn An  "), "Trường THPT A (THPT-A)",
                       _decomposed("gương mẫu, trách nhiệm  "))
    an["tc2_noi_dung"] = LONG
    an["tc3_cach_thuc"] = EMOJI_LONG
    an["unknown_question"] = "bỏ qua"
    an["tc4_thoi_gian"] = {"questionId": "tc4_thoi_gian",
                           "fileUploadAnswers": {"answers": [{"fileId": "f1"}]}}
    an["tc5_noi_dung"] = ""
    cuong = _plan_answers("Lê Văn Cường", "Văn phòng Sở", "=IMPORTXML(\"http://x\", \"//a\")")
    binh_wrong = _plan_answers("Trần Thị Bình", "", "nhầm phiếu nhóm 1")
    group_one = [
        _raw("r-an", 0, "annv@demo.edu.vn", an),
        _raw("r-cuong", 1, " CuongLV@Demo.edu.vn ", cuong,
             created="2025-02-01T01:02:03.123456789Z"),
        _raw("r-binh-1", 2, "Binh@Gmail.com", binh_wrong, submitted=False,
             created="2025-02-01T01:04:03Z"),
    ]
    binh = _plan_answers("Trần Thị Bình", "Trường THPT A", "học tập 📚 và ✍️ mỗi ngày")
    binh["tc2_thoi_gian"] = ["Học kỳ I", "Học kỳ II"]  # several choices in a criterion's cell
    kh = _plan_answers("Khách", "trường  thpt a", "không có trong danh sách")
    group_two = [
        _raw("r-binh-2", 3, "binhtt@demo.edu.vn", binh),
        _raw("r-binh-3", 8, "binhtt@demo.edu.vn", {**binh, "tc1_noi_dung": "bản gửi lại"}),
        _raw("r-kh", 4, "kh@x.vn", kh),
        _raw("r-blank", 5, "ai@x.vn", {**kh, "don_vi": "  "}),
        _raw("r-nowhere", 6, "ai2@x.vn", {**kh, "don_vi": "Trường Không Có"}),
        _raw("r-closed", 7, None, {**kh, "don_vi": "THPT-CU"}),
        _raw("r-cu", 9, "culv@demo.edu.vn", kh),
        _raw("r-lan", 10, "lan@demo.edu.vn", _plan_answers("Phạm Thị Lan", "")),
    ]
    report = {"ho_ten": "Trần Thị Bình", "don_vi": "THPT-A", "chuc_vu": "Tổ trưởng",
              "kho_khan": "Không", "de_xuat": "", "xac_nhan": ["Xác nhận"]}
    for n in range(1, 8):
        report[f"tc{n}_ket_qua"] = f"Đã hoàn thành {n} việc 😀"
        report[f"tc{n}_muc_do"] = "Tốt"
    return {"ke-hoach-nhom-1": group_one, "ke-hoach-nhom-2": group_two,
            "quy-1-nhom-2": [_raw("r-q1", 11, "binhtt@demo.edu.vn", report)]}


def _short(node: Any) -> Any:
    """``node`` with long texts as their length and digest (the file stays readable)."""
    if isinstance(node, str) and len(node) > 300:
        digest = hashlib.sha256(node.encode("utf-8")).hexdigest()
        return f"<{len(node)} characters, sha256 {digest}>"
    if isinstance(node, list | tuple):
        return [_short(item) for item in node]
    if isinstance(node, dict):
        return {str(key): _short(value) for key, value in node.items()}
    if isinstance(node, set | frozenset):
        return sorted(_short(item) for item in node)
    return node


def _lines(node: Any, depth: int = 4, indent: str = "") -> str:
    """JSON laid out ``depth`` levels deep, each deeper value on one line: a diff shows which
    response, routing, request or cell changed."""
    if depth == 0 or not isinstance(node, dict | list) or not node:
        return json.dumps(node, ensure_ascii=False)
    inner = indent + " "
    items = [f"{inner}{json.dumps(key, ensure_ascii=False)}: {_lines(value, depth - 1, inner)}"
             for key, value in node.items()] if isinstance(node, dict) else \
        [inner + _lines(value, depth - 1, inner) for value in node]
    ends = "{}" if isinstance(node, dict) else "[]"
    return ends[0] + "\n" + ",\n".join(items) + "\n" + indent + ends[1]


def _routing(routing: Routing) -> dict[str, Any]:
    return {"unit": routing.unit_code, "group": int(routing.group), "source": str(routing.source),
            "staff": routing.staff.email if routing.staff else None,
            "wrong_form": routing.wrong_form, "reason": routing.reason}


def _response(response: Response) -> dict[str, Any]:
    return {"id": response.response_id, "form": response.form_key, "period": str(response.period),
            "group": int(response.group), "email": response.respondent_email,
            "created": response.created.isoformat(),
            "submitted": response.last_submitted.isoformat(), "answers": dict(response.answers),
            "year": response.year}


def _plan_record(layout: Any, deployment: Deployment, code: str, tabs: dict[int, TabState],
                 changes: list[Change], **extra: Any) -> dict[str, Any]:
    directory = deployment.directory()
    unit = directory.unit(code)
    assert unit is not None
    unit_plan = plan(layout, unit, directory.staff_of(code), deployment.periods, tabs,
                     extra.pop("roster_rows", 0), extra.pop("overflow", []), changes, TODAY,
                     NOW_TEXT, **extra)
    return {"requests": unit_plan.requests,
            "submitted": {str(k): v for k, v in submitted_emails(layout, tabs).items()}}


def build_everything(deployment: Deployment) -> dict[str, Any]:
    """Two collections of the same units, as the service runs them, recorded whole."""
    layout = layout_for(deployment)
    directory = deployment.directory()
    record: dict[str, Any] = {"responses": {}, "routings": {}, "quarantine": {}}
    by_unit: dict[str, list[Change]] = {}
    for key, raws in first_listing().items():
        spec = deployment.form(key)
        question_keys = {q.key: q.key for q in spec.questions}
        for raw in raws:
            response = to_response(raw, spec, question_keys, deployment.settings.year)
            routing = route(response, directory)
            change = Change(response, routing, format_time(response.last_submitted),
                            notice="3f9a1c2e" if response.group is Group.TWO else "")
            record["responses"][response.response_id] = _response(response)
            record["routings"][response.response_id] = _routing(routing)
            if routing.unit_code is None:
                record["quarantine"][response.response_id] = row_of(change, spec.title,
                                                                    routing.reason)
            else:
                by_unit.setdefault(routing.unit_code, []).append(change)
    first: dict[str, Any] = {}
    states: dict[str, dict[int, TabState]] = {}
    for code in sorted(by_unit):
        states[code] = {tab.sheet_id: TabState(tab, 3) for tab in layout.tabs}
        first[code] = _plan_record(layout, deployment, code, states[code], by_unit[code],
                                   history=History(0, 3), roster_rows=5)
    record["first"] = first
    record["second"] = _second_sync(deployment, layout, states["THPT-A"], by_unit["THPT-A"],
                                    first["THPT-A"]["requests"])
    shortened: dict[str, Any] = _short(record)
    return shortened


def _second_sync(deployment: Deployment, layout: Any, tabs: dict[int, TabState],
                 earlier: list[Change], first_requests: list[dict[str, Any]]) -> dict[str, Any]:
    """THPT-A again: a confirmed plan edited, a retried delivery, a row rewritten with its new
    placement, one arriving with a head's cells, one removed, overflow rows replaced."""
    plans = next(iter(tabs.values()))
    plans.confirmed = [index == 0 for index in range(len(plans.rows))]
    overflow = [[r[0], r[1], r[2], r[3], r[4]]
                for request in first_requests if "updateCells" in request
                and request["updateCells"].get("start", {}).get("sheetId") == OVERFLOW_ID
                for r in ([next(iter(c["userEnteredValue"].values())) for c in row["values"]]
                          for row in request["updateCells"]["rows"])]
    an, binh_latest, kh = (next(c for c in earlier if c.response.response_id == rid)
                           for rid in ("r-an", "r-binh-3", "r-kh"))
    edited_answers = {**an.response.answers, "tc1_noi_dung": "đã sửa: gương mẫu hơn",
                      "tc2_noi_dung": LONG + "thêm"}
    edited = replace(an.response, answers=edited_answers,
                     last_submitted=an.response.last_submitted + timedelta(days=1))
    staff = deployment.directory().person("lan@demo.edu.vn")
    new = replace(binh_latest.response, response_id="r-moved",
                  respondent_email="lan@demo.edu.vn")
    changes = [
        Change(edited, an.routing, format_time(edited.last_submitted)),
        binh_latest,  # retried delivery: already shown
        Change(kh.response, replace(kh.routing, group=Group.ONE, wrong_form=True), kh.version,
               rewrite=True),
        Change(new, Routing("THPT-A", Group.TWO, kh.routing.source, staff=staff),
               binh_latest.version,
               carried=Carried("Văn phòng Sở", (("confirmed", True), ("note", "Đã xem"))
                               , "Xác nhận: có; Ghi chú: Đã xem")),
    ]
    return _plan_record(layout, deployment, "THPT-A", tabs, changes, render=True,
                        removals={"r-binh-2"}, history=History(30, 40), overflow=overflow,
                        roster_rows=3)


@pytest.fixture(scope="module")
def deployment(tmp_path_factory: pytest.TempPathFactory) -> Deployment:
    return load(write_config(tmp_path_factory.mktemp("golden"), roster=ROSTER))


def test_rows_routings_and_responses_are_exactly_those_recorded(deployment: Deployment) -> None:
    built = json.loads(json.dumps(build_everything(deployment), ensure_ascii=False))
    if os.environ.get("GUONGMAU_RECORD_GOLDEN"):
        GOLDEN.write_text(_lines(built) + "\n", encoding="utf-8")
    recorded = json.loads(GOLDEN.read_text(encoding="utf-8"))
    for part in ("responses", "routings", "quarantine", "first", "second"):
        assert built[part] == recorded[part], f"{part} differ from {GOLDEN.name}"


def test_the_recording_covers_the_cases_it_claims(deployment: Deployment) -> None:
    """Guards the golden file from silently losing its variety."""
    record = json.loads(GOLDEN.read_text(encoding="utf-8"))
    sources = {r["source"] for r in record["routings"].values()}
    assert sources == {"roster", "form", "none"}
    assert len(record["quarantine"]) == 3
    text = json.dumps(record, ensure_ascii=False)
    for seen in ("sha256", "😀", "Thời gian: Học kỳ I; Học kỳ II", "Đã thay thế",
                 "Đã sửa sau xác nhận", "deleteDimension", "appendDimension", "Văn phòng Sở",
                 "=IMPORTXML", "3f9a1c2e"):
        assert seen in text, seen
