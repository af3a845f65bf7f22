"""Retention warnings: an outbox of notices, and a sender that logs them.

A notice says which subject, which warning ("30d", "7d"), when the data expires and by
which channels the family chose to be reached; never a name, number or address. The
delivery itself needs the contact details intake holds: `LoggingSender` stands in for it
and logs the notice id, warning and channel only.
"""

import logging
from datetime import datetime
from typing import Any, Protocol

from pymongo import ASCENDING
from pymongo.asynchronous.database import AsyncDatabase

log = logging.getLogger(__name__)
Doc = dict[str, Any]


class Sender(Protocol):
    async def send(self, notice: Doc) -> None: ...


class LoggingSender:
    async def send(self, notice: Doc) -> None:
        log.info(
            "retention warning sent",
            extra={
                "notice_id": str(notice["_id"]),
                "warning": notice["warning"],
                "channels": notice.get("channels", []),
            },
        )


class Notices:
    """The `notices` collection: due, then sent."""

    def __init__(self, db: AsyncDatabase[Doc], sender: Sender | None = None) -> None:
        self.notices = db["notices"]
        self.sender = sender or LoggingSender()

    async def ensure_indexes(self) -> None:
        await self.notices.create_index([("sent_at", ASCENDING)])
        await self.notices.create_index([("subject_ref", ASCENDING)])

    async def add(self, notices: list[Doc]) -> None:
        if notices:
            await self.notices.insert_many(notices)

    async def deliver(self, now: datetime) -> int:
        """Send every notice still due, then mark them sent; how many were sent."""
        pending = await self.notices.find({"sent_at": None}).to_list()
        for notice in pending:
            await self.sender.send(notice)
        if pending:
            ids = [n["_id"] for n in pending]
            await self.notices.update_many({"_id": {"$in": ids}}, {"$set": {"sent_at": now}})
        return len(pending)

    async def forget(self, subject_ref: str) -> int:
        return (await self.notices.delete_many({"subject_ref": subject_ref})).deleted_count

    async def of_subject(self, subject_ref: str) -> list[Doc]:
        return await self.notices.find({"subject_ref": subject_ref}, {"_id": 0}).to_list()
