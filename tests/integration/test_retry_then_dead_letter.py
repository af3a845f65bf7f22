"""The kit's consumers retry transient failures with backoff, then dead-letter, on the real broker."""

from collections import Counter

from faststream.kafka.annotations import KafkaMessage
from prometheus_client import CollectorRegistry

from entraide.kit.broker import make_broker, subscriber_options
from entraide.kit.settings import ServiceSettings
from tests.infra import Endpoints
from tests.support import eventually, records


async def test_transient_failures_are_retried_and_persistent_ones_dead_lettered(
    infra: Endpoints, topic: str, kit_settings: ServiceSettings
) -> None:
    settings = kit_settings.model_copy(
        update={"consumer_attempts": 4, "retry_backoff_seconds": 0.05}
    )
    broker = make_broker(settings, service="retry", registry=CollectorRegistry())
    calls: Counter[bytes] = Counter()
    done: list[bytes] = []

    @broker.subscriber(topic, **subscriber_options(settings, "retry"))
    async def flaky(message: KafkaMessage) -> None:
        key = message.raw_message.key
        calls[key] += 1
        if key == b"broken" or (key == b"flaky" and calls[key] < 3):
            raise ConnectionError("the store is away")
        done.append(key)

    async with broker:
        await broker.start()
        for key in (b"flaky", b"broken", b"fine"):
            await broker.publish(b"{}", topic, key=key)

        async def last_one_handled() -> bool:  # one partition: "fine" comes after the others
            return b"fine" in done

        await eventually(last_one_handled, what="all handled")

    assert done == [b"flaky", b"fine"]
    assert calls == {b"flaky": 3, b"broken": 4, b"fine": 1}
    [dead] = await records(infra.kafka_bootstrap, f"{topic}.dlq", key=b"broken")
    headers = {k: v.decode() for k, v in dead.headers}
    assert headers["x-dlq-reason"] == "handler-failed"
    assert headers["x-dlq-detail"] == "ConnectionError"
    assert headers["x-dlq-attempts"] == "4"
