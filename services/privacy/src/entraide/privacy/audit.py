"""Privacy's audit trail: cases and decisions, who and when, never any personal data.

Entries name the case, the action, the actor (a staff id, a service or the sweep) and
counts; the subject is reached only through the case, by its pseudonymous reference.
"""

from datetime import UTC, datetime
from typing import Any

from pymongo import ASCENDING
from pymongo.asynchronous.database import AsyncDatabase

Doc = dict[str, Any]


class AuditTrail:
    """The `audit` collection: append only."""

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

    async def record_many(self, entries: list[Doc]) -> None:
        if entries:
            await self.entries.insert_many(entries)

    async def of_case(self, case_id: str) -> list[Doc]:
        # Entries of one millisecond keep their order by _id (an ObjectId grows per process).
        cursor = self.entries.find({"case_id": case_id}, {"_id": 0}).sort(
            [("at", ASCENDING), ("_id", ASCENDING)]
        )
        return await cursor.to_list()
