"""Directory's MongoDB store: offers with their outbox, and the search cards by H3 cell.

Search reads small collections: one per H3 cell (`cell_<h3>`) holding the cards of the
offers located there, and one per département (`dep_<code>`) for the offers served at a
distance. On mongo-java-server, the store these machines run, a non-unique index is a
scan of its collection: at 100,000 offers a search within 15 km took 50-56 ms (p50)
reading the cells, 256-261 ms through one collection queried by `cell $in [...]` on an
indexed field, and as long without the index (2026-11-29, two runs on 2 shared cores).
MongoDB, in production, runs the same code; the cells cost it nothing. Each card written
also counts one change of its collection in `card_versions`, so that a process may keep
the cards it read and know, by one query on `_id`s, which collections changed since
(`card_cache`: a Paris search reads about 12,000 cards).

Every write is one atomic update of one document, so replicas may write side by side: an
offer's new state and its events go together (the kit's outbox), guarded by the revision
they were computed from; a card is written only over an older revision of itself, and a
card leaving a collection leaves a `gone` mark of its revision, so a late writer of an
older revision cannot bring it back.
"""

import asyncio
from collections.abc import AsyncIterator
from typing import Any

from pymongo.asynchronous.collection import AsyncCollection
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import DuplicateKeyError

from entraide.contracts.topics import OFFERS
from entraide.directory.adapters.writes import append, ensure_outbox_index
from entraide.directory.domain import geo
from entraide.directory.domain.offers.offer import Offer
from entraide.kit.outbox import PENDING

Doc = dict[str, Any]
VERSIONS = "card_versions"  # {_id: <cell or département collection>, v: changes counted}
CELL, DEPARTEMENT = "cell_", "dep_"  # the cards' collections' names start so
VISIBLE: Doc = {"deleted": {"$ne": True}}


class OfferStore:
    """Offers, their pending events, and their search cards (`ports.OfferDocuments`)."""

    def __init__(self, db: AsyncDatabase[Doc], topic: str = OFFERS.name) -> None:
        self.topic = topic  # where the offers' events go
        self.db = db
        self.collection: AsyncCollection[Doc] = db["offers"]

    async def ensure_indexes(self) -> None:
        """The relay's; the association's list has its own (`listing.INDEX`)."""
        await ensure_outbox_index(self.collection)

    async def get(self, offer_id: str) -> Doc | None:
        return await self.collection.find_one({"_id": offer_id, **VISIBLE})

    async def every(self) -> AsyncIterator[Doc]:
        """Every live offer, through a cursor (the daily round, the export)."""
        async for doc in self.collection.find(VISIBLE, {"outbox": 0}):
            yield doc

    async def insert(self, doc: Doc, entries: list[Doc], card: Doc) -> None:
        await self.collection.insert_one({**doc, "outbox": entries, **PENDING})
        await self._place(card, old=None)

    async def replace(self, doc: Doc, entries: list[Doc], card: Doc, previous: Doc) -> bool:
        """Write a new revision if nobody wrote one meanwhile; False otherwise."""
        guard = {"_id": doc["_id"], "revision": previous["revision"], **VISIBLE}
        if not await append(self.collection, guard, doc, entries):
            return False
        await self._place(card, old=previous)
        return True

    async def delete(self, previous: Doc, entries: list[Doc]) -> bool:
        """Hide the offer now; `sweep` deletes it once its last events are out."""
        revision = previous["revision"] + 1
        guard = {"_id": previous["_id"], "revision": previous["revision"], **VISIBLE}
        if not await append(
            self.collection, guard, {"deleted": True, "revision": revision}, entries
        ):
            return False
        gone = {"_id": previous["_id"], "r": revision, "gone": True}
        await asyncio.gather(*(self._put(c, gone) for c in places(previous)))
        return True

    async def sweep(self) -> int:
        """Delete the withdrawn offers whose events are all out, and their cards' marks (a
        mark left in a cell the offer moved out of stays: a small document, rare)."""
        done = {"deleted": True, "outbox_pending": False}
        swept = 0
        async for doc in self.collection.find(done, {"outbox": 0}):
            await asyncio.gather(
                *(self.db[c].delete_one({"_id": doc["_id"], "gone": True}) for c in places(doc))
            )
            swept += (await self.collection.delete_one({"_id": doc["_id"], **done})).deleted_count
        return swept

    async def cards(self, collections: list[str]) -> list[Doc]:
        """Every live card in these collections (cells and départements)."""
        found = await self.cards_by_collection(collections)
        return [card for name in collections for card in found[name]]

    async def cards_by_collection(self, collections: list[str]) -> dict[str, list[Doc]]:
        """Every live card in each of these collections, read side by side."""
        live = {"gone": {"$ne": True}}
        found = await asyncio.gather(*(self.db[c].find(live).to_list() for c in collections))
        return dict(zip(collections, found, strict=True))

    async def versions(self, collections: list[str]) -> dict[str, int]:
        """How many times each of these collections' cards changed (0: never counted),
        in one query by `_id`."""
        query = {"_id": {"$in": collections}}
        return {d["_id"]: d["v"] async for d in self.db[VERSIONS].find(query)}

    async def _place(self, card: Doc, old: Doc | None) -> None:
        new = places(card_source(card))
        stale = [c for c in places(old) if c not in new] if old else []
        gone = {"_id": card["_id"], "r": card["r"], "gone": True}
        await asyncio.gather(
            *(self._put(c, card) for c in new), *(self._put(c, gone) for c in stale)
        )

    async def _put(self, collection: str, card: Doc) -> None:
        """Write this revision of the card unless a newer one is there already, then count
        the change in the collection's version (after: see `card_cache`)."""
        try:
            await self.db[collection].replace_one(
                {"_id": card["_id"], "r": {"$lt": card["r"]}}, card, upsert=True
            )
        except DuplicateKeyError:
            return  # the upsert clashed on _id: a newer revision is there, nothing changed
        await self._bump(collection)

    async def _bump(self, collection: str) -> None:
        bump = {"$inc": {"v": 1}}
        try:
            await self.db[VERSIONS].update_one({"_id": collection}, bump, upsert=True)
        except DuplicateKeyError:  # two first upserts raced: the counter is there now
            await self.db[VERSIONS].update_one({"_id": collection}, bump, upsert=True)


class MongoOffers:
    """`ports.Offers` over the offers' documents."""

    def __init__(self, store: OfferStore) -> None:
        self.store = store

    async def get(self, offer_id: str) -> Offer | None:
        doc = await self.store.get(offer_id)
        return None if doc is None else Offer.from_state(doc)


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
    found = [f"{CELL}{geo.cell_of(doc['latitude'], doc['longitude'])}"]
    if "a-distance" in doc.get("modes_accueil", []):
        found += [f"{DEPARTEMENT}{code}" for code in doc["zone_eligibilite"]]
    return found


def search_collections(
    latitude: float, longitude: float, radius_km: float, dep: str | None
) -> list[str]:
    """The collections a search at this point and radius reads."""
    found = [f"{CELL}{c}" for c in geo.cells_within(latitude, longitude, radius_km)]
    return [*found, f"{DEPARTEMENT}{dep}"] if dep else found
