"""The state a collection moves: a notification reads and writes kilobytes at province scale,
and state kept in the former single-object layout (a deployment upgraded mid-year) is carried
over, not lost.

Province-sized state is built cheaply: the sample province is collected for real, then its
state is rewritten in the former layout (one registry object, one ledger object per form, one
``rendered.json``) grown to 2 000 units and 63 000 responses with synthetic entries shaped like
the real ones. Bytes are counted by the state store adapter (``ObjectStore.moved``).
"""

from __future__ import annotations

import random
import string
from collections import Counter
from typing import Any

from functions.services.ledger import LedgerStore
from functions.services.registry import RegistryStore
from functions.services.rendered import RenderedViews
from tests.e2e import collect_helpers as helpers
from tests.e2e.collect_helpers import Province, assert_projection

collect_snapshot = helpers.collect_snapshot  # fixture
province = helpers.province  # fixture

FORM = "ke-hoach-nhom-2"
PROVINCE_UNITS, PROVINCE_RESPONSES = 2_000, 63_000
NOTIFICATION_BYTES = 100_000  # issue 10: a notification moves less than 100 KB of state


def new_layout(province: Province) -> list[str]:
    year = province.deployment.settings.year
    return [name for part in ("registry/", "ledger/", "rendered/")
            for name in province.ws.state.names(f"years/{year}/{part}")
            if not (part == "ledger/" and name.count("/") == 3)]  # the former ledgers


def to_former_layout(province: Province, units: int = 0, responses: int = 0) -> None:
    """Rewrites the year's state as the former single objects held it, grown with synthetic
    units and responses up to ``units`` and ``responses``; the new layout is deleted."""
    state, year = province.ws.state, province.deployment.settings.year
    record = RegistryStore(state, year).whole()
    views = RenderedViews(state, year)
    keys, due = dict(views.keys), dict(views.overview_due)
    ledgers = {spec.key: LedgerStore(state, year).load(spec.key)
               for spec in province.deployment.forms}
    held = {key: dict(ledger.entries) for key, ledger in ledgers.items()}  # read before deleting
    for name in new_layout(province):
        state.delete(name)
    rng = random.Random(10)
    model = next(iter(record["units"].values()))
    for number in range(units - len(record["units"])):
        code = f"TH-{number:04d}"
        record["units"][code] = {**model, "name": f"Trường Tiểu học số {number}",
                                 "folder": _token(rng, 33), "sheet": _token(rng, 44)}
        record["overview"]["rows"][code] = 100 + number
        record["overview"]["shown"][code] = _token(rng, 16)
        keys[code] = _token(rng, 16)
    state.write(f"years/{year}/registry.json", record)
    state.write(f"years/{year}/rendered.json", {"units": keys, "overview_due": due})
    for key, ledger in ledgers.items():
        entries = held[key]
        if key == FORM:
            codes = sorted(record["units"])
            for _ in range(responses - len(entries)):
                entries["ACYDBN" + _token(rng, 66)] = [
                    rng.choice(codes), f"2025-01-{rng.randint(1, 19):02d}T08:00:00.000000Z|201"]
        if entries or ledger.cursor:
            state.write(f"years/{year}/ledger/{key}.json",
                        {"cursor": ledger.cursor, "entries": entries})


def _token(rng: random.Random, size: int) -> str:
    return "".join(rng.choices(string.ascii_letters + string.digits + "-_", k=size))


def former_objects(province: Province) -> list[str]:
    year = province.deployment.settings.year
    return [name for name in province.ws.state.names(f"years/{year}/")
            if (name.count("/") == 2 and name.split("/")[2] in ("registry.json", "rendered.json"))
            or (name.startswith(f"years/{year}/ledger/") and name.count("/") == 3)]


def test_state_kept_in_the_former_layout_is_carried_over_and_nothing_is_read_again(
        province: Province) -> None:
    for email in ("binhnd@sgddt-demo.edu.vn", "hoalt@sgddt-demo.edu.vn"):
        province.submit_as(FORM, email, "a")
    province.collect(form_keys=[FORM])
    to_former_layout(province)
    assert former_objects(province) and not new_layout(province)
    province.submit_as(FORM, "tungmm@sgddt-demo.edu.vn", "b")
    province.control.reset_calls()
    outcome = province.collect(form_keys=[FORM])
    assert outcome.changed == 1, outcome
    calls = province.calls()
    assert calls.get("sheets.spreadsheets.get", 0) == 1, "only the new response's unit is read"
    assert former_objects(province) == [], "the former objects are gone once carried over"
    year = province.deployment.settings.year
    ledger = LedgerStore(province.ws.state, year).load(FORM)
    assert len(dict(ledger.entries)) == 3 and ledger.cursor
    assert RegistryStore(province.ws.state, year).whole()["units"]["SO-VP"]["sheet"]
    assert province.collect(full=True).units_written == 0, "the views drawn were carried too"
    assert_projection(province)


def test_a_notification_at_province_scale_moves_less_than_100_kb_of_state(
        province: Province) -> None:
    province.submit_as(FORM, "binhnd@sgddt-demo.edu.vn", "a")
    province.collect(form_keys=[FORM])
    to_former_layout(province, PROVINCE_UNITS, PROVINCE_RESPONSES)
    province.submit_as(FORM, "hoalt@sgddt-demo.edu.vn", "a")
    province.collect(form_keys=[FORM])  # carries the former layout over, once
    year = province.deployment.settings.year
    assert len(RegistryStore(province.ws.state, year).whole()["units"]) == PROVINCE_UNITS
    province.submit_as(FORM, "tungmm@sgddt-demo.edu.vn", "b")
    instance = province.reload_workspace()  # a function instance of its own: nothing cached
    outcome = province.collect(form_keys=[FORM], ws=instance)
    moved: Counter[str] = instance.state.moved
    assert outcome.changed == 1 and outcome.units_written == 1, outcome
    total = moved["read"] + moved["written"]
    print(f"\nnotification at {PROVINCE_UNITS} units, {PROVINCE_RESPONSES} responses: "
          f"state read {moved['read']} B, written {moved['written']} B")
    assert total < NOTIFICATION_BYTES, dict(moved)
    entries: Any = LedgerStore(province.ws.state, year).load(FORM).entries
    assert len(entries) >= PROVINCE_RESPONSES, "every carried entry is kept"
    assert_projection(province)
