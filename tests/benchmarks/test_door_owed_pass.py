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
import statistics
import time
from collections.abc import Awaitable, Callable
from dataclasses import replace
from datetime import UTC, datetime, timedelta

from entraide.intake.adapters.self_requests import SelfRequestStore, document_of, request_of
from entraide.intake.domain.self_requests import RefusalReason, SelfRequest, Stage
from entraide.intake.usecases.self_requests import FamilyDoor
from tests.benchmarks.record import record
from tests.unit.intake.fakes import FakeKeys, FakeUnitOfWork
from tests.unit.intake.test_family_door import FakeQueue, submission

REQUESTS = int(os.environ.get("ENTRAIDE_BENCH_DOOR_REQUESTS", "100000"))
OWING, SAMPLES, BATCH = 5, 50, 1000
NAME = "door owed-work pass"
SHARE = 0.1  # of the scan: the marker's read must not grow with the queue as the scan does
SCAN = "scan by the note (`owed` $exists), the read before 85c9b34"
FLOOR = "find by _id of the same ids"
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


def p99(took: list[float]) -> float:
    return sorted(took)[int(0.99 * (len(took) - 1))]


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

    reads: dict[str, Callable[[], Awaitable[list[SelfRequest]]]] = {
        "owing": store.owing,
        "scan": lambda: read({"owed": {"$exists": True}}),
        "floor": lambda: read({"_id": {"$in": ids}}),
    }
    started = time.perf_counter()  # a process's first pass also marks older notes: a scan
    await store.owing()
    first = (time.perf_counter() - started) * 1000
    names = list(reads)
    took: dict[str, list[float]] = {name: [] for name in names}
    for i in range(SAMPLES):  # the three in the same rounds, each round in another order
        for name in names[i % 3 :] + names[: i % 3]:
            started = time.perf_counter()
            found = await reads[name]()
            took[name].append((time.perf_counter() - started) * 1000)
            assert sorted(r.id for r in found) == ids, name

    median = {name: statistics.median(spent) for name, spent in took.items()}
    high = {name: p99(spent) for name, spent in took.items()}
    share = median["owing"] / median["scan"]
    print(f"\n{NAME}: {REQUESTS} requests, {OWING} owing, {SAMPLES} rounds")
    for name in took:
        print(f"{NAME}: {name}: median {median[name]:.2f} ms, p99 {high[name]:.2f} ms")
    print(f"{NAME}: owing() / scan {share:.3f}, / floor {median['owing'] / median['floor']:.1f}")
    print(f"{NAME}: a process's first pass {first:.1f} ms")
    among = f"among {REQUESTS:,} requests ({OWING} owing)"
    for q, values in (("median", median), ("p99", high)):
        record(
            NAME,
            f"owing() {among}, {q}",
            values["owing"],
            "ms",
            baseline=values["scan"],
            baseline_name=SCAN,
            floor_ms=values["floor"],
            target=f"<= {SHARE} x the scan" if q == "median" else "",
            met=share <= SHARE if q == "median" else None,
        )
        figure = f"{FLOOR} {among}, {q}"
        record(NAME, figure, values["floor"], "ms", baseline=values["scan"], baseline_name=SCAN)
        record(NAME, f"scan by the note {among}, {q}", values["scan"], "ms")
    figure = f"a process's first owing() {among}"
    record(NAME, figure, first, "ms", baseline=median["scan"], baseline_name=SCAN)
