"""Reports end to end on the sample province: people submit, the head confirms and evaluates
in the unit Sheet, the service makes the Sở's report, each unit's and the postings; the test
reads the Docs back through the Docs and Drive APIs and compares every figure with what it
computes itself from what it submitted (the roster read through the configuration loader)."""

from __future__ import annotations

import contextlib
import io
import unicodedata
from datetime import date
from typing import Any

import docx
import pytest
from googleapiclient.errors import HttpError

from functions.adapters.clients import Clients, Target
from functions.adapters.errors import GoogleApiError
from functions.domain.model import Group, PeriodKind
from functions.services import reports
from functions.services.workspace import connect
from tests.e2e import collect_helpers as helpers
from tests.e2e.collect_helpers import YEAR_END, Province
from tests.e2e.test_collect_people_columns import head_types
from tests.e2e.test_provision_helpers import quick_gate

collect_snapshot = helpers.collect_snapshot  # fixture
province = helpers.province  # fixture

DAY = date(2025, 12, 15)
UNIT = "SO-VP"
PLANS, YEAR = "Kế hoạch", "Cả năm"
SCRIPT = "<script>alert('x')</script> & <b>đậm</b>"
FORMULA = '=IMPORTXML("http://x","//a")'
EVALUATION = "Hoàn thành tốt nhiệm vụ"


def _scenario(province: Province) -> dict[str, Any]:
    """Submissions, a second submission, confirmations and the head's year-end marks."""
    ngoc = province.submit_as("ke-hoach-nhom-1", "ngochtt@sgddt-demo.edu.vn", "k1",
                              tc1_noi_dung=SCRIPT, tc2_noi_dung=FORMULA)
    hieu = province.submit_as("ke-hoach-nhom-1", "hieudt@sgddt-demo.edu.vn", "k1")
    province.submit_as("ke-hoach-nhom-2", "binhnd@sgddt-demo.edu.vn", "k1")
    binh = province.submit_as("ke-hoach-nhom-2", "binhnd@sgddt-demo.edu.vn", "k2")  # again
    province.submit_as("ke-hoach-nhom-2", "anlq@sgddt-demo.edu.vn", "k1")
    province.submit_as("ke-hoach-nhom-2", "tuannq2@sgddt-demo.edu.vn", "k1")  # THPT-CVA
    lien = province.submit_as("ca-nam-nhom-2", "liennp@sgddt-demo.edu.vn", "c1",
                              tc1_ket_qua="Số hóa hồ sơ văn thư")
    nhung = province.submit_as("ca-nam-nhom-2", "nhungnt@sgddt-demo.edu.vn", "c1")
    province.submit_as("ca-nam-nhom-2", "binhnd@sgddt-demo.edu.vn", "c1")
    province.collect(today=YEAR_END)
    head_types(province, [
        (PLANS, ngoc.response_id, "Xác nhận", True),
        (PLANS, binh.response_id, "Xác nhận", True),
        (YEAR, lien.response_id, "Biểu dương", True),
        (YEAR, lien.response_id, "Cách làm hay", True),
        (YEAR, lien.response_id, "Đánh giá của đơn vị", EVALUATION),
        (YEAR, nhung.response_id, "Nhắc nhở", True),
    ])
    return {"ngoc": ngoc, "hieu": hieu, "lien": lien, "nhung": nhung}


def _docs(province: Province) -> Any:
    return Clients(Target(emulator_url=province.url)).service("docs")


def _text(elements: list[dict[str, Any]]) -> str:
    out = []
    for element in elements:
        if "paragraph" in element:
            out += [run.get("textRun", {}).get("content", "")
                    for run in element["paragraph"]["elements"]]
        elif "table" in element:
            for row in element["table"]["tableRows"]:
                for cell in row["tableCells"]:
                    out.append(_text(cell["content"]))
    return "".join(out)


def _tables(doc: dict[str, Any]) -> list[list[list[str]]]:
    return [[[_text(cell["content"]).strip() for cell in row["tableCells"]]
             for row in element["table"]["tableRows"]]
            for element in doc["body"]["content"] if "table" in element]


def _doc(province: Province, doc_id: str) -> dict[str, Any]:
    return dict(_docs(province).documents().get(documentId=doc_id).execute())


def _folder_files(province: Province, folder: str) -> set[str]:
    listing = province.ws.drive.service.files().list(
        q=f"'{folder}' in parents and trashed = false", corpora="allDrives",
        includeItemsFromAllDrives=True, supportsAllDrives=True, pageSize=1000,
        fields="files(id,name)").execute()
    return {f"{f['id']} {f['name']}" for f in listing.get("files", [])}


def _expected_row(province: Province, code: str, registered: dict[Group, set[str]],
                  confirmed: dict[Group, set[str]], reported: dict[Group, set[str]]) -> list[str]:
    staff = province.staff(code)
    total = {g: sum(1 for s in staff if s.group is g) for g in Group}
    everyone = sum(total.values())
    done = sum(len(registered[g]) for g in Group)
    sent = sum(len(reported[g]) for g in Group)
    rate = f"{100 * done / everyone:.1f}".replace(".", ",")
    sent_rate = f"{100 * sent / everyone:.1f}".replace(".", ",")
    return [str(v) for v in (len(staff), total[Group.ONE], len(registered[Group.ONE]),
                             len(confirmed[Group.ONE]), total[Group.TWO],
                             len(registered[Group.TWO]), len(confirmed[Group.TWO]), done)] + [
        rate] + [str(v) for v in (len(reported[Group.ONE]), len(reported[Group.TWO]), sent)] + [
        sent_rate]


def test_year_end_reports_hold_the_right_figures_lists_and_format(province: Province) -> None:
    people = _scenario(province)
    outcome = reports.make_reports(province.deployment, province.ws, PeriodKind.YEAR, DAY)
    assert outcome.sheets_read == len(province.deployment.active_units)
    so = outcome.published[0]
    doc = _doc(province, so.doc_id)
    tables = _tables(doc)
    summary = tables[1]
    row = next(r for r in summary if r[1] == "Văn phòng Sở")
    one, two = Group.ONE, Group.TWO
    assert row[2:] == _expected_row(
        province, UNIT,
        registered={one: {"ngoc", "hieu"}, two: {"binh", "an"}},
        confirmed={one: {"ngoc"}, two: {"binh"}},
        reported={one: set(), two: {"lien", "nhung", "binh"}})
    cva = next(r for r in summary if r[1] == "Trường THPT Chu Văn An")
    assert cva[2:] == _expected_row(province, "THPT-CVA", {one: set(), two: {"tuan"}},
                                    {one: set(), two: set()}, {one: set(), two: set()})
    total_row = summary[-1]
    assert total_row[1] == "Tổng cộng"
    assert total_row[2] == str(sum(len(province.staff(u.code))
                                   for u in province.deployment.active_units))
    text = _text(doc["body"]["content"])
    assert text == unicodedata.normalize("NFC", text)
    commended = next(t for t in tables if any("Ngô Phương Liên" in c for r in t for c in r))
    assert [r[1:] for r in commended[1:]] == [["Ngô Phương Liên", "Nhân viên văn thư",
                                               "Văn phòng Sở"]]
    assert "Nguyễn Thị Nhung" in text and "Số hóa hồ sơ văn thư" in text
    # The annex: who has not sent the year-end report, per unit, the Vietnamese way.
    sent = {people["lien"].email, people["nhung"].email, "binhnd@sgddt-demo.edu.vn"}
    expected_missing = {s.name for s in province.staff(UNIT) if s.email not in sent}
    annex = next(t for t in tables if t[0] == ["STT", "Họ và tên", "Chức vụ"]
                 and {r[1] for r in t[1:]} == expected_missing)
    assert [r[1] for r in annex[1:]] == [  # by given name: An, Dũng, Hiếu, Ngọc, Thắng
        "Lê Quang An", "Lê Xuân Dũng", "Đỗ Tiến Hiếu", "Hà Thị Thu Ngọc", "Nguyễn Mạnh Thắng"]
    # The official format: A4, margins in range, page numbers hidden on the first page.
    style = doc["documentStyle"]
    assert abs(style["pageSize"]["width"]["magnitude"] - 595.3) < 1
    mm = {k: style[k]["magnitude"] / 72 * 25.4 for k in ("marginTop", "marginBottom",
                                                          "marginLeft", "marginRight")}
    assert 20 <= mm["marginTop"] <= 25 and 20 <= mm["marginBottom"] <= 25
    assert 30 <= mm["marginLeft"] <= 35 and 15 <= mm["marginRight"] <= 20
    assert style.get("useFirstPageHeaderFooter") is True
    header = doc["headers"][style["defaultHeaderId"]]
    assert any("autoText" in e for p in header["content"] if "paragraph" in p
               for e in p["paragraph"]["elements"])
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text and "Số: …/BC-" in text
    # The DOCX beside it opens with python-docx and holds the same tables.
    data = province.ws.drive.service.files().get_media(fileId=so.docx_id,
                                                       supportsAllDrives=True).execute()
    kept = docx.Document(io.BytesIO(data))
    assert [[c.text for c in r.cells] for r in kept.tables[1].rows][1:] == [
        r for r in summary[1:]]


def test_posting_keeps_free_text_as_text_and_a_rerun_updates_in_place(
        province: Province) -> None:
    _scenario(province)
    first = reports.make_postings(province.deployment, province.ws, DAY, UNIT)
    posted = first.published[0]
    doc = _doc(province, posted.doc_id)
    text = _text(doc["body"]["content"])
    assert SCRIPT in text and FORMULA in text
    assert "Hà Thị Thu Ngọc" in text and "Đỗ Tiến Hiếu" not in text  # confirmed plans only
    folder = province.registry["units"][UNIT]["folder"]
    before = _folder_files(province, folder)
    calls = province.calls()
    again = reports.make_postings(province.deployment, province.ws, DAY, UNIT)
    assert again.sheets_read == 0  # nothing changed: no unit Sheet read
    after_calls = province.calls()
    assert after_calls.get("sheets.spreadsheets.values.batchGet") == calls.get(
        "sheets.spreadsheets.values.batchGet")
    assert again.published[0] == posted
    assert _folder_files(province, folder) == before
    later = reports.make_postings(province.deployment, province.ws, date(2025, 12, 16), UNIT)
    added = _folder_files(province, folder) - before
    assert later.published[0].doc_id == posted.doc_id
    assert [name.split(" ", 1)[1] for name in added] == [f"{posted.title} (2025-12-16).pdf"]
    readers = {p.get("emailAddress") for p in province.ws.drive.permissions(posted.doc_id)}
    assert "ngochtt@sgddt-demo.edu.vn" in readers and "hieudt@sgddt-demo.edu.vn" in readers


@pytest.mark.parametrize("method", ["drive.files.list", "drive.files.create",
                                    "drive.files.update", "drive.files.export",
                                    "drive.permissions.create",
                                    "sheets.spreadsheets.values.batchGet"])
@pytest.mark.parametrize("status", [429, 503, "drop-after"])
def test_a_fault_then_a_rerun_converges_to_the_same_files(province: Province, method: str,
                                                           status: object) -> None:
    _scenario(province)
    province.ws = connect(Clients(Target(emulator_url=province.url)),
                          province.deployment.settings, gate=quick_gate())
    clean = reports.make_reports(province.deployment, province.ws, PeriodKind.HALF_YEAR, DAY,
                                 UNIT)
    province.control.post("faults", {"method": method, "status": status, "count": 1})
    with_fault = None
    with contextlib.suppress(GoogleApiError, HttpError, OSError):  # OSError: a dropped answer
        with_fault = reports.make_reports(province.deployment, province.ws, PeriodKind.YEAR,
                                          DAY, UNIT)
    province.control.delete("faults")
    rerun = reports.make_reports(province.deployment, province.ws, PeriodKind.YEAR, DAY, UNIT)
    if with_fault is not None:
        assert rerun.published == with_fault.published
    folder = province.registry["units"][UNIT]["folder"]
    names = sorted(name.split(" ", 1)[1] for name in _folder_files(province, folder))
    assert len(names) == len(set(names)), names  # no twin
    assert clean.published[0].doc_id != rerun.published[0].doc_id  # another period's Doc
    assert len(names) == 6 + 1  # two periods × (Doc, DOCX, PDF) and the unit Sheet


def test_the_scheduled_run_makes_each_due_periods_reports_once(province: Province) -> None:
    deployment = province.deployment
    plans = deployment.settings.period("ke-hoach")
    assert reports.due(deployment, province.ws, plans.deadline) == []
    made = reports.scheduled(deployment, province.ws, plans.report_day)
    units = len(deployment.active_units)
    assert len(made) == 1 + units + units  # the Sở's, each unit's, each unit's posting
    assert reports.scheduled(deployment, province.ws, plans.report_day) == []


def test_a_scheduled_run_out_of_time_stops_between_documents_and_the_next_one_finishes(
        province: Province) -> None:
    deployment = province.deployment
    plans = deployment.settings.period("ke-hoach")
    ticks = iter(range(10_000))
    first = reports.scheduled(deployment, province.ws, plans.report_day, seconds=4,
                              clock=lambda: next(ticks))
    assert 0 < len(first) < 5
    assert reports.due(deployment, province.ws, plans.report_day) == [PeriodKind.PLAN]
    rest = reports.scheduled(deployment, province.ws, plans.report_day)
    units = len(deployment.active_units)
    titles = [doc.title for doc in [*first, *rest]]
    assert len(titles) == len(set(titles)) == 1 + units + units  # each document once
    assert reports.due(deployment, province.ws, plans.report_day) == []


def test_the_command_prints_the_links_and_a_dry_run_makes_nothing(province: Province) -> None:
    from click.testing import CliRunner

    from functions.cli import main

    config = str(province.config_dir / "guongmau.yaml")
    env = {"GUONGMAU_EMULATOR": province.url}
    dry = CliRunner().invoke(main, ["--config", config, "report", "--niem-yet", "--unit",
                                    "so-vp", "--dry-run"], env=env)
    assert dry.exit_code == 0, dry.output
    assert "Sẽ làm «Năm 2025 – Niêm yết kế hoạch Nhóm 1 – Văn phòng Sở»" in dry.output
    folder = province.registry["units"][UNIT]["folder"]
    assert len(_folder_files(province, folder)) == 1  # the unit Sheet only
    made = CliRunner().invoke(main, ["--config", config, "report", "--period", "quy-1",
                                     "--unit", UNIT, "--hom-nay", "2025-04-06"], env=env)
    assert made.exit_code == 0, made.output
    assert "Đã làm «Năm 2025 – Báo cáo quý I – Văn phòng Sở»: https://docs.google.com/" in (
        made.output)
    both = CliRunner().invoke(main, ["--config", config, "report"], env=env)
    assert both.exit_code == 2 and "--period KỲ hoặc --niem-yet" in both.output
    unknown = CliRunner().invoke(main, ["--config", config, "report", "--period", "quy-1",
                                        "--unit", "KHONG-CO"], env=env)
    assert unknown.exit_code == 2 and "«KHONG-CO»" in unknown.output
