"""The waitlist (`waitlist`, `_id` = request id): each entry with its reason; an entry
that starts waiting, or waits for a new reason, announces it (`match.waitlisted`) through
its own outbox."""

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from pymongo import ASCENDING, UpdateOne
from pymongo.asynchronous.collection import AsyncCollection

from entraide.contracts import new_event
from entraide.contracts.events import MatchWaitlisted
from entraide.kit.outbox import PENDING, outbox_entry
from entraide.matching.domain.model import Waiting

Doc = dict[str, Any]
SOURCE = "/entraide/matching"
# what the waitlist's pages and API show: no outbox nor its lease
WAITING_SHOWN = {"outbox": 0, "outbox_pending": 0, "lease_until": 0, "lease_owner": 0}


class Waitlist:
    """The waitlist part of `MatchStore`."""

    waitlist: AsyncCollection[Doc]
    waited: Callable[[], None]  # wakes the waitlist's relay
    announce: bool  # `match.waitlisted` for new entries and new reasons

    async def wait(self, entry: Waiting) -> None:
        await self.wait_many([entry])

    async def wait_many(self, entries: list[Waiting]) -> None:
        """Put the requests on the waitlist; one that starts waiting, or waits now for
        another reason, announces it (`match.waitlisted`, the entry's own outbox, relayed
        by `waitlist_relay`), so a batch re-waitlisting the same families sends nothing.
        In order: each entry's upsert comes before its guarded announcement."""
        if entries and not self.announce:
            await self.waitlist.bulk_write([_waiting(e, reason=True) for e in entries])
        elif entries:
            ops = [op for e in entries for op in (_waiting(e), _announced(e))]
            await self.waitlist.bulk_write(ops, ordered=True)
            self.waited()

    async def unwait(self, request_id: str) -> None:
        await self.waitlist.delete_one({"_id": request_id})

    async def unwait_many(self, request_ids: list[str]) -> None:
        if request_ids:
            await self.waitlist.delete_many({"_id": {"$in": request_ids}})

    async def waiting_ids(self) -> set[str]:
        return {w["_id"] async for w in self.waitlist.find({}, {"_id": 1})}

    async def waiting_count(self) -> int:
        return await self.waitlist.count_documents({})

    async def waiting(self, query: Doc, limit: int = 500) -> list[Doc]:
        cursor = self.waitlist.find(query, WAITING_SHOWN).sort("since", ASCENDING)
        return await cursor.limit(limit).to_list()


def _waiting(entry: Waiting, *, reason: bool = False) -> UpdateOne:
    """The entry's upsert, its reason apart unless asked (`_announced` sets it with its
    event)."""
    fields: Doc = {"reason": entry.reason} if reason else {}
    fields |= {
        "departement": entry.departement,
        "needs": list(entry.needs),
        "urgency": entry.urgency,
        "family_ref": entry.family_ref,
        "waiting_since": entry.waiting_since,
    }
    return UpdateOne(
        {"_id": entry.request_id},
        {"$set": fields, "$setOnInsert": {"since": datetime.now(UTC)}},
        upsert=True,
    )


def _announced(entry: Waiting) -> UpdateOne:
    """Set the entry's reason if it is new or changed, with its `match.waitlisted` event."""
    payload = MatchWaitlisted(
        request_id=entry.request_id,
        family_ref=entry.family_ref,
        reason_code=entry.reason,
        waitlisted_at=datetime.now(UTC),
    )
    event = new_event(payload, source=SOURCE, subject=entry.family_ref)
    return UpdateOne(
        {"_id": entry.request_id, "reason": {"$ne": entry.reason}},
        {"$set": {"reason": entry.reason, **PENDING}, "$push": {"outbox": outbox_entry(event)}},
    )
