"""The door queue's store keeps what a decision owes its rectification flags in the
decision's own write, lists it for the scheduler's pass, and settles it once: the marker
and the outbox in one guarded update, so a second pass (or a second replica) writes
nothing. On the real store."""

import logging
from dataclasses import replace
from datetime import UTC, datetime

from entraide.contracts import new_event
from entraide.contracts.events import RectificationCompleted
from entraide.intake.adapters.self_requests import SelfRequestStore
from entraide.intake.domain.self_requests import Stage
from tests.unit.intake.test_family_door import submission
from tests.unit.intake.test_rectification_at_the_door import waiting

NOW = datetime(2026, 12, 2, 1, 30, tzinfo=UTC)


async def test_a_decision_owing_its_flags_is_listed_then_settled_once(mongo, unique) -> None:
    w = await waiting()
    other = w.door.queue.stored[(await w.door.submit(submission(), NOW)).self_id]  # type: ignore[attr-defined]
    store = SelfRequestStore(mongo[f"test_intake_{unique}"])
    await store.ensure_indexes()
    await store.add(replace(w.request, rectifications=["case-door-1"]))
    await store.add(other)
    assert await store.owing() == [], "waiting requests owe nothing"

    refused = replace(w.request, stage=Stage.REFUSED, decided_at=NOW, decided_by="staff")
    assert await store.decide(replace(refused, owed="erased"))
    [owing] = await store.owing()
    assert (owing.id, owing.owed, owing.rectifications) == (w.request.id, "erased", ["case-door-1"])
    done = RectificationCompleted(
        case_id="case-door-1", subject_ref=w.request.family_ref, service="intake",
        completed_at=NOW, outcome="erased",
    )  # fmt: skip
    event = new_event(done, source="intake", subject=w.request.family_ref)

    assert await store.settle(w.request.id, [event])
    assert not await store.settle(w.request.id, [event]), "a second pass writes nothing"
    assert await store.owing() == []
    doc = await store.requests.find_one({"_id": w.request.id})
    assert len(doc["outbox"]) == 1
    assert doc["outbox_pending"] is True
    assert "owed" not in doc
    assert (await store.get(w.request.id)).owed is None  # type: ignore[union-attr]


async def test_a_refusal_owing_her_message_is_listed_by_its_marker_then_settled_at_once(
    mongo, unique
) -> None:
    """The note of a refusal still owing her message (`telling_until`) and its flags is one
    note: listed by the request's own marker (a unique sparse index, which the store here
    serves without a scan), cleared in one write with her sealed copy."""
    w = await waiting()
    store = SelfRequestStore(mongo[f"test_intake_{unique}"])
    await store.ensure_indexes()
    await store.add(w.request)
    refused = replace(w.request, stage=Stage.REFUSED, decided_at=NOW, decided_by="staff")
    assert await store.decide(replace(refused, owed="erased", telling_until=NOW))
    doc = await store.requests.find_one({"_id": w.request.id})
    assert (doc["owing"], doc["sealed"] != {}) == (w.request.id, True), "kept for her message"
    [owing] = await store.owing()
    assert (owing.id, owing.owed, owing.telling_until) == (w.request.id, "erased", NOW)

    assert await store.settle(w.request.id, [], forget_details=True)

    doc = await store.requests.find_one({"_id": w.request.id})
    assert doc["sealed"] == {}
    assert not {"owed", "owed_to", "telling_until", "owing"} & set(doc), "the whole note"
    assert await store.owing() == []
    assert not await store.settle(w.request.id, [], forget_details=True)


async def test_a_decision_noted_before_the_marker_existed_is_listed_by_the_first_pass(
    mongo, unique
) -> None:
    """A request a crash left owing under the earlier code (its note, no marker) is marked
    by the first pass of a process, so the pass still finds it."""
    w = await waiting()
    store = SelfRequestStore(mongo[f"test_intake_{unique}"])
    await store.add(w.request)
    refused = {"stage": Stage.REFUSED.value, "decided_at": NOW, "owed": "erased"}
    await store.requests.update_one({"_id": w.request.id}, {"$set": refused})

    await store.ensure_indexes()

    [owing] = await store.owing()
    assert owing.id == w.request.id
    assert await store.settle(w.request.id, [])
    assert await store.owing() == []


async def test_a_marker_left_without_its_note_is_taken_off_by_the_first_pass(mongo, unique) -> None:
    """The earlier code (a rollback to it) settled a request by clearing its note alone,
    leaving the marker: listed for ever, it owes nothing, so no pass ever clears it, and
    it takes one of the pass's hundred places. The first pass of a process takes it off;
    the requests still owing stay listed."""
    w = await waiting()
    other = w.door.queue.stored[(await w.door.submit(submission(), NOW)).self_id]  # type: ignore[attr-defined]
    store = SelfRequestStore(mongo[f"test_intake_{unique}"])
    await store.ensure_indexes()
    await store.add(w.request)
    await store.add(other)
    for request in (w.request, other):
        refused = replace(request, stage=Stage.REFUSED, decided_at=NOW, decided_by="staff")
        assert await store.decide(replace(refused, owed="erased"))
    earlier = {"$unset": {"owed": "", "owed_to": ""}}  # the note, not the marker
    await store.requests.update_one({"_id": w.request.id}, earlier)

    restarted = SelfRequestStore(store.requests.database)  # the next process
    assert [r.id for r in await restarted.owing()] == [other.id]
    doc = await store.requests.find_one({"_id": w.request.id})
    assert "owing" not in doc
    assert (await store.requests.find_one({"_id": other.id}))["owing"] == other.id


async def test_the_indexes_the_marker_replaced_are_dropped_at_start_up(
    mongo, unique, caplog
) -> None:
    """A store created before the marker keeps `owed_1` and `telling_until_1`, which no
    query reads any more and every write pays for: start-up drops them, once, and says so;
    a second start-up (or a store that never had them) finds nothing to drop."""
    caplog.set_level(logging.INFO, logger="entraide.kit.retired_indexes")
    store = SelfRequestStore(mongo[f"test_intake_{unique}"])
    await store.requests.create_index("owed", sparse=True)  # as the earlier code did
    await store.requests.create_index("telling_until", sparse=True)

    await store.ensure_indexes()

    names = set(await store.requests.index_information())
    assert not {"owed_1", "telling_until_1"} & names
    assert {"owing_1", "code_hash_1", "family_ref_1"} <= names
    [dropped] = [r for r in caplog.records if r.name == "entraide.kit.retired_indexes"]
    assert dropped.levelno == logging.INFO
    assert (dropped.__dict__["collection"], dropped.__dict__["indexes"]) == (
        "self_requests",
        ["owed_1", "telling_until_1"],
    )
    caplog.clear()

    await store.ensure_indexes()  # the next start-up

    assert set(await store.requests.index_information()) == names
    assert not [r for r in caplog.records if r.name == "entraide.kit.retired_indexes"]
