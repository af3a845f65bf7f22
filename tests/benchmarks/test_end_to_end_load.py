"""Benchmark: partner events in (the Kafka door) -> match proposals out (the matches topic),
sustained, with intake and matching as real processes on a throwaway broker and the shared
FerretDB; raw aiokafka produce -> consume at the same offered rate in the same run.

    make bench    (ENTRAIDE_BENCH_E2E_RATE events/s, ENTRAIDE_BENCH_E2E_SECONDS; 10 and 180)

The issue's target is 1,000 events/s with p99 < 500 ms; the figures say what this machine
with FerretDB 1.24 (SQLite: every update, count and non-_id query scans its collection)
reaches, and the notes say why.
"""

import asyncio
import os
import statistics
import time
import uuid
from pathlib import Path

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer

from entraide.contracts import parse_event
from entraide.contracts.topics import MATCHES, PARTNER_RAW
from entraide.intake import partners
from tests.benchmarks.record import record
from tests.fault_support import SOURCE, World, partner_event, send_volunteers
from tests.infra import Endpoints, ServiceProcess, free_port, throwaway_kafka
from tests.support import eventually, scratch_topic

RATE = float(os.environ.get("ENTRAIDE_BENCH_E2E_RATE", "10"))
SECONDS = float(os.environ.get("ENTRAIDE_BENCH_E2E_SECONDS", "180"))
DRAIN_S = 300
NAME = "end to end: partner event -> proposal"


def pct(values: list[float], q: int) -> float:
    return statistics.quantiles(values, n=100)[q - 1] if len(values) > 1 else values[0]


async def offered(bootstrap: str, topic: str, ids: list[str], body) -> dict[str, float]:
    """Send one event per id at RATE per second; the send time of each."""
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, acks="all", linger_ms=2)
    await producer.start()
    sent: dict[str, float] = {}
    started = time.monotonic()
    try:
        for i, event_id in enumerate(ids):
            delay = started + i / RATE - time.monotonic()
            if delay > 0:
                await asyncio.sleep(delay)
            sent[event_id] = time.time()
            await producer.send(topic, body(event_id), key=event_id.encode())
        await producer.flush()
    finally:
        await producer.stop()
    return sent


async def received(
    bootstrap: str, topic: str, want: int, key_of, deadline: float, ready: asyncio.Event
) -> dict:
    """The receive time of each record's key (by `key_of`) until `want` or the deadline;
    `ready` is set once the consumer has its partitions (so no start-up lag is measured)."""
    consumer = AIOKafkaConsumer(
        topic, bootstrap_servers=bootstrap, group_id=None, auto_offset_reset="earliest"
    )
    await consumer.start()
    seen: dict[str, float] = {}
    try:
        await consumer.getmany(timeout_ms=200)
        ready.set()
        while len(seen) < want and time.monotonic() < deadline:
            batch = await consumer.getmany(timeout_ms=500)
            now = time.time()
            for records in batch.values():
                for r in records:
                    key = key_of(r.value)
                    if key is not None:
                        seen.setdefault(key, now)
    finally:
        await consumer.stop()
    return seen


def proposal_request(value: bytes) -> str | None:
    event = parse_event(value)
    return getattr(event.data, "request_id", None) if "proposed" in event.type else None


def rss_mib(proc: ServiceProcess) -> float:
    assert proc.proc is not None
    for line in Path(f"/proc/{proc.proc.pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


async def test_partner_events_to_proposals_sustained(infra: Endpoints, mongo, tmp_path) -> None:
    count = int(RATE * SECONDS)
    ids = [f"load-{uuid.uuid4().hex[:6]}-{i}" for i in range(count)]
    with throwaway_kafka(tmp_path / "kafka") as (bootstrap, kafka):
        kafka.up()
        world = World(
            Endpoints(bootstrap, infra.mongodb_uri, "bench"), f"bench_e2e_{uuid.uuid4().hex[:6]}"
        )
        # baseline: raw aiokafka at the same offered rate, same broker, 20 s
        async with scratch_topic(bootstrap, "entraide.bench.raw", partitions=6) as raw_topic:
            raw_ids = [f"raw-{i}" for i in range(int(RATE * min(SECONDS, 20)))]
            ready = asyncio.Event()
            listening = asyncio.create_task(
                received(
                    bootstrap, raw_topic, len(raw_ids), bytes.decode, time.monotonic() + 120, ready
                )
            )
            await ready.wait()
            raw_sent = await offered(bootstrap, raw_topic, raw_ids, str.encode)
            raw_seen = await listening
        raw_lat = [(raw_seen[k] - raw_sent[k]) * 1000 for k in raw_seen]

        await send_volunteers(bootstrap, count // 5 + 20)
        procs = {}
        for service in ("matching", "intake"):
            env = world.env(service) | {
                f"ENTRAIDE_{service.upper()}_PORT": str(free_port()),
                "ENTRAIDE_SCHEDULER": "false",  # online proposals only: the path measured
                "ENTRAIDE_LOG_LEVEL": "WARNING",
            }
            procs[service] = ServiceProcess(service, env, tmp_path / f"{service}.log").start()
        try:
            await eventually(lambda: _enough_volunteers(mongo, world, count // 5 + 20), timeout=300)
            deadline = time.monotonic() + SECONDS + DRAIN_S
            ready = asyncio.Event()
            listening = asyncio.create_task(
                received(bootstrap, MATCHES.name, count, proposal_request, deadline, ready)
            )
            await ready.wait()
            sent = await offered(bootstrap, PARTNER_RAW.name, ids, partner_event)
            proposed = await listening
            memory = {name: rss_mib(p) for name, p in procs.items()}
        finally:
            for proc in procs.values():
                proc.stop()
        by_family = {partners.family_id(SOURCE, e): e for e in ids}
        latencies = []
        async for family in mongo[f"{world.name}_intake"]["families"].find({}, {"requests": 1}):
            event_id = by_family.get(family["_id"])
            request_id = family["requests"][0]["request_id"]
            if event_id and request_id in proposed:
                latencies.append((proposed[request_id] - sent[event_id]) * 1000)
    assert latencies, "no proposal came out"
    done = len(latencies)
    span = max(proposed.values()) - min(sent.values())
    rate = done / span
    raw_rate = len(raw_lat) / (max(raw_seen.values()) - min(raw_sent.values()))
    notes = (
        f"offered {RATE:.0f} events/s for {SECONDS:.0f} s ({count} events), {done} proposals out; "
        "intake and matching as processes, FerretDB 1.24 SQLite (scans whole collections "
        "for update/count/non-_id queries, so each event costs more as collections grow)"
    )
    record(NAME, "sustained throughput", rate, "events/s", baseline=raw_rate,
           baseline_name="raw aiokafka, same offered rate", target=">= 1,000 events/s",
           met=rate >= 1000, notes=notes)  # fmt: skip
    for q in (50, 99):
        record(NAME, f"latency p{q}", pct(latencies, q), "ms", baseline=pct(raw_lat, q),
               baseline_name="raw aiokafka produce -> consume",
               target="p99 < 500 ms" if q == 99 else "",
               met=pct(latencies, 99) < 500 if q == 99 else None)  # fmt: skip
    record(NAME, "latency max", max(latencies), "ms", baseline=max(raw_lat),
           baseline_name="raw aiokafka produce -> consume")  # fmt: skip
    for service, mib in memory.items():
        record("memory", f"{service} RSS after the load", mib, "MiB")
    print(f"\n{NAME}: {rate:.1f} events/s, p50 {pct(latencies, 50):.0f} ms, "
          f"p99 {pct(latencies, 99):.0f} ms, max {max(latencies):.0f} ms ({done}/{count}); "
          f"raw aiokafka p99 {pct(raw_lat, 99):.1f} ms; memory {memory}")  # fmt: skip


async def _enough_volunteers(mongo, world: World, n: int) -> bool:
    return await mongo[f"{world.name}_matching"]["volunteers"].count_documents({}) >= n
