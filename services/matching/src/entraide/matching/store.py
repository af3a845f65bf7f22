"""Matching's read model of requests, kept by versioned upserts."""

from enum import StrEnum
from typing import Any

from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import DuplicateKeyError

Doc = dict[str, Any]


class Applied(StrEnum):
    """What an upsert did (a stale revision applies nothing: None)."""

    NEW = "new"  # first seen: no match, history or waitlist entry of it can exist yet
    NEWER = "newer"


class RequestViews:
    """Requests as matching sees them: pseudonymous, coarse, latest revision wins."""

    def __init__(self, db: AsyncDatabase[Doc]) -> None:
        self.collection = db["requests"]

    async def ensure_indexes(self) -> None:
        await self.collection.create_index("family_ref")
        await self.collection.create_index([("departement", 1), ("status", 1)])

    async def upsert(self, request_id: str, view: Doc) -> Applied | None:
        """Apply a newer revision; None when the stored one is as new (a redelivery).

        A new request is one insert (fast everywhere); a known one is replaced only if the
        revision is newer, the check being part of the write itself, so two deliveries
        racing on two replicas cannot both apply."""
        try:
            await self.collection.insert_one({"_id": request_id, **view})
            return Applied.NEW
        except DuplicateKeyError:
            pass
        try:
            result = await self.collection.update_one(
                {"_id": request_id, "revision": {"$lt": view["revision"]}},
                {"$set": view},
                upsert=True,
            )
        except DuplicateKeyError:  # the document exists with this revision or a later one
            return None
        applied = result.upserted_id is not None or result.modified_count
        return Applied.NEWER if applied else None

    async def get(self, request_id: str) -> Doc | None:
        return await self.collection.find_one({"_id": request_id})

    async def open_ids(self) -> set[str]:
        """The open requests whose family consented to matching."""
        query = {"status": "open", "consent_to_matching": True}
        return {r["_id"] async for r in self.collection.find(query, {"_id": 1})}

    async def many(self, request_ids: list[str]) -> dict[str, Doc]:
        """Several requests by id (for the coordinators' lists)."""
        found = self.collection.find({"_id": {"$in": request_ids}})
        return {doc["_id"]: doc async for doc in found}
