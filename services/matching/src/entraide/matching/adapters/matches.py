"""Matching's own records: matches (with their outbox), the places supports give,
histories and the waitlist.

What must hold across replicas is each time one atomic single-document write:
- *one open match per request*: an open match carries `open_request` (its request id)
  under a unique sparse index, and loses it in the very update that moves it out of the
  open states; a second open match for the request is refused by its insert;
- *no support over-filled*: `places` holds one document per support listing the matches
  that hold its places (`taken`: match id and when); taking one is an update whose
  filter says the list is shorter than the capacity, so no replica overfills a
  volunteer, and giving it back is a `$pull` of the match (harmless twice);
- a request's *history* (`histories`, `_id` = request id) remembers which supports must
  not be offered again and which associations the family knows.
A match and the event announcing each move are one document write (the outbox); a move
is guarded by the state it starts from, so two coordinators cannot both act.

Taking a place and writing the match are still two writes, as are a move out of the open
states and giving its place back: a process or store that goes between the two leaves a
place held by a match that is not open. The batch gives such places back once they are a
minute old (`heal`); a younger one may be a placement in flight.
"""

from collections.abc import Callable
from datetime import datetime
from typing import Any

from pymongo import ASCENDING, DESCENDING
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import DuplicateKeyError

from entraide.contracts import CloudEvent
from entraide.contracts.vocab import MatchOutcome
from entraide.kit.bulk import inserted_but
from entraide.kit.outbox import PENDING, outbox_entry
from entraide.kit.retired_indexes import drop_retired
from entraide.matching.adapters.documents import (
    document_of,
    match_of,
    scope_query,
    state_query,
)
from entraide.matching.adapters.histories import Histories
from entraide.matching.adapters.paging import paged
from entraide.matching.adapters.places import OPEN_STATES, Places
from entraide.matching.adapters.waitlist import WAITING_SHOWN, Waitlist
from entraide.matching.domain.lifecycle import OPEN, State
from entraide.matching.domain.model import Match
from entraide.matching.domain.paging import Asked, Page
from entraide.matching.usecases.access import Scope

Doc = dict[str, Any]
WITHOUT_OUTBOX = {"outbox": 0}
RETIRED = {  # no longer created: by the change that retired them
    "matches": (
        "_id_1_state_1",  # 41d6096: unique (_id, state), a place taken in one update
        "_id_1_lease_owner_1",  # 41d6096: the marks', served by _id
        "open_request_id_1",  # fdbf530: the claim's field is `open_request`
        "association_id_1_state_1",  # 61254f0, then 71888fa: ended latest first, _id
        "association_id_1_state_1_closed_at_-1",
    ),
    "places": ("_id_1_v_1",),  # 41d6096
    "waitlist": ("departement_1",),  # 4610393: a territory's longest waiting first
}


class MatchStore(Places, Histories, Waitlist):
    """The Mongo adapter of the `Matches` port (matches here; places, histories and the
    waitlist in their own modules), and the documents the pages and the API list
    (`listing`, `document`, `of_request`, `waiting`)."""

    def __init__(self, db: AsyncDatabase[Doc]) -> None:
        self.matches = db["matches"]
        self.places = db["places"]
        self.histories = db["histories"]
        self.waitlist = db["waitlist"]
        self.waited: Callable[[], None] = lambda: None  # wakes the waitlist's relay
        self.announce = True  # `match.waitlisted` for new entries and new reasons

    async def ensure_indexes(self) -> None:
        await self.matches.create_index([("open_request", ASCENDING)], unique=True, sparse=True)
        await self.matches.create_index([("request_id", ASCENDING)])
        await self.matches.create_index([("support_key", ASCENDING), ("state", ASCENDING)])
        # an association's listings by state, and the ended matches latest first (ended_in),
        # an association's and the network's (its territories, or all of France)
        by_state = [("association_id", ASCENDING), ("state", ASCENDING)]
        latest = [("closed_at", DESCENDING), ("_id", DESCENDING)]
        await self.matches.create_index([*by_state, *latest])
        await self.matches.create_index([("state", ASCENDING), ("departement", ASCENDING), *latest])
        await self.matches.create_index([("state", ASCENDING), *latest])
        # the pages' lists (`listing_in`), an association's and the network's (its
        # territories, or all of France), oldest proposal first, a page at a time
        oldest = [("proposed_at", ASCENDING), ("_id", ASCENDING)]
        await self.matches.create_index([*by_state, *oldest])
        await self.matches.create_index([("state", ASCENDING), ("departement", ASCENDING), *oldest])
        await self.matches.create_index([("state", ASCENDING), *oldest])
        await self.matches.create_index([("state", ASCENDING), ("expires_at", ASCENDING)])
        await self.matches.create_index([("outbox_pending", ASCENDING), ("lease_until", ASCENDING)])
        # the waitlist's pages (`waiting_in`): a territory's, or all of France's, longest
        # waiting first
        longest = [("since", ASCENDING), ("_id", ASCENDING)]
        await self.waitlist.create_index([("departement", ASCENDING), *longest])
        await self.waitlist.create_index(longest)
        await self.waitlist.create_index(
            [("outbox_pending", ASCENDING), ("lease_until", ASCENDING)]
        )
        for collection, names in RETIRED.items():
            await drop_retired(self.matches.database[collection], names)

    async def propose(
        self, match: Match, event: CloudEvent[Any], leased: Doc | None = None
    ) -> bool:
        """Store the proposal, open, with its event for the relay, or with the outbox
        fields of a writer publishing at once (`leased`); False if the request already has
        an open match."""
        outbox = {"outbox": [outbox_entry(event)], **PENDING} if leased is None else leased
        doc = {**document_of(match), "open_request": match.request_id, **outbox}
        try:
            await self.matches.insert_one(doc)
        except DuplicateKeyError:
            return False
        return True

    async def propose_many(
        self, proposals: list[tuple[Match, CloudEvent[Any]]], leased: dict[str, Doc] | None = None
    ) -> set[str]:
        """`propose` for several matches in one write, with their events for the relay or
        the outbox fields their writer gives (`leased`, by match id); returns the ids of
        those stored (not those whose request already had an open match)."""
        docs = [
            {
                **document_of(m),
                "open_request": m.request_id,
                **(
                    {"outbox": [outbox_entry(e)], **PENDING}
                    if leased is None
                    else leased[m.match_id]
                ),
            }
            for m, e in proposals
        ]
        if not docs:
            return set()
        refused = await inserted_but(self.matches, docs)
        return {d["_id"] for n, d in enumerate(docs) if n not in refused}

    async def move(
        self, match: Match, to: str, at: datetime, event: CloudEvent[Any], **details: str
    ) -> bool:
        """Move the match from its state to `to` with its event; False if it was not in
        that state any more. A move out of the open states closes the request's open match
        in the same write, then gives the support's place back."""
        changes: Doc = {f"{to}_at": at, "state": to}
        if to in (State.ACCEPTED, State.STARTED):
            changes["last_contact_at"] = at
        if "reason" in details:
            changes["decline_reason"] = details["reason"]
        if "outcome" in details:
            changes["outcome"] = details["outcome"]
        update: Doc = {"$set": {**changes, **PENDING}, "$push": {"outbox": outbox_entry(event)}}
        closes = State(to) not in OPEN
        if closes:
            update["$unset"] = {"open_request": ""}
        guard = {"_id": match.match_id, "state": match.state}
        if (await self.matches.update_one(guard, update)).modified_count != 1:
            return False
        if closes:
            await self.give_back(match.support_key, match.match_id)
        return True

    async def check_in(self, match: Match, kind: str, at: datetime, event: CloudEvent[Any]) -> bool:
        """A follow-up on the match in its state (no move), with its event; False if the
        match moved or another follow-up was noted since it was read (two coordinators
        noting the same one at once: one of them is refused, not both stored)."""
        update = {
            "$set": {"last_contact_at": at, **PENDING},
            "$push": {"outbox": outbox_entry(event), "check_ins": {"kind": kind, "at": at}},
        }
        # no more follow-ups than were read (the list only grows; a missing one is none)
        unchanged = {f"check_ins.{len(match.check_ins)}": {"$exists": False}}
        guard = {"_id": match.match_id, "state": match.state, **unchanged}
        return (await self.matches.update_one(guard, update)).modified_count == 1

    async def matched(self) -> set[str]:
        """The requests with an open match (every one: for tests and tools, not a round)."""
        query = {"state": {"$in": OPEN_STATES}}
        return {m["request_id"] async for m in self.matches.find(query, {"request_id": 1})}

    async def done_among(self, request_ids: list[str]) -> set[str]:
        """Which of these requests have an open match or a completed support (one read,
        by the request_id index: never every match ever made)."""
        completed = {"state": State.CLOSED.value, "outcome": MatchOutcome.COMPLETED.value}
        query = {
            "request_id": {"$in": request_ids},
            "$or": [{"state": {"$in": OPEN_STATES}}, completed],
        }
        return {m["request_id"] async for m in self.matches.find(query, {"request_id": 1})}

    async def open_requests(self, request_ids: list[str]) -> set[str]:
        """Which of these requests have an open match (one read)."""
        query = {"open_request": {"$in": request_ids}}
        return {m["open_request"] async for m in self.matches.find(query, {"open_request": 1})}

    async def get(self, match_id: str) -> Match | None:
        """The match to act on; None for an erased family's ended match (`adapters.rights`
        kept only its support's side: nothing is left to decide on it)."""
        doc = await self.document(match_id)
        return match_of(doc) if doc and "family_ref" in doc else None

    async def open_for_request(self, request_id: str) -> Match | None:
        doc = await self.matches.find_one({"open_request": request_id}, WITHOUT_OUTBOX)
        return match_of(doc) if doc else None

    async def open_for_support(self, key: str) -> list[Match]:
        query = {"support_key": key, "state": {"$in": OPEN_STATES}}
        return [match_of(d) async for d in self.matches.find(query, WITHOUT_OUTBOX)]

    async def due_to_expire(self, now: datetime, limit: int = 500) -> list[Match]:
        query = {"state": State.PROPOSED.value, "expires_at": {"$lte": now}}
        found = self.matches.find(query, WITHOUT_OUTBOX).limit(limit)
        return [match_of(d) async for d in found]

    async def proposals_of(self, keys: list[str]) -> list[Match]:
        """The open proposals of these supports: the matches holding their places (every
        open match of a volunteer holds one), by `_id` in both collections."""
        places = self.places.find({"_id": {"$in": keys}}, {"taken.match_id": 1})
        ids = [t["match_id"] async for place in places for t in place.get("taken", [])]
        if not ids:
            return []
        query = {"_id": {"$in": ids}, "state": State.PROPOSED.value}
        return [match_of(d) async for d in self.matches.find(query, WITHOUT_OUTBOX)]

    async def document(self, match_id: str) -> Doc | None:
        return await self.matches.find_one({"_id": match_id}, WITHOUT_OUTBOX)

    async def documents(self, match_ids: list[str]) -> dict[str, Doc]:
        """These matches' documents (a page's), by id."""
        found = self.matches.find({"_id": {"$in": match_ids}}, WITHOUT_OUTBOX)
        return {d["_id"]: d async for d in found}

    async def of_request(self, request_id: str) -> list[Doc]:
        return await self.matches.find({"request_id": request_id}, WITHOUT_OUTBOX).to_list()

    async def listing_in(self, scope: Scope, states: list[str], asked: Asked) -> Page:
        """The page `asked` of the matches in these states that the scope covers, oldest
        proposal first."""
        query = scope_query(scope) | state_query(states)
        return await paged(self.matches, query, "proposed_at", WITHOUT_OUTBOX, asked)

    async def count_in(
        self, scope: Scope, states: list[str], supports: list[str] | None = None
    ) -> int:
        """How many matches in these states the scope covers (counted in the index), of
        these supports only when given (by key)."""
        query = scope_query(scope) | state_query(states)
        if supports is not None:
            query["support_key"] = {"$in": supports}
        return await self.matches.count_documents(query)

    async def ended_in(self, scope: Scope, since: datetime, asked: Asked) -> Page:
        """The supports the scope covers that were agreed (accepted, perhaps started) and
        ended since `since`, the latest first: a proposal withdrawn before anyone accepted
        it was never a support. A match is started only once accepted (`lifecycle.MOVES`).
        The page `asked`."""
        ended = {"state": State.CLOSED.value, "closed_at": {"$gte": since}}
        query = scope_query(scope) | ended | {"accepted_at": {"$ne": None}}
        return await paged(
            self.matches, query, "closed_at", WITHOUT_OUTBOX, asked, latest_first=True
        )

    async def waiting_in(self, scope: Scope, asked: Asked) -> Page:
        """The page `asked` of the waitlist's entries that the scope covers, longest
        waiting first."""
        return await paged(self.waitlist, scope_query(scope), "since", WAITING_SHOWN, asked)

    async def listing(self, query: Doc, limit: int = 200) -> list[Doc]:
        cursor = self.matches.find(query, WITHOUT_OUTBOX).sort("proposed_at", ASCENDING)
        return await cursor.limit(limit).to_list()
