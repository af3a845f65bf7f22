"""Benchmarks: erasure case time across the four services, and the retention sweep at
1,000,000 subjects, each against a baseline measured in the same run.

    make bench          (ENTRAIDE_BENCH_SUBJECTS=100000 for a quicker sweep run)

Erasure: the four services run in-process on the real broker and store (the stack's own
processes would mix this run's cases with their work); a case's time runs from the
officer's request to its closing (four acknowledgements, keys destroyed). Baseline: the
same number of Kafka round trips (command out, four acknowledgements back) with raw
aiokafka and no store work. Sweep: subjects written straight into a privacy database,
one in a hundred expired; baseline: the bare indexed find of the same candidates.
"""

import os
import statistics
import time
from datetime import UTC, datetime, timedelta

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer
from faststream.kafka import KafkaBroker

from entraide.contracts.vocab import SubjectKind
from entraide.privacy.adapters.commands import KafkaCommands
from entraide.privacy.adapters.notices import LoggingSender
from entraide.privacy.adapters.store import MongoAudit, MongoCases, MongoNotices, MongoSubjects
from entraide.privacy.adapters.vault import KeyVault
from entraide.privacy.domain.retention import RetentionPolicy
from entraide.privacy.usecases.cases import Rights
from entraide.privacy.usecases.sweep import sweep
from tests.benchmarks.record import record
from tests.integration.conftest import privacy_settings
from tests.privacy_support import network
from tests.support import eventually, request_body, scratch_topic

__all__ = ["privacy_settings"]
CASES = 30
SUBJECTS = int(os.environ.get("ENTRAIDE_BENCH_SUBJECTS", "1000000"))


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


async def raw_round_trips(bootstrap: str, n: int) -> list[float]:
    """n times: one message out, four back, through a scratch topic (no store, no logic)."""
    async with scratch_topic(bootstrap, "entraide.bench.privacy") as topic:
        producer = AIOKafkaProducer(bootstrap_servers=bootstrap, acks="all")
        consumer = AIOKafkaConsumer(
            topic, bootstrap_servers=bootstrap, auto_offset_reset="earliest"
        )
        await producer.start()
        await consumer.start()
        times = []
        try:
            for _ in range(n):
                started = time.perf_counter()
                for _ in range(5):
                    await producer.send_and_wait(topic, b"x")
                    await consumer.getone()
                times.append(time.perf_counter() - started)
        finally:
            await producer.stop()
            await consumer.stop()
        return times


async def test_erasure_case_time(
    infra, unique, intake_settings, privacy_settings, staff_bearer, mongo, dev_issuer
):
    baseline = await raw_round_trips(infra.kafka_bootstrap, CASES)
    times = []
    async with network(infra, unique, intake_settings, privacy_settings) as net:
        intake, privacy = net["clients"]["intake"], net["clients"]["privacy"]
        privacy.headers["Authorization"] = f"Bearer {await dev_issuer.token_for('dpo')}"
        refs = []
        body = request_body() | {"confirm_new": True}  # the same parent, many families
        for _ in range(CASES):
            created = (
                await intake.post("/api/v1/requests", json=body, headers=staff_bearer)
            ).json()
            family = await mongo[intake_settings.database]["families"].find_one(
                {"requests.request_id": created["request_id"]}
            )
            refs.append(family["family_ref"])
        for ref in refs:
            started = time.perf_counter()
            case_id = (
                await privacy.post("/api/v1/cases", json={"kind": "erasure", "subject_ref": ref})
            ).json()["case_id"]

            async def closed(case_id=case_id) -> bool:
                return (await privacy.get(f"/api/v1/cases/{case_id}")).json()["status"] == "closed"

            await eventually(closed, timeout=120, what="case closed")
            times.append(time.perf_counter() - started)
    p50, p99, b50 = pct(times, 50), pct(times, 99), statistics.median(baseline)
    print(
        f"\nerasure case: p50 {p50:.2f} s, p99 {p99:.2f} s; raw 5 round trips p50 {b50 * 1000:.0f} ms"
    )
    record(
        "privacy-erasure",
        "case time p50",
        p50,
        "s",
        baseline=b50,
        baseline_name="raw Kafka, 5 round trips",
    )
    record(
        "privacy-erasure",
        "case time p99",
        p99,
        "s",
        baseline=pct(baseline, 99),
        baseline_name="raw Kafka, 5 round trips",
    )
    assert p99 < 120


async def test_sweep_throughput_at_a_million_subjects(infra, privacy_settings, mongo):
    db = mongo[privacy_settings.database]
    now = datetime.now(UTC)
    registry = MongoSubjects(db)
    await registry.ensure_indexes()
    started = time.perf_counter()
    batch = []
    for n in range(SUBJECTS):
        days = 3 * 365 + 10 if n % 100 == 0 else n % 900
        batch.append(
            {
                "_id": f"bench-{n:08d}",
                "kind": "family",
                "last_contact_at": now - timedelta(days=days),
                "departement": "44",
            }
        )
        if len(batch) == 10000:
            await db["subjects"].insert_many(batch, ordered=False)
            batch = []
    if batch:
        await db["subjects"].insert_many(batch, ordered=False)
    print(f"\n{SUBJECTS} subjects written in {time.perf_counter() - started:.0f} s")
    policy = RetentionPolicy()
    cutoff = policy.cutoff(SubjectKind.FAMILY, now)

    started = time.perf_counter()
    found = [
        d["_id"]
        async for d in db["subjects"].find(
            {"kind": "family", "last_contact_at": {"$lte": cutoff}}, {"_id": 1}
        )
    ]
    raw_s = time.perf_counter() - started

    async with scratch_topic(
        infra.kafka_bootstrap, "entraide.bench.commands", partitions=6
    ) as commands:
        broker = KafkaBroker(infra.kafka_bootstrap)
        await broker.start()
        try:
            vault = KeyVault(db, privacy_settings.masters(), privacy_settings.active_master)
            rights = Rights(
                MongoCases(db),
                KafkaCommands(broker, commands),
                vault,
                MongoAudit(db),
                services=("privacy",),
                retry_after=timedelta(minutes=5),
                escalate_after=3,
            )
            notices = MongoNotices(db)
            started = time.perf_counter()
            sender = LoggingSender()
            dry = await sweep(
                registry, rights, notices, policy, now=now, dry_run=True, sender=sender
            )
            dry_s = time.perf_counter() - started
            started = time.perf_counter()
            ran = await sweep(
                registry, rights, notices, policy, now=now, dry_run=False, sender=sender
            )
            run_s = time.perf_counter() - started
        finally:
            await broker.stop()
    expired = SUBJECTS // 100
    assert len(found) == dry.expired["family"] == ran.cases_opened == expired
    print(
        f"sweep of {SUBJECTS} subjects ({expired} expired): dry run {dry_s:.1f} s, "
        f"real run {run_s:.1f} s ({expired / run_s:.0f} cases opened/s); bare find {raw_s:.1f} s"
    )
    record(
        "privacy-sweep",
        "dry run",
        dry_s,
        "s",
        baseline=raw_s,
        baseline_name="bare indexed find of the candidates",
        subjects=SUBJECTS,
        expired=expired,
    )
    record(
        "privacy-sweep",
        "real run",
        run_s,
        "s",
        baseline=raw_s,
        baseline_name="bare indexed find of the candidates",
        subjects=SUBJECTS,
        expired=expired,
        cases_per_s=expired / run_s,
    )
    await mongo.drop_database(privacy_settings.database)
