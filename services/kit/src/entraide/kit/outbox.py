"""The outbox relay: publishes what a service's store wrote, in order, then marks it sent.

The entries and their marks are in `outbox_entries` (re-exported here).

Replicas may run side by side: a lease on each document keeps its events in order on one
relay at a time, and the store's single-document updates are atomic, so a writer's append
and the relay's mark need not take turns. A crash between publish and mark means a
re-publish, which consumers absorb (they deduplicate by event id or revision). Each round
costs three store round trips whatever its size: lease, read, mark; a fourth takes the
published entries out of documents a writer appended to meanwhile, so they are not sent
twice.

A writer in a hurry (matching's online proposal) publishes its events itself, at once
(`write_at_once`): it stores the document with its outbox already leased by itself, has
the broker confirm the events, then marks them sent if it still holds the lease. If
publishing fails the lease is given back; if the writer dies, the lease expires: either
way the relay publishes them. A writer storing many documents at once (intake's partner
door, a batch of new families) does the same for all of them (`write_many_at_once`): one
lease owner, one write, the sends awaited together, one mark.

The marks of an at-once batch are one bulk of exact `{_id, lease_owner}` updates: each an
`_id` lookup (9 ms for 300 at 20,000 documents on mongo-java-server, where one
`update_many` with `_id: {$in}` took 115 ms).
"""

import asyncio
import contextlib
import logging
import time
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, Collection, Mapping
from datetime import UTC, datetime, timedelta
from typing import Any, TypeVar, cast

from fastapi import FastAPI
from faststream.kafka import KafkaBroker
from prometheus_client import CollectorRegistry
from pymongo import UpdateOne
from pymongo.asynchronous.collection import AsyncCollection
from pymongo.errors import PyMongoError

from entraide.kit import loops
from entraide.kit.cancellation import raise_if_cancelling
from entraide.kit.metrics import outbox_metrics
from entraide.kit.outages import KAFKA, OUTAGES, STORE
from entraide.kit.outbox_entries import DONE, NEVER, PENDING, Doc, outbox_entry, record
from entraide.kit.telemetry import producing

log = logging.getLogger(__name__)
__all__ = ["DONE", "NEVER", "PENDING", "OutboxRelay", "outbox_entry", "running"]
T = TypeVar("T")


SENT: Doc = {"$set": DONE}
RELEASED: Doc = {"lease_until": NEVER, "lease_owner": None}


class OutboxRelay:
    """Moves pending events from one collection's documents to Kafka."""

    def __init__(
        self,
        collection: AsyncCollection[Doc],
        broker: KafkaBroker,
        *,
        registry: CollectorRegistry,
        lease_seconds: float = 30.0,
        idle_poll_seconds: float = 1.0,
        max_backoff_seconds: float = 5.0,
        batch_size: int = 100,
        backlog_every_seconds: float = 10.0,
    ) -> None:
        """Its series and its loop are named after the collection (`outbox` label,
        loop `outbox-relay-<collection>`): a service's relays are told apart."""
        self.collection = collection
        self.broker = broker
        self.lease = timedelta(seconds=lease_seconds)
        self.idle_poll_seconds = idle_poll_seconds
        self.max_backoff_seconds = max_backoff_seconds
        self.batch_size = batch_size
        self._wake = asyncio.Event()
        # a write that wakes the relay while it measures is not lost: the loop clears the
        # wake before each round, not after
        self._loop = loops.Periodic(
            self._round,
            idle_poll_seconds,
            name=f"outbox-relay-{collection.name}",
            wake=self._wake,
            busy_again=True,
            first_backoff_seconds=0.2,
            max_backoff_seconds=max_backoff_seconds,
            failure_level=logging.DEBUG,  # OUTAGES logs an outage once
        )
        # the backlog gauges cost a count and a read of pending documents: now and then
        self.backlog_every = backlog_every_seconds
        self._backlog_at = 0.0
        metrics, outbox = outbox_metrics(registry), collection.name
        self.published = metrics.published.labels(outbox)
        self.failures = metrics.failures.labels(outbox)
        self.pending = metrics.pending.labels(outbox)
        self.oldest_age = metrics.oldest_age.labels(outbox)

    def wake(self) -> None:
        """Something was written: publish now rather than at the next poll."""
        self._wake.set()

    async def write_at_once(
        self, doc_id: Any, entries: list[Doc], write: Callable[[Doc], Awaitable[T]]
    ) -> T:
        """Run `write`, which stores document `doc_id` with the given outbox fields (the
        entries, leased by this call), and publish the entries now, confirmed by the
        broker, rather than at the relay's next round; nothing is published when `write`
        returns a falsy value (it did not write).

        Then the entries are marked sent if this call still holds the lease. If a move
        appended events meanwhile (and so reset the lease), only these entries are taken
        out of the outbox and the relay publishes the rest. If publishing fails the lease
        is given back, and if the process dies it expires: the relay publishes them."""
        result: T | None = None

        async def write_one(leased: dict[Any, Doc]) -> list[Any]:
            nonlocal result
            result = await write(leased[doc_id])
            return [doc_id] if result else []

        await self.write_many_at_once({doc_id: entries}, write_one)
        return cast(T, result)

    async def write_many_at_once(
        self,
        entries_by_id: Mapping[Any, list[Doc]],
        write: Callable[[dict[Any, Doc]], Awaitable[Collection[Any]]],
    ) -> Collection[Any]:
        """`write_at_once` for many documents: run `write`, which stores each document
        `doc_id` with the outbox fields given for it (its entries, all leased by this call)
        and returns the ids it stored; publish those documents' entries now, the sends
        issued in order and awaited together; then mark them sent, each if this call still
        holds its lease (else only these entries are taken out: the relay publishes what a
        move appended). If publishing fails the leases are given back and the relay
        publishes them; if the process dies they expire."""
        owner = uuid.uuid4().hex
        until = datetime.now(UTC) + self.lease
        leased = {
            doc_id: {
                "outbox": entries,
                "outbox_pending": True,
                "lease_until": until,
                "lease_owner": owner,
            }
            for doc_id, entries in entries_by_id.items()
        }
        written = await write(leased)
        ids = list(written)
        if not ids:
            return written
        mine = [{"_id": doc_id, "lease_owner": owner} for doc_id in ids]
        try:
            sends = [await self._publish(e) for doc_id in ids for e in entries_by_id[doc_id]]
            await asyncio.gather(*sends)
        except Exception as exc:  # Kafka is down: the relay publishes them later
            self.failures.inc()
            OUTAGES.broken(_component(exc), f"outbox publish at once: {type(exc).__name__}")
            with contextlib.suppress(Exception):  # else the leases run out: same outcome
                await self.collection.bulk_write(
                    [UpdateOne(m, {"$set": RELEASED}) for m in mine], ordered=False
                )
            self.wake()
            return written
        self.published.inc(len(sends))
        try:
            # one update per document by exact keys, sent in one round trip (on
            # mongo-java-server faster than one update_many of `{_id: {$in}, lease_owner}`)
            marked = await self.collection.bulk_write(
                [UpdateOne(m, SENT) for m in mine], ordered=False
            )
            if marked.matched_count < len(ids):
                sent = [e["event_id"] for doc_id in ids for e in entries_by_id[doc_id]]
                await self.collection.update_many(
                    {"_id": {"$in": ids}}, {"$pull": {"outbox": {"event_id": {"$in": sent}}}}
                )
        except Exception as exc:  # published: at worst the relay publishes them again
            log.warning("outbox mark at once failed", extra={"error": type(exc).__name__})
        return written

    async def run(self) -> None:
        """Publish until stopped (the kit's loop): again at once while batches come, else at
        the next poll or wake; Kafka or the store down keeps the events and retries."""
        await self._loop.run()

    async def _round(self) -> int:
        try:
            published = await self.publish_batch() if self.broker.running else 0
        except Exception as exc:
            raise_if_cancelling(exc)
            self.failures.inc()
            OUTAGES.broken(_component(exc), f"outbox relay: {type(exc).__name__}")
            with contextlib.suppress(Exception):
                await self.measure_backlog(every=0)
            raise
        if not published:  # the store may have gone since: the next round logs and retries
            with contextlib.suppress(Exception):
                await self.measure_backlog()
        return published

    async def measure_backlog(self, every: float | None = None) -> None:
        """Set the pending-documents gauge and the age of the oldest unpublished event, if
        not done in the last `every` seconds (by default `backlog_every_seconds`)."""
        now = time.monotonic()
        if now - self._backlog_at < (self.backlog_every if every is None else every):
            return
        self._backlog_at = now
        pending = {"outbox_pending": True}
        self.pending.set(await self.collection.count_documents(pending))
        oldest = None
        async for doc in self.collection.find(pending, {"outbox": 1}).limit(1000):
            for entry in doc.get("outbox", ()):
                queued = entry.get("queued_at")
                if queued is not None and (oldest is None or queued < oldest):
                    oldest = queued
        age = (datetime.now(UTC) - oldest).total_seconds() if oldest else 0.0
        self.oldest_age.set(max(age, 0.0))

    def stop(self) -> None:
        self._loop.stop()

    async def publish_batch(self) -> int:
        """Lease up to `batch_size` documents, publish their events, mark them sent.

        Sends are issued in document order and awaited together: the idempotent producer
        keeps them in order per partition, so one family's events stay in order.
        Returns how many documents were published (0 when nothing is pending).
        """
        now, owner = datetime.now(UTC), uuid.uuid4().hex
        due = {"outbox_pending": True, "lease_until": {"$lt": now}}
        ids = [d["_id"] async for d in self.collection.find(due, {"_id": 1}).limit(self.batch_size)]
        if not ids:
            return 0
        await self.collection.update_many(
            {"_id": {"$in": ids}, **due},
            {"$set": {"lease_until": now + self.lease, "lease_owner": owner}},
        )
        leased = {"_id": {"$in": ids}, "lease_owner": owner}
        docs = await self.collection.find(leased, {"outbox": 1}).to_list()
        try:
            sends = [await self._publish(entry) for doc in docs for entry in doc["outbox"]]
            await asyncio.gather(*sends)
        except BaseException:
            # the leases given back; if the store cannot, they run out: the same, later. (A
            # failure here must not replace a cancellation: the relay would go on.)
            with contextlib.suppress(Exception):
                await self.collection.update_many({"lease_owner": owner}, {"$set": RELEASED})
            raise
        self.published.inc(len(sends))
        # A write that appended events meanwhile reset the lease (see store), so this marks
        # only documents unchanged since they were read; from the others only the entries
        # just published are taken out (by event id), and what was appended stays pending.
        marked = await self.collection.update_many(leased, SENT)
        if marked.matched_count < len(docs):
            sent = [e["event_id"] for doc in docs for e in doc["outbox"] if "event_id" in e]
            await self.collection.update_many(
                {"_id": {"$in": ids}, "outbox_pending": True},
                {"$pull": {"outbox": {"event_id": {"$in": sent}}}},
            )
        return len(docs)

    async def _publish(self, entry: Doc) -> Any:
        """Send one entry (not awaiting the broker's ack) inside the trace that queued it,
        straight to the broker's producer: FastStream's publishing middlewares cost about
        100 µs a message (three times the send itself), the relay counts what it sends
        (`entraide_outbox_published_events_total`) and `producing` carries the trace."""
        with producing(entry["topic"], entry.get("traceparent")) as trace_headers:
            return await self.broker.config.producer.publish(record(entry, trace_headers))


@contextlib.asynccontextmanager
async def running(relay: OutboxRelay, app: FastAPI) -> AsyncIterator[None]:
    """Run the relay for the app's lifetime; on shutdown let the current round finish (up to
    10 s: then pending events stay pending)."""
    async with loops.running(relay._loop, grace_seconds=10):
        yield


def _component(exc: BaseException) -> str:
    """Which dependency a failure of the outbox points at."""
    return STORE if isinstance(exc, PyMongoError) else KAFKA
