"""Directory's MongoDB store: offers with their outbox, and the search cards by H3 cell.

FerretDB 1.24 on SQLite pushes no filter down to an index (explain: `SCAN`, even on
`_id`), so every query reads its whole collection. Search therefore reads small
collections: one per H3 cell (`cell_<h3>`) holding the cards of the offers located there,
and one per département (`dep_<code>`) for the offers served at a distance. MongoDB runs
the same code.

An offer's state and its events are one document write (the outbox). A marker in
`outbox_markers` then tells the relay where to look, so it never scans every offer; a
marker lost in a crash is found again by `ensure_markers` at start.
"""

import asyncio
from datetime import UTC, datetime
from typing import Any

from pymongo.asynchronous.collection import AsyncCollection
from pymongo.asynchronous.database import AsyncDatabase

from entraide.contracts import CloudEvent, spec_for_type
from entraide.contracts.topics import OFFERS
from entraide.directory import geo

NEVER = datetime(1970, 1, 1, tzinfo=UTC)
Doc = dict[str, Any]


def outbox_entry(event: CloudEvent[Any], topic: str | None = None) -> Doc:
    """An event ready for the relay: its topic (the catalog's unless the settings name
    another), its key and its serialized envelope."""
    spec = spec_for_type(event.type)
    if spec is None:  # a programming error, not bad input
        raise ValueError(f"event type not in the catalog: {event.type}")
    return {
        "topic": topic or spec.topic.name,
        "key": event.subject,
        "value": event.model_dump_json(),
    }


def tombstone(topic: str, key: str) -> Doc:
    """A null value for `key`: compaction then forgets the key on a compacted topic."""
    return {"topic": topic, "key": key, "value": None}


def pending(entries: list[Doc]) -> Doc:
    """The outbox fields of a new document (unleased)."""
    return {"outbox": entries, "outbox_pending": True, "lease_until": NEVER, "lease_owner": None}


def appending(fields: Doc, entries: list[Doc]) -> Doc:
    """An update that sets `fields` and appends events behind those not yet published,
    resetting the relay's lease so it marks sent only what it has read."""
    lease = {"outbox_pending": True, "lease_until": NEVER, "lease_owner": None}
    return {"$set": {**fields, **lease}, "$push": {"outbox": {"$each": entries}}}


class Outboxed:
    """A collection whose documents carry an outbox, with the relay's markers."""

    def __init__(self, db: AsyncDatabase[Doc], name: str, topic: str) -> None:
        self.topic = topic  # where this collection's events go
        self.collection: AsyncCollection[Doc] = db[name]
        self.markers: AsyncCollection[Doc] = db[f"{name}_outbox_markers"]
        # FerretDB 1.24 loses one of two concurrent updates of the same document (it
        # reads, changes and writes back without isolation), so this process's writes to
        # the collection and its markers, the relay's included, take turns.
        self.writing = asyncio.Lock()

    async def mark(self, doc_id: str) -> None:
        """Tell the relay this document has events (after the write that added them)."""
        await self.markers.update_one({"_id": doc_id}, {"$inc": {"n": 1}}, upsert=True)

    async def ensure_markers(self) -> int:
        """Re-mark documents whose marker was lost (a crash between the two writes)."""
        ids = [d["_id"] async for d in self.collection.find({"outbox_pending": True}, {"_id": 1})]
        await asyncio.gather(*(self.mark(i) for i in ids))
        return len(ids)


class OfferStore(Outboxed):
    """Offers, their pending events, and their search cards."""

    def __init__(self, db: AsyncDatabase[Doc], topic: str = OFFERS.name) -> None:
        super().__init__(db, "offers", topic)
        self.db = db

    async def ensure_indexes(self) -> None:
        await self.collection.create_index("association_id")
        await self.ensure_markers()

    async def get(self, offer_id: str) -> Doc | None:
        return await self.collection.find_one({"_id": offer_id, "deleted": {"$ne": True}})

    async def of_association(self, association_id: str) -> list[Doc]:
        query = {"association_id": association_id, "deleted": {"$ne": True}}
        return await self.collection.find(query, {"outbox": 0}).sort("nom").to_list()

    async def all(self) -> list[Doc]:
        return await self.collection.find({"deleted": {"$ne": True}}, {"outbox": 0}).to_list()

    async def insert(self, doc: Doc, entries: list[Doc], card: Doc) -> None:
        async with self.writing:
            await self.collection.insert_one({**doc, **pending(entries)})
            await self.mark(doc["_id"])
        await self._place(card, old=None)

    async def replace(self, doc: Doc, entries: list[Doc], card: Doc, previous: Doc) -> bool:
        """Write a new revision if nobody wrote one meanwhile; False otherwise."""
        async with self.writing:
            result = await self.collection.update_one(
                {"_id": doc["_id"], "revision": previous["revision"]}, appending(doc, entries)
            )
            if not result.matched_count:
                return False
            await self.mark(doc["_id"])
        await self._place(card, old=previous)
        return True

    async def delete(self, previous: Doc, entries: list[Doc]) -> bool:
        """Hide the offer now; the relay deletes it once its last events are out."""
        async with self.writing:
            result = await self.collection.update_one(
                {"_id": previous["_id"], "revision": previous["revision"]},
                appending({"deleted": True, "revision": previous["revision"] + 1}, entries),
            )
            if not result.matched_count:
                return False
            await self.mark(previous["_id"])
        await asyncio.gather(
            *(self.db[c].delete_one({"_id": previous["_id"]}) for c in places(previous))
        )
        return True

    async def cards(self, collections: list[str]) -> list[Doc]:
        """Every card in these collections (cells and départements), read side by side."""
        found = await asyncio.gather(*(self.db[c].find({}).to_list() for c in collections))
        return [card for batch in found for card in batch]

    async def _place(self, card: Doc, old: Doc | None) -> None:
        new = places(card_source(card))
        stale = [c for c in places(old) if c not in new] if old else []
        await asyncio.gather(
            *(self.db[c].replace_one({"_id": card["_id"]}, card, upsert=True) for c in new),
            *(self.db[c].delete_one({"_id": card["_id"]}) for c in stale),
        )


def card_source(card: Doc) -> Doc:
    """The fields `places` reads, from a (packed) search card."""
    remote = bool(card["f"] & 1)
    return {
        "latitude": card["lat"],
        "longitude": card["lon"],
        "modes_accueil": ["a-distance"] if remote else [],
        "zone_eligibilite": card["z"].split(),
    }


def places(doc: Doc) -> list[str]:
    """The collections holding an offer's card: its cell, and its départements if remote."""
    found = [f"cell_{geo.cell_of(doc['latitude'], doc['longitude'])}"]
    if "a-distance" in doc.get("modes_accueil", []):
        found += [f"dep_{code}" for code in doc["zone_eligibilite"]]
    return found


def search_collections(
    latitude: float, longitude: float, radius_km: float, dep: str | None
) -> list[str]:
    """The collections a search at this point and radius reads."""
    found = [f"cell_{c}" for c in geo.cells_within(latitude, longitude, radius_km)]
    return [*found, f"dep_{dep}"] if dep else found
