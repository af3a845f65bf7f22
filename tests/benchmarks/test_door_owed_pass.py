"""Benchmark: intake's owed-work pass reads the door decisions still owing something, every
minute, among all the door's requests.

    ENTRAIDE_BENCH_DOOR_REQUESTS (default 100000): requests in the queue, a few owing

The queue holds REQUESTS door requests (waiting, confirmed, refused: what a year of the
door leaves), OWING of them decided with work still owed (a refusal's message, flags to
carry). The figure is the pass's read (`SelfRequestStore.owing`), median and p99 of
SAMPLES reads after a process's first (which also marks the notes written before the
marker existed: one scan, measured apart). On mongo-java-server a filter is served by an
index only if the index is unique (a normal or sparse one is a scan: ~64 ms at 100,000
documents, README's store table), so the read must go by the unique sparse index of the
owing requests' marker."""

import os
import statistics
import time
from dataclasses import replace
from datetime import UTC, datetime, timedelta

from entraide.intake.adapters.self_requests import SelfRequestStore, document_of
from entraide.intake.domain.self_requests import RefusalReason, SelfRequest, Stage
from entraide.intake.usecases.self_requests import FamilyDoor
from tests.benchmarks.record import record
from tests.unit.intake.fakes import FakeKeys, FakeUnitOfWork
from tests.unit.intake.test_family_door import FakeQueue, submission

REQUESTS = int(os.environ.get("ENTRAIDE_BENCH_DOOR_REQUESTS", "100000"))
OWING, SAMPLES, BATCH = 5, 50, 1000
NAME = "door owed-work pass"
BOUND_MS = 15.0  # a few ms a minute whatever the queue's size (a scan: ~100 ms)
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

    started = time.perf_counter()  # a process's first pass also marks older notes: a scan
    await store.owing()
    first = (time.perf_counter() - started) * 1000
    took = []
    for _ in range(SAMPLES):
        started = time.perf_counter()
        found = await store.owing()
        took.append((time.perf_counter() - started) * 1000)
    assert sorted(r.id for r in found) == sorted(r.id for r in owing)

    median, p99 = statistics.median(took), sorted(took)[int(0.99 * (SAMPLES - 1))]
    print(f"\n{NAME}: {REQUESTS} requests, {OWING} owing: median {median:.2f} ms, p99 {p99:.2f} ms")
    print(f"{NAME}: a process's first pass {first:.1f} ms")
    record(
        NAME,
        f"owing() among {REQUESTS:,} requests, median",
        median,
        "ms",
        target=f"< {BOUND_MS} ms",
    )
    record(NAME, f"owing() among {REQUESTS:,} requests, p99", p99, "ms")
    record(NAME, f"a process's first owing() among {REQUESTS:,} requests", first, "ms")
    assert median < BOUND_MS, f"the pass's read scans the queue: {median:.1f} ms"
