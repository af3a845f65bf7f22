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
from datetime import UTC, datetime, timedelta
from typing import Any

from pymongo import ASCENDING, UpdateOne
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import BulkWriteError, DuplicateKeyError

from entraide.contracts import CloudEvent, new_event
from entraide.contracts.events import MatchWaitlisted
from entraide.contracts.vocab import MatchOutcome
from entraide.kit.outbox import PENDING, outbox_entry
from entraide.matching.domain.lifecycle import OPEN, State
from entraide.matching.domain.model import History, Match, Waiting

Doc = dict[str, Any]
DUPLICATE = 11000
OPEN_STATES = [s.value for s in OPEN]
WITHOUT_OUTBOX = {"outbox": 0}
SOURCE = "/entraide/matching"
# what the waitlist's pages and API show: no outbox nor its lease
WAITING_SHOWN = {"outbox": 0, "outbox_pending": 0, "lease_until": 0, "lease_owner": 0}


class MatchStore:
    """The Mongo adapter of the `Matches` port, and the documents the pages and the API
    list (`listing`, `document`, `of_request`, `waiting`)."""

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
        await self.matches.create_index([("association_id", ASCENDING), ("state", ASCENDING)])
        await self.matches.create_index([("state", ASCENDING), ("expires_at", ASCENDING)])
        await self.matches.create_index([("outbox_pending", ASCENDING), ("lease_until", ASCENDING)])
        await self.waitlist.create_index([("departement", ASCENDING)])
        await self.waitlist.create_index(
            [("outbox_pending", ASCENDING), ("lease_until", ASCENDING)]
        )

    # --- places -----------------------------------------------------------------------

    async def take(
        self, key: str, capacity: int | None, match_id: str, *, upsert: bool = True
    ) -> bool:
        """Take one of the support's places for the match; False when all are taken.
        Unlimited supports (capacity None) keep no list."""
        if capacity is None:
            return True
        if capacity <= 0:
            return False
        room, update = _room(key, capacity), _push(match_id)
        if not upsert:
            return (await self.places.update_one(room, update)).modified_count == 1
        try:
            await self.places.update_one(room, update, upsert=True)
        except DuplicateKeyError:  # full (so the upsert tried an insert), or just created
            return (await self.places.update_one(room, update)).modified_count == 1
        return True

    async def take_many(self, takes: list[tuple[str, int | None, str]]) -> set[str]:
        """`take` for several matches (support key, capacity, match id each) in one write,
        each update atomic on its own; the match ids that got their place."""
        got = {match_id for _, capacity, match_id in takes if capacity is None}
        bounded = [(k, c, m) for k, c, m in takes if c is not None and c > 0]
        if not bounded:
            return got
        ops = [
            UpdateOne(_room(key, capacity), _push(match_id), upsert=True)
            for key, capacity, match_id in bounded
        ]
        try:
            await self.places.bulk_write(ops, ordered=False)
            refused: set[int] = set()
        except BulkWriteError as exc:
            errors = exc.details.get("writeErrors", ())
            if any(e.get("code") != DUPLICATE for e in errors):
                raise
            refused = {e["index"] for e in errors}
        for n, (key, capacity, match_id) in enumerate(bounded):
            # refused: full (so the upsert tried an insert), or the document just created
            if n not in refused or await self.take(key, capacity, match_id, upsert=False):
                got.add(match_id)
        return got

    async def give_back(self, key: str, match_id: str) -> None:
        """Give the match's place back to the support (nothing if it held none)."""
        await self.places.update_one({"_id": key}, {"$pull": {"taken": {"match_id": match_id}}})

    async def heal(self, grace: timedelta = timedelta(minutes=1)) -> dict[str, int]:
        """Give back the places held longer than `grace` by matches that are not open (see
        the module's docstring); returns the places taken per support after that."""
        before = datetime.now(UTC) - grace
        places = await self.places.find({}).to_list()
        # one pass over the open matches (a long `$in` of ids costs far more here)
        query = {"state": {"$in": OPEN_STATES}}
        still_open = {m["_id"] async for m in self.matches.find(query, {"_id": 1})}
        counts: dict[str, int] = {}
        for place in places:
            taken = place.get("taken", [])
            stale = [
                t["match_id"] for t in taken if t["at"] < before and t["match_id"] not in still_open
            ]
            if stale:
                gone = {"$pull": {"taken": {"match_id": {"$in": stale}}}}
                await self.places.update_one({"_id": place["_id"]}, gone)
            counts[place["_id"]] = len(taken) - len(stale)
        return counts

    async def held(self) -> dict[str, int]:
        """Places taken per support (for the in-memory pool)."""
        return {p["_id"]: len(p.get("taken", ())) async for p in self.places.find({})}

    # --- matches ----------------------------------------------------------------------

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
        refused = await _inserted_but(self.matches, docs)
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
        """A follow-up on the match in its state (no move), with its event."""
        update = {
            "$set": {"last_contact_at": at, **PENDING},
            "$push": {"outbox": outbox_entry(event), "check_ins": {"kind": kind, "at": at}},
        }
        guard = {"_id": match.match_id, "state": match.state}
        return (await self.matches.update_one(guard, update)).modified_count == 1

    async def matched(self) -> set[str]:
        """The requests with an open match."""
        query = {"state": {"$in": OPEN_STATES}}
        return {m["request_id"] async for m in self.matches.find(query, {"request_id": 1})}

    async def served(self) -> set[str]:
        query = {"state": "closed", "outcome": MatchOutcome.COMPLETED.value}
        return {m["request_id"] async for m in self.matches.find(query, {"request_id": 1})}

    async def open_requests(self, request_ids: list[str]) -> set[str]:
        """Which of these requests have an open match (one read)."""
        query = {"open_request": {"$in": request_ids}}
        return {m["open_request"] async for m in self.matches.find(query, {"open_request": 1})}

    async def get(self, match_id: str) -> Match | None:
        doc = await self.document(match_id)
        return match_of(doc) if doc else None

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

    async def document(self, match_id: str) -> Doc | None:
        return await self.matches.find_one({"_id": match_id}, WITHOUT_OUTBOX)

    async def of_request(self, request_id: str) -> list[Doc]:
        return await self.matches.find({"request_id": request_id}, WITHOUT_OUTBOX).to_list()

    async def listing(self, query: Doc, limit: int = 200) -> list[Doc]:
        cursor = self.matches.find(query, WITHOUT_OUTBOX).sort("proposed_at", ASCENDING)
        return await cursor.limit(limit).to_list()

    # --- histories --------------------------------------------------------------------

    async def history(self, request_id: str) -> History:
        return history_of(await self.histories.find_one({"_id": request_id}) or {})

    async def histories_of(self, request_ids: list[str]) -> dict[str, History]:
        found = self.histories.find({"_id": {"$in": request_ids}})
        return {doc["_id"]: history_of(doc) async for doc in found}

    async def first_proposal(self, request_id: str) -> bool:
        """Note that the request had a proposal; True the first time only."""
        try:
            await self.histories.insert_one({"_id": request_id})
        except DuplicateKeyError:
            return False
        return True

    async def first_proposals(self, request_ids: list[str]) -> set[str]:
        """`first_proposal` for several requests in one write: those proposed to first."""
        if not request_ids:
            return set()
        refused = await _inserted_but(self.histories, [{"_id": i} for i in request_ids])
        return {i for n, i in enumerate(request_ids) if n not in refused}

    async def remember(
        self, request_id: str, *, refused: str | None = None, known: str | None = None
    ) -> None:
        """Note a support not to offer this request again, or an association it now knows."""
        add = {k: v for k, v in (("refused", refused), ("known", known)) if v}
        if add:
            await self.histories.update_one({"_id": request_id}, {"$addToSet": add}, upsert=True)

    # --- waitlist ---------------------------------------------------------------------

    async def wait(self, entry: Waiting) -> None:
        await self.wait_many([entry])

    async def wait_many(self, entries: list[Waiting]) -> None:
        """Put the requests on the waitlist; one that starts waiting, or waits now for
        another reason, announces it (`match.waitlisted`, the entry's own outbox, relayed
        by `waitlist_relay`), so a batch re-waitlisting the same families sends nothing.
        In order: each entry's upsert comes before its guarded announcement."""
        if entries and not self.announce:
            await self.waitlist.bulk_write([_waiting(e, reason=True) for e in entries])
        elif entries:
            ops = [op for e in entries for op in (_waiting(e), _announced(e))]
            await self.waitlist.bulk_write(ops, ordered=True)
            self.waited()

    async def unwait(self, request_id: str) -> None:
        await self.waitlist.delete_one({"_id": request_id})

    async def unwait_many(self, request_ids: list[str]) -> None:
        if request_ids:
            await self.waitlist.delete_many({"_id": {"$in": request_ids}})

    async def waiting_ids(self) -> set[str]:
        return {w["_id"] async for w in self.waitlist.find({}, {"_id": 1})}

    async def waiting_count(self) -> int:
        return await self.waitlist.count_documents({})

    async def waiting(self, query: Doc, limit: int = 500) -> list[Doc]:
        cursor = self.waitlist.find(query, WAITING_SHOWN).sort("since", ASCENDING)
        return await cursor.limit(limit).to_list()


def _room(key: str, capacity: int) -> Doc:
    """The support's places, if one is left: the list is shorter than the capacity."""
    return {"_id": key, f"taken.{capacity - 1}": {"$exists": False}}


def _push(match_id: str) -> Doc:
    return {"$push": {"taken": {"match_id": match_id, "at": datetime.now(UTC)}}}


def _waiting(entry: Waiting, *, reason: bool = False) -> UpdateOne:
    """The entry's upsert, its reason apart unless asked (`_announced` sets it with its
    event)."""
    fields: Doc = {"reason": entry.reason} if reason else {}
    fields |= {
        "departement": entry.departement,
        "needs": list(entry.needs),
        "urgency": entry.urgency,
        "family_ref": entry.family_ref,
        "waiting_since": entry.waiting_since,
    }
    return UpdateOne(
        {"_id": entry.request_id},
        {"$set": fields, "$setOnInsert": {"since": datetime.now(UTC)}},
        upsert=True,
    )


def _announced(entry: Waiting) -> UpdateOne:
    """Set the entry's reason if it is new or changed, with its `match.waitlisted` event."""
    payload = MatchWaitlisted(
        request_id=entry.request_id,
        family_ref=entry.family_ref,
        reason_code=entry.reason,
        waitlisted_at=datetime.now(UTC),
    )
    event = new_event(payload, source=SOURCE, subject=entry.family_ref)
    return UpdateOne(
        {"_id": entry.request_id, "reason": {"$ne": entry.reason}},
        {"$set": {"reason": entry.reason, **PENDING}, "$push": {"outbox": outbox_entry(event)}},
    )


async def _inserted_but(collection: Any, docs: list[Doc]) -> set[int]:
    """Insert the documents in one write; the positions of those refused as duplicates."""
    try:
        await collection.insert_many(docs, ordered=False)
    except BulkWriteError as exc:
        errors = exc.details.get("writeErrors", ())
        if any(e.get("code") != DUPLICATE for e in errors):
            raise
        return {e["index"] for e in errors}
    return set()


def document_of(match: Match) -> Doc:
    """A new match's document (its outbox fields apart)."""
    return {
        "_id": match.match_id,
        "request_id": match.request_id,
        "family_ref": match.family_ref,
        "support_key": match.support_key,
        "association_id": match.association_id,
        "departement": match.departement,
        "needs": list(match.needs),
        "urgency": match.urgency,
        "state": match.state,
        "score": match.score,
        "breakdown": match.breakdown,
        "reasons": list(match.reasons),
        "distance_km": match.distance_km,
        "proposed_by": match.proposed_by,
        "proposed_at": match.proposed_at,
        "expires_at": match.expires_at,
        "check_ins": [],
    }


def match_of(doc: Doc) -> Match:
    return Match(
        match_id=doc["_id"],
        request_id=doc["request_id"],
        family_ref=doc["family_ref"],
        support_key=doc["support_key"],
        association_id=doc["association_id"],
        departement=doc["departement"],
        needs=tuple(doc["needs"]),
        urgency=doc["urgency"],
        state=doc["state"],
        score=doc["score"],
        breakdown=doc["breakdown"],
        reasons=tuple(doc["reasons"]),
        distance_km=doc.get("distance_km"),
        proposed_by=doc["proposed_by"],
        proposed_at=doc["proposed_at"],
        expires_at=doc["expires_at"],
        outcome=doc.get("outcome"),
    )


def history_of(doc: Doc) -> History:
    return History(frozenset(doc.get("refused", ())), frozenset(doc.get("known", ())))
