"""The kit's consumers parse the raw records themselves; FastStream's own decoder is set
aside. With it, a record labelled JSON (`content-type: application/json`, as FastStream's
publishers and partners' clients send) whose bytes are not JSON failed its whole batch
before any parse ran, and the good records of that batch never reached the service (this
test timed out waiting for them). Now the bad one alone goes to the dead letters, « not-json ».
On the real broker."""

import json

from aiokafka import AIOKafkaProducer
from prometheus_client import CollectorRegistry

from entraide.kit.broker import make_broker, subscriber_options
from entraide.kit.consumers import Batch, Record, subscribe_batches
from entraide.kit.settings import ServiceSettings
from tests.infra import Endpoints
from tests.support import eventually, scan

JSON = [("content-type", b"application/json")]


def parse(record: Record) -> dict:
    return json.loads(record.value or b"")  # JSONDecodeError: PERMANENT, dead-lettered


async def produce(bootstrap: str, topic: str, values: list[tuple[bytes, bytes]]) -> None:
    """The records in one send: the consumer reads them as one batch."""
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap)
    await producer.start()
    try:
        sent = [await producer.send(topic, value, key=key, headers=JSON) for key, value in values]
        for delivered in sent:
            await delivered
    finally:
        await producer.stop()


async def test_a_record_labelled_json_that_is_not_goes_alone_to_the_dead_letters(
    infra: Endpoints, topic: str, kit_settings: ServiceSettings
) -> None:
    settings = kit_settings.model_copy(
        update={"consumer_attempts": 2, "retry_backoff_seconds": 0.05}
    )
    broker = make_broker(settings, service="raw", registry=CollectorRegistry())
    handled: list[dict] = []

    async def handle(batch: Batch[dict]) -> None:
        handled.extend(batch.values)

    subscribe_batches(
        broker, [topic], title="raw", parse=parse, handle=handle,
        options=subscriber_options(settings, "raw"), max_records=50, batch_timeout_ms=500,
    )  # fmt: skip
    values = [(b"first", b'{"n": 1}'), (b"broken", b"{not json"), (b"last", b'{"n": 3}')]
    async with broker:
        await broker.start()
        await produce(infra.kafka_bootstrap, topic, values)

        async def both_handled() -> bool:
            return len(handled) == 2

        await eventually(both_handled, what="the two good records handled")

    assert handled == [{"n": 1}, {"n": 3}]
    dead = await scan(infra.kafka_bootstrap, f"{topic}.dlq", until=lambda found: bool(found))
    assert [(r.key, dict(r.headers)["x-dlq-reason"]) for r in dead] == [(b"broken", b"not-json")]
