"""Directory's outbox: the kit's relay, one for offers, one for volunteers and one for the
tombstones of erased volunteers (`volunteers.tombstones`).

The entries go where the settings say (tests give each run its own topics), and an entry
with a null value is a tombstone: compaction then forgets the key. Each relay reports on
/metrics under its collection's name (the kit's `outbox` label). Withdrawn offers, and
erased volunteers' tombstones, are swept away once their last events are out.
"""

import contextlib
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import UTC, datetime
from typing import Any

from fastapi import FastAPI
from faststream.kafka import KafkaBroker
from prometheus_client import CollectorRegistry
from pymongo.asynchronous.collection import AsyncCollection

from entraide.contracts import CloudEvent
from entraide.kit import loops
from entraide.kit import outbox as kit
from entraide.kit.telemetry import current_traceparent

Doc = dict[str, Any]


def entry(event: CloudEvent[Any], topic: str) -> Doc:
    """The kit's outbox entry, sent to `topic` (the settings') rather than the catalog's."""
    return kit.outbox_entry(event) | {"topic": topic}


def tombstone(topic: str, key: str) -> Doc:
    """A null value for `key`: compaction then forgets the key on a compacted topic. It has
    an id, as events do, so the relay can tell it from the others in an outbox."""
    return {
        "event_id": uuid.uuid4().hex,
        "topic": topic,
        "key": key,
        "value": None,
        "traceparent": current_traceparent(),
        "queued_at": datetime.now(UTC),
    }


class Relays:
    """The kit's relay for each outboxed collection, woken together after a write."""

    def __init__(
        self,
        collections: dict[str, AsyncCollection[Doc]],
        broker: KafkaBroker,
        *,
        registry: CollectorRegistry,
        idle_poll_seconds: float,
    ) -> None:
        self.relays = {
            name: kit.OutboxRelay(
                collection, broker, registry=registry, idle_poll_seconds=idle_poll_seconds
            )
            for name, collection in collections.items()
        }

    def wake(self) -> None:
        """Something was written: publish now rather than at the next poll."""
        for relay in self.relays.values():
            relay.wake()


@contextlib.asynccontextmanager
async def running(relays: Relays, app: FastAPI) -> AsyncIterator[None]:
    """Run every relay for the app's lifetime (the kit's `running` for each)."""
    async with contextlib.AsyncExitStack() as stack:
        for relay in relays.relays.values():
            await stack.enter_async_context(kit.running(relay, app))
        yield


def sweeping(
    sweep: Callable[[], Awaitable[int]], every_seconds: float, app: FastAPI
) -> contextlib.AbstractAsyncContextManager[None]:
    """Call `sweep` (withdrawn offers, or erased volunteers' tombstones, whose events are
    out) now and then, for the app's life (the kit's loop: it stops even when a sweep
    swallows its cancellation)."""
    name = getattr(sweep, "__qualname__", "sweep")
    return loops.running(loops.Periodic(sweep, every_seconds, name=name))
