"""The outbox relay: publishes what the store wrote, in order, then marks it sent.

Intake's pattern (lease, publish with the idempotent producer, mark sent), with two
differences: the relay finds its work through markers rather than by scanning every
document (FerretDB scans whole collections), and an entry with a null value is published
as a tombstone. A document marked deleted is removed once its last events are out.
"""

import asyncio
import contextlib
import logging
import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from typing import Any

from fastapi import FastAPI
from faststream.kafka import KafkaBroker
from prometheus_client import CollectorRegistry, Counter

from entraide.contracts.envelope import CONTENT_TYPE
from entraide.directory.store import NEVER, Outboxed

log = logging.getLogger(__name__)
Doc = dict[str, Any]
SENT: Doc = {
    "$set": {"outbox": [], "outbox_pending": False, "lease_until": NEVER, "lease_owner": None}
}


class OutboxRelay:
    """Moves pending events of one or more outboxed collections to Kafka."""

    def __init__(
        self,
        sources: list[Outboxed],
        broker: KafkaBroker,
        *,
        registry: CollectorRegistry,
        lease_seconds: float = 30.0,
        idle_poll_seconds: float = 1.0,
        batch_size: int = 100,
    ) -> None:
        self.sources = sources
        self.broker = broker
        self.lease = timedelta(seconds=lease_seconds)
        self.idle_poll_seconds = idle_poll_seconds
        self.batch_size = batch_size
        self._wake = asyncio.Event()
        self._stopping = False
        self.published = Counter(
            "entraide_directory_outbox_published_events", "Events published", registry=registry
        )
        self.failures = Counter(
            "entraide_directory_outbox_failures", "Failed publish rounds", registry=registry
        )

    def wake(self) -> None:
        self._wake.set()

    def stop(self) -> None:
        self._stopping = True
        self._wake.set()

    async def run(self) -> None:
        backoff = 0.2
        while not self._stopping:
            try:
                done = 0
                if self.broker.running:
                    for source in self.sources:
                        done += await self.publish_batch(source)
                backoff = 0.2
            except Exception as exc:  # Kafka or the store is down: keep the events, retry
                self.failures.inc()
                log.warning("outbox publish failed", extra={"error": type(exc).__name__})
                await asyncio.sleep(backoff)
                backoff = min(backoff * 2, 5.0)
                continue
            if not done:
                self._wake.clear()
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._wake.wait(), self.idle_poll_seconds)

    async def publish_batch(self, source: Outboxed) -> int:
        """Lease the marked documents, publish their events, mark them sent; drop markers."""
        markers = await source.markers.find({}).limit(self.batch_size).to_list()
        if not markers:
            return 0
        ids = [m["_id"] for m in markers]
        now, owner = datetime.now(UTC), uuid.uuid4().hex
        due = {"_id": {"$in": ids}, "outbox_pending": True, "lease_until": {"$lt": now}}
        async with source.writing:
            await source.collection.update_many(
                due, {"$set": {"lease_until": now + self.lease, "lease_owner": owner}}
            )
        leased = {"_id": {"$in": ids}, "lease_owner": owner}
        docs = await source.collection.find(leased, {"outbox": 1, "deleted": 1}).to_list()
        try:
            sends = [
                await self.broker.publish(
                    None if entry["value"] is None else entry["value"].encode(),
                    entry["topic"],
                    key=entry["key"].encode(),
                    headers={} if entry["value"] is None else {"content-type": CONTENT_TYPE},
                    no_confirm=True,
                )
                for doc in docs
                for entry in doc["outbox"]
            ]
            await asyncio.gather(*sends)
        except BaseException:
            async with source.writing:
                await source.collection.update_many(
                    {"lease_owner": owner}, {"$set": {"lease_until": NEVER, "lease_owner": None}}
                )
            raise
        self.published.inc(len(sends))
        # A write that appended events meanwhile reset the lease, so only documents unchanged
        # since they were read are marked (or deleted); the others keep their events.
        async with source.writing:
            await source.collection.delete_many({**leased, "deleted": True})
            await source.collection.update_many(leased, SENT)
            # A marker bumped since it was read stays for the next round.
            for m in markers:
                await source.markers.delete_one({"_id": m["_id"], "n": m["n"]})
        return len(markers)


@contextlib.asynccontextmanager
async def running(relay: OutboxRelay, app: FastAPI) -> AsyncIterator[None]:
    """Run the relay for the app's lifetime; on shutdown let the current round finish."""
    task = asyncio.create_task(relay.run())
    try:
        yield
    finally:
        relay.stop()
        try:
            await asyncio.wait_for(task, timeout=10)
        except TimeoutError:
            log.warning("outbox relay did not stop in time; pending events stay pending")
