"""A dead letter names the consumer group that gave up on it, the subscriber's own (such as
observatory's `-facts` or a service's `-rights`), so the replay's `--consumer-group` finds it."""

from types import SimpleNamespace
from typing import Any

from faststream import ContextRepo

from entraide.kit.deadletter import PoisonMessageError, RetryThenDeadLetter


class Broker:
    """Records the headers of what is dead-lettered."""

    def __init__(self) -> None:
        self.headers: list[dict[str, str]] = []

    async def publish(self, _body: bytes, _topic: str, **kwargs: Any) -> None:
        self.headers.append(kwargs["headers"])


async def test_a_dead_letter_names_the_group_of_the_subscriber_that_gave_up() -> None:
    broker = Broker()
    policy = RetryThenDeadLetter(
        broker,  # type: ignore[arg-type]
        attempts=1,
        backoff_seconds=0.01,
        group="entraide-observatory",
    )
    record = SimpleNamespace(topic="t", partition=0, offset=1, key=None, value=b"{}", headers=())
    msg = SimpleNamespace(raw_message=record)

    async def handler(_msg: Any) -> None:
        raise PoisonMessageError("unknown-fact")

    context = ContextRepo()
    with context.scope("handler_", SimpleNamespace(group_id="entraide-observatory-facts")):
        await policy(msg, context=context).consume_scope(handler, msg)  # type: ignore[arg-type]

    [headers] = broker.headers
    assert headers["x-dlq-consumer-group"] == "entraide-observatory-facts"
    assert headers["x-dlq-reason"] == "unknown-fact"


async def test_a_dead_letter_sent_without_a_subscriber_names_the_service_group() -> None:
    broker = Broker()
    policy = RetryThenDeadLetter(broker, attempts=1, backoff_seconds=0.01, group="entraide-x")  # type: ignore[arg-type]
    record = SimpleNamespace(topic="t", partition=0, offset=1, key=None, value=b"{}", headers=())
    await policy.send(record, PoisonMessageError("bad"))
    await policy.send(record, PoisonMessageError("bad"), group="entraide-x-acks")
    assert [h["x-dlq-consumer-group"] for h in broker.headers] == ["entraide-x", "entraide-x-acks"]
