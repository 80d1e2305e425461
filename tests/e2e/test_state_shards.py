"""The sharded state against the emulator's Cloud Storage (real client): a lookup reads one
shard, a save writes only what changed, and the journal replays what a killed run left, in
order."""

from __future__ import annotations

import uuid

from functions.adapters.clients import Clients
from functions.adapters.storage import ObjectStore
from functions.services.journal import Journal
from functions.services.registry import RegistryStore
from functions.services.sharded import ShardedDict, shard_of
from functions.services.sync_state import SyncState


def store(clients: Clients) -> ObjectStore:
    return ObjectStore(clients.service("storage"), f"state-{uuid.uuid4().hex[:8]}")


def test_a_lookup_reads_one_shard_and_a_save_writes_only_the_changed_ones(
        clients: Clients) -> None:
    state = store(clients)
    first = ShardedDict(state, "m/", 8)
    first.fill({f"id-{n}": [n] for n in range(80)})
    assert first.save() == 8
    again = ShardedDict(state, "m/", 8)
    assert again["id-7"] == [7]
    assert state.moved["read"] < 200, "one small shard read"
    again["id-7"].append("edited in place")
    again["id-99"] = [99]
    assert again.save() == len({shard_of("id-7", 8), shard_of("id-99", 8)})
    assert dict(ShardedDict(state, "m/", 8)) == {**{f"id-{n}": [n] for n in range(80)},
                                                 "id-7": [7, "edited in place"], "id-99": [99]}


def test_the_journal_is_replayed_in_order_and_dropped_once_folded(clients: Clients) -> None:
    state = store(clients)
    killed = SyncState(state, 2025, expected={})
    killed.ledger("form").record("r1", "UNIT-A", "v1")
    killed.checkpoint()
    killed.ledger("form").record("r1", "UNIT-B", "v2")  # moved to another unit later
    killed.views.owe("UNIT-B", ["row"])
    killed.checkpoint()
    # killed here: nothing folded
    assert len(state.names("years/2025/journal/")) == 2
    resumed = SyncState(state, 2025, expected={})
    resumed.replay()
    assert resumed.ledger("form").entries.get("r1") == ["UNIT-B", "v2"]
    assert resumed.views.overview_due == {"UNIT-B": ["row"]}
    assert state.names("years/2025/journal/") == [], "replayed, then folded at once"
    resumed.ledger("form").record("r2", "UNIT-A", "v1")
    resumed.checkpoint()
    resumed.fold()
    assert state.names("years/2025/journal/") == []
    fresh = SyncState(state, 2025, expected={})
    assert dict(fresh.ledger("form").entries) == {"r1": ["UNIT-B", "v2"], "r2": ["UNIT-A", "v1"]}
    assert fresh.views.overview_due == {"UNIT-B": ["row"]}


def test_segments_left_by_a_killed_fold_are_the_newest_and_replay_to_the_same_state(
        clients: Clients) -> None:
    state = store(clients)
    journal = Journal(state, 2025)
    journal.append({"ledger/form": {"r1": ["A", "v1"]}})
    journal.append({"ledger/form": {"r1": ["B", "v2"]}})
    state.delete(journal.written[0])  # a fold deletes oldest first; killed after one
    resumed = SyncState(state, 2025, expected={})
    resumed.replay()
    assert resumed.ledger("form").entries.get("r1") == ["B", "v2"]
    assert resumed.journal.run > journal.run, "new segments sort after the replayed ones"


def test_a_collection_meeting_the_former_registry_first_never_overwrites_a_newer_one(
        clients: Clients) -> None:
    state = store(clients)
    state.write("years/2025/registry.json", {"units": {"A": {"sheet": "old"}},
                                             "forms": {"f": {"id": "form-1"}}})
    reader = RegistryStore(state, 2025)
    seen = reader.load()
    writer = RegistryStore(state, 2025)
    provisioning = writer.load()
    provisioning.units["A"]["sheet"] = "new"
    provisioning.changed()
    writer.save(provisioning, force=True)
    reader.carry_over(seen)  # the collection, which loaded the former record before
    assert RegistryStore(state, 2025).whole()["units"]["A"]["sheet"] == "new"
    assert state.read("years/2025/registry.json").generation == 0


def test_the_records_shards_are_sized_by_the_units_expected_when_it_is_created(
        clients: Clients) -> None:
    """A small province's record is a few objects (reading all of it once took 161 reads);
    a province's keeps each shard small; the count, once saved, stays."""
    for units, shards in ((10, 1), (2000, 128)):
        state = store(clients)
        records = RegistryStore(state, 2025, expected_units=units)
        registry = records.load()
        registry.units.update({f"U{n}": {"sheet": f"s{n}"} for n in range(units)})
        registry.changed()
        records.save(registry, force=True)
        assert registry.units.shards == shards  # type: ignore[attr-defined]
        reads = state.moved["read"]
        whole = RegistryStore(state, 2025).whole()  # a reader that expects nothing
        assert len(whole["units"]) == units
        assert RegistryStore(state, 2025).load().units.shards == shards  # type: ignore[attr-defined]
        if units == 10:
            assert state.moved["read"] - reads < 2_000, "the whole record is a few small objects"
