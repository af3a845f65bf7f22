"""Intake's MongoDB store: one document per family, its requests and its outbox.

A family's state change and the events it causes are written in one document write
(the outbox), so neither can exist without the other. Every write that appends events
must also reset the relay's lease (`lease_owner: None`, `lease_until: NEVER`): the relay
then never marks as sent an event it has not read.
"""

import asyncio
from typing import Any

from pymongo import ASCENDING, DESCENDING
from pymongo.asynchronous.collection import AsyncCollection
from pymongo.asynchronous.database import AsyncDatabase

from entraide.contracts import CloudEvent
from entraide.contracts.kit.outbox import NEVER, outbox_entry

Doc = dict[str, Any]
# What a list shows: no outbox, no contacts, no notes.
SUMMARY = {"outbox": 0, "contacts": 0, "requests.notes": 0}


class FamilyStore:
    """Families, their requests and their pending events."""

    def __init__(self, db: AsyncDatabase[Doc]) -> None:
        self.families: AsyncCollection[Doc] = db["families"]
        self.writing = asyncio.Lock()  # updates of families take turns with the relay's

    async def ensure_indexes(self) -> None:
        await self.families.create_index([("requests.request_id", ASCENDING)])
        await self.families.create_index([("family_ref", ASCENDING)], unique=True)
        await self.families.create_index(
            [("outbox_pending", ASCENDING), ("lease_until", ASCENDING)]
        )
        await self.families.create_index([("lookup", ASCENDING)])
        await self.families.create_index(
            [("departement", ASCENDING), ("association_id", ASCENDING), ("created_at", DESCENDING)]
        )

    async def get(self, family_id: str) -> Doc | None:
        return await self.families.find_one({"_id": family_id})

    async def by_ref(self, family_ref: str) -> Doc | None:
        """The family known on the topics by this pseudonymous reference (rights requests)."""
        return await self.families.find_one({"family_ref": family_ref})

    async def delete(self, family_id: str) -> int:
        """Delete the family's document (erasure); its pending events go with it."""
        return (await self.families.delete_one({"_id": family_id})).deleted_count

    async def matching_lookup(self, hashes: list[str], limit: int = 20) -> list[Doc]:
        """Families sharing a name, phone or e-mail hash with a parent (duplicate search)."""
        query = {"lookup": {"$in": hashes}}
        return await self.families.find(query, SUMMARY).limit(limit).to_list()

    async def recent(self, scope: Doc, limit: int = 50) -> list[Doc]:
        """The latest families within a staff member's scope."""
        cursor = self.families.find(scope, SUMMARY).sort("created_at", DESCENDING)
        return await cursor.limit(limit).to_list()

    async def change(
        self, family: Doc, changes: Doc, events: list[CloudEvent[Any]], push: Doc | None = None
    ) -> bool:
        """Apply a change made on `family` as read, with its events; False if it moved since.

        The document's `version` guards against two staff editing at once; appending
        events resets the relay's lease (see the module's docstring).
        """
        version = family.get("version")
        guard = {"version": version} if version is not None else {"version": {"$exists": False}}
        update: Doc = {
            "$set": {
                **changes,
                "version": (version or 0) + 1,
                **(
                    {"outbox_pending": True, "lease_until": NEVER, "lease_owner": None}
                    if events
                    else {}
                ),
            }
        }
        pushes = {
            **(push or {}),
            **({"outbox": {"$each": [outbox_entry(e) for e in events]}} if events else {}),
        }
        if pushes:
            update["$push"] = pushes
        async with self.writing:
            result = await self.families.update_one({"_id": family["_id"], **guard}, update)
        return result.modified_count == 1

    async def share(
        self, family_ref: str, association_id: str, *, shared: bool, override: bool = False
    ) -> bool:
        """Let an association see the family (an accepted match), or no longer. Only with
        the family's consent to sharing, unless `override` (a named permission, audited
        by the caller); False when nothing changed (or no consent)."""
        op = "$addToSet" if shared else "$pull"
        query: Doc = {"family_ref": family_ref}
        if shared and not override:
            query["consent.sharing"] = True
        async with self.writing:
            result = await self.families.update_one(query, {op: {"shared_with": association_id}})
        return result.modified_count == 1

    async def add_family(self, family: Doc, request: Doc, events: list[CloudEvent[Any]]) -> None:
        """Store a new family with its first request and the events that announce it."""
        await self.families.insert_one(family_document(family, request, events))


def family_document(family: Doc, request: Doc, events: list[CloudEvent[Any]]) -> Doc:
    """A new family's document: identity, first request, and its outbox, unleased."""
    return {
        **family,
        "requests": [request],
        "outbox": [outbox_entry(e) for e in events],
        "outbox_pending": bool(events),
        "lease_until": NEVER,
        "lease_owner": None,
        "version": 1,
    }
