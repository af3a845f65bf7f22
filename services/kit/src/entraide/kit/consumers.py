"""Typed Kafka subscribers: a service's consumer receives parsed values, never a raw message.

Every consumer used to repeat the same loop (parse each record, set the poisonous ones
aside, handle the rest, dead-letter the poison with its reason). It lives here once:

    subscribe_batches(
        broker, [settings.requests_topic], title="requests", parse=request_change,
        handle=apply_changes, options=subscriber_options(settings, service),
        max_records=500, batch_timeout_ms=50,
    )

`parse(record)` returns the value a handler wants (an event from `event_of`, a read-model
change...), `None` to skip the record (a tombstone), or raises one of `PERMANENT`: that
record goes to the dead-letter topic with its reason and the batch goes on. `handle(batch)`
gets the parsed values in the topic's order; it can still reject one (`batch.reject`) when
handling finds it cannot be done. Offsets are committed once the whole batch is handled
(at least once); a batch whose handler keeps failing is retried, then dead-lettered record
by record by the broker's policy (`kit.deadletter`).

`subscribe` is the same for a subscriber that takes one message at a time.

Both read the records themselves (`message.raw_message`), so FastStream's decoder is set
aside (`undecoded`): by default it parses every record's JSON into a body no handler
takes (and, for a batch, first makes a message of each record, with its own ids), 27 to
31 us a partner event; and a record labelled JSON whose bytes are not failed its whole
batch there, before any `parse` could dead-letter it alone.
"""

from collections.abc import Awaitable, Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, Generic, TypeAlias, TypeVar

from aiokafka import ConsumerRecord
from faststream.kafka import KafkaBroker
from faststream.kafka.annotations import KafkaMessage
from faststream.message import StreamMessage

from entraide.contracts import parse_event
from entraide.contracts.envelope import CloudEvent
from entraide.contracts.events import EventData
from entraide.kit.deadletter import PERMANENT, dead_letters_of
from entraide.kit.telemetry import consumed

T = TypeVar("T")
Record: TypeAlias = ConsumerRecord[bytes, bytes]  # no deserializer: bytes
Event = CloudEvent[EventData]


def event_of(record: Record) -> Event:
    """The CloudEvent a record carries (the usual `parse`): PERMANENT errors if it is not one."""
    return parse_event(record.value or b"")


def event_or_tombstone(record: Record) -> Event | None:
    """The CloudEvent, or None for a tombstone (compacted topics)."""
    return None if record.value is None else parse_event(record.value)


@dataclass
class Batch(Generic[T]):
    """The parsed values of one batch, each beside its record (for a late rejection)."""

    items: list[tuple[T, Record]]
    rejected: list[tuple[Record, BaseException]] = field(default_factory=list)

    def __iter__(self) -> Iterator[T]:
        return (value for value, _ in self.items)

    def __len__(self) -> int:
        return len(self.items)

    @property
    def values(self) -> list[T]:
        return [value for value, _ in self.items]

    def reject(self, record: Record, why: BaseException) -> None:
        """Send this record to the dead-letter topic with `why` once the batch is handled."""
        self.rejected.append((record, why))


async def undecoded(message: StreamMessage[Any]) -> None:
    """FastStream's decoder, made to decode nothing: the handlers here parse the raw
    records (`parse`), and FastStream's body would be thrown away."""
    return None


def subscribe_batches(
    broker: KafkaBroker,
    topics: Sequence[str],
    *,
    title: str,
    parse: Callable[[Record], T | None],
    handle: Callable[[Batch[T]], Awaitable[None]],
    options: dict[str, Any],
    max_records: int,
    batch_timeout_ms: int,
) -> None:
    """Subscribe `handle` to batches of `topics`, parsed record by record by `parse`."""

    async def on_batch(message: KafkaMessage) -> None:
        records: tuple[Record, ...] = message.raw_message
        batch: Batch[T] = Batch(items=[])
        for record in records:
            with consumed(record.topic, record.headers):
                try:
                    value = parse(record)
                except PERMANENT as exc:
                    batch.reject(record, exc)
                    continue
            if value is not None:
                batch.items.append((value, record))
        if batch.items:
            await handle(batch)
        dead_letters = dead_letters_of(broker)
        for record, why in batch.rejected:
            await dead_letters.send(record, why, group=options.get("group_id"))

    on_batch.__doc__ = handle.__doc__
    subscriber = broker.subscriber(
        *topics,
        title=title,
        batch=True,
        max_records=max_records,
        batch_timeout_ms=batch_timeout_ms,
        decoder=undecoded,
        **options,
    )
    subscriber(on_batch)


def subscribe(
    broker: KafkaBroker,
    topics: Sequence[str],
    *,
    title: str,
    parse: Callable[[Record], T],
    handle: Callable[[T], Awaitable[None]],
    options: dict[str, Any],
) -> None:
    """Subscribe `handle` to `topics` one message at a time; a PERMANENT error from `parse`
    or `handle` dead-letters the message at once (the broker's policy)."""

    async def on_message(message: KafkaMessage) -> None:
        await handle(parse(message.raw_message))

    on_message.__doc__ = handle.__doc__
    subscriber = broker.subscriber(*topics, title=title, decoder=undecoded, **options)
    subscriber(on_message)
