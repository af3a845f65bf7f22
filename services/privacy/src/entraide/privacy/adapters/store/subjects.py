"""The subject registry in MongoDB: `subjects`, `erased` (tombstones), `statistics`."""

from collections.abc import AsyncIterator, Sequence
from datetime import UTC, datetime
from typing import Any

from pymongo import ASCENDING, UpdateOne
from pymongo.asynchronous.database import AsyncDatabase

from entraide.contracts.vocab import SubjectKind
from entraide.privacy.domain.contacts import Contact
from entraide.privacy.domain.subjects import Subject

Doc = dict[str, Any]


class MongoSubjects:
    """The `subjects`, `erased` and `statistics` collections (the `Subjects` port).

    A sweep claims subjects for erasure by pushing its claim onto each one's
    `erasure_claims` list (one `update_many` by `_id`, atomic per document), then reads
    the lists back (by `_id`): the first claim in a list owns the subject's erasure case.
    So two sweeps or two replicas never open two cases for one subject, and later sweeps
    pass it by. (Not a filter such as `erasure_claims: {$exists: false}` on the update:
    on mongo-java-server a filter naming more than `_id` scans the collection per
    document; nor a pipeline update, which it does not know.)
    """

    def __init__(self, db: AsyncDatabase[Doc]) -> None:
        self.db = db
        self.subjects, self.erased, self.stats = db["subjects"], db["erased"], db["statistics"]

    async def ensure_indexes(self) -> None:
        await self.subjects.create_index([("kind", ASCENDING), ("last_contact_at", ASCENDING)])

    async def move_old_marks(self) -> None:
        """Subjects marked in the `erasing` collection (where sweeps marked them before
        the marks moved onto the subjects) keep their claim; then that collection goes."""
        if "erasing" not in await self.db.list_collection_names():
            return
        by_time: dict[datetime, list[str]] = {}
        async for mark in self.db["erasing"].find({}):
            by_time.setdefault(mark.get("at") or datetime.now(UTC), []).append(mark["_id"])
        for at, refs in by_time.items():
            await self.claim_for_erasure(refs, claim="erasing-collection", at=at)
        await self.db.drop_collection("erasing")

    async def record_contact(self, contact: Contact) -> bool:
        return await self.record_contacts([contact]) == 1

    async def record_contacts(self, contacts: Sequence[Contact]) -> int:
        """One read of the tombstones, one ordered bulk write: the same effect as one
        update each in this order ($max, $setOnInsert and the consent guard commute; the
        facts' $set keeps the last)."""
        refs = list({c.subject_ref for c in contacts})
        erased = {d["_id"] async for d in self.erased.find({"_id": {"$in": refs}}, {"_id": 1})}
        kept = [c for c in contacts if c.subject_ref not in erased]
        writes: list[UpdateOne] = []
        for contact in kept:
            writes.append(UpdateOne({"_id": contact.subject_ref}, _contact_update(contact), upsert=True))  # fmt: skip
            if contact.consent_to_matching is not None:  # the latest statement wins
                writes.append(UpdateOne(*_consent_update(contact)))
        if writes:
            await self.subjects.bulk_write(writes, ordered=True)
        return len(kept)

    async def get(self, subject_ref: str) -> Subject | None:
        doc = await self.subjects.find_one({"_id": subject_ref})
        return None if doc is None else to_subject(doc)

    async def registered(self, kind: SubjectKind) -> int:
        return await self.subjects.count_documents({"kind": kind.value})

    async def candidates(
        self, kind: SubjectKind, cutoff: datetime, *, batch: int = 1000
    ) -> AsyncIterator[Subject]:
        query = {
            "kind": kind.value,
            "last_contact_at": {"$lte": cutoff},
            "erasure_claims": {"$exists": False},
        }
        fields = {f: 1 for f in ("kind", "last_contact_at", "warned", "departement")}
        cursor = self.subjects.find(query, fields | {"contact_channels": 1}).batch_size(batch)
        async for doc in cursor:
            yield to_subject(doc)

    async def claim_for_erasure(
        self, subject_refs: Sequence[str], *, claim: str, at: datetime
    ) -> list[str]:
        if not subject_refs:
            return []
        ids = {"_id": {"$in": list(subject_refs)}}
        claimed = {"$push": {"erasure_claims": {"claim": claim, "at": at}}}
        await self.subjects.update_many(ids, claimed)
        first = {
            doc["_id"]
            async for doc in self.subjects.find(ids, {"erasure_claims": 1})
            if (doc.get("erasure_claims") or [{}])[0].get("claim") == claim
        }
        return [ref for ref in subject_refs if ref in first]

    async def mark_warned(self, subject_ref: str, warning: str, last_contact: datetime) -> None:
        # No guard on the last contact: the value names the contact the warning announced,
        # so after a newer contact `warnings_due` finds it due again (and `_id` alone is fast).
        await self.subjects.update_one(
            {"_id": subject_ref}, {"$set": {f"warned.{warning}": last_contact}}
        )

    async def tombstone(self, subject_ref: str, *, case_id: str, at: datetime) -> None:
        await self.erased.update_one(
            {"_id": subject_ref},
            {"$setOnInsert": {"case_id": case_id, "erased_at": at}},
            upsert=True,
        )

    async def delete(self, subject_ref: str) -> int:
        return (await self.subjects.delete_one({"_id": subject_ref})).deleted_count

    async def erased_at(self, subject_ref: str) -> datetime | None:
        doc = await self.erased.find_one({"_id": subject_ref})
        return None if doc is None else doc.get("erased_at") or datetime.now(UTC)

    async def count_erasure(self, dimensions: Doc) -> None:
        key = ":".join(str(v) for v in dimensions.values())
        await self.stats.update_one(
            {"_id": key}, {"$setOnInsert": dimensions, "$inc": {"erased": 1}}, upsert=True
        )

    async def statistics(self) -> list[Doc]:
        return await self.stats.find({}, {"_id": 0}).sort("year", ASCENDING).to_list()


def to_subject(doc: Doc) -> Subject:
    return Subject(
        doc["_id"],
        SubjectKind(doc["kind"]),
        doc["last_contact_at"],
        first_seen_at=doc.get("first_seen_at"),
        departement=doc.get("departement"),
        contact_channels=tuple(doc.get("contact_channels") or ()),
        consent_to_matching=doc.get("consent_to_matching"),
        consent_at=doc.get("consent_at"),
        warned=doc.get("warned") or {},
        erasing_since=(doc.get("erasure_claims") or [{}])[0].get("at"),
    )


def _contact_update(contact: Contact) -> Doc:
    facts: Doc = {}
    if contact.departement:
        facts["departement"] = contact.departement
    if contact.contact_channels:
        facts["contact_channels"] = list(contact.contact_channels)
    update: Doc = {
        "$max": {"last_contact_at": contact.at},
        "$setOnInsert": {"kind": contact.kind.value, "first_seen_at": contact.at},
    }
    if facts:
        update["$set"] = facts
    return update


def _consent_update(contact: Contact) -> tuple[Doc, Doc]:
    guard = {
        "_id": contact.subject_ref,
        "$or": [{"consent_at": {"$exists": False}}, {"consent_at": {"$lte": contact.at}}],
    }
    return guard, {
        "$set": {"consent_to_matching": contact.consent_to_matching, "consent_at": contact.at}
    }
