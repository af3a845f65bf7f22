"""Matching's own records: matches (with their outbox), places left per support, and the
waitlist with its reasons.

A match and the event announcing its move are one document write. A move is guarded by
the state it starts from, so two coordinators clicking at once cannot both act. Places
are reserved by a conditional decrement, so two replicas cannot overfill a volunteer.
"""

from datetime import UTC, datetime
from typing import Any

from pymongo import ASCENDING
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import DuplicateKeyError

from entraide.contracts import CloudEvent
from entraide.contracts.kit.outbox import PENDING, outbox_entry
from entraide.matching.domain.lifecycle import OPEN, State

Doc = dict[str, Any]


class MatchStore:
    def __init__(self, db: AsyncDatabase[Doc]) -> None:
        self.matches = db["matches"]
        self.places = db["places"]
        self.waitlist = db["waitlist"]

    async def ensure_indexes(self) -> None:
        # one open match per request: the field exists only while the match is open
        await self.matches.create_index([("open_request_id", ASCENDING)], unique=True, sparse=True)
        await self.matches.create_index([("request_id", ASCENDING)])
        await self.matches.create_index([("support_key", ASCENDING), ("state", ASCENDING)])
        await self.matches.create_index([("association_id", ASCENDING), ("state", ASCENDING)])
        await self.matches.create_index([("state", ASCENDING), ("expires_at", ASCENDING)])
        await self.matches.create_index([("outbox_pending", ASCENDING), ("lease_until", ASCENDING)])
        await self.waitlist.create_index([("departement", ASCENDING)])

    # --- matches ----------------------------------------------------------------------

    async def propose(self, match: Doc, event: CloudEvent[Any]) -> bool:
        """Store a new proposal with its event; False if the request already has one open."""
        doc = {
            **match,
            "open_request_id": match["request_id"],
            "outbox": [outbox_entry(event)],
            **PENDING,
        }
        try:
            await self.matches.insert_one(doc)
        except DuplicateKeyError:
            return False
        return True

    async def move(
        self,
        match_id: str,
        frm: State,
        to: State,
        changes: Doc,
        event: CloudEvent[Any],
        push: Doc | None = None,
    ) -> bool:
        """Move a match from `frm` to `to` with its event; False if it was not in `frm`."""
        update: Doc = {
            "$set": {**changes, "state": to.value, **PENDING},
            "$push": {"outbox": outbox_entry(event), **(push or {})},
        }
        if to not in OPEN:
            update["$unset"] = {"open_request_id": ""}
        result = await self.matches.update_one({"_id": match_id, "state": frm.value}, update)
        return result.modified_count == 1

    async def record(
        self, match_id: str, state: State, changes: Doc, event: CloudEvent[Any], push: Doc
    ) -> bool:
        """A follow-up on a match in `state` (no move), with its event."""
        update = {"$set": {**changes, **PENDING}, "$push": {"outbox": outbox_entry(event), **push}}
        result = await self.matches.update_one({"_id": match_id, "state": state.value}, update)
        return result.modified_count == 1

    async def get(self, match_id: str) -> Doc | None:
        return await self.matches.find_one({"_id": match_id}, {"outbox": 0})

    async def of_request(self, request_id: str) -> list[Doc]:
        return await self.matches.find({"request_id": request_id}, {"outbox": 0}).to_list()

    async def open_for_request(self, request_id: str) -> Doc | None:
        return await self.matches.find_one({"open_request_id": request_id}, {"outbox": 0})

    async def open_for_support(self, key: str) -> list[Doc]:
        query = {"support_key": key, "state": {"$in": [s.value for s in OPEN]}}
        return await self.matches.find(query, {"outbox": 0}).to_list()

    async def due_to_expire(self, now: datetime, limit: int = 500) -> list[Doc]:
        query = {"state": State.PROPOSED.value, "expires_at": {"$lte": now}}
        return await self.matches.find(query, {"outbox": 0}).limit(limit).to_list()

    async def listing(self, query: Doc, limit: int = 200) -> list[Doc]:
        return (
            await self.matches.find(query, {"outbox": 0})
            .sort("proposed_at", ASCENDING)
            .limit(limit)
            .to_list()
        )

    # --- places -----------------------------------------------------------------------

    async def set_capacity(self, key: str, capacity: int | None) -> None:
        """Places left = capacity - this support's open matches (None: unlimited)."""
        if capacity is None:
            await self.places.delete_one({"_id": key})
            return
        held = await self.matches.count_documents(
            {"support_key": key, "state": {"$in": [s.value for s in OPEN]}}
        )
        await self.places.update_one(
            {"_id": key},
            {"$set": {"capacity": capacity, "free": max(0, capacity - held)}},
            upsert=True,
        )

    async def reserve(self, key: str, capacity: int | None) -> bool:
        """Take one place; False when none is left. `capacity` None: unlimited."""
        if capacity is None:
            return True
        for _ in range(2):
            taken = await self.places.update_one(
                {"_id": key, "free": {"$gt": 0}}, {"$inc": {"free": -1}}
            )
            if taken.modified_count == 1:
                return True
            if await self.places.count_documents({"_id": key}):
                return False
            await self.set_capacity(key, capacity)  # first proposal for this support
        return False

    async def release(self, key: str) -> None:
        await self.places.update_one({"_id": key}, {"$inc": {"free": 1}})

    async def free_places(self) -> dict[str, int]:
        return {d["_id"]: d["free"] async for d in self.places.find({}, {"free": 1})}

    # --- waitlist ---------------------------------------------------------------------

    async def wait(self, request_id: str, entry: Doc) -> None:
        await self.waitlist.update_one(
            {"_id": request_id},
            {"$set": entry, "$setOnInsert": {"since": datetime.now(UTC)}},
            upsert=True,
        )

    async def unwait(self, request_id: str) -> None:
        await self.waitlist.delete_one({"_id": request_id})

    async def waiting(self, query: Doc, limit: int = 500) -> list[Doc]:
        return await self.waitlist.find(query).sort("since", ASCENDING).limit(limit).to_list()
