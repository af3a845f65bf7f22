"""Matching's read model of directory's offers, rebuilt from the compacted offers topic.

The topic keeps the latest state of each offer and a tombstone (null value) for a deleted
one, so a fresh consumer group reading it from the start gets directory's current offers.
A state applies only if its revision is newer; a withdrawal or a tombstone removes it.
"""

import logging
from typing import Any, cast

from aiokafka import ConsumerRecord
from faststream.kafka import KafkaBroker
from faststream.kafka.annotations import KafkaMessage
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import DuplicateKeyError

from entraide.contracts import parse_event
from entraide.contracts.events import OfferState, OfferWithdrawn
from entraide.kit.broker import subscriber_options
from entraide.kit.deadletter import PoisonMessageError
from entraide.matching.settings import MatchingSettings
from entraide.matching.volunteers import SupportChanged

log = logging.getLogger(__name__)
Doc = dict[str, Any]


class OfferViews:
    """Offers as matching sees them: what the events carry, latest revision wins."""

    def __init__(self, db: AsyncDatabase[Doc]) -> None:
        self.collection = db["offers"]

    async def ensure_indexes(self) -> None:
        await self.collection.create_index("association_id")

    async def upsert(self, data: OfferState) -> bool:
        view = data.model_dump(mode="json", exclude={"offer_id"})
        try:
            result = await self.collection.update_one(
                {"_id": data.offer_id, "revision": {"$lt": data.revision}},
                {"$set": view},
                upsert=True,
            )
        except DuplicateKeyError:  # stored revision is as new or newer: a redelivery
            return False
        return bool(result.upserted_id is not None or result.modified_count)

    async def remove(self, offer_id: str) -> None:
        await self.collection.delete_one({"_id": offer_id})

    async def get(self, offer_id: str) -> Doc | None:
        return await self.collection.find_one({"_id": offer_id})

    async def many(self, offer_ids: list[str]) -> dict[str, Doc]:
        """Several offers by id (for the coordinators' pages)."""
        return {d["_id"]: d async for d in self.collection.find({"_id": {"$in": offer_ids}})}


def register(
    broker: KafkaBroker,
    views: OfferViews,
    *,
    settings: MatchingSettings,
    service: str,
    on_change: SupportChanged | None = None,
) -> None:
    @broker.subscriber(  # type: ignore[untyped-decorator]
        settings.offers_topic, title="offers", **subscriber_options(settings, service)
    )
    async def on_offer_event(message: KafkaMessage) -> None:
        """Keep the offers' read model equal to directory's latest state per offer."""
        record = cast(ConsumerRecord[bytes, bytes], message.raw_message)
        if record.value is None:  # a tombstone: the offer is gone
            if record.key:
                await views.remove(record.key.decode())
                if on_change:
                    await on_change(f"offer:{record.key.decode()}", None, False)
            return
        event = parse_event(message.body)
        data = event.data
        if isinstance(data, OfferWithdrawn):
            await views.remove(data.offer_id)
            if on_change:
                await on_change(f"offer:{data.offer_id}", None, False)
        elif isinstance(data, OfferState):
            if await views.upsert(data) and on_change:
                free = None if data.capacity is None else data.capacity - (data.current_load or 0)
                await on_change(f"offer:{data.offer_id}", free, True)
        else:
            raise PoisonMessageError("not-an-offer-event", event.type)
        log.info("offer event", extra={"event_id": event.id, "type": event.type})
