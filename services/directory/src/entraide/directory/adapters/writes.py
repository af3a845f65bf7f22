"""One guarded document write: an aggregate's new state and its events together, in the
kit's outbox, over the revision they were computed from (offers and volunteers alike); and
the deletion of an erased volunteer's document, which waits for the relay likewise."""

import asyncio
import time
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import Any

from pymongo.asynchronous.collection import AsyncCollection

from entraide.kit.outbox import PENDING

Doc = dict[str, Any]
LEASE_WAIT_SECONDS = 60.0  # beyond the relay's lease (30 s): it died, or the clocks disagree


def appending(fields: Doc, entries: list[Doc], also: Doc | None = None) -> Doc:
    """An update that sets `fields` and appends events behind those not yet published,
    resetting the relay's lease so it marks sent only what it has read (`also`: other
    operators on fields besides these, in the same write)."""
    fields = {k: v for k, v in fields.items() if k != "_id"}
    update = {"$set": {**fields, **PENDING}, "$push": {"outbox": {"$each": entries}}}
    return update | (also or {})


async def append(
    collection: AsyncCollection[Doc],
    guard: Doc,
    fields: Doc,
    entries: list[Doc],
    also: Doc | None = None,
) -> bool:
    """Set `fields` and append `entries` to the document matching `guard` (its revision),
    once no relay holds it; False if none matches (someone wrote another revision).

    A relay marks sent only a document whose lease it still holds: an append that reset
    its lease while it published would have it publish those events again next round (to
    consumers, once more). So the append waits for the relay's mark, a matter of
    milliseconds, or for its lease to run out if it died."""

    async def write(free: Doc) -> bool:
        update = appending(fields, entries, also)
        return bool((await collection.update_one(free, update)).matched_count)

    return bool(await _once_free(collection, guard, write))


async def delete_when_free(collection: AsyncCollection[Doc], guard: Doc) -> Doc | None:
    """Delete the document matching `guard` once no relay holds it, and return it as it was
    deleted (None: there was none). A relay publishing its events finishes first, so none
    of them goes out after the deletion; those still pending go with the document. If the
    lease is still held after `LEASE_WAIT_SECONDS` (clocks that disagree), it goes anyway."""
    deleted: Doc | None = None

    async def delete(free: Doc) -> bool:
        nonlocal deleted
        deleted = await collection.find_one_and_delete(free)
        return deleted is not None

    if await _once_free(collection, guard, delete) is None:
        return await collection.find_one_and_delete(guard)
    return deleted


async def _once_free(
    collection: AsyncCollection[Doc], guard: Doc, write: Callable[[Doc], Awaitable[bool]]
) -> bool | None:
    """`write(query)` (the guard, and no relay's lease) until it matches: True; False once
    no document matches the guard; None after `LEASE_WAIT_SECONDS`."""
    deadline, pause = time.monotonic() + LEASE_WAIT_SECONDS, 0.005
    while time.monotonic() < deadline:
        if await write({**guard, "lease_until": {"$lt": datetime.now(UTC)}}):
            return True
        if await collection.find_one(guard, {"_id": 1}) is None:
            return False
        await asyncio.sleep(pause)  # a relay is publishing this document's events
        pause = min(pause * 2, 0.5)
    return None


async def ensure_outbox_index(collection: AsyncCollection[Doc]) -> None:
    """The index of the relay's search for pending documents (MongoDB uses it); and the
    markers of directory's former relay go."""
    await collection.create_index([("outbox_pending", 1), ("lease_until", 1)])
    await collection.database.drop_collection(f"{collection.name}_outbox_markers")
