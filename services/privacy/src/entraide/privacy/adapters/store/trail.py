"""What privacy writes down in MongoDB: the retention warnings' outbox (`notices`) and the
audit trail (`audit`)."""

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from bson import ObjectId
from pymongo import ASCENDING, DESCENDING
from pymongo.asynchronous.database import AsyncDatabase

from entraide.kit.bulk import inserted_but
from entraide.privacy.domain.subjects import Notice

Doc = dict[str, Any]


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
        await self.entries.create_index([("action", ASCENDING), ("at", DESCENDING)])

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
        if entries:  # an entry under an id of its own is written once (`opening_trail`)
            await inserted_but(self.entries, [dict(e) for e in entries])

    async def last_at(self, action: str) -> datetime | None:
        found = await self.entries.find_one(
            {"action": action}, {"at": 1}, sort=[("action", ASCENDING), ("at", DESCENDING)]
        )
        return None if found is None else found["at"]

    async def of_case(self, case_id: str) -> list[Doc]:
        # Entries of one millisecond keep their order by _id (an ObjectId grows per process).
        cursor = self.entries.find({"case_id": case_id}, {"_id": 0}).sort(
            [("at", ASCENDING), ("_id", ASCENDING)]
        )
        return await cursor.to_list()
