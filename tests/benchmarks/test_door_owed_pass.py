"""Benchmark: intake's owed-work pass reads the door decisions still owing something, every
minute, among all the door's requests, against baselines measured in the same run.

    ENTRAIDE_BENCH_DOOR_REQUESTS (default 100000): requests in the queue, a few owing

The queue holds REQUESTS door requests (waiting, confirmed, refused: what a year of the
door leaves), OWING of them decided with work still owed (a refusal's message, flags to
carry). The figure is the pass's read (`SelfRequestStore.owing`, by the owing requests'
marker under a unique sparse index), median and p99 of SAMPLES reads after a process's
first (which also marks the notes written before the marker existed: one scan, measured
apart). Baselines, the same few documents read in the same rounds, each decoded as the
pass does:

- the scan: the note's field, `{owed: {$exists: true}}`, as the pass read it before the
  marker (85c9b34; it also read `telling_until` so, twice a minute). On mongo-java-server
  a filter is served by an index only if the index is unique, so this reads every request;
- the floor: a find by `_id` of the owing requests' ids, the fastest read the store has.

The headline is the pass's read as a share of the scan; the floor shows how far it is from
the best the store can do. No bound in milliseconds: the machine is shared."""

import os
from dataclasses import replace
from datetime import UTC, datetime, timedelta

from entraide.intake.adapters.self_requests import SelfRequestStore, document_of, request_of
from entraide.intake.domain.self_requests import RefusalReason, SelfRequest, Stage
from entraide.intake.usecases.self_requests import FamilyDoor
from tests.benchmarks.owed_pass import side_by_side
from tests.unit.intake.fakes import FakeKeys, FakeUnitOfWork
from tests.unit.intake.test_family_door import FakeQueue, submission

REQUESTS = int(os.environ.get("ENTRAIDE_BENCH_DOOR_REQUESTS", "100000"))
OWING, BATCH = 5, 1000
NAME = "door owed-work pass"
SCAN = "scan by the note (`owed` $exists), the read before 85c9b34"
NOW = datetime(2026, 12, 2, 9, 0, tzinfo=UTC)


async def a_request() -> SelfRequest:
    """One real door request (sealed identity, hashes), the model of the others."""
    uow, queue = FakeUnitOfWork(), FakeQueue()
    door = FamilyDoor(queue, uow.families, FakeKeys())
    received = await door.submit(submission(), NOW)
    return queue.stored[received.self_id]


def nth(model: SelfRequest, i: int) -> SelfRequest:
    stage = (Stage.PENDING, Stage.CONFIRMED, Stage.REFUSED)[i % 3]
    decided = None if stage == Stage.PENDING else NOW - timedelta(days=i % 300)
    return replace(
        model,
        id=f"door-{i:07d}",
        family_id=f"family-{i:07d}",
        code_hash=f"{i:064x}",
        stage=stage,
        decided_at=decided,
        refusal=RefusalReason.NOT_A_REQUEST if stage == Stage.REFUSED else None,
    )


async def test_the_owed_work_pass_reads_a_few_owing_among_100_000_requests(mongo, unique) -> None:
    store = SelfRequestStore(mongo[f"bench_door_{unique}"])
    await store.ensure_indexes()
    model = await a_request()
    for start in range(0, REQUESTS, BATCH):
        batch = [nth(model, i) for i in range(start, min(start + BATCH, REQUESTS))]
        await store.requests.insert_many([document_of(r) for r in batch])
    owing = [
        replace(nth(model, 3 * i), id=f"owing-{i}", code_hash=f"owing-{i}") for i in range(OWING)
    ]
    for request in owing:  # decided through the store, as staff's decisions are
        await store.add(request)
        refused = replace(request, stage=Stage.REFUSED, decided_at=NOW, decided_by="staff")
        assert await store.decide(replace(refused, owed="erased", telling_until=NOW))
    ids = sorted(r.id for r in owing)

    async def read(query: dict) -> list[SelfRequest]:
        return [request_of(doc) async for doc in store.requests.find(query).limit(100)]

    await side_by_side(
        NAME,
        marker=("owing()", store.owing),
        scan=(SCAN, lambda: read({"owed": {"$exists": True}})),
        floor=lambda: read({"_id": {"$in": ids}}),
        expected=ids,
        among=f"among {REQUESTS:,} requests ({OWING} owing)",
    )
