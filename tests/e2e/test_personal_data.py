"""A person's data on request (issue 15): `guongmau data export` finds every place they appear,
under every address of theirs, at one read per Sheet involved; `guongmau data erase` leaves
none of it in any Sheet or state object, changes no other cell, is idempotent and survives
faults, and no later sync brings it back (the Forms responses it cannot delete stay out).

Every Sheet is read back whole through the Sheets API (not the service's reader) before and
after, and compared cell by cell.
"""

from __future__ import annotations

import fnmatch
import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result
from openpyxl import load_workbook

from functions.adapters.clients import Clients, Target
from functions.adapters.errors import TransportError
from functions.cli import main
from functions.domain.model import PeriodKind
from functions.domain.reminders import rounds
from functions.services.erasure import erase
from functions.services.lease import Lease
from functions.services.personal_data import find
from functions.services.reminder_log import ReminderLog
from functions.services.reports import make_reports
from tests.e2e import collect_helpers as helpers
from tests.e2e.collect_helpers import Province, Submitted
from tests.e2e.test_collect_routing import retire
from tests.e2e.test_reports import _text

collect_snapshot = helpers.collect_snapshot  # fixture
province = helpers.province  # fixture

NAME = "Đào Phương Nhung"  # THPT-LQD, Nhóm 2, with two other addresses in nhan_su.csv
EMAILS = ("nhungdp@sgddt-demo.edu.vn", "nhung.lqd@gmail.com", "nhungdp@moet.edu.vn")
COLLEAGUE = "toannx@sgddt-demo.edu.vn"  # same unit: every cell of theirs must stay
GUEST = "khach.xoa@example.com"  # not on the roster: held in the quarantine
TAG = "nhung-rieng"  # in every text she typed
HEAD_NOTE = "Ghi chú của thủ trưởng về Nhung"
COLLEAGUE_NOTE = "Ghi chú về thầy Toàn"
# Objects the two erasures of the fault test write: hers the lease, the tombstone, two ledgers,
# a reminder round, the reports' snapshot, the record; the guest's the lease, the tombstone, a
# ledger, the record.
FAULT_FREE_INSERTS = 11
Cells = dict[tuple[str, str, int, int], Any]  # (spreadsheet, tab, row, column) → value


# ---------------------------------------------------------------- the province's state

def every_cell(province: Province) -> Cells:
    """Every non-empty cell of every unit Sheet and of the Sở overview."""
    found: Cells = {}
    api = province.sheets_api()
    ids = [province.unit_sheet(u.code) for u in province.deployment.units
           if u.code in province.registry["units"]] + [province.overview_id]
    for sheet_id in ids:
        meta = api.spreadsheets().get(spreadsheetId=sheet_id,
                                      fields="sheets.properties.title").execute()
        titles = [s["properties"]["title"] for s in meta["sheets"]]
        grids = province.values(sheet_id, [f"'{t}'!A1:AZ" for t in titles])
        for title, grid in zip(titles, grids, strict=True):
            for r, row in enumerate(grid):
                for c, value in enumerate(row):
                    if value not in ("", None):
                        found[(sheet_id, title, r, c)] = value
    return found


def markers(responses: list[Submitted]) -> list[str]:
    return [*EMAILS, NAME, TAG, HEAD_NOTE, *(r.response_id for r in responses)]


def hers(cells: Cells, marks: list[str]) -> set[tuple[str, str, int]]:
    """The rows (spreadsheet, tab, row) with a cell naming her or holding her text."""
    return {key[:3] for key, value in cells.items()
            if any(mark.lower() in str(value).lower() for mark in marks)}


def state_text(province: Province) -> str:
    """Every state object the person could be in, as one text."""
    year = province.deployment.settings.year
    names = [f"years/{year}/report_rows.json"]
    names += [name for part in ("ledger/", "rendered/", "journal/")  # every shard and head
              for name in province.ws.state.names(f"years/{year}/{part}")]
    days = province.deployment.settings.notifications.remind_days_before
    log = ReminderLog(province.ws.state, year)
    names += [log.name(one) for period in province.deployment.periods
              for one in rounds(period, days)]
    return json.dumps([province.ws.state.read(name).value for name in names],
                      ensure_ascii=False)


def set_people_cells(province: Province, rows: dict[str, str]) -> None:
    """A head types a confirmation and a note in rows of THPT-LQD's plans tab (response id →
    note), through the Sheets API."""
    sheet = province.unit_sheet("THPT-LQD")
    grid = province.values(sheet, ["'Kế hoạch'!A1:AZ"])[0]
    confirm, note = grid[0].index("Xác nhận"), grid[0].index("Ghi chú")
    data = []
    for index, row in enumerate(grid):
        if row and row[0] in rows:
            data.append({"range": f"'Kế hoạch'!{chr(65 + confirm)}{index + 1}:"
                                  f"{chr(65 + note)}{index + 1}",
                         "values": [[True, rows[row[0]]]]})
    province.sheets_api().spreadsheets().values().batchUpdate(
        spreadsheetId=sheet, body={"valueInputOption": "RAW", "data": data}).execute()


def her_data(province: Province) -> list[Submitted]:
    """Her plan (edited: two versions), a second plan from another address, a year-end report
    from a third with an answer too long for a cell, a colleague's plan, a guest's, the head's
    cells on both plans, reminders sent, and the reports' snapshot."""
    plan = province.submit_as("ke-hoach-nhom-2", EMAILS[0], TAG)
    province.edit(plan.response_id, f"{TAG}-sua")
    second = province.submit_as("ke-hoach-nhom-2", EMAILS[1], f"{TAG}-2")
    colleague = province.submit_as("ke-hoach-nhom-2", COLLEAGUE, "toan")
    province.collect()
    set_people_cells(province, {plan.response_id: HEAD_NOTE,
                                colleague.response_id: COLLEAGUE_NOTE})
    year_end = province.submit_as("ca-nam-nhom-2", EMAILS[2], TAG,
                                  tc1_ket_qua=f"{TAG} " + "x" * 52_000)
    province.collect(today=helpers.YEAR_END)
    make_reports(province.deployment, province.ws, PeriodKind.PLAN, date(2025, 3, 1))
    period = next(p for p in province.deployment.periods if p.kind is PeriodKind.PLAN)
    one = rounds(period, province.deployment.settings.notifications.remind_days_before)[0]
    ReminderLog(province.ws.state, province.deployment.settings.year).claim(
        one, [EMAILS[1], COLLEAGUE])
    province.collect(full=True, today=helpers.YEAR_END)  # every unit's view drawn and recorded
    return [province.responses[plan.response_id], second, year_end]


def run(province: Province, *args: str) -> Result:
    return CliRunner().invoke(
        main, ["--config", str(province.config_dir / "guongmau.yaml"), "data", *args],
        env={"GUONGMAU_EMULATOR": province.url})


def drawn_from_roster(rows: set[tuple[str, str, int]]) -> set[tuple[str, str, int]]:
    """Her roster row and missing-list lines: nhan_su.csv still lists her."""
    return {row for row in rows if row[1] in ("Danh sách", "Tổng quan")}


def assert_only_hers_changed(before: Cells, after: Cells, rows: set[tuple[str, str, int]],
                             marks: list[str], kept: set[tuple[str, str, int]]) -> None:
    """Every cell outside her rows is as it was; her rows (but ``kept``) name her no more."""
    changed = [key for key in set(before) | set(after)
               if key[:3] not in rows and before.get(key) != after.get(key)]
    assert not changed, f"cells outside her rows changed: {sorted(changed)[:10]}"
    left = [(key, value) for key, value in after.items() if key[:3] not in kept
            and any(mark.lower() in str(value).lower() for mark in marks)]
    assert not left, f"her data is still shown: {left[:5]}"


# ---------------------------------------------------------------- the tests

def test_export_finds_every_place_under_every_address_at_one_read_per_sheet(
        province: Province, tmp_path: Path) -> None:
    responses = her_data(province)
    province.control.reset_calls()
    result = run(province, "export", "--email", EMAILS[1].upper(), "--thu-muc", str(tmp_path))
    assert result.exit_code == 0, result.output
    path = Path(result.output.strip().splitlines()[-1])
    assert path.parent == tmp_path and path.suffix == ".xlsx"
    reads = {m: n for m, n in province.calls().items() if m.startswith("sheets.")}
    assert reads == {"sheets.spreadsheets.values.batchGet": 2}, reads  # THPT-LQD, overview

    book = load_workbook(path)
    text = "\n".join(str(cell) for sheet in book for row in sheet.iter_rows(values_only=True)
                     for cell in row if cell is not None)
    for response in responses:
        assert response.response_id in text
    for email in EMAILS:
        assert email in text
    for place in ("Kế hoạch", "Cả năm", "Lịch sử sửa", "Nội dung dài", "Danh sách"):
        assert f"tab «{place}»" in text, place
    assert HEAD_NOTE in text and f"{TAG}-sua" in text  # the head's cell, the latest version
    assert f"tc1_noi_dung {TAG}" in text  # the first version, from the history
    assert "Thư nhắc" in book.sheetnames and EMAILS[1] in text
    assert COLLEAGUE not in text and COLLEAGUE_NOTE not in text

    unknown = run(province, "export", "--email", "khong.co@example.com")
    assert unknown.exit_code == 2 and "Không tìm thấy dữ liệu nào" in unknown.output


def test_erase_removes_her_everywhere_changes_nothing_else_and_stays_erased(
        province: Province) -> None:
    responses = her_data(province)
    marks = markers(responses)
    before = every_cell(province)
    rows = hers(before, marks)
    roster_rows = drawn_from_roster(rows)
    assert len(roster_rows) == 4 and len(rows) > 6  # her roster row, three missing lists

    dry = run(province, "erase", "--email", EMAILS[0], "--dry-run")
    assert dry.exit_code == 0, dry.output
    assert "Sẽ xóa" in dry.output and "Chạy thử: chưa ghi gì." in dry.output
    assert every_cell(province) == before

    sync = Lease(province.ws.state, name=f"years/{province.deployment.settings.year}/lease.json")
    assert sync.acquire()  # a sync is running: the erasure waits for it, writing nothing
    busy = run(province, "erase", "--email", EMAILS[0], "--nguoi-yeu-cau", "Bà Nhung")
    assert busy.exit_code == 7 and "chưa xóa gì" in busy.output, busy.output
    sync.release()
    assert every_cell(province) == before

    done = run(province, "erase", "--email", EMAILS[0], "--nguoi-yeu-cau", "Bà Nhung, đơn 3/12")
    assert done.exit_code == 0, done.output
    assert "Google Forms API không có lệnh xóa câu trả lời" in done.output
    for response in responses:
        assert f"https://docs.google.com/forms/d/{province.form_id(response.form_key)}" \
               in done.output
    assert "vẫn có trong danh sách nhân sự (nhan_su.csv" in done.output  # her roster row
    after = every_cell(province)
    assert_only_hers_changed(before, after, rows, marks, kept=roster_rows)
    assert not any(mark in state_text(province) for mark in (*EMAILS, NAME, TAG))
    assert COLLEAGUE in state_text(province)  # the colleague's reminder stays

    record_name = done.output.strip().splitlines()[-1].split("«")[1].split("»")[0]
    record = province.ws.state.read(record_name).value
    assert record["requested_by"] == "Bà Nhung, đơn 3/12"
    assert not any(mark.lower() in json.dumps(record, ensure_ascii=False).lower()
                   for mark in marks)

    again = run(province, "erase", "--email", EMAILS[0], "--nguoi-yeu-cau", "Bà Nhung")
    assert again.exit_code == 0 and "Không còn gì để xóa" in again.output
    assert every_cell(province) == after

    # She edits a response the Sở has not yet deleted by hand: no sync brings it back.
    province.edit(responses[0].response_id, "sau-khi-xoa")
    province.collect(today=helpers.YEAR_END)
    province.collect(full=True, today=helpers.YEAR_END)
    assert_only_hers_changed(before, every_cell(province), rows, [*marks, "sau-khi-xoa"],
                             kept=roster_rows)

    # Once nhan_su.csv no longer lists her, the reconcile draws the roster without her.
    helpers_remove_from_roster(province, EMAILS[0])
    province.collect(full=True, today=helpers.YEAR_END)
    assert not hers(every_cell(province), marks)


def helpers_remove_from_roster(province: Province, email: str) -> None:
    path = province.config_dir / "nhan_su.csv"
    lines = path.read_text(encoding="utf-8-sig").splitlines(keepends=True)
    path.write_text("".join(line for line in lines if email not in line), encoding="utf-8-sig")
    province.reload()


# Each fault, and the calls of its methods the two erasures make without it.
@pytest.mark.parametrize(("fault", "fault_free"), [
    ({"method": "sheets.*", "status": 429, "count": 3}, 5),  # 3 reads, 2 writes
    ({"method": "sheets.spreadsheets.batchUpdate", "status": "drop-after", "count": 1}, 2),
    ({"method": "storage.objects.insert", "status": "drop-after", "count": 1, "after": 1},
     FAULT_FREE_INSERTS),  # the tombstone's write: it landed, its answer was lost
], ids=["429", "answer-lost", "state-answer-lost"])
def test_erase_under_faults_converges_and_changes_nothing_else(
        province: Province, fault: dict[str, Any], fault_free: int) -> None:
    retire(province, "GDNN-GDTX-ST")  # still listed on the form: its responses are held
    guest = province.submit_as("ke-hoach-nhom-2", GUEST, TAG, unit_code="GDNN-GDTX-ST")
    responses = [*her_data(province), guest]
    marks = [*markers(responses), GUEST]
    before = every_cell(province)
    rows = hers(before, marks)
    assert any(row[1] == "Chưa xác định đơn vị" for row in rows), "the guest is held"
    province.control.reset_calls()
    province.control.post("faults", {**fault, "seed": 5})
    failed = 0
    for _ in range(10):
        try:
            for email in (EMAILS[2], GUEST):
                run_erase(province, email)
            break
        except TransportError:  # the command's exit 4: the operator runs it again
            failed += 1
    province.control.delete("faults")
    made = sum(n for m, n in province.calls().items() if fnmatch.fnmatchcase(m, fault["method"]))
    assert failed or made > fault_free, f"the fault never fired ({made} calls)"
    for email in (EMAILS[2], GUEST):
        run_erase(province, email)
    roster_rows = drawn_from_roster(rows)
    assert_only_hers_changed(before, every_cell(province), rows, marks, kept=roster_rows)
    province.collect(full=True, today=helpers.YEAR_END)
    assert_only_hers_changed(before, every_cell(province), rows, marks, kept=roster_rows)


def run_erase(province: Province, email: str) -> None:
    erase(province.deployment, province.ws, email, "kiểm thử")


def report_tables(province: Province) -> tuple[list[list[str]], str]:
    """The Sở's year-end report, made now: (its summary table, its whole text)."""
    outcome = make_reports(province.deployment, province.ws, PeriodKind.YEAR, date(2025, 12, 15))
    docs = Clients(Target(emulator_url=province.url)).service("docs")
    doc = docs.documents().get(documentId=outcome.published[0].doc_id).execute()
    texts = [[[_text(cell["content"]).strip() for cell in row["tableCells"]]
              for row in element["table"]["tableRows"]]
             for element in doc["body"]["content"] if "table" in element]
    return texts[1], _text(doc["body"]["content"])


def test_reports_made_again_keep_their_counts_and_name_her_no_more(province: Province) -> None:
    plan = province.submit_as("ke-hoach-nhom-2", EMAILS[0], TAG)
    year_end = province.submit_as("ca-nam-nhom-2", EMAILS[1], TAG)
    province.collect(today=helpers.YEAR_END)
    sheet = province.unit_sheet("THPT-LQD")
    grid = province.values(sheet, ["'Cả năm'!A1:AZ"])[0]
    row = next(i for i, r in enumerate(grid) if r and r[0] == year_end.response_id) + 1
    commend = chr(65 + grid[0].index("Biểu dương"))
    province.sheets_api().spreadsheets().values().update(
        spreadsheetId=sheet, range=f"'Cả năm'!{commend}{row}", valueInputOption="RAW",
        body={"values": [[True]]}).execute()
    summary, text = report_tables(province)
    assert NAME in text  # commended
    del plan
    named = find(province.deployment, province.ws, EMAILS[0]).report_docs
    assert sorted(title.split(" – ")[2] for title, _ in named) == [  # the Sở's, her unit's
        "Sở Giáo dục và Đào tạo tỉnh Minh Sơn", "Trường THPT Lê Quý Đôn"], named

    erase(province.deployment, province.ws, EMAILS[0], "kiểm thử")
    helpers_remove_from_roster(province, EMAILS[0])
    province.collect(full=True, today=helpers.YEAR_END)
    again, text = report_tables(province)
    # Every figure is as issued, but the count of people in nhan_su.csv, which no longer
    # lists her (her unit's row, its kind's and the total): her submissions still count.
    changed = [(before, after) for before, after in zip(summary, again, strict=True)
               if before != after]
    unit = province.deployment.directory().unit("THPT-LQD")
    assert unit is not None
    assert {before[1] for before, _ in changed} == {unit.name, "Trường THPT", "Tổng cộng"}
    for before, after in changed:
        assert before[:2] + before[3:] == after[:2] + after[3:], (before, after)
        assert int(before[2]) - int(after[2]) == 1
    assert NAME not in text and "(đã xóa theo yêu cầu)" in text
    assert find(province.deployment, province.ws, EMAILS[0]).report_docs == []
