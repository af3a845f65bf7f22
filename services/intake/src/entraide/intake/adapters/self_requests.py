"""The queue of families' own requests on MongoDB (`usecases.self_requests.SelfRequests`):
one document per request in `self_requests`, the identity sealed, the code as a hash; the
events a decision owes privacy in the request's own outbox (a relay of its own). A decision
empties the sealed copy unless confirmed, or refused with a message still owed the parent
(`telling_until`: emptied by `settle`, once the message is handed over).

What a decision owes (`usecases.door_owed`) is marked by `owing`, the request's own id, in
the decision's write and cleared with the note: a sparse unique index, which the store here
(mongo-java-server serves only `_id` and unique indexes; any other filter is a scan, about
100 ms at 100,000 requests) lists by its entries alone, as MongoDB does, so the pass each
minute reads the few owing, never the queue. What the code before the marker left (a note
unmarked, a marker without its note) is set right by a process's first pass
(`kit.owed_marks`)."""

from collections.abc import Callable, Collection
from dataclasses import asdict
from datetime import datetime
from typing import Any

from pymongo import ASCENDING
from pymongo.asynchronous.database import AsyncDatabase

from entraide.contracts import CloudEvent
from entraide.contracts.events import Slot
from entraide.contracts.vocab import Need
from entraide.intake.domain.access import Scope
from entraide.intake.domain.paging import PAGE_SIZE
from entraide.intake.domain.self_requests import RefusalReason, SelfRequest, Stage
from entraide.kit.outbox_entries import FIELDS as OUTBOX
from entraide.kit.outbox_entries import PENDING, outbox_entry
from entraide.kit.owed_marks import OwedMarks
from entraide.kit.retired_indexes import drop_retired

Doc = dict[str, Any]
COLLECTION = "self_requests"
NOTE = ("owed", "owed_to", "telling_until", "owing")  # what a decision owes, cleared at once
OWING = "owing"  # the request's id while its decision owes something (`door_owed`)
RETIRED = ("owed_1", "telling_until_1")  # the pass's two scans, before `owing` (85c9b34)


class SelfRequestStore:
    def __init__(self, db: AsyncDatabase[Doc]) -> None:
        self.requests = db[COLLECTION]
        self.wake: Callable[[], None] = lambda: None  # the queue's relay, once wired
        self.marks = OwedMarks(self.requests, note="owed", marker=OWING)

    async def ensure_indexes(self) -> None:
        await self.requests.create_index(
            [("outbox_pending", ASCENDING), ("lease_until", ASCENDING)]
        )
        await self.requests.create_index("code_hash", unique=True)
        await self.requests.create_index([("stage", ASCENDING), ("submitted_at", ASCENDING)])
        await self.requests.create_index([("stage", ASCENDING), ("decided_at", ASCENDING)])
        await self.requests.create_index(
            [("stage", ASCENDING), ("association_id", ASCENDING), ("submitted_at", ASCENDING)]
        )
        await self.requests.create_index("lookup")
        await self.requests.create_index("request_id", sparse=True)
        await self.requests.create_index("family_ref")
        await self.requests.create_index(OWING, unique=True, sparse=True)
        await drop_retired(self.requests, RETIRED)

    async def add(self, request: SelfRequest) -> None:
        await self.requests.insert_one(document_of(request))

    async def get(self, self_id: str) -> SelfRequest | None:
        return _of(await self.requests.find_one({"_id": self_id}))

    async def by_code(self, code_hash: str) -> SelfRequest | None:
        return _of(await self.requests.find_one({"code_hash": code_hash}))

    async def by_requests(self, request_ids: Collection[str]) -> dict[str, SelfRequest]:
        if not request_ids:
            return {}
        cursor = self.requests.find({"request_id": {"$in": sorted(request_ids)}})
        return {r.request_id: r async for doc in cursor if (r := request_of(doc)).request_id}

    async def pending(
        self, scope: Scope, *, skip: int = 0, limit: int = PAGE_SIZE
    ) -> list[SelfRequest]:
        query = _waiting_in(scope)
        if query is None:
            return []
        cursor = self.requests.find(query).sort("submitted_at", ASCENDING)  # on its index
        return [request_of(doc) async for doc in cursor.skip(skip).limit(limit)]

    async def count_pending(self, scope: Scope) -> int:
        query = _waiting_in(scope)
        return 0 if query is None else await self.requests.count_documents(query)

    async def waiting_with(self, lookup: list[str], since: datetime) -> int:
        if not lookup:
            return 0
        return await self.requests.count_documents(
            {"lookup": {"$in": lookup}, "submitted_at": {"$gte": since}}
        )

    async def refs_with(self, lookup: list[str], limit: int) -> list[str]:
        """The references of the families whose own requests share one of these hashes."""
        cursor = self.requests.find({"lookup": {"$in": lookup}}, {"family_ref": 1})
        return sorted({doc["family_ref"] async for doc in cursor.limit(limit)})

    async def of_family(self, family_ref: str) -> list[SelfRequest]:
        """Every request the family sent from its own door, oldest first."""
        cursor = self.requests.find({"family_ref": family_ref}).sort("submitted_at", ASCENDING)
        return [request_of(doc) async for doc in cursor]

    async def forget(self, family_ref: str) -> int:
        """Erasure: the family's own requests leave the queue, decided or not (their
        lookup hashes, postal code and children's birth years with them)."""
        return (await self.requests.delete_many({"family_ref": family_ref})).deleted_count

    async def waiting_for(self, association_id: str | None) -> tuple[int, datetime] | None:
        """How many requests sent to this association (None: to none) wait, and since when
        the oldest; None if none waits."""
        query = {"stage": Stage.PENDING.value, "association_id": association_id}
        oldest = await self.requests.find_one(
            query, {"submitted_at": 1}, sort=[("submitted_at", 1)]
        )
        if oldest is None:
            return None
        return await self.requests.count_documents(query), oldest["submitted_at"]

    async def expired(self, before: datetime, limit: int) -> list[SelfRequest]:
        """Requests still waiting that were sent before `before`, and refused ones refused
        before it (`door_retention`)."""
        cursor = self.requests.find(_expired(before)).limit(limit)
        return [request_of(doc) async for doc in cursor]

    async def remove_expired(self, self_id: str, before: datetime) -> bool:
        """Delete the request if it is still expired (not decided meanwhile); whether it was."""
        found = await self.requests.delete_one({"_id": self_id} | _expired(before))
        return found.deleted_count == 1

    async def flag_rectification(self, family_ref: str, case_id: str) -> bool:
        """One atomic update on the request still waiting, guarded by the cases withdrawn:
        a command delivered again flags nothing twice."""
        waiting = {"family_ref": family_ref, "stage": Stage.PENDING.value}
        found = await self.requests.find_one_and_update(
            waiting | {"rectifications_done": {"$ne": case_id}},
            {"$addToSet": {"rectifications": case_id}},
            projection={"_id": 1},
        )
        return found is not None

    async def withdraw_rectification(self, family_ref: str, case_id: str) -> bool:
        found = await self.requests.find_one_and_update(
            {"family_ref": family_ref},
            {"$pull": {"rectifications": case_id}, "$addToSet": {"rectifications_done": case_id}},
            projection={"rectifications": 1},
        )
        return found is not None and case_id in (found.get("rectifications") or [])

    async def settle(
        self, self_id: str, events: list[CloudEvent[Any]], *, forget_details: bool = False
    ) -> bool:
        """Clear the note of what the decision owed (and the sealed copy kept for her
        message, `forget_details`) and append the events to the request's outbox, in one
        write guarded by the note (a second settling writes nothing); the relay, woken,
        publishes them."""
        update: Doc = {"$unset": dict.fromkeys(NOTE, "")}
        done: Doc = {"sealed": {}} if forget_details else {}
        if entries := [outbox_entry(e) for e in events]:
            update["$push"] = {"outbox": {"$each": entries}}
            done |= PENDING
        if done:
            update["$set"] = done
        owed = {"_id": self_id, "owed": {"$exists": True}}
        settled = (await self.requests.update_one(owed, update)).modified_count == 1
        if settled and entries:
            self.wake()
        return settled

    async def owing(self) -> list[SelfRequest]:
        await self.marks.set_right()
        cursor = self.requests.find(self.marks.owing)
        return [request_of(doc) async for doc in cursor.limit(100)]

    async def decide(self, request: SelfRequest) -> bool:
        done: Doc = {
            "stage": request.stage.value,
            "decided_at": request.decided_at,
            "decided_by": request.decided_by,
            "request_id": request.request_id,
            "family_id": request.family_id,
            "refusal": request.refusal.value if request.refusal else None,
        }
        if request.owed is not None:  # what it owes, in this very write, and its marker
            done |= {"owed": request.owed, "owed_to": request.owed_to, OWING: request.id}
        if request.telling_until is not None:  # her message owed: her address kept for it
            done["telling_until"] = request.telling_until
        elif request.stage != Stage.CONFIRMED:  # the sealed copy is no use any more
            done["sealed"] = {}
        result = await self.requests.update_one(
            {"_id": request.id, "stage": Stage.PENDING.value}, {"$set": done}
        )
        return result.modified_count == 1


def _expired(before: datetime) -> Doc:
    waiting = {"stage": Stage.PENDING.value, "submitted_at": {"$lt": before}}
    refused = {"stage": Stage.REFUSED.value, "decided_at": {"$lt": before}}
    return {"$or": [waiting, refused]}


def _waiting_in(scope: Scope) -> Doc | None:
    """The requests waiting in this scope (`queue_admits`), or None: none for it."""
    query: Doc = {"stage": Stage.PENDING.value}
    if scope.departements:
        query["departement"] = {"$in": sorted(scope.departements)}
    if not scope.network_wide:
        if scope.association_id is None:
            return None
        query["association_id"] = {"$in": [None, scope.association_id]}
    return query


def document_of(request: SelfRequest) -> Doc:
    doc = asdict(request)
    doc["_id"] = doc.pop("id")
    doc["stage"] = request.stage.value
    doc["needs"] = [n.value for n in request.needs]
    doc["availability"] = [s.model_dump(mode="json") for s in request.availability]
    doc["refusal"] = request.refusal.value if request.refusal else None
    for owed in NOTE[:3]:  # only once decided: the pass reads those
        if doc[owed] is None:
            del doc[owed]
    if "owed" in doc:
        doc[OWING] = doc["_id"]
    return doc


def request_of(doc: Doc) -> SelfRequest:
    fields = {k: v for k, v in doc.items() if k not in ("_id", OWING) and k not in OUTBOX}
    return SelfRequest(
        **fields
        | {
            "id": doc["_id"],
            "stage": Stage(doc["stage"]),
            "needs": [Need(n) for n in doc["needs"]],
            "availability": [Slot.model_validate(s) for s in doc["availability"]],
            "refusal": RefusalReason(doc["refusal"]) if doc.get("refusal") else None,
        }
    )


def _of(doc: Doc | None) -> SelfRequest | None:
    return None if doc is None else request_of(doc)
