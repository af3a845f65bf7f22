"""Matching consumes at least once with effectively-once effects, and dead-letters poison."""

import uuid
from datetime import UTC, datetime

import pytest
from aiokafka import AIOKafkaProducer

from entraide.contracts import new_event
from entraide.contracts.events import RequestSubmitted, RequestUpdated
from entraide.contracts.topics import REQUESTS
from entraide.contracts.vocab import Need, RequestChannel, Urgency
from entraide.matching.app import create_app as matching_app
from tests.support import eventually, records, serving


def state(family_ref: str, revision: int, urgency: Urgency, model=RequestSubmitted, **extra):
    stamp = "submitted_at" if model is RequestSubmitted else "updated_at"
    return model(
        request_id=uuid.uuid4().hex if "request_id" not in extra else extra.pop("request_id"),
        family_ref=family_ref,
        revision=revision,
        departement="59",
        postal_code="59000",
        children_age_bands=["6-10"],
        needs=[Need.ACCOMPAGNEMENT_SCOLAIRE],
        urgency=urgency,
        channel=RequestChannel.PARTNER,
        consent_to_matching=True,
        **{stamp: datetime.now(UTC)},
        **extra,
    )


@pytest.fixture
async def producer(matching_settings):
    producer = AIOKafkaProducer(
        bootstrap_servers=matching_settings.kafka_bootstrap, enable_idempotence=True, acks="all"
    )
    await producer.start()
    yield producer
    await producer.stop()


async def send(producer, key: str, value: bytes) -> None:
    await producer.send_and_wait(REQUESTS.name, value, key=key.encode())


async def test_duplicate_and_stale_deliveries_change_nothing(
    matching_settings, producer, mongo
) -> None:
    family = f"fam-{uuid.uuid4().hex[:12]}"
    first = new_event(state(family, 1, Urgency.LOW), source="/test", subject=family)
    request_id = first.data.request_id
    update = new_event(
        state(family, 2, Urgency.HIGH, model=RequestUpdated, request_id=request_id),
        source="/test",
        subject=family,
    )
    marker = new_event(state(family, 1, Urgency.LOW), source="/test", subject=family)
    views = mongo[matching_settings.database]["requests"]

    async with serving(matching_app(matching_settings)):
        await send(producer, family, first.model_dump_json().encode())
        await send(producer, family, update.model_dump_json().encode())
        after_update = await eventually(
            lambda: views.find_one({"_id": request_id, "revision": 2}), what="revision 2"
        )
        # the same events again, out of order; the marker comes after them on the partition
        await send(producer, family, update.model_dump_json().encode())
        await send(producer, family, first.model_dump_json().encode())
        await send(producer, family, marker.model_dump_json().encode())
        await eventually(lambda: views.find_one({"_id": marker.data.request_id}), what="marker")

    assert await views.find_one({"_id": request_id}) == after_update
    assert after_update["urgency"] == "high"
    assert after_update["last_event_id"] == update.id


async def test_poison_messages_are_dead_lettered_with_a_reason_and_do_not_block(
    matching_settings, producer, mongo
) -> None:
    family = f"fam-{uuid.uuid4().hex[:12]}"
    bad_field = new_event(state(family, 1, Urgency.LOW), source="/test", subject=family)
    bad_field_json = bad_field.model_dump_json().replace('"urgency":"low"', '"urgency":"later"')
    good = new_event(state(family, 1, Urgency.MEDIUM), source="/test", subject=family)
    views = mongo[matching_settings.database]["requests"]

    async with serving(matching_app(matching_settings)):
        await send(producer, family, b"\xff not json at all")
        await send(producer, family, bad_field_json.encode())
        await send(producer, family, good.model_dump_json().encode())
        await eventually(lambda: views.find_one({"_id": good.data.request_id}), what="good event")

    assert await views.find_one({"_id": bad_field.data.request_id}) is None
    group = f"{matching_settings.consumer_group_prefix}-matching"
    dead = await records(
        matching_settings.kafka_bootstrap,
        REQUESTS.dlq,
        key=family.encode(),
        at_least=2,
        where=lambda r: ("x-dlq-consumer-group", group.encode()) in r.headers,
    )
    headers = [{k: v.decode() for k, v in r.headers} for r in dead]
    assert [h["x-dlq-reason"] for h in headers] == ["not-json", "invalid-event"]
    assert "data.urgency" in headers[1]["x-dlq-detail"]
    assert all(h["x-dlq-original-topic"] == REQUESTS.name for h in headers)
    assert dead[1].value == bad_field_json.encode()  # kept whole, to fix and replay
