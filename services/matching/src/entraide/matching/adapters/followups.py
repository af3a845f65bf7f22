"""Follow-ups in the store: each followed match's schedule (`followups`, `_id` = match id,
its due items with their Paris day, `next_on` the first of them, for the coordinators'
queue) and each family's latest logged contact (`contacts`, `_id` = family_ref). Both
name the family's `family_ref`, so privacy's erasure and access find them. The active
matches are read from `matches` (written by `adapters.matches.MatchStore` only)."""

from collections.abc import AsyncIterator
from datetime import UTC, date, datetime
from typing import Any

from pymongo import ASCENDING, UpdateOne
from pymongo.asynchronous.cursor import AsyncCursor
from pymongo.asynchronous.database import AsyncDatabase

from entraide.matching.adapters.documents import scope_query
from entraide.matching.adapters.paging import paged
from entraide.matching.domain.followups import Due, Followed, Schedule
from entraide.matching.domain.lifecycle import ACTIVE
from entraide.matching.domain.paging import Asked, Page
from entraide.matching.usecases.access import Scope

Doc = dict[str, Any]
ACTIVE_STATES = sorted(s.value for s in ACTIVE)
IN_CHUNK = 500
FOLLOWED_FIELDS = {
    "request_id": 1,
    "family_ref": 1,
    "support_key": 1,
    "association_id": 1,
    "departement": 1,
    "state": 1,
    "accepted_at": 1,
    "started_at": 1,
    "last_contact_at": 1,
    "check_ins": 1,
}


class FollowUpStore:
    """The follow-ups port (`usecases.ports.FollowUps`) on MongoDB, and the queue pages read."""

    def __init__(self, db: AsyncDatabase[Doc]) -> None:
        self.matches = db["matches"]
        self.followups = db["followups"]
        self.contacts_ = db["contacts"]

    async def ensure_indexes(self) -> None:
        await self.followups.create_index([("family_ref", ASCENDING)])
        # the scheduler's round reads the active matches (one cursor, a chunk at a time)
        await self.matches.create_index([("state", ASCENDING), ("_id", ASCENDING)])
        await self.followups.create_index([("next_on", ASCENDING), ("departement", ASCENDING)])
        # the follow-ups' pages (`followed_in`): what is due first, an association's, a
        # territory's or all of France's, a page at a time, and their counts
        first_due = [("next_on", ASCENDING), ("_id", ASCENDING)]
        await self.followups.create_index([("association_id", ASCENDING), *first_due])
        await self.followups.create_index([("departement", ASCENDING), *first_due])
        await self.followups.create_index(first_due)

    async def followed(
        self, *, match_ids: list[str] | None = None, family_refs: list[str] | None = None
    ) -> list[Followed]:
        query: Doc = {"state": {"$in": ACTIVE_STATES}}
        if match_ids is not None:
            query["_id"] = {"$in": match_ids}
        if family_refs is not None:
            query["family_ref"] = {"$in": family_refs}
        return [followed_of(d) async for d in self.matches.find(query, FOLLOWED_FIELDS)]

    async def note_contacts(self, logged: dict[str, datetime]) -> None:
        ops = [
            UpdateOne(
                {"_id": ref},
                {"$max": {"logged_at": at}, "$set": {"family_ref": ref}},
                upsert=True,
            )
            for ref, at in logged.items()
        ]
        if ops:
            await self.contacts_.bulk_write(ops, ordered=False)

    async def contacts(self, family_refs: list[str]) -> dict[str, datetime]:
        found: dict[str, datetime] = {}
        for n in range(0, len(family_refs), IN_CHUNK):  # a long `$in` costs far more here
            chunk = {"_id": {"$in": family_refs[n : n + IN_CHUNK]}}
            found |= {d["_id"]: d["logged_at"] async for d in self.contacts_.find(chunk)}
        return found

    async def each_active(self, size: int) -> AsyncIterator[list[Followed]]:
        """Every active match, `size` at a time, through one cursor: one query a chunk
        (the next after an id) was a scan and a sort of every match each on the store here
        (30 s a round at 30,000 active of 200,000, where one read takes 0.3 s)."""
        query = {"state": {"$in": ACTIVE_STATES}}
        async for docs in _chunks(self.matches.find(query, FOLLOWED_FIELDS), size):
            yield [followed_of(d) for d in docs]

    async def schedules_of(self, match_ids: list[str]) -> dict[str, Schedule]:
        found = self.followups.find({"_id": {"$in": match_ids}})
        return {d["_id"]: schedule_of(d) async for d in found}

    async def each_scheduled(self, size: int) -> AsyncIterator[list[str]]:
        """Every scheduled match's id, `size` at a time, through one cursor."""
        async for docs in _chunks(self.followups.find({}, {"_id": 1}), size):
            yield [d["_id"] for d in docs]

    async def still_followed(self, match_ids: list[str]) -> set[str]:
        query = {"_id": {"$in": match_ids}, "state": {"$in": ACTIVE_STATES}}
        return {d["_id"] async for d in self.matches.find(query, {"_id": 1})}

    async def save(self, schedules: list[Schedule]) -> None:
        now = datetime.now(UTC)
        ops = [
            UpdateOne({"_id": s.followed.match_id}, {"$set": document_of(s, now)}, upsert=True)
            for s in schedules
        ]
        if ops:
            await self.followups.bulk_write(ops, ordered=False)

    async def drop(self, match_ids: list[str]) -> None:
        if match_ids:
            await self.followups.delete_many({"_id": {"$in": match_ids}})

    # --- for the pages ----------------------------------------------------------------

    async def followed_in(self, scope: Scope, asked: Asked) -> Page:
        """The page `asked` of the schedules the scope covers, what is due first."""
        return await paged(self.followups, scope_query(scope), "next_on", {}, asked)

    async def due_count_in(self, scope: Scope, today: date) -> int:
        """How many schedules the scope covers have something due by `today`."""
        due = {"next_on": {"$lte": today.isoformat()}}
        return await self.followups.count_documents(scope_query(scope) | due)

    async def due_kinds_in(self, scope: Scope, today: date) -> dict[str, int]:
        """How many items of each kind are due by `today` in the scope, counted by the
        store (the digest's figures: no schedule leaves it)."""
        on = today.isoformat()
        pipeline: list[Doc] = [
            {"$match": scope_query(scope) | {"next_on": {"$lte": on}}},
            {"$unwind": "$items"},
            {"$match": {"items.on": {"$lte": on}}},
            {"$group": {"_id": "$items.kind", "n": {"$sum": 1}}},
        ]
        return {d["_id"]: d["n"] async for d in await self.followups.aggregate(pipeline)}

    async def of(self, match_ids: list[str]) -> dict[str, Doc]:
        found = self.followups.find({"_id": {"$in": match_ids}})
        return {d["_id"]: d async for d in found}


async def _chunks(cursor: AsyncCursor[Doc], size: int) -> AsyncIterator[list[Doc]]:
    """The cursor's documents, `size` at a time (each a batch of the store's)."""
    chunk: list[Doc] = []
    async for doc in cursor.batch_size(size):
        chunk.append(doc)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def followed_of(doc: Doc) -> Followed:
    """A match document as the follow-ups see it."""
    kinds = tuple(c["kind"] for c in doc.get("check_ins", ()))
    return _followed(doc, doc.get("last_contact_at"), kinds)


def _followed(doc: Doc, last_contact_at: datetime | None, check_ins: tuple[str, ...]) -> Followed:
    return Followed(
        match_id=doc["_id"],
        request_id=doc["request_id"],
        family_ref=doc["family_ref"],
        support_key=doc["support_key"],
        association_id=doc["association_id"],
        departement=doc["departement"],
        state=doc["state"],
        accepted_at=doc.get("accepted_at"),
        started_at=doc.get("started_at"),
        last_contact_at=last_contact_at,
        check_ins=check_ins,
    )


def document_of(schedule: Schedule, computed_at: datetime) -> Doc:
    f = schedule.followed
    next_on = schedule.next_on
    return {
        "request_id": f.request_id,
        "family_ref": f.family_ref,
        "support_key": f.support_key,
        "association_id": f.association_id,
        "departement": f.departement,
        "state": f.state,
        "accepted_at": f.accepted_at,
        "started_at": f.started_at,
        "match_contact_at": f.last_contact_at,
        "check_ins": list(f.check_ins),
        "last_contact_at": schedule.last_contact_at,
        "items": [{"kind": d.kind, "at": d.at, "on": d.on.isoformat()} for d in schedule.items],
        "next_on": next_on.isoformat() if next_on else None,
        "computed_at": computed_at,
    }


def schedule_of(doc: Doc) -> Schedule:
    followed = _followed(doc, doc.get("match_contact_at"), tuple(doc.get("check_ins", ())))
    items = tuple(Due(i["kind"], i["at"], date.fromisoformat(i["on"])) for i in doc["items"])
    return Schedule(followed, doc["last_contact_at"], items)
