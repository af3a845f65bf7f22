"""Privacy's MongoDB adapter: the one module that knows the documents and the filters.

Collections: `subjects` (the registry), `erased` (tombstones), `statistics` (anonymous
counts), `cases`, `notices`, `audit`. The key vault (`vault.py`, `keys`) is apart.

Lookups go by `_id` wherever they can: MongoDB answers them by index, and the local
store (mongo-java-server) uses its `_id` index only when the filter names nothing else;
any other filter scans the collection there.
"""

from collections.abc import AsyncIterator, Sequence
from datetime import UTC, datetime
from typing import Any

from bson import ObjectId
from pymongo import ASCENDING, DESCENDING
from pymongo.asynchronous.database import AsyncDatabase

from entraide.contracts.vocab import ErasureReason, SubjectKind
from entraide.privacy.domain import Ack, Case, CaseKind, CaseStatus, Contact, Notice, Subject

Doc = dict[str, Any]
LIVE = [CaseStatus.OPEN.value, CaseStatus.ESCALATED.value]
COMMANDED = [CaseKind.ERASURE.value, CaseKind.ACCESS.value]


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
        self.db, self.subjects, self.erased, self.stats = (
            db,
            db["subjects"],
            db["erased"],
            db["statistics"],
        )

    async def ensure_indexes(self) -> None:
        await self.subjects.create_index([("kind", ASCENDING), ("last_contact_at", ASCENDING)])

    async def move_old_marks(self) -> None:
        """Subjects marked in the `erasing` collection (where sweeps marked them before
        the marks moved onto the subjects) keep their claim; then that collection goes."""
        by_time: dict[datetime, list[str]] = {}
        async for mark in self.db["erasing"].find({}):
            by_time.setdefault(mark.get("at") or datetime.now(UTC), []).append(mark["_id"])
        for at, refs in by_time.items():
            await self.claim_for_erasure(refs, claim="erasing-collection", at=at)
        if by_time:
            await self.db.drop_collection("erasing")

    async def record_contact(self, contact: Contact) -> bool:
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

    async def get(self, subject_ref: str) -> Subject | None:
        doc = await self.subjects.find_one({"_id": subject_ref})
        return None if doc is None else to_subject(doc)

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


class MongoCases:
    """The `cases` collection (the `Cases` port)."""

    def __init__(self, db: AsyncDatabase[Doc]) -> None:
        self.cases = db["cases"]

    async def ensure_indexes(self) -> None:
        await self.cases.create_index([("status", ASCENDING), ("last_sent_at", ASCENDING)])
        await self.cases.create_index([("subject_ref", ASCENDING)])
        await self.cases.create_index([("opened_at", DESCENDING)])

    async def add(self, cases: Sequence[Case]) -> None:
        if cases:
            await self.cases.insert_many([to_doc(c) for c in cases])

    async def get(self, case_id: str) -> Case | None:
        doc = await self.cases.find_one({"_id": case_id})
        return None if doc is None else to_case(doc)

    async def add_ack(self, case_id: str, ack: Ack) -> bool:
        entry: Doc = {"at": ack.at, "received_at": ack.received_at}
        if ack.sealed_export is None:
            entry["counts"] = dict(ack.counts)
        else:
            entry["sealed_export"] = ack.sealed_export
        field = f"acks.{ack.service}"
        result = await self.cases.update_one(
            {"_id": case_id, "services": ack.service, field: {"$exists": False}},
            {"$set": {field: entry}},
        )
        return bool(result.modified_count)

    async def mark_sent(self, case_id: str, at: datetime) -> None:
        await self.cases.update_one(
            {"_id": case_id}, {"$inc": {"sends": 1}, "$set": {"last_sent_at": at}}
        )

    async def escalate(self, case_id: str) -> None:
        await self.cases.update_one(
            {"_id": case_id}, {"$set": {"status": CaseStatus.ESCALATED.value}}
        )

    async def close(self, case_id: str, *, at: datetime, decision: str | None = None) -> bool:
        closing: Doc = {"status": CaseStatus.CLOSED.value, "closed_at": at}
        if decision is not None:
            closing["decision"] = decision
        result = await self.cases.update_one(
            {"_id": case_id, "status": {"$in": LIVE}}, {"$set": closing}
        )
        return bool(result.modified_count)

    async def due(self, sent_before: datetime) -> list[Case]:
        query = {
            "status": {"$in": LIVE},
            "kind": {"$in": COMMANDED},
            "last_sent_at": {"$lte": sent_before},
        }
        return [to_case(d) for d in await self.cases.find(query).to_list()]

    async def recent(self, limit: int) -> list[Case]:
        cursor = self.cases.find({}, {"acks": 0}).sort("opened_at", DESCENDING).limit(limit)
        return [to_case(d) for d in await cursor.to_list()]

    async def of_subject(self, subject_ref: str) -> list[Case]:
        docs = await self.cases.find({"subject_ref": subject_ref}, {"acks": 0}).to_list()
        return [to_case(d) for d in docs]


def to_doc(case: Case) -> Doc:
    doc: Doc = {
        "_id": case.case_id,
        "kind": case.kind.value,
        "subject_ref": case.subject_ref,
        "subject_kind": case.subject_kind.value,
        "opened_at": case.opened_at,
        "deadline": case.deadline,
        "services": list(case.services),
        "acks": {},
        "status": case.status.value,
        "sends": case.sends,
        "last_sent_at": case.last_sent_at,
        "reason": case.reason.value,
    }
    if case.recipient_key is not None:
        doc["recipient_key"] = case.recipient_key
    return doc


def to_case(doc: Doc) -> Case:
    acks = {
        s: Ack(s, a["at"], a.get("counts", {}), a.get("sealed_export"), a.get("received_at"))
        for s, a in (doc.get("acks") or {}).items()
    }
    return Case(
        doc["_id"],
        CaseKind(doc["kind"]),
        doc["subject_ref"],
        SubjectKind(doc["subject_kind"]),
        doc["opened_at"],
        doc["deadline"],
        tuple(doc["services"]),
        acks,
        CaseStatus(doc["status"]),
        doc.get("sends", 0),
        doc.get("last_sent_at"),
        ErasureReason(doc.get("reason", ErasureReason.RIGHTS_REQUEST)),
        doc.get("recipient_key"),
        doc.get("decision"),
        doc.get("closed_at"),
    )


class MongoNotices:
    """The `notices` collection (the `Notices` port): due, then sent."""

    def __init__(self, db: AsyncDatabase[Doc]) -> None:
        self.notices = db["notices"]

    async def ensure_indexes(self) -> None:
        await self.notices.create_index([("sent_at", ASCENDING)])
        await self.notices.create_index([("subject_ref", ASCENDING)])

    async def add(self, notices: Sequence[Notice]) -> None:
        if notices:
            await self.notices.insert_many([_notice_doc(n) for n in notices])

    async def pending(self) -> list[Notice]:
        return [_notice(d) for d in await self.notices.find({"sent_at": None}).to_list()]

    async def mark_sent(self, notice_ids: Sequence[str], at: datetime) -> None:
        if notice_ids:
            # notices written before their ids were chosen here carry an ObjectId
            ids = [ObjectId(i) if ObjectId.is_valid(i) else i for i in notice_ids]
            await self.notices.update_many({"_id": {"$in": ids}}, {"$set": {"sent_at": at}})

    async def forget(self, subject_ref: str) -> int:
        return (await self.notices.delete_many({"subject_ref": subject_ref})).deleted_count

    async def of_subject(self, subject_ref: str) -> list[Notice]:
        return [_notice(d) for d in await self.notices.find({"subject_ref": subject_ref}).to_list()]


def _notice_doc(notice: Notice) -> Doc:
    return {
        "_id": notice.notice_id,
        "subject_ref": notice.subject_ref,
        "warning": notice.warning,
        "channels": list(notice.channels),
        "expires_at": notice.expires_at,
        "due_at": notice.due_at,
        "sent_at": notice.sent_at,
    }


def _notice(doc: Doc) -> Notice:
    return Notice(
        str(doc["_id"]),
        doc["subject_ref"],
        doc["warning"],
        tuple(doc.get("channels") or ()),
        doc["expires_at"],
        doc["due_at"],
        doc.get("sent_at"),
    )


class MongoAudit:
    """The `audit` collection (the `AuditLog` port): append only."""

    def __init__(self, db: AsyncDatabase[Doc]) -> None:
        self.entries = db["audit"]

    async def ensure_indexes(self) -> None:
        await self.entries.create_index([("case_id", ASCENDING), ("at", ASCENDING)])

    async def record(
        self,
        case_id: str | None,
        action: str,
        *,
        actor: str,
        at: datetime | None = None,
        **details: Any,
    ) -> None:
        await self.entries.insert_one(
            {"at": at or datetime.now(UTC), "case_id": case_id, "action": action, "actor": actor}
            | details
        )

    async def record_many(self, entries: Sequence[Doc]) -> None:
        if entries:
            await self.entries.insert_many([dict(e) for e in entries])

    async def of_case(self, case_id: str) -> list[Doc]:
        # Entries of one millisecond keep their order by _id (an ObjectId grows per process).
        cursor = self.entries.find({"case_id": case_id}, {"_id": 0}).sort(
            [("at", ASCENDING), ("_id", ASCENDING)]
        )
        return await cursor.to_list()
