"""Directory's outbox: the kit's relay, one for offers, one for volunteers and one for the
tombstones of erased volunteers (`volunteers.tombstones`).

The entries go where the settings say (tests give each run its own topics), and an entry
with a null value is a tombstone: compaction then forgets the key. The relays report as
one outbox on /metrics (events published and failures added up, the backlog added, the
oldest pending event the oldest of all). Withdrawn offers, and erased volunteers'
tombstones, are swept away once their last events are out.
"""

import contextlib
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable
from datetime import UTC, datetime
from typing import Any

from fastapi import FastAPI
from faststream.kafka import KafkaBroker
from prometheus_client import CollectorRegistry
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, Metric
from prometheus_client.registry import Collector
from pymongo.asynchronous.collection import AsyncCollection

from entraide.contracts import CloudEvent
from entraide.kit import loops, metrics
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
        # each relay counts in a registry of its own; the service's shows their totals
        own = {name: CollectorRegistry() for name in collections}
        self.relays = {
            name: kit.OutboxRelay(
                collection, broker, registry=own[name], idle_poll_seconds=idle_poll_seconds
            )
            for name, collection in collections.items()
        }
        registry.register(OutboxTotals(own.values()))

    def wake(self) -> None:
        """Something was written: publish now rather than at the next poll."""
        for relay in self.relays.values():
            relay.wake()


class OutboxTotals(Collector):
    """The kit's outbox series for the service, over the relays' own registries."""

    def __init__(self, registries: Iterable[CollectorRegistry]) -> None:
        self.registries = list(registries)

    def collect(self) -> Iterable[Metric]:
        def values(name: str) -> list[float]:
            return [r.get_sample_value(name) or 0.0 for r in self.registries]

        yield CounterMetricFamily(
            metrics.OUTBOX_PUBLISHED.removesuffix("_total"),
            "Events published",
            value=sum(values(metrics.OUTBOX_PUBLISHED)),
        )
        yield CounterMetricFamily(
            metrics.OUTBOX_FAILURES.removesuffix("_total"),
            "Failed publish rounds",
            value=sum(values(metrics.OUTBOX_FAILURES)),
        )
        yield GaugeMetricFamily(
            metrics.OUTBOX_PENDING,
            "Documents with events not yet published",
            value=sum(values(metrics.OUTBOX_PENDING)),
        )
        yield GaugeMetricFamily(
            metrics.OUTBOX_OLDEST_AGE,
            "Age of the oldest event not yet published (0 when none)",
            value=max(values(metrics.OUTBOX_OLDEST_AGE), default=0.0),
        )


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
