"""The subject registry: every family and volunteer by pseudonymous reference, its last
contact and its consent, kept from the events; anonymous statistics; erasure tombstones.

No names or contact details ever reach it: only references, dates, the département and
the channels a family chose (for the retention warnings).
"""

from datetime import datetime
from typing import Any

from pymongo import ASCENDING
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import BulkWriteError

from entraide.privacy.domain import Contact

Doc = dict[str, Any]
DUPLICATE_KEY = 11000


class SubjectRegistry:
    """Collections `subjects`, `erasing` (marks), `erased` (tombstones), `statistics`."""

    def __init__(self, db: AsyncDatabase[Doc]) -> None:
        self.subjects = db["subjects"]
        self.erased = db["erased"]
        self.erasing = db["erasing"]  # references a sweep opened a case for (insert only)
        self.statistics = db["statistics"]

    async def ensure_indexes(self) -> None:
        await self.subjects.create_index([("kind", ASCENDING), ("last_contact_at", ASCENDING)])

    async def touch(self, contact: Contact) -> bool:
        """Record a contact (idempotent: the latest date wins); False for an erased subject."""
        if await self.erased.find_one({"_id": contact.subject_ref}, {"_id": 1}):
            return False
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
        await self.subjects.update_one({"_id": contact.subject_ref}, update, upsert=True)
        if contact.consent_to_matching is not None:  # the latest statement of consent wins
            await self.subjects.update_one(
                {
                    "_id": contact.subject_ref,
                    "$or": [
                        {"consent_at": {"$exists": False}},
                        {"consent_at": {"$lte": contact.at}},
                    ],
                },
                {
                    "$set": {
                        "consent_to_matching": contact.consent_to_matching,
                        "consent_at": contact.at,
                    }
                },
            )
        return True

    async def get(self, subject_ref: str) -> Doc | None:
        return await self.subjects.find_one({"_id": subject_ref})

    def candidates(self, kind: str, cutoff: datetime, *, batch: int = 1000) -> Any:
        """Subjects of `kind` whose last contact is at or before `cutoff`."""
        query = {"kind": kind, "last_contact_at": {"$lte": cutoff}}
        return self.subjects.find(
            query, {"last_contact_at": 1, "warned": 1, "contact_channels": 1}
        ).batch_size(batch)

    async def being_erased(self) -> set[str]:
        """The subjects a sweep has opened an erasure case for."""
        return {doc["_id"] async for doc in self.erasing.find({}, {"_id": 1})}

    async def mark_erasing(self, refs: list[str], at: datetime) -> list[str]:
        """Mark subjects as being erased, so no later sweep opens them again; the ones not
        marked before. Inserts only: on FerretDB v1 each document an update changes costs
        a scan of its collection (a sweep marking 1,000 of 100,000 subjects by update took
        three minutes)."""
        if not refs:
            return []
        try:
            await self.erasing.insert_many([{"_id": r, "at": at} for r in refs], ordered=False)
        except BulkWriteError as exc:
            errors = exc.details.get("writeErrors", [])
            if any(e.get("code") != DUPLICATE_KEY for e in errors):
                raise
            before = {refs[e["index"]] for e in errors}
            return [r for r in refs if r not in before]
        return refs

    async def mark_warned(self, refs: list[str], label: str, last_contact: datetime) -> None:
        await self.subjects.update_many(
            {"_id": {"$in": refs}, "last_contact_at": last_contact},
            {"$set": {f"warned.{label}": last_contact}},
        )

    async def forget(self, subject_ref: str, *, case_id: str, reason: str, at: datetime) -> int:
        """Count the subject in the anonymous statistics, leave a tombstone, delete it."""
        doc = await self.subjects.find_one({"_id": subject_ref})
        await self.erased.update_one(
            {"_id": subject_ref},
            {"$setOnInsert": {"case_id": case_id, "erased_at": at}},
            upsert=True,
        )
        if doc is None:
            return 0
        await self.count_erasure(doc, reason=reason, at=at)
        result = await self.subjects.delete_one({"_id": subject_ref})
        return result.deleted_count

    async def count_erasure(self, doc: Doc, *, reason: str, at: datetime) -> None:
        """One more erased subject in its year, kind, département and reason: nothing else."""
        dims = {
            "year": at.year,
            "kind": doc.get("kind"),
            "departement": doc.get("departement"),
            "reason": reason,
            "years_followed": _years(doc.get("first_seen_at"), doc.get("last_contact_at")),
        }
        key = ":".join(str(v) for v in dims.values())
        await self.statistics.update_one(
            {"_id": key}, {"$setOnInsert": dims, "$inc": {"erased": 1}}, upsert=True
        )

    async def statistics_rows(self) -> list[Doc]:
        return await self.statistics.find({}, {"_id": 0}).sort("year", ASCENDING).to_list()


def _years(first: datetime | None, last: datetime | None) -> int | None:
    return None if first is None or last is None else max(0, (last - first).days // 365)
