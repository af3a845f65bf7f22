"""The kit's consumers retry transient failures with backoff, then dead-letter, on the real broker."""

import uuid
from collections import Counter

import pytest
from faststream.kafka.annotations import KafkaMessage
from prometheus_client import CollectorRegistry

from entraide.contracts.kit.broker import make_broker, subscriber_options
from entraide.contracts.kit.settings import ServiceSettings
from tests.infra import Endpoints
from tests.support import eventually, records, scratch_topic


@pytest.fixture
async def topic(infra: Endpoints):
    """A topic and its dead-letter topic for this test alone."""
    async with scratch_topic(infra.kafka_bootstrap, "entraide.test.retry", partitions=1) as name:
        yield name


async def test_transient_failures_are_retried_and_persistent_ones_dead_lettered(
    infra: Endpoints, topic: str
) -> None:
    settings = ServiceSettings(
        port=0,
        database="unused",
        kafka_bootstrap=infra.kafka_bootstrap,
        consumer_attempts=4,
        retry_backoff_seconds=0.05,
        consumer_group_prefix=f"test-{uuid.uuid4().hex[:8]}",
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
