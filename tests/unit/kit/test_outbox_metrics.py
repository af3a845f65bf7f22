"""A service's outbox relays report each under its collection's name, in the service's
registry: a stuck relay is neither hidden by another nor left out of /metrics."""

from faststream.kafka import KafkaBroker
from prometheus_client import CollectorRegistry, generate_latest
from pymongo import AsyncMongoClient

from entraide.kit.metrics import OUTBOX_OLDEST_AGE, OUTBOX_PENDING, OUTBOX_PUBLISHED
from entraide.kit.outbox import OutboxRelay


def relays(registry: CollectorRegistry) -> tuple[OutboxRelay, OutboxRelay]:
    db = AsyncMongoClient("mongodb://127.0.0.1:9", connect=False)["entraide_intake"]
    broker = KafkaBroker("127.0.0.1:9")
    return (
        OutboxRelay(db["families"], broker, registry=registry),
        OutboxRelay(db["self_requests"], broker, registry=registry),
    )


def test_two_relays_of_one_service_each_show_their_series() -> None:
    registry = CollectorRegistry()
    families, door = relays(registry)
    door.pending.set(3)
    door.oldest_age.set(420.0)
    families.published.inc(2)

    def value(name: str, outbox: str) -> float | None:
        return registry.get_sample_value(name, {"outbox": outbox})

    assert value(OUTBOX_PENDING, "self_requests") == 3
    assert value(OUTBOX_PENDING, "families") == 0
    assert value(OUTBOX_OLDEST_AGE, "self_requests") == 420.0
    assert value(OUTBOX_PUBLISHED, "families") == 2
    assert value(OUTBOX_PUBLISHED, "self_requests") == 0
    exposed = generate_latest(registry).decode()
    assert 'entraide_outbox_pending_documents{outbox="self_requests"} 3.0' in exposed


def test_their_loops_have_names_of_their_own() -> None:
    """The loops' alerts read the last success by loop name: two relays under one name
    showed the later success of either, so one stuck relay never alerted."""
    families, door = relays(CollectorRegistry())
    assert families._loop.name != door._loop.name
    assert {families._loop.name, door._loop.name} == {
        "outbox-relay-families",
        "outbox-relay-self_requests",
    }
