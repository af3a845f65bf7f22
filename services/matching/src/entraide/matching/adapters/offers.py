"""Matching's read model of directory's offers, rebuilt from the compacted offers topic
(its consumer: `entrypoints.consumers.offers`).

The topic keeps the latest state of each offer and a tombstone (null value) for a deleted
one, so a fresh consumer group reading it from the start gets directory's current offers.
A state applies only if its revision is newer; a withdrawal or a tombstone removes it.
"""

from typing import Any

from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import DuplicateKeyError

from entraide.contracts.events import OfferState

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
