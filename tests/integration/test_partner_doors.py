"""Partners' two doors, one behaviour: signed HTTP and the raw Kafka topic (sent with kcat)."""

import json
import subprocess
import time
import uuid

from aiokafka import AIOKafkaProducer

from entraide.contracts.events import RequestWithdrawn
from entraide.contracts.topics import REQUESTS
from entraide.intake.app import create_app as intake_app
from entraide.intake.domain import partners
from entraide.intake.entrypoints.partner_event import PARTNER_EVENT_TYPE
from tests.integration.conftest import PARTNER_SECRET as SECRET
from tests.support import eventually, records, request_body, scan, serving


def partner_event(source: str, event_id: str | None = None, **data_changes) -> bytes:
    data = request_body() | data_changes
    del data["association_id"]
    return json.dumps(
        {
            "specversion": "1.0",
            "id": event_id or uuid.uuid4().hex,
            "source": source,
            "type": PARTNER_EVENT_TYPE,
            "time": "2026-11-28T10:00:00Z",
            "data": data,
        }
    ).encode()


def signed(body: bytes, *, secret: str = SECRET, age_s: float = 0) -> dict[str, str]:
    timestamp = str(int(time.time() - age_s))
    return {
        "X-Entraide-Partner": "caf-44",
        "X-Entraide-Timestamp": timestamp,
        "X-Entraide-Signature": partners.signature(secret, timestamp, body),
        "content-type": "application/cloudevents+json",
    }


async def test_http_door_records_once_and_refuses_replays_and_bad_signatures(
    partner_settings, mongo
) -> None:
    source = partner_settings.partners["caf-44"].source
    body = partner_event(source, "caf-000123")
    families = mongo[partner_settings.database]["families"]
    async with serving(intake_app(partner_settings)) as intake:
        first = await intake.post("/api/v1/partner-events", content=body, headers=signed(body))
        again = await intake.post("/api/v1/partner-events", content=body, headers=signed(body))
        stale = await intake.post(
            "/api/v1/partner-events", content=body, headers=signed(body, age_s=3600)
        )
        forged = await intake.post(
            "/api/v1/partner-events", content=body, headers=signed(body, secret="guess")
        )
        bad = partner_event(source, postal_code="4400")
        invalid = await intake.post("/api/v1/partner-events", content=bad, headers=signed(bad))
        other = partner_event("urn:entraide:partner:someone-else")
        wrong_source = await intake.post(
            "/api/v1/partner-events", content=other, headers=signed(other)
        )
        status = await intake.get("/api/v1/partner-events/caf-000123", headers=signed(b""))
        unknown = await intake.get("/api/v1/partner-events/nope", headers=signed(b""))
        await eventually(lambda: _all_published(families), what="outbox drained")

    assert first.status_code == 201, first.text
    assert (again.status_code, again.json()["duplicate"]) == (200, True)
    assert again.json()["request_id"] == first.json()["request_id"]
    assert (stale.status_code, stale.json()["detail"]["code"]) == (401, "stale-timestamp")
    assert (forged.status_code, forged.json()["detail"]["code"]) == (401, "bad-signature")
    assert invalid.status_code == 422
    assert [e["field"] for e in invalid.json()["detail"]] == ["data.postal_code"]
    assert wrong_source.status_code == 403
    assert status.json() == {
        "event_id": "caf-000123",
        "request_id": first.json()["request_id"],
        "status": "submitted",
        "orientation": None,  # matching has not answered (it does not run here)
    }
    assert unknown.status_code == 404
    assert await families.count_documents({}) == 1
    family = await families.find_one({})
    [published] = await records(
        partner_settings.kafka_bootstrap, REQUESTS.name, key=family["family_ref"].encode()
    )
    assert json.loads(published.value)["data"]["channel"] == "partner"


async def test_a_partner_withdraws_its_own_request_once(partner_settings, mongo) -> None:
    """The family was housed or found help elsewhere: the partner withdraws the request its
    event sent; matching hears it once (`RequestWithdrawn`), however often it is sent."""
    source = partner_settings.partners["caf-44"].source
    event_id = f"caf-{uuid.uuid4().hex[:8]}"
    event = partner_event(source, event_id)
    families = mongo[partner_settings.database]["families"]
    path = f"/api/v1/partner-events/{event_id}/withdrawal"
    met = json.dumps({"reason": "need-met-elsewhere"}).encode()
    async with serving(intake_app(partner_settings)) as intake:
        created = await intake.post("/api/v1/partner-events", content=event, headers=signed(event))
        wrong = json.dumps({"reason": "duplicate"}).encode()
        refused = await intake.post(path, content=wrong, headers=signed(wrong))
        first = await intake.post(path, content=met, headers=signed(met))
        again = await intake.post(path, content=met, headers=signed(met))
        unknown = await intake.post(
            "/api/v1/partner-events/nope/withdrawal", content=met, headers=signed(met)
        )
        forged = await intake.post(path, content=met, headers=signed(met, secret="guess"))
        status = await intake.get(f"/api/v1/partner-events/{event_id}", headers=signed(b""))
        await eventually(lambda: _all_published(families), what="outbox drained")

    assert created.status_code == 201, created.text
    assert refused.status_code == 422
    assert [e["field"] for e in refused.json()["detail"]] == ["reason"]
    assert first.status_code == 200, first.text
    assert first.json() | {"orientation": None} == {
        "event_id": event_id,
        "request_id": created.json()["request_id"],
        "status": "withdrawn",
        "orientation": None,
    }
    assert (again.status_code, again.json()["status"]) == (200, "withdrawn")
    assert (unknown.status_code, unknown.json()["detail"]["code"]) == (404, "unknown-event")
    assert forged.status_code == 401
    assert status.json()["status"] == "withdrawn"
    family = await families.find_one({})
    published = await records(
        partner_settings.kafka_bootstrap,
        REQUESTS.name,
        key=family["family_ref"].encode(),
        at_least=2,
    )
    events = [json.loads(r.value) for r in published]
    withdrawn = [e["data"]["reason"] for e in events if e["type"] == RequestWithdrawn.EVENT_TYPE]
    assert withdrawn == ["need-met-elsewhere"]


async def test_kafka_door_with_kcat_records_once_and_dead_letters_malformed_events(
    partner_settings, mongo, unique
) -> None:
    source = partner_settings.partners["caf-44"].source
    bootstrap = partner_settings.kafka_bootstrap
    door = partner_settings.partner_events_topic  # the raw partner topic, this test's own
    families = mongo[partner_settings.database]["families"]
    good = [partner_event(source, f"kcat-{unique}-{i}") for i in range(5)]
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, acks="all", linger_ms=5)
    await producer.start()
    malformed = 1000
    for i in range(malformed):
        value = b"{not json" if i % 2 else partner_event(source, postal_code="x")
        await producer.send(door, value, key=f"bad-{unique}-{i}".encode())
    await producer.flush()
    await producer.stop()
    for value in good + good:  # every good event twice: one request each
        _kcat(bootstrap, door, value, key=f"good-{unique}")

    group = f"{partner_settings.consumer_group_prefix}-intake".encode()
    async with serving(intake_app(partner_settings)):
        await eventually(lambda: _count(families, len(good)), timeout=120, what="good events")
        dead = await scan(
            bootstrap,
            f"{door}.dlq",
            lambda r: (
                r.key.startswith(f"bad-{unique}-".encode())
                and ("x-dlq-consumer-group", group) in r.headers
            ),
            until=lambda found: len(found) >= malformed,
            timeout=120,
        )
        await eventually(lambda: _all_published(families), what="outbox drained")

    assert len(dead) == malformed
    reasons = {dict(r.headers)["x-dlq-reason"] for r in dead}
    assert reasons == {b"not-json", b"invalid-event"}
    assert all(
        b"data.postal_code" in dict(r.headers)["x-dlq-detail"]
        for r in dead
        if dict(r.headers)["x-dlq-reason"] == b"invalid-event"
    )
    assert await families.count_documents({}) == len(good)


def _kcat(bootstrap: str, topic: str, value: bytes, *, key: str) -> None:
    subprocess.run(
        [
            "kcat",
            "-P",
            "-b",
            bootstrap,
            "-t",
            topic,
            "-k",
            key,
            "-H",
            "content-type=application/cloudevents+json",
        ],
        input=value,
        check=True,
        timeout=30,
    )


async def _count(families, wanted: int) -> bool:
    return await families.count_documents({}) >= wanted


async def _all_published(families) -> bool:
    return await families.count_documents({"outbox_pending": True}) == 0
