"""The province benchmark (``python -m benchmarks.province``) on a small province: every step
runs against the emulator's quotas in compressed time, paced, and its figures are the real
counts of a run that lost and doubled nothing."""

from __future__ import annotations

from benchmarks import province_run
from benchmarks.collect_cost import APPEND
from benchmarks.quota_time import runs_needed
from functions.services.budget import MARGIN

UNITS = 10
SAMPLE = 20
WRITE = "sheets.spreadsheets.batchUpdate"


def sheets_calls(step: province_run.Step) -> dict[str, int]:
    return {m: n for m, n in step.calls.items() if m.startswith("sheets.")}


def test_the_province_benchmark_measures_every_step_at_the_quotas_pace_and_loses_no_row() -> None:
    result = province_run.measure(UNITS, naive_sample=SAMPLE)

    assert [step.label.split(" / ")[0] for step in result.steps] == [
        "Khởi tạo", "Thu thập toàn bộ", "Mở kỳ: biểu mẫu", "Mở kỳ: đối soát",
        "1 câu trả lời mới", "Không có gì mới", "Sửa: thông báo", "Sửa: đối soát",
        "Báo cáo kỳ kế hoạch"]
    assert (result.failed, result.lost, result.duplicated, result.refused) == (0, 0, 0, 0)
    assert result.units == UNITS
    assert result.checks == [(result.staff, 0, 0), (result.staff + 1, 0, 0)]
    full = result.step("Thu thập toàn bộ")
    assert sheets_calls(full) == {WRITE: UNITS + 1, "sheets.spreadsheets.get": UNITS}
    assert sheets_calls(result.step("1 câu trả lời mới")) == {
        WRITE: 2, "sheets.spreadsheets.get": 1}
    assert sheets_calls(result.step("Mở kỳ: đối soát")) == {}, "a period opening writes none"
    assert sheets_calls(result.step("Không có gì mới")) == {}
    assert sheets_calls(result.step("Sửa: đối soát")) == {}, "the notification applied it"
    for step in result.steps:
        assert step.runs >= 1 and step.cpu > 0 and step.peak_mb > 0
        assert step.google_runs == runs_needed(step.calls, step.limit - MARGIN)
    assert result.naive_appended == SAMPLE
    assert result.naive_calls[APPEND] == result.staff  # one append per plan
    assert full.least < province_run.least_seconds(result.naive_calls)
    printed = province_run.summary(result)
    assert "Lần chạy lỗi / failed runs: 0; dòng mất / lost rows: 0" in printed
