"""Volunteers in directory's store: sealed identity, review state, and their outbox.

A review is one atomic update of one document, its events with it (the kit's outbox),
guarded by the revision it was computed from (see `writes.append`).
"""

from collections.abc import AsyncIterator, Collection, Sequence
from datetime import datetime
from typing import Any

from pymongo.asynchronous.collection import AsyncCollection
from pymongo.asynchronous.database import AsyncDatabase

from entraide.contracts.topics import VOLUNTEER_APPLICATIONS, VOLUNTEERS
from entraide.directory.adapters.writes import append, delete_when_free, ensure_outbox_index
from entraide.directory.domain.volunteers.retention import NEVER_APPROVED, Applicant
from entraide.directory.domain.volunteers.rules import Status
from entraide.directory.domain.volunteers.status_news import StatusNews
from entraide.directory.domain.volunteers.volunteer import Volunteer
from entraide.kit import outbox_entries
from entraide.kit.outbox import DONE, PENDING
from entraide.kit.owed_marks import OwedMarks
from entraide.kit.retired_indexes import drop_retired

Doc = dict[str, Any]
# an application the retention pass claimed: no write goes through (`replace`), it is erased
EXPIRING = "expiring"
# the news of a status still owed the volunteer (`domain.volunteers.status_news`): set by
# the status's own write, unset once the notifier recorded it, so only a few documents
# have it. The pass finds those few by its marker, the volunteer's own id, set and unset
# with the note (`NOTE`), under a unique sparse index (`kit.owed_marks`): mongo-java-server
# serves a filter from `_id` and unique indexes only (on the note itself, or a normal
# index, it reads the whole collection); MongoDB reads the sparse index
NEWS = "news_owed"
OWING = "news_owing"
NOTE = (NEWS, OWING)
RETIRED = (f"{NEWS}.since_1",)  # the pass's index before the marker


class VolunteerStore:
    """The volunteers' documents (`ports.VolunteerDocuments`) and their outbox."""

    def __init__(
        self,
        db: AsyncDatabase[Doc],
        topic: str = VOLUNTEERS.name,
        applications_topic: str = VOLUNTEER_APPLICATIONS.name,
    ) -> None:
        self.topic = topic  # where the volunteers' availability goes
        self.applications_topic = applications_topic  # and their applications' changes
        self.collection: AsyncCollection[Doc] = db["volunteers"]
        self.marks = OwedMarks(self.collection, note=NEWS, marker=OWING)

    async def ensure_indexes(self) -> None:
        await self.collection.create_index("association_id")
        await self.collection.create_index("volunteer_ref", unique=True)
        await self.collection.create_index([("status", 1), ("updated_at", 1)])
        await self.collection.create_index(OWING, unique=True, sparse=True)
        await ensure_outbox_index(self.collection)
        await drop_retired(self.collection, RETIRED)

    async def insert(self, doc: Doc, entries: list[Doc] | None = None) -> None:
        """A new volunteer (an application: nothing to announce yet)."""
        outbox = {"outbox": entries, **PENDING} if entries else DONE
        await self.collection.insert_one({**doc, **outbox})

    async def replace(
        self,
        doc: Doc,
        entries: list[Doc],
        previous: Doc,
        rectified: Sequence[str] = (),
        unset: Sequence[str] = (),
    ) -> bool:
        """Write a new revision (and its events) if nobody wrote one meanwhile; the flags of
        the `rectified` cases go in the same write, which notes them done, and the `unset`
        fields with it."""
        guard = {"_id": doc["_id"], "revision": previous["revision"], EXPIRING: None}
        done = _done(rectified) | ({"$unset": dict.fromkeys(unset, "")} if unset else {})
        if entries:
            return await append(self.collection, guard, doc, entries, done)
        # nothing to announce: the outbox and the relay's lease are left as they are
        update = {"$set": _fields(doc)} | done
        return bool((await self.collection.update_one(guard, update)).matched_count)

    async def get(self, volunteer_id: str) -> Doc | None:
        return await self.collection.find_one({"_id": volunteer_id})

    async def erase(self, volunteer_id: str) -> Doc | None:
        """Delete the volunteer's document (privacy's erasure) once no relay is publishing
        its events; those not yet published go with it. The document as it was deleted,
        None if it was gone already."""
        return await delete_when_free(self.collection, {"_id": volunteer_id})

    async def expired(self, before: datetime, limit: int) -> list[Applicant]:
        """Applications never approved, unchanged since before `before` (the retention
        pass, hourly: a scan in mongo-java-server, whose planner uses no normal index)."""
        found = self.collection.find(_expired(before), dict.fromkeys(APPLICANT, 1))
        return [_applicant(doc) async for doc in found.limit(limit)]

    async def claim_expired(self, applicant: Applicant, before: datetime) -> bool:
        """Mark it for erasure if it is as read (its revision) and still expired."""
        guard = {"_id": applicant.id, "revision": applicant.revision} | _expired(before)
        claimed = await self.collection.update_one(guard, {"$set": {EXPIRING: True}})
        return claimed.matched_count == 1

    async def without_validity(self) -> list[str]:
        """Volunteers announced with a cleared check but no validity stored (approved
        before it was kept): a scan, once at start."""
        query = {
            "honorability": "cleared",
            "status": {"$in": ["approved", "paused"]},
            "honorability_valid_until": None,
        }
        return [d["_id"] async for d in self.collection.find(query, {"_id": 1})]

    async def by_ref(self, volunteer_ref: str) -> Doc | None:
        """A volunteer by the pseudonymous reference the other services know (unique index)."""
        return await self.collection.find_one({"volunteer_ref": volunteer_ref}, {"outbox": 0})

    async def by_refs(self, volunteer_refs: Collection[str]) -> dict[str, Doc]:
        """Volunteers by their references, in one read: `$in` on the unique index, the
        whole answer in the first batch (one more than asked: no `getMore` to learn it is
        the end)."""
        refs = list(volunteer_refs)
        if not refs:
            return {}
        query = {"volunteer_ref": {"$in": refs}}
        found = self.collection.find(query, {"outbox": 0}, batch_size=len(refs) + 1)
        return {doc["volunteer_ref"]: doc async for doc in found}

    async def owing_news(self, limit: int) -> list[Doc]:
        """The volunteers whose status's news is still owed, the oldest first (by their
        marker: the few noted, sorted in memory)."""
        await self.marks.set_right()
        found = self.collection.find(self.marks.owing, {"outbox": 0}).sort(f"{NEWS}.since", 1)
        return await found.limit(limit).to_list()

    async def told(self, volunteer_id: str, revision: int) -> bool:
        """Clear the news owed and its marker if it is still that of `revision` (one guarded
        write: a later status's news stays owed); whether this call cleared it."""
        owed = {"_id": volunteer_id, f"{NEWS}.revision": revision}
        cleared = {"$unset": dict.fromkeys(NOTE, "")}
        return (await self.collection.update_one(owed, cleared)).modified_count == 1

    async def every(self) -> AsyncIterator[Doc]:
        """Every volunteer, through a cursor (a task at start)."""
        async for doc in self.collection.find({}, {"outbox": 0}):
            yield doc

    async def all(self) -> list[Doc]:
        """Every volunteer in one list: for tests and tools on a small store only."""
        return await self.collection.find({}, {"outbox": 0}).to_list()

    async def note(
        self, volunteer_ref: str, field: str, case_id: str, *, unless_in: str | None = None
    ) -> bool:
        """One atomic update, beside the aggregate's fields (its writes `$set` those only),
        guarded by `unless_in`: the write noting a case there takes it out of `field`."""
        query: Doc = {"volunteer_ref": volunteer_ref}
        if unless_in is not None:
            query[unless_in] = {"$ne": case_id}
        noted = await self.collection.update_one(query, {"$addToSet": {field: case_id}})
        return noted.modified_count == 1

    async def move(self, volunteer_ref: str, case_id: str, *, out_of: str, into: str) -> bool:
        """One atomic update, beside the aggregate's fields, as `note`."""
        found = await self.collection.find_one_and_update(
            {"volunteer_ref": volunteer_ref},
            {"$pull": {out_of: case_id}, "$addToSet": {into: case_id}},
            projection={out_of: 1},
        )
        return found is not None and case_id in (found.get(out_of) or [])


class MongoVolunteers:
    """`ports.Volunteers` over the volunteers' documents."""

    def __init__(self, store: VolunteerStore) -> None:
        self.store = store

    async def get(self, volunteer_id: str) -> Volunteer | None:
        doc = await self.store.get(volunteer_id)
        return None if doc is None else Volunteer.from_state(doc)

    async def owing_news(self, limit: int) -> list[Volunteer]:
        return [Volunteer.from_state(doc) for doc in await self.store.owing_news(limit)]

    async def told(self, volunteer_id: str, news: StatusNews) -> bool:
        return await self.store.told(volunteer_id, news.revision)


APPLICANT = ("volunteer_ref", "revision", "status", "approved_at", "updated_at")


def _expired(before: datetime) -> Doc:
    statuses = sorted(status.value for status in NEVER_APPROVED)
    return {"status": {"$in": statuses}, "approved_at": None, "updated_at": {"$lt": before}}


def _applicant(doc: Doc) -> Applicant:
    return Applicant(
        id=doc["_id"],
        volunteer_ref=doc["volunteer_ref"],
        revision=doc["revision"],
        status=Status(doc["status"]),
        approved_at=doc.get("approved_at"),
        last_change=doc["updated_at"],
    )


def _done(rectified: Sequence[str]) -> Doc:
    """The update taking the flags of the `rectified` cases off and noting them done."""
    if not rectified:
        return {}
    cases = list(rectified)
    return {
        "$pullAll": {"rectifications": cases},
        "$addToSet": {"rectifications_done": {"$each": cases}},
    }


def _fields(doc: Doc) -> Doc:
    """The volunteer's own fields, not the outbox's (a write with no events leaves those)."""
    return {k: v for k, v in doc.items() if k != "_id" and k not in outbox_entries.FIELDS}
