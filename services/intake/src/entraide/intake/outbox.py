"""The outbox relay: publishes what the store wrote, in order, then marks it sent.

Replicas may run side by side: a lease on each family document keeps its events in
order on one relay at a time. A crash between publish and mark means a re-publish,
which consumers absorb (they deduplicate by event id or revision).
"""

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from typing import Any

from fastapi import FastAPI
from faststream.kafka import KafkaBroker
from prometheus_client import CollectorRegistry, Counter, Gauge
from pymongo import ReturnDocument
from pymongo.asynchronous.collection import AsyncCollection

from entraide.contracts.envelope import CONTENT_TYPE
from entraide.intake.store import NEVER

log = logging.getLogger(__name__)
Doc = dict[str, Any]


class OutboxRelay:
    """Moves pending events from the family documents to Kafka."""

    def __init__(
        self,
        collection: AsyncCollection[Doc],
        broker: KafkaBroker,
        *,
        registry: CollectorRegistry,
        lease_seconds: float = 30.0,
        idle_poll_seconds: float = 1.0,
        max_backoff_seconds: float = 5.0,
    ) -> None:
        self.collection = collection
        self.broker = broker
        self.lease = timedelta(seconds=lease_seconds)
        self.idle_poll_seconds = idle_poll_seconds
        self.max_backoff_seconds = max_backoff_seconds
        self._wake = asyncio.Event()
        self._stopping = False
        self.published = Counter(
            "entraide_outbox_published_events", "Events published", registry=registry
        )
        self.failures = Counter(
            "entraide_outbox_publish_failures", "Failed publish rounds", registry=registry
        )
        self.pending = Gauge(
            "entraide_outbox_pending_documents",
            "Documents with events not yet published",
            registry=registry,
        )

    def wake(self) -> None:
        """Something was written: publish now rather than at the next poll."""
        self._wake.set()

    async def run(self) -> None:
        backoff = 0.2
        while not self._stopping:
            try:
                published = await self.publish_next() if self.broker.running else False
                backoff = 0.2
            except Exception as exc:  # Kafka or the store is down: keep the events, retry
                self.failures.inc()
                log.warning(
                    "outbox publish failed",
                    extra={"error": type(exc).__name__, "retry_in_s": backoff},
                )
                await asyncio.sleep(backoff)
                backoff = min(backoff * 2, self.max_backoff_seconds)
                continue
            if not published:
                self.pending.set(await self.collection.count_documents({"outbox_pending": True}))
                self._wake.clear()
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._wake.wait(), self.idle_poll_seconds)

    def stop(self) -> None:
        self._stopping = True
        self._wake.set()

    async def publish_next(self) -> bool:
        """Publish the events of one leased document; False when nothing is pending."""
        now = datetime.now(UTC)
        doc = await self.collection.find_one_and_update(
            {"outbox_pending": True, "lease_until": {"$lt": now}},
            {"$set": {"lease_until": now + self.lease}},
            return_document=ReturnDocument.AFTER,
        )
        if doc is None:
            return False
        try:
            for entry in doc["outbox"]:
                await self.broker.publish(
                    entry["value"].encode(),
                    entry["topic"],
                    key=entry["key"].encode(),
                    headers={"content-type": CONTENT_TYPE},
                )
                self.published.inc()
        except BaseException:
            await self.collection.update_one({"_id": doc["_id"]}, {"$set": {"lease_until": NEVER}})
            raise
        await self._mark_sent(doc["_id"], {e["event_id"] for e in doc["outbox"]}, doc["version"])
        return True

    async def _mark_sent(self, doc_id: Any, sent: set[str], version: int) -> None:
        """Drop the sent events; events appended meanwhile (version moved) stay pending."""
        update: Doc = {"$set": {"outbox": [], "outbox_pending": False, "lease_until": NEVER}}
        while not (
            await self.collection.update_one({"_id": doc_id, "version": version}, update)
        ).matched_count:
            doc = await self.collection.find_one({"_id": doc_id}, {"outbox": 1, "version": 1})
            if doc is None:  # erased meanwhile: nothing left to mark
                return
            remaining = [e for e in doc["outbox"] if e["event_id"] not in sent]
            version = doc["version"]
            update = {
                "$set": {
                    "outbox": remaining,
                    "outbox_pending": bool(remaining),
                    "lease_until": NEVER,
                }
            }


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
