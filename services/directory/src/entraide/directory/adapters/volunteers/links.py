"""A volunteer's sign-in in directory's store: their address's keyed hash, and the links
sent (only the token's hash, gone from the store an hour after it expired). Both name the
volunteer's reference, so privacy's erasure command deletes them with the rest
(`adapters.rights`, the kit's `ReferencedDocuments`)."""

from datetime import UTC, datetime, timedelta
from typing import Any

from pymongo import ReturnDocument
from pymongo.asynchronous.database import AsyncDatabase

from entraide.directory.domain.volunteers.access_links import LINK_VALIDITY

Doc = dict[str, Any]
KEPT_AFTER_EXPIRY = timedelta(hours=1)
FILLED = "volunteer-addresses-kept"  # those who applied before the index: kept, once


class MongoEmailIndex:
    """`volunteer_space.EmailIndex`: `volunteer_lookups`, one document per address hash."""

    def __init__(self, db: AsyncDatabase[Doc]) -> None:
        self.collection = db["volunteer_lookups"]
        self.migrations = db["migrations"]

    async def remember(self, lookup: str, volunteer_id: str, volunteer_ref: str) -> None:
        """The latest application with this address is the one its link opens."""
        doc = {"_id": lookup, "volunteer_id": volunteer_id, "volunteer_ref": volunteer_ref}
        await self.collection.replace_one({"_id": lookup}, doc, upsert=True)

    async def forget_others(self, volunteer_id: str, lookup: str) -> None:
        await self.collection.delete_many({"volunteer_id": volunteer_id, "_id": {"$ne": lookup}})

    async def volunteers(self) -> set[str]:
        return {str(d["volunteer_id"]) async for d in self.collection.find({}, {"volunteer_id": 1})}

    async def filled(self) -> bool:
        return await self.migrations.find_one({"_id": FILLED}) is not None

    async def mark_filled(self) -> None:
        """The marker, in directory's `migrations` (it names nobody: no erasure touches it)."""
        done = {"$setOnInsert": {"done_at": datetime.now(UTC)}}
        await self.migrations.update_one({"_id": FILLED}, done, upsert=True)

    async def find(self, lookup: str) -> str | None:
        doc = await self.collection.find_one({"_id": lookup})
        return None if doc is None else str(doc["volunteer_id"])


class MongoSignInLinks:
    """`volunteer_space.SignInLinks`: `volunteer_links`, by the token's hash."""

    def __init__(self, db: AsyncDatabase[Doc]) -> None:
        self.collection = db["volunteer_links"]

    async def ensure_indexes(self) -> None:
        await self.collection.create_index("purge_at", expireAfterSeconds=0)
        await self.collection.create_index("volunteer_id")

    async def save(
        self, hashed: str, volunteer_id: str, volunteer_ref: str, expires_at: datetime
    ) -> None:
        await self.collection.insert_one(
            {
                "_id": hashed,
                "volunteer_id": volunteer_id,
                "volunteer_ref": volunteer_ref,
                "expires_at": expires_at,
                "used": False,
                "purge_at": expires_at + KEPT_AFTER_EXPIRY,
            }
        )

    async def sent_since(self, volunteer_id: str, since: datetime) -> int:
        expiring_after = since + LINK_VALIDITY  # a link expires 15 minutes after it went
        query = {"volunteer_id": volunteer_id, "expires_at": {"$gt": expiring_after}}
        return await self.collection.count_documents(query)

    async def redeem(self, hashed: str, now: datetime) -> str | None:
        """One atomic update: a second use of the link (even at the same instant) finds it
        used."""
        doc = await self.collection.find_one_and_update(
            {"_id": hashed, "used": False, "expires_at": {"$gt": now}},
            {"$set": {"used": True, "used_at": now}},
            return_document=ReturnDocument.AFTER,
        )
        return None if doc is None else str(doc["volunteer_id"])
