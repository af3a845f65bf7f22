"""Volunteers in directory's store: sealed identity, review state, and their outbox."""

from typing import Any

from pymongo.asynchronous.database import AsyncDatabase

from entraide.contracts.topics import VOLUNTEERS
from entraide.directory.store import Outboxed, appending

Doc = dict[str, Any]


class VolunteerStore(Outboxed):
    def __init__(self, db: AsyncDatabase[Doc], topic: str = VOLUNTEERS.name) -> None:
        super().__init__(db, "volunteers", topic)

    async def ensure_indexes(self) -> None:
        await self.collection.create_index("association_id")
        await self.collection.create_index("volunteer_ref", unique=True)
        await self.ensure_markers()

    async def insert(self, doc: Doc) -> None:
        """A new application: nothing to announce yet."""
        await self.collection.insert_one({**doc, "outbox": [], "outbox_pending": False})

    async def replace(self, doc: Doc, entries: list[Doc], previous: Doc) -> bool:
        """Write a new revision (and its events) if nobody wrote one meanwhile."""
        async with self.writing:
            result = await self.collection.update_one(
                {"_id": doc["_id"], "revision": previous["revision"]}, appending(doc, entries)
            )
            if not result.matched_count:
                return False
            if entries:
                await self.mark(doc["_id"])
        return True

    async def get(self, volunteer_id: str) -> Doc | None:
        return await self.collection.find_one({"_id": volunteer_id})

    async def of_association(self, association_id: str) -> list[Doc]:
        query = {"association_id": association_id}
        return await self.collection.find(query, {"outbox": 0}).sort("applied_at", -1).to_list()

    async def all(self) -> list[Doc]:
        return await self.collection.find({}, {"outbox": 0}).to_list()
