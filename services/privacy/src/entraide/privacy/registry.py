"""The subject registry: every family and volunteer by pseudonymous reference, its last
contact and its consent, kept from the events; anonymous statistics; erasure tombstones.

No names or contact details ever reach it: only references, dates, the département and
the channels a family chose (for the retention warnings).
"""

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from pymongo import ASCENDING
from pymongo.asynchronous.database import AsyncDatabase

from entraide.privacy.domain import Contact

Doc = dict[str, Any]


class SubjectRegistry:
    """Collections `subjects`, `erased` (tombstones) and `statistics`."""

    def __init__(self, db: AsyncDatabase[Doc]) -> None:
        self.subjects = db["subjects"]
        self.erased = db["erased"]
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
        """Subjects of `kind` whose last contact is at or before `cutoff`, not being erased."""
        query = {"kind": kind, "last_contact_at": {"$lte": cutoff}, "erasing": {"$exists": False}}
        return self.subjects.find(
            query, {"last_contact_at": 1, "warned": 1, "contact_channels": 1}
        ).batch_size(batch)

    async def mark_erasing(self, refs: Iterable[str], at: datetime) -> None:
        await self.subjects.update_many({"_id": {"$in": list(refs)}}, {"$set": {"erasing": at}})

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
