"""Every unit Sheet equals the projection the tests compute on their own, whatever the order of
submissions, edits, second submissions, and duplicated or reordered notifications and runs."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.e2e import collect_helpers as helpers
from tests.e2e.collect_helpers import (
    Province,
    assert_projection,
    province_from,
)

collect_snapshot = helpers.collect_snapshot  # fixture

# (email, the unit they would pick): roster people, one by another address of theirs
# (tuan.gdpt@gmail.com is Nguyễn Quang Tuấn's «Email khác»), and one not in the roster.
PEOPLE = (
    ("binhnd@sgddt-demo.edu.vn", None),  # SO-VP, Nhóm 2
    ("ngochtt@sgddt-demo.edu.vn", None),  # SO-VP, Nhóm 1 (the unit head)
    ("tuan.gdpt@gmail.com", "SO-GDPT"),  # SO-GDPT, Nhóm 1, by an alias
    ("tungmm@sgddt-demo.edu.vn", None),  # SO-GDPT, Nhóm 2
    ("khach.cva@example.com", "THPT-CVA"),  # not in the roster: goes by the unit picked
)
FORMS = ("ke-hoach-nhom-1", "ke-hoach-nhom-2", "quy-1-nhom-2")

submit = st.tuples(st.just("submit"), st.integers(0, len(PEOPLE) - 1),
                   st.integers(0, len(FORMS) - 1))
edit = st.tuples(st.just("edit"), st.integers(0, 50), st.just(0))
run = st.tuples(st.just("run"), st.sampled_from(["fast", "full", "twice", "reversed"]),
                st.just(0))
operations = st.lists(st.one_of(submit, submit, edit, run), min_size=3, max_size=12)


def apply(province: Province, steps: list[tuple[str, object, int]]) -> None:
    for number, (kind, what, form) in enumerate(steps):
        tag = f"v{number}"
        if kind == "submit":
            email, unit = PEOPLE[int(str(what))]
            province.submit_as(FORMS[form], email, tag, unit_code=unit)
        elif kind == "edit" and province.responses:
            ids = sorted(province.responses)
            province.edit(ids[int(str(what)) % len(ids)], tag)
        elif kind == "run":
            touched = sorted({r.form_key for r in province.responses.values()})
            if what == "fast":
                province.collect()
            elif what == "full":
                province.collect(full=True)
                assert_projection(province)  # the reconcile always converges
            elif what == "twice":  # a duplicated notification
                province.collect(form_keys=touched)
                province.collect(form_keys=touched)
            else:  # notifications in reverse order, one run each
                for key in reversed(touched):
                    province.collect(form_keys=[key])


@settings(max_examples=10, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(steps=operations, compares=st.sampled_from(["createTime", "lastSubmittedTime"]))
def test_unit_sheets_equal_the_independent_projection_after_any_order_of_events(
        collect_snapshot: Path, steps: list[tuple[str, object, int]], compares: str) -> None:
    with tempfile.TemporaryDirectory() as where, \
            province_from(collect_snapshot, Path(where) / "p") as province:
        province.control.post("forms-config", {"filterCompares": compares})
        apply(province, steps)
        province.collect()
        if compares == "lastSubmittedTime":  # the fast path then sees edits as well
            assert_projection(province)
        province.collect(full=True)
        assert_projection(province)
        province.control.reset_calls()
        province.collect(full=True)  # nothing new: nothing written
        writes = {m: n for m, n in province.calls().items() if m.startswith("sheets.")
                  and not m.endswith(("get", "batchGet"))}
        assert writes == {}, f"a run with nothing new wrote {writes}"
