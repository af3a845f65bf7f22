"""Stopping a service lets the message in hand finish and commits it: nothing is redone."""

import asyncio

from faststream.kafka.annotations import KafkaMessage
from prometheus_client import CollectorRegistry

from entraide.kit.broker import make_broker, subscriber_options
from entraide.kit.settings import ServiceSettings
from tests.infra import Endpoints
from tests.support import eventually


async def test_stop_waits_for_the_message_in_flight_and_commits_it(
    infra: Endpoints, topic: str, kit_settings: ServiceSettings
) -> None:
    settings = kit_settings.model_copy(update={"graceful_timeout_seconds": 10})
    started, finished, seen_after_restart = asyncio.Event(), [], []

    def service(on_message):
        broker = make_broker(settings, service="graceful", registry=CollectorRegistry())
        broker.subscriber(topic, **subscriber_options(settings, "graceful"))(on_message)
        return broker

    async def slow(message: KafkaMessage) -> None:
        started.set()
        await asyncio.sleep(1.5)
        finished.append(message.raw_message.offset)

    first = service(slow)
    await first.start()
    await first.publish(b"{}", topic, key=b"k")
    await asyncio.wait_for(started.wait(), 30)
    await first.stop()  # SIGTERM ends here: the handler is mid-way
    assert finished == [0]

    async def record(message: KafkaMessage) -> None:
        seen_after_restart.append(message.raw_message.offset)

    second = service(record)
    await second.start()
    await second.publish(b"{}", topic, key=b"k")

    async def next_one_seen() -> bool:
        return bool(seen_after_restart)

    await eventually(next_one_seen, what="the message after the restart")
    await second.stop()
    assert seen_after_restart == [1]  # offset 0 was committed, not redone
