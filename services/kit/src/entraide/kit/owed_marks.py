"""Work owed, found by its marker. A document owing work carries a note (what it owes) and,
set and cleared in the same single-document writes, a marker: its own id, under a unique
sparse index, which the store here serves without a scan (its normal indexes are scans).
A pass reads the owed work by the marker alone.

The code before the marker (or a rollback to it) wrote notes without their marker, and
cleared a note alone, leaving its marker. `OwedMarks.set_right` mends both at a process's
first pass, in one scan: a note without its marker gets it, a marker without its note goes.
"""

from typing import Any

from pymongo.asynchronous.collection import AsyncCollection


class OwedMarks:
    """The marker `marker` of the note `note` in `collection`, set right once a process."""

    def __init__(self, collection: AsyncCollection[Any], *, note: str, marker: str) -> None:
        self.collection = collection
        self.note, self.marker = note, marker
        self.done = False

    @property
    def owing(self) -> dict[str, Any]:
        """The filter of the documents marked owing: every marker is a string, so all match
        a regular expression, which the store answers from the unique index's entries
        (`$exists` would be a scan)."""
        return {self.marker: {"$regex": "^"}}

    async def set_right(self) -> None:
        """At the first call of a process (one scan; later calls do nothing): each write
        guarded by the note as read, so a note written or cleared meanwhile is left as the
        code of today wrote it."""
        if self.done:
            return
        noted, unnoted = {self.note: {"$exists": True}}, {self.note: {"$exists": False}}
        unmarked = noted | {self.marker: {"$exists": False}}
        astray = unnoted | {self.marker: {"$exists": True}}
        async for doc in self.collection.find({"$or": [unmarked, astray]}, {self.note: 1}):
            if self.note in doc:
                guard, update = noted, {"$set": {self.marker: doc["_id"]}}
            else:
                guard, update = unnoted, {"$unset": {self.marker: ""}}
            await self.collection.update_one({"_id": doc["_id"]} | guard, update)
        self.done = True
