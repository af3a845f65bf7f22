"""One guarded document write: an aggregate's new state and its events together, in the
kit's outbox, over the revision they were computed from (offers and volunteers alike)."""

import asyncio
import time
from datetime import UTC, datetime
from typing import Any

from pymongo.asynchronous.collection import AsyncCollection

from entraide.kit.outbox import PENDING

Doc = dict[str, Any]
LEASE_WAIT_SECONDS = 60.0  # beyond the relay's lease (30 s): it died, or the clocks disagree


def appending(fields: Doc, entries: list[Doc]) -> Doc:
    """An update that sets `fields` and appends events behind those not yet published,
    resetting the relay's lease so it marks sent only what it has read."""
    fields = {k: v for k, v in fields.items() if k != "_id"}
    return {"$set": {**fields, **PENDING}, "$push": {"outbox": {"$each": entries}}}


async def append(
    collection: AsyncCollection[Doc], guard: Doc, fields: Doc, entries: list[Doc]
) -> bool:
    """Set `fields` and append `entries` to the document matching `guard` (its revision),
    once no relay holds it; False if none matches (someone wrote another revision).

    A relay marks sent only a document whose lease it still holds: an append that reset
    its lease while it published would have it publish those events again next round (to
    consumers, once more). So the append waits for the relay's mark, a matter of
    milliseconds, or for its lease to run out if it died."""
    deadline, pause = time.monotonic() + LEASE_WAIT_SECONDS, 0.005
    while time.monotonic() < deadline:
        free = {"lease_until": {"$lt": datetime.now(UTC)}}
        result = await collection.update_one({**guard, **free}, appending(fields, entries))
        if result.matched_count:
            return True
        if await collection.find_one(guard, {"_id": 1}) is None:
            return False
        await asyncio.sleep(pause)  # a relay is publishing this document's events
        pause = min(pause * 2, 0.5)
    return False


async def ensure_outbox_index(collection: AsyncCollection[Doc]) -> None:
    """The index of the relay's search for pending documents (MongoDB uses it); and the
    markers of directory's former relay go."""
    await collection.create_index([("outbox_pending", 1), ("lease_until", 1)])
    await collection.database.drop_collection(f"{collection.name}_outbox_markers")
