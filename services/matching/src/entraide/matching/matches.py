"""Matching's own records: matches (with their outbox), the places supports give,
histories and the waitlist.

What must hold across replicas is each time one atomic single-document write:
- *one open match per request*: an open match carries `open_request` (its request id)
  under a unique sparse index, and loses it in the very update that moves it out of the
  open states; a second open match for the request is refused by its insert;
- *no support over-filled*: `places` holds one document per support listing the matches
  that hold its places (`taken`: match id and when); taking one is an update whose
  filter says the list is shorter than the capacity, giving it back a `$pull` of the
  match (harmless twice);
- a request's *history* (`histories`, `_id` = request id) remembers which supports must
  not be offered again and which associations the family knows.
A match and the event announcing each move are one document write (the outbox); a move
is guarded by the state it starts from, so two coordinators cannot both act.

Taking a place and writing the match are still two writes, as are a move out of the open
states and giving its place back: a process or store that goes between the two leaves a
place held by a match that is not open. The batch gives such places back once they are a
minute old (`heal`); a younger one may be a placement in flight.
"""

from datetime import UTC, datetime, timedelta
from typing import Any

from pymongo import ASCENDING
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import DuplicateKeyError

from entraide.contracts import CloudEvent
from entraide.contracts.kit.outbox import PENDING, outbox_entry
from entraide.matching.domain.lifecycle import OPEN, State

Doc = dict[str, Any]
OPEN_STATES = [s.value for s in OPEN]


class MatchStore:
    def __init__(self, db: AsyncDatabase[Doc]) -> None:
        self.matches = db["matches"]
        self.places = db["places"]
        self.histories = db["histories"]
        self.waitlist = db["waitlist"]

    async def ensure_indexes(self) -> None:
        await self.matches.create_index([("open_request", ASCENDING)], unique=True, sparse=True)
        await self.matches.create_index([("request_id", ASCENDING)])
        await self.matches.create_index([("support_key", ASCENDING), ("state", ASCENDING)])
        await self.matches.create_index([("association_id", ASCENDING), ("state", ASCENDING)])
        await self.matches.create_index([("state", ASCENDING), ("expires_at", ASCENDING)])
        await self.matches.create_index([("outbox_pending", ASCENDING), ("lease_until", ASCENDING)])
        await self.waitlist.create_index([("departement", ASCENDING)])

    # --- places -----------------------------------------------------------------------

    async def take(self, key: str, capacity: int | None, match_id: str) -> bool:
        """Take one of the support's places for the match; False when all are taken.
        Unlimited supports (capacity None) keep no list."""
        if capacity is None:
            return True
        if capacity <= 0:
            return False
        room = {"_id": key, f"taken.{capacity - 1}": {"$exists": False}}
        update = {"$push": {"taken": {"match_id": match_id, "at": datetime.now(UTC)}}}
        try:
            await self.places.update_one(room, update, upsert=True)
        except DuplicateKeyError:  # full (so the upsert tried an insert), or just created
            return (await self.places.update_one(room, update)).modified_count == 1
        return True

    async def give_back(self, key: str, match_id: str) -> None:
        """Give the match's place back to the support (nothing if it held none)."""
        await self.places.update_one({"_id": key}, {"$pull": {"taken": {"match_id": match_id}}})

    async def heal(self, grace: timedelta = timedelta(minutes=1)) -> dict[str, int]:
        """Give back the places held longer than `grace` by matches that are not open (see
        the module's docstring); returns the places taken per support after that."""
        before = datetime.now(UTC) - grace
        places = await self.places.find({}).to_list()
        old = {t["match_id"] for p in places for t in p.get("taken", ()) if t["at"] < before}
        query = {"_id": {"$in": sorted(old)}, "state": {"$in": OPEN_STATES}}
        still_open = {m["_id"] async for m in self.matches.find(query, {"_id": 1})}
        counts: dict[str, int] = {}
        for place in places:
            taken = place.get("taken", [])
            stale = [
                t["match_id"] for t in taken if t["at"] < before and t["match_id"] not in still_open
            ]
            if stale:
                await self.places.update_one(
                    {"_id": place["_id"]}, {"$pull": {"taken": {"match_id": {"$in": stale}}}}
                )
            counts[place["_id"]] = len(taken) - len(stale)
        return counts

    async def held(self) -> dict[str, int]:
        """Places taken per support (for the in-memory pool)."""
        return {p["_id"]: len(p.get("taken", ())) async for p in self.places.find({})}

    # --- matches ----------------------------------------------------------------------

    async def propose(self, match: Doc, outbox: Doc) -> bool:
        """Store the proposal, open, with its outbox fields (`PENDING` ones for the relay,
        or leased by a writer publishing at once); False if the request already has an
        open match."""
        try:
            await self.matches.insert_one({**match, "open_request": match["request_id"], **outbox})
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
        """Move a match from `frm` to `to` with its event; False if it was not in `frm`.
        A move out of the open states closes the request's open match in the same write,
        then gives the support's place back."""
        update: Doc = {
            "$set": {**changes, "state": to.value, **PENDING},
            "$push": {"outbox": outbox_entry(event), **(push or {})},
        }
        if to not in OPEN:
            update["$unset"] = {"open_request": ""}
        moved = await self.matches.find_one_and_update(
            {"_id": match_id, "state": frm.value}, update, projection={"support_key": 1}
        )
        if moved is None:
            return False
        if to not in OPEN:
            await self.give_back(moved["support_key"], match_id)
        return True

    async def record(
        self, match_id: str, state: State, changes: Doc, event: CloudEvent[Any], push: Doc
    ) -> bool:
        """A follow-up on a match in `state` (no move), with its event."""
        update = {"$set": {**changes, **PENDING}, "$push": {"outbox": outbox_entry(event), **push}}
        result = await self.matches.update_one({"_id": match_id, "state": state.value}, update)
        return result.modified_count == 1

    async def matched(self) -> set[str]:
        """The requests with an open match."""
        query = {"state": {"$in": OPEN_STATES}}
        return {m["request_id"] async for m in self.matches.find(query, {"request_id": 1})}

    async def get(self, match_id: str) -> Doc | None:
        return await self.matches.find_one({"_id": match_id}, {"outbox": 0})

    async def open_for_request(self, request_id: str) -> Doc | None:
        return await self.matches.find_one({"open_request": request_id}, {"outbox": 0})

    async def of_request(self, request_id: str) -> list[Doc]:
        return await self.matches.find({"request_id": request_id}, {"outbox": 0}).to_list()

    async def open_for_support(self, key: str) -> list[Doc]:
        query = {"support_key": key, "state": {"$in": OPEN_STATES}}
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
        """Note that the request had a proposal; True the first time only."""
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
        await self.waitlist.delete_one({"_id": request_id})

    async def waiting(self, query: Doc, limit: int = 500) -> list[Doc]:
        return await self.waitlist.find(query).sort("since", ASCENDING).limit(limit).to_list()
