"""Matching's read model of vetted volunteers, rebuilt from the compacted volunteers topic
(its consumer: `entrypoints.consumers.volunteers`).

Pseudonymous: keyed by the volunteer's reference. A newer revision replaces the state; a
tombstone (the volunteer left) removes it.
"""

from datetime import date
from typing import Any

from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import DuplicateKeyError

from entraide.contracts.events import VolunteerAvailability

Doc = dict[str, Any]


class VolunteerViews:
    """Volunteers as matching sees them: what the events carry, latest revision wins."""

    def __init__(self, db: AsyncDatabase[Doc]) -> None:
        self.collection = db["volunteers"]

    async def upsert(self, data: VolunteerAvailability) -> bool:
        view = data.model_dump(mode="json", exclude={"volunteer_ref"})
        try:
            result = await self.collection.update_one(
                {"_id": data.volunteer_ref, "revision": {"$lt": data.revision}},
                {"$set": view},
                upsert=True,
            )
        except DuplicateKeyError:  # as new or newer already: a redelivery
            return False
        return bool(result.upserted_id is not None or result.modified_count)

    async def remove(self, volunteer_ref: str) -> None:
        await self.collection.delete_one({"_id": volunteer_ref})

    async def get(self, volunteer_ref: str) -> Doc | None:
        return await self.collection.find_one({"_id": volunteer_ref})

    async def many(self, refs: list[str]) -> dict[str, Doc]:
        """Several volunteers by reference (for the coordinators' pages)."""
        return {d["_id"]: d async for d in self.collection.find({"_id": {"$in": refs}})}

    async def checks_due(self, association_id: str, by: date) -> list[str]:
        """The association's volunteers whose honorability check's last day is `by` or
        before, or who have none (the event's ISO days compare as text)."""
        lapsing = {"$or": [{"honorability_valid_until": {"$lte": by.isoformat()}},
                           {"honorability_valid_until": None}]}  # fmt: skip
        query = {"association_id": association_id} | lapsing
        return [d["_id"] async for d in self.collection.find(query, {"_id": 1})]
