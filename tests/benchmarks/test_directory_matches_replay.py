"""Benchmark: a replay of the matches topic through directory's matches consumer (its
handler as `register` wires it, on the real store) against the floor, a bare aiokafka
consumer, in the same run.

    make bench   (or alone: pytest tests/benchmarks/test_directory_matches_replay.py -s)

5,000 events in the topic's order (one partition): 2,000 proposals (1,800 to 200 approved
volunteers, 200 to volunteers directory does not know), 1,500 acceptances, 1,000 starts,
500 closures. Both sides read that topic from its start with the same bare aiokafka reader,
in the batches directory's subscriber asks for (up to 500 records, 50 ms); only what they
do with a batch differs:
- the floor (the baseline): each record's JSON read and one pymongo bulk write of upserts
  (the match's last move), no domain: the least store work a consumer of the topic does;
- directory's consumer: its `parse`, then its handler (one `find` of the batch's
  volunteers, one bulk write of their supports, the notifier's record of each proposal).
The kit's subscription (faststream, offsets committed) is in neither. Each round runs both
on a fresh database (every support written, every proposal told), then again (a new
replica's replay: all already there); the two sides alternate, the one going first changes
each round, so the shared machine's noise weighs on both. Figures: medians of ROUNDS.
"""

import json
import random
import statistics
import time
from collections import Counter
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

import pytest
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition
from pymongo import AsyncMongoClient, UpdateOne

from entraide.directory.entrypoints.consumers import matches
from entraide.directory.settings import DirectorySettings
from entraide.kit.consumers import Batch, Record
from tests.benchmarks.record import record
from tests.infra import Endpoints, settings_on
from tests.integration.directory_matches import (
    Commands,
    Directory,
    accepted,
    as_record,
    closed,
    directory,
    proposal,
    started,
)
from tests.support import scratch_topic

VOLUNTEERS, MATCHES, EVENTS, ROUNDS = 200, 2_000, 5_000, 3
PHASES = ("fresh database", "again (all there)")
FLOOR = "bare aiokafka consumer, one pymongo bulk upsert a batch"
# store commands a proposal to a known volunteer may cost: the volunteer's key read, the
# notifier's record (inserted, leased, marked sent) on a fresh database; again, the key read
# and the record's insert refused (told already)
PER_PROPOSAL = {PHASES[0]: 4, PHASES[1]: 2}

Handle = Callable[[list[Record]], Awaitable[None]]


def topic(refs: list[str], seed: int = 7) -> list:
    rng = random.Random(seed)
    events = []
    for i in range(MATCHES):
        ref = rng.choice(refs) if i % 10 else f"unknown-{i:08d}"
        p = proposal(ref, at=proposal(None).proposed_at + timedelta(minutes=i))
        events.append(p)
        if i < 1_500:
            events.append(accepted(p))
        if i < 1_000:
            events.append(started(p))
        if i < 500:
            events.append(closed(p))
    return sorted(events, key=lambda e: e.move()[1])


async def published(bootstrap: str, name: str, events: list) -> None:
    """The events on the topic, in their order (one partition)."""
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, linger_ms=5)
    await producer.start()
    try:
        for event in events:
            await producer.send(name, as_record(event).value)
        await producer.flush()
    finally:
        await producer.stop()


async def read(bootstrap: str, name: str, handle: Handle) -> tuple[float, int]:
    """The topic's EVENTS from its start, batch by batch as the subscriber asks for them,
    each handled before the next is read: events per second, batches."""
    consumer = AIOKafkaConsumer(bootstrap_servers=bootstrap, group_id=None)
    await consumer.start()
    try:
        part = TopicPartition(name, 0)
        consumer.assign([part])
        await consumer.seek_to_beginning(part)
        seen = batches = 0
        began = time.perf_counter()
        while seen < EVENTS:
            got = await consumer.getmany(
                part, timeout_ms=matches.BATCH_TIMEOUT_MS, max_records=matches.BATCH_MAX_RECORDS
            )
            for records in got.values():
                await handle(records)
                seen, batches = seen + len(records), batches + 1
        return seen / (time.perf_counter() - began), batches
    finally:
        await consumer.stop()


class Floor:
    """The least a consumer of the topic does with a batch: each record's JSON read, the
    match's last move upserted, one bulk write; no domain, no model."""

    def __init__(self, client: AsyncMongoClient[dict[str, Any]], database: str) -> None:
        self.collection = client[database]["matches"]

    async def __call__(self, records: list[Record]) -> None:
        writes = []
        for r in records:
            event = json.loads(r.value or b"{}")
            move = {"$set": {"type": event["type"], "at": event["time"]}}
            writes.append(UpdateOne({"_id": event["data"]["match_id"]}, move, upsert=True))
        await self.collection.bulk_write(writes)


def consumer(d: Directory) -> Handle:
    """Directory's consumer on a batch, as the kit's subscription calls it: parse each
    record, handle the values."""

    async def handle(records: list[Record]) -> None:
        parsed = [(d.parse(r), r) for r in records]
        batch = Batch(items=[(v, r) for v, r in parsed if v is not None])
        if batch.items:
            await d.handle(batch)

    return handle


async def emptied(d: Directory, floor: Floor) -> None:
    """A fresh database for both: no support, nothing told, no match upserted."""
    for collection in ("volunteer_supports", "notifications"):
        await d.db[collection].delete_many({})
    await floor.collection.delete_many({})
    d.outbox.sent.clear()


def checked(commands: Commands, phase: str, batches: int, proposals: int) -> Counter[str]:
    """The consumer's store commands by collection, within the bounds its batching keeps:
    a batch reads its volunteers once and writes their supports in one ordered bulk (one
    `update`, one `delete` command); a proposal to a known volunteer costs PER_PROPOSAL."""
    by = Counter(on for _, on in commands.seen)
    assert by["volunteers"] <= batches, by
    assert by["volunteer_supports"] <= 2 * batches, by
    assert by["volunteer_keys"] + by["notifications"] <= PER_PROPOSAL[phase] * proposals, by
    assert set(by) <= {"volunteers", "volunteer_supports", "volunteer_keys", "notifications"}
    return Counter(f"{name} {on}" for name, on in commands.seen)


@pytest.fixture
async def matches_topic(infra: Endpoints):
    async with scratch_topic(infra.kafka_bootstrap, "entraide.bench.matches") as name:
        yield name


@pytest.fixture
async def floor_client(infra: Endpoints) -> AsyncIterator[tuple[AsyncMongoClient, Commands]]:
    commands = Commands()
    client: AsyncMongoClient[dict[str, Any]] = AsyncMongoClient(
        infra.mongodb_uri, tz_aware=True, event_listeners=[commands]
    )
    yield client, commands
    await client.close()


@dataclass
class Sides:
    """The floor and directory's consumer on one topic: each run's rate, by side and phase."""

    bootstrap: str
    topic: str
    floor: Floor
    floor_commands: Commands
    d: Directory
    proposals: int  # to volunteers directory knows
    rates: dict[tuple[str, str], list[float]] = field(default_factory=dict)
    commands: dict[str, Counter[str]] = field(default_factory=dict)

    async def round(self, order: tuple[str, ...]) -> None:
        """Both sides on a fresh database, then again, in this order each time."""
        await emptied(self.d, self.floor)
        for phase in PHASES:
            for side in order:
                await self.run(side, phase)
        assert await self.d.db["volunteer_supports"].count_documents({"state": "started"}) == 450
        assert len(self.d.outbox.sent) == 1_800  # told once each, on the fresh database only

    async def run(self, side: str, phase: str) -> None:
        """One side reads the whole topic: its rate kept, its store commands checked."""
        ours = side == "consumer"
        handle, seen = (
            (consumer(self.d), self.d.commands) if ours else (self.floor, self.floor_commands)
        )
        seen.seen.clear()
        rate, batches = await read(self.bootstrap, self.topic, handle)
        self.rates.setdefault((side, phase), []).append(rate)
        if ours:
            self.commands[phase] = checked(seen, phase, batches, self.proposals)
        else:
            assert seen.seen == [("update", "matches")] * batches  # one bulk write a batch
        print(f"\n{phase}, {side}: {rate:,.0f} events/s, {batches} batches")


async def test_a_replay_of_the_matches_topic(
    infra: Endpoints, unique: str, matches_topic: str, floor_client
) -> None:
    settings = settings_on(DirectorySettings, infra, f"bench_directory_{unique}", keys="local")
    client, floor_commands = floor_client
    floor = Floor(client, f"bench_directory_floor_{unique}")
    async with directory(settings) as d:
        refs = await d.approved(VOLUNTEERS)
        events = topic(refs)
        assert len(events) == EVENTS
        await published(infra.kafka_bootstrap, matches_topic, events)
        known = sum(getattr(e, "volunteer_ref", None) in refs for e in events)  # 1,800
        sides = Sides(infra.kafka_bootstrap, matches_topic, floor, floor_commands, d, known)
        await read(infra.kafka_bootstrap, matches_topic, floor)  # warm-up, not counted
        for i in range(ROUNDS):
            await sides.round(("floor", "consumer")[:: 1 if i % 2 else -1])
    for phase in PHASES:
        ours, base = sides.rates[("consumer", phase)], sides.rates[("floor", phase)]
        figures(phase, ours, base, sides.commands[phase])


def figures(phase: str, ours: list[float], floor: list[float], commands: Counter[str]) -> None:
    """The phase's medians recorded (the consumer's, the floor's beside it)."""
    rate, base = statistics.median(ours), statistics.median(floor)
    total = sum(commands.values())
    print(
        f"\n{phase}: consumer {rate:,.0f} events/s, floor {base:,.0f} events/s, ratio "
        f"{rate / base:.3f}; consumer's store commands (last round) {total:,}: "
        f"{commands.most_common()}"
    )
    record(
        "directory matches replay",
        phase,
        rate,
        "events/s",
        baseline=base,
        baseline_name=FLOOR,
        commands=dict(commands),
        notes=f"{phase}: {EVENTS:,} match events from one Kafka partition, batches of up to "
        f"{matches.BATCH_MAX_RECORDS}; medians of {ROUNDS} alternating rounds (consumer "
        + ", ".join(f"{r:,.0f}" for r in ours)
        + "; floor "
        + ", ".join(f"{r:,.0f}" for r in floor)
        + f" events/s); the consumer's store commands {total:,} ({total / EVENTS:.2f} an "
        "event; " + ", ".join(f"{k} {n:,}" for k, n in commands.most_common()) + ")",
    )
