"""Matching's own records: matches (with their outbox), claims, holds, histories and the
waitlist.

The hot path (a new request gets its proposal) uses only inserts and reads by `_id`, the
two operations FerretDB v1 serves without scanning a collection:
- a *claim* (`claims`, `_id` = request id) says a request has an open match: inserting
  it is the atomic "one open match per request";
- a *hold* (`holds`, `_id` = "<support key>#<n>") is one of a support's places: a
  support with capacity c has places #0..#c-1, and taking one is an insert that fails if
  someone took it first, so no replica can overfill a volunteer;
- a request's *history* (`histories`, `_id` = request id) remembers which supports must
  not be offered again and which associations the family knows.
A match and the event announcing each move are one document write (the outbox); a move
is guarded by the state it starts from, so two coordinators cannot both act.
"""

import asyncio
from datetime import UTC, datetime
from typing import Any

from pymongo import ASCENDING
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import DuplicateKeyError

from entraide.contracts import CloudEvent
from entraide.contracts.kit.outbox import DONE, NEVER, PENDING, outbox_entry
from entraide.matching.domain.lifecycle import OPEN, State

Doc = dict[str, Any]


class MatchStore:
    def __init__(self, db: AsyncDatabase[Doc]) -> None:
        self.matches = db["matches"]
        self.claims = db["claims"]
        self.holds = db["holds"]
        self.histories = db["histories"]
        self.waitlist = db["waitlist"]
        self.intents = db["outbox_intents"]  # proposals being published at once
        self.writing = asyncio.Lock()  # updates of matches take turns with the relay's

    async def ensure_indexes(self) -> None:
        await self.matches.create_index([("request_id", ASCENDING)])
        await self.matches.create_index([("support_key", ASCENDING), ("state", ASCENDING)])
        await self.matches.create_index([("association_id", ASCENDING), ("state", ASCENDING)])
        await self.matches.create_index([("state", ASCENDING), ("expires_at", ASCENDING)])
        await self.matches.create_index([("outbox_pending", ASCENDING), ("lease_until", ASCENDING)])
        await self.waitlist.create_index([("departement", ASCENDING)])

    # --- places -----------------------------------------------------------------------

    async def hold(self, key: str, capacity: int | None, start: int = 0) -> str | None:
        """Take one of the support's places; its id, or None when all are taken.
        Unlimited supports (capacity None) need no hold: the empty id."""
        if capacity is None:
            return ""
        for n in [*range(start, capacity), *range(min(start, capacity))]:
            try:
                await self.holds.insert_one({"_id": f"{key}#{n}", "at": datetime.now(UTC)})
            except DuplicateKeyError:
                continue
            return f"{key}#{n}"
        return None

    async def unhold(self, hold: str | None) -> None:
        if hold:
            await self.holds.delete_one({"_id": hold})

    async def held(self) -> dict[str, int]:
        """Places taken per support (for the in-memory pool)."""
        counts: dict[str, int] = {}
        async for doc in self.holds.find({}, {"_id": 1}):
            key = doc["_id"].rsplit("#", 1)[0]
            counts[key] = counts.get(key, 0) + 1
        return counts

    # --- matches ----------------------------------------------------------------------

    async def propose(self, match: Doc, outbox: list[Doc], *, pending: bool = True) -> bool:
        """Claim the request and store the proposal with its events, for the relay
        (`pending`) or as already handled by the caller; False if the request already has
        an open match."""
        try:
            await self.claims.insert_one(
                {"_id": match["request_id"], "match_id": match["_id"], "at": datetime.now(UTC)}
            )
        except DuplicateKeyError:
            return False
        fields = {"outbox": outbox, **PENDING} if pending else DONE
        await self.matches.insert_one({**match, **fields})
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
        """Move a match from `frm` to `to` with its event; False if it was not in `frm`.
        A move out of the open states releases the request's claim."""
        update: Doc = {
            "$set": {**changes, "state": to.value, **PENDING},
            "$push": {"outbox": outbox_entry(event), **(push or {})},
        }
        async with self.writing:
            result = await self.matches.update_one({"_id": match_id, "state": frm.value}, update)
        if result.modified_count != 1:
            return False
        if to not in OPEN:
            match = await self.matches.find_one({"_id": match_id}, {"request_id": 1})
            if match:
                await self.claims.delete_one({"_id": match["request_id"], "match_id": match_id})
        return True

    async def record(
        self, match_id: str, state: State, changes: Doc, event: CloudEvent[Any], push: Doc
    ) -> bool:
        """A follow-up on a match in `state` (no move), with its event."""
        update = {"$set": {**changes, **PENDING}, "$push": {"outbox": outbox_entry(event), **push}}
        async with self.writing:
            result = await self.matches.update_one({"_id": match_id, "state": state.value}, update)
        return result.modified_count == 1

    async def claimed(self, *, orphaned_before: datetime) -> set[str]:
        """The requests with an open match. A claim whose match was never written (the store
        went away between the two inserts) and older than `orphaned_before` is released,
        so the batch places its request again."""
        claims = {c["_id"]: c async for c in self.claims.find({})}
        written = {m["_id"] async for m in self.matches.find({}, {"_id": 1})}
        orphans = [
            c
            for c in claims.values()
            if c["match_id"] not in written and c.get("at", NEVER) < orphaned_before
        ]
        for claim in orphans:
            await self.claims.delete_one({"_id": claim["_id"], "match_id": claim["match_id"]})
        return set(claims) - {c["_id"] for c in orphans}

    async def get(self, match_id: str) -> Doc | None:
        return await self.matches.find_one({"_id": match_id}, {"outbox": 0})

    async def open_for_request(self, request_id: str) -> Doc | None:
        claim = await self.claims.find_one({"_id": request_id})
        return await self.get(claim["match_id"]) if claim else None

    async def of_request(self, request_id: str) -> list[Doc]:
        return await self.matches.find({"request_id": request_id}, {"outbox": 0}).to_list()

    async def open_for_support(self, key: str) -> list[Doc]:
        query = {"support_key": key, "state": {"$in": [s.value for s in OPEN]}}
        return await self.matches.find(query, {"outbox": 0}).to_list()

    async def due_to_expire(self, now: datetime, limit: int = 500) -> list[Doc]:
        query = {"state": State.PROPOSED.value, "expires_at": {"$lte": now}}
        return await self.matches.find(query, {"outbox": 0}).limit(limit).to_list()

    async def listing(self, query: Doc, limit: int = 200) -> list[Doc]:
        cursor = self.matches.find(query, {"outbox": 0}).sort("proposed_at", ASCENDING)
        return await cursor.limit(limit).to_list()

    # --- histories --------------------------------------------------------------------

    async def history(self, request_id: str) -> Doc:
        return await self.histories.find_one({"_id": request_id}) or {}

    async def histories_of(self, request_ids: list[str]) -> dict[str, Doc]:
        found = self.histories.find({"_id": {"$in": request_ids}})
        return {doc["_id"]: doc async for doc in found}

    async def first_proposal(self, request_id: str) -> bool:
        """Note that the request had a proposal; True the first time (an insert: fast)."""
        try:
            await self.histories.insert_one({"_id": request_id})
        except DuplicateKeyError:
            return False
        return True

    async def remember(
        self, request_id: str, *, refused: str | None = None, known: str | None = None
    ) -> None:
        """Note a support not to offer this request again, or an association it now knows."""
        add = {k: v for k, v in (("refused", refused), ("known", known)) if v}
        if add:
            await self.histories.update_one({"_id": request_id}, {"$addToSet": add}, upsert=True)

    # --- waitlist ---------------------------------------------------------------------

    async def wait(self, request_id: str, entry: Doc) -> None:
        await self.waitlist.update_one(
            {"_id": request_id},
            {"$set": entry, "$setOnInsert": {"since": datetime.now(UTC)}},
            upsert=True,
        )

    async def unwait(self, request_id: str) -> None:
        if await self.waitlist.find_one({"_id": request_id}, {"_id": 1}):
            await self.waitlist.delete_one({"_id": request_id})

    async def waiting(self, query: Doc, limit: int = 500) -> list[Doc]:
        return await self.waitlist.find(query).sort("since", ASCENDING).limit(limit).to_list()
