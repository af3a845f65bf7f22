"""Benchmark: the outbox relay's publish rate against raw aiokafka in the same run.

    make bench

Figures are ratios to the baseline measured here and now (the machine is shared).
"""

import time
import uuid
from datetime import UTC, datetime

import pytest
from aiokafka import AIOKafkaProducer
from prometheus_client import CollectorRegistry

from entraide.contracts import new_event
from entraide.contracts.vocab import Need, RequestChannel
from entraide.intake.adapters.documents import family_document
from entraide.intake.adapters.family_store import FamilyStore
from entraide.intake.domain import requests as domain
from entraide.intake.settings import IntakeSettings
from entraide.kit.broker import make_broker
from entraide.kit.outbox import OutboxRelay
from tests.benchmarks.record import record
from tests.infra import Endpoints, settings_on
from tests.support import scratch_topic

EVENTS = 400


def events(n: int):
    for _ in range(n):
        ref = domain.new_family_ref()
        payload = domain.submitted_event(
            request_id=domain.new_request_id(),
            family_ref=ref,
            postal_code="44000",
            children_birth_years=[2019],
            needs=[Need.ECOUTE],
            availability=[],
            languages=["fr"],
            signs=set(),
            association_id="bench",
            channel=RequestChannel.STAFF_API,
            consent_to_matching=True,
            at=datetime.now(UTC),
        )
        yield ref, new_event(payload, source="/bench", subject=ref)


@pytest.fixture
async def bench_topic(infra: Endpoints):
    """A topic of its own, so the benchmark's events never reach the services' consumers."""
    async with scratch_topic(infra.kafka_bootstrap, "entraide.bench.outbox", partitions=6) as name:
        yield name


async def test_outbox_relay_rate_against_raw_aiokafka(infra: Endpoints, mongo, bench_topic) -> None:
    producer = AIOKafkaProducer(
        bootstrap_servers=infra.kafka_bootstrap, enable_idempotence=True, acks="all"
    )
    await producer.start()
    baseline_events = list(events(EVENTS))
    started = time.perf_counter()
    for ref, event in baseline_events:
        await producer.send_and_wait(
            bench_topic, event.model_dump_json().encode(), key=ref.encode()
        )
    raw_rate = EVENTS / (time.perf_counter() - started)
    await producer.stop()

    settings = settings_on(IntakeSettings, infra, f"bench_intake_{uuid.uuid4().hex[:8]}")
    registry = CollectorRegistry()
    broker = make_broker(settings, service="intake", registry=registry)
    store = FamilyStore(mongo[settings.database])
    await store.ensure_indexes()
    docs = [
        family_document({"_id": ref, "family_ref": ref}, {"request_id": e.data.request_id}, [e])
        for ref, e in events(EVENTS)
    ]
    for doc in docs:
        doc["outbox"][0]["topic"] = bench_topic
    await store.families.insert_many(docs)
    relay = OutboxRelay(store.families, broker, registry=registry)
    await broker.start()
    started = time.perf_counter()
    published = 0
    while batch := await relay.publish_batch():
        published += batch
    relay_rate = EVENTS / (time.perf_counter() - started)
    await broker.stop()

    assert published == EVENTS
    assert await store.families.count_documents({"outbox_pending": True}) == 0
    record(
        "outbox relay",
        "events published per second",
        relay_rate,
        "events/s",
        baseline=raw_rate,
        baseline_name="raw aiokafka send_and_wait",
        notes=f"{EVENTS} events: lease, publish (idempotent, acks=all), mark sent",
    )
    print(
        f"\nraw aiokafka send_and_wait: {raw_rate:.0f} events/s; outbox relay (lease, publish, "
        f"mark): {relay_rate:.0f} events/s; ratio {relay_rate / raw_rate:.2f}"
    )
