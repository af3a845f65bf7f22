"""Benchmark: partner events ingested per second through the Kafka door, against a raw
aiokafka consumer reading the same events in the same run.

    make bench
"""

import time
import uuid

import pytest
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer
from pydantic import SecretStr

from entraide.intake.app import create_app as intake_app
from entraide.intake.domain.partners import Partner
from entraide.intake.settings import IntakeSettings
from tests.benchmarks.record import record
from tests.infra import Endpoints, settings_on
from tests.integration.test_partner_doors import partner_event
from tests.support import eventually, scratch_topic, serving

EVENTS = 5000  # ten batches and more: a rate, not one batch's time
SOURCE = "urn:entraide:partner:bench"


@pytest.fixture
async def door(infra: Endpoints):
    """A partner topic (and its dead-letter topic) of the benchmark's own."""
    async with scratch_topic(
        infra.kafka_bootstrap, "entraide.bench.partners", partitions=6
    ) as name:
        yield name


async def test_partner_events_ingested_per_second(infra: Endpoints, mongo, door) -> None:
    producer = AIOKafkaProducer(bootstrap_servers=infra.kafka_bootstrap, acks="all", linger_ms=5)
    await producer.start()
    for i in range(EVENTS):
        await producer.send(door, partner_event(SOURCE, f"bench-{i}"), key=f"bench-{i}".encode())
    await producer.flush()
    await producer.stop()

    consumer = AIOKafkaConsumer(
        door, bootstrap_servers=infra.kafka_bootstrap, group_id=None, auto_offset_reset="earliest"
    )
    await consumer.start()
    started, seen = time.perf_counter(), 0
    while seen < EVENTS:
        batch = await consumer.getmany(timeout_ms=1000)
        seen += sum(len(records) for records in batch.values())
    raw_rate = EVENTS / (time.perf_counter() - started)
    await consumer.stop()

    settings = settings_on(
        IntakeSettings,
        infra,
        f"bench_partners_{uuid.uuid4().hex[:8]}",
        partner_events_topic=door,
        outbox_relay=False,  # the door publishes each batch's events itself, at once
        keys="local",  # the figures predate privacy's key vault: keep measuring the same path
        partners={"bench": Partner(secret=SecretStr("x"), source=SOURCE)},
    )
    families = mongo[settings.database]["families"]

    async def all_recorded() -> bool:
        return await families.count_documents({}) >= EVENTS

    async with serving(intake_app(settings)):
        # timed from the first family stored (the consumer's start and its group's join
        # left out, as the raw consumer's are), to the last
        first = await eventually(
            lambda: families.count_documents({}), timeout=600, what="a first family stored"
        )
        started = time.perf_counter()
        await eventually(all_recorded, timeout=600, what="every partner event recorded")
        ingest_rate = (EVENTS - first) / (time.perf_counter() - started)

    assert await families.count_documents({}) == EVENTS  # each event once
    record(
        "partner ingestion (Kafka door)",
        "events ingested per second",
        ingest_rate,
        "events/s",
        baseline=raw_rate,
        baseline_name="raw aiokafka consumer",
        notes=f"{EVENTS} events in batches: validate, seal identity, store families, publish; "
        "timed from the first family stored",
    )
    print(
        f"\nraw aiokafka consumer: {raw_rate:.0f} events/s; partner ingestion (validate, "
        f"store families, publish at once): {ingest_rate:.0f} events/s; "
        f"ratio {ingest_rate / raw_rate:.4f}"
    )
