"""The tombstones erased volunteers owe the compacted volunteers topic, in their own outbox.

Privacy's erasure deletes the volunteer's document, and with it what its outbox had not
published yet (nothing of an erased volunteer goes out afterwards). What the topic is
still owed, a null value under their reference so compaction forgets their last
availability, waits here: one document per volunteer, its id the reference (the record's
key), holding the kit's outbox entry (`outbox.tombstone`: topic, key, a null value, the
relay's bookkeeping) and nothing else of them. No field names the volunteer's reference,
so a command delivered again never deletes it before it is out, and it is no part of
their access export.

It is written held (not published) before the volunteer's document is deleted, then
released to the relay, or dropped when the volunteer as deleted owed none (matching never
heard of them, or their leaving's tombstone is out already): a crash in between leaves it
held for the command delivered again to release. Once out, it is swept away with the
reference it holds.
"""

from typing import Any

from pymongo.asynchronous.collection import AsyncCollection
from pymongo.asynchronous.database import AsyncDatabase

from entraide.contracts.topics import VOLUNTEERS
from entraide.directory.adapters.outbox import tombstone
from entraide.directory.adapters.writes import ensure_outbox_index
from entraide.directory.domain.records import Tombstone
from entraide.kit.outbox import NEVER, PENDING

Doc = dict[str, Any]
COLLECTION = "volunteer_tombstones"


class VolunteerTombstones:
    """The erased volunteers' tombstones: held, released to the relay, swept once out."""

    def __init__(self, db: AsyncDatabase[Doc], topic: str = VOLUNTEERS.name) -> None:
        self.topic = topic  # the volunteers' topic (the settings')
        self.collection: AsyncCollection[Doc] = db[COLLECTION]

    async def ensure_indexes(self) -> None:
        await ensure_outbox_index(self.collection)

    async def hold(self, gone: Tombstone) -> None:
        """Keep the tombstone, not yet for the relay; one per volunteer however often it
        is asked (a tombstone already here, held, pending or out, stays as it is)."""
        held = {
            "outbox": [tombstone(self.topic, gone.key)],
            "outbox_pending": False,
            "lease_until": NEVER,
            "lease_owner": None,
            "held": True,
        }
        await self.collection.update_one({"_id": gone.key}, {"$setOnInsert": held}, upsert=True)

    async def release(self, key: str) -> bool:
        """Hand the held tombstone to the relay; False when none is held for this key."""
        released = await self.collection.update_one(
            {"_id": key, "held": True}, {"$set": PENDING, "$unset": {"held": ""}}
        )
        return released.modified_count == 1

    async def drop(self, key: str) -> bool:
        """Forget the held tombstone (the volunteer's own is out already)."""
        return (await self.collection.delete_one({"_id": key, "held": True})).deleted_count == 1

    async def sweep(self) -> int:
        """Delete the tombstones the relay published; how many."""
        out = {"outbox_pending": False, "held": {"$ne": True}}
        return (await self.collection.delete_many(out)).deleted_count
