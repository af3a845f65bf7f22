"""Stopping a service is a cancellation, and it must stop what it cancels: a handler is not
tried again (nor dead-lettered) when cancelled, and the outbox relay ends even when the
cancellation reaches it as a store error (the last CI run hung for 80 minutes on a test
whose event loop waited for a task that never ended)."""

import asyncio
from types import SimpleNamespace
from typing import Any

import pytest
from faststream import ContextRepo
from prometheus_client import CollectorRegistry
from pymongo.errors import AutoReconnect

from entraide.kit.deadletter import RetryThenDeadLetter
from entraide.kit.outbox import OutboxRelay


class Broker:
    """What the policy and the relay ask of a broker; records what is dead-lettered."""

    running = True

    def __init__(self) -> None:
        self.published: list[str] = []

    async def publish(self, _body: bytes, topic: str, **_: Any) -> None:
        self.published.append(topic)


async def test_a_cancelled_handler_is_neither_retried_nor_dead_lettered() -> None:
    broker = Broker()
    policy = RetryThenDeadLetter(broker, attempts=5, backoff_seconds=0.01, group="g")  # type: ignore[arg-type]
    record = SimpleNamespace(topic="t", partition=0, offset=1, key=None, value=b"{}", headers=())
    msg = SimpleNamespace(raw_message=record)
    calls = 0

    async def handler(_msg: Any) -> None:
        nonlocal calls
        calls += 1
        raise asyncio.CancelledError  # the service is stopping mid-handler

    scope = policy(msg, context=ContextRepo())
    with pytest.raises(asyncio.CancelledError):
        await scope.consume_scope(handler, msg)  # type: ignore[arg-type]
    assert calls == 1
    assert broker.published == []


async def test_the_relay_stops_when_its_cancellation_comes_back_as_a_store_error() -> None:
    collection = SimpleNamespace(name="families")  # named: the relay's series and loop are
    relay = OutboxRelay(collection, Broker(), registry=CollectorRegistry())  # type: ignore[arg-type]
    started = asyncio.Event()

    async def publish_batch() -> int:
        started.set()
        try:
            await asyncio.sleep(30)
        except asyncio.CancelledError:
            raise AutoReconnect("connection closed") from None  # as a cut operation may
        return 0

    relay.publish_batch = publish_batch  # type: ignore[method-assign]
    task = asyncio.create_task(relay.run())
    await started.wait()
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await asyncio.wait_for(task, 3)
