"""The association's actions, a page at a time, in the order of `domain.offers.listing`: the
store filters (association, territories, freshness), orders and pages, one query per part
(hidden, to confirm, up to date: a range of `updated_at` each) with its sort, skip and
limit, or from a mark (the API's cursor: what follows an offer in its part's sort, then
the next parts); only the page's documents are read, and the counts are the store's.

The index on (association, sort key, `_id`, update's date) serves every query: equality,
then the sort, then the range (MongoDB reads a part in the index's order and filters the
dates in it, not in the documents).

The sort key is written with each offer's state (`events.offer_document`). `rekey`, at
start, writes it on the offers stored before it existed, and again on any whose key is not
the one its name and commune give (a key an earlier recipe gave), once per version of the
recipe (`listing.KEY_VERSION`): it reads every offer through a cursor (tens of thousands)
and writes only those, each guarded by the revision it read, then a marker in directory's
`migrations` says that version's keys are all written. A start that finds its version
there (or a later one) reads no offer: every offer written since carries the key of its
writer's recipe. A start cut short leaves no marker, and the next reads them again. Two
replicas starting together may both read them: both write the same keys, and the marker
keeps the highest version. An offer a replica of the former recipe writes during the
rolling deploy that changes it keeps that replica's key until its next update (its place
in its part; paging still neither repeats nor skips).
"""

import logging
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from pymongo.asynchronous.collection import AsyncCollection
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import DuplicateKeyError

from entraide.directory.domain.offers import listing
from entraide.directory.domain.offers.fields import Freshness
from entraide.directory.usecases.ports import ListingPage, ListingQuery
from entraide.kit.retired_indexes import drop_retired

log = logging.getLogger(__name__)
Doc = dict[str, Any]
INDEX = [("association_id", 1), ("sort_key", 1), ("_id", 1), ("updated_at", 1)]
RETIRED = ("association_id_1",)  # the list's before INDEX, its prefix (4af79a9)
REKEYED = "offers-sort-keys"  # the marker's id: {version: the recipe's all written}


class MongoOfferListing:
    """`ports.OfferListing` over the offers' documents."""

    def __init__(self, db: AsyncDatabase[Doc]) -> None:
        self.collection: AsyncCollection[Doc] = db["offers"]
        self.migrations: AsyncCollection[Doc] = db["migrations"]

    async def ensure_indexes(self) -> None:
        await self.collection.create_index(INDEX)
        await drop_retired(self.collection, RETIRED)

    async def page(self, query: ListingQuery) -> ListingPage:
        """The actions from `start` (at most `size`) and how many there are per state."""
        scope = _scope(query.association_id, query.territories)
        parts = {s.value: {**scope, **_updated(s, query.now)} for s in listing.STALEST_FIRST}
        counts = {state: await self.collection.count_documents(p) for state, p in parts.items()}
        asked = [query.freshness] if query.freshness else list(parts)
        if query.after is not None:
            after = await self._after(parts, asked, query.after, query.size)
            return ListingPage(docs=after, by_freshness=counts)
        docs: list[Doc] = []
        for part, skip, limit in listing.slices(
            [counts[state] for state in asked], query.start, query.size
        ):
            docs += await self._read(parts[asked[part]], skip, limit)
        return ListingPage(docs=docs, by_freshness=counts)

    async def _after(
        self, parts: dict[str, Doc], asked: list[str], mark: listing.Mark, size: int
    ) -> list[Doc]:
        """At most `size` offers after the mark: the rest of its part (after its key, then
        after its id on the same key), then the parts after it."""
        names = list(parts)
        docs: list[Doc] = []
        for state in asked:
            if names.index(state) < names.index(mark.part) or len(docs) >= size:
                continue
            part = parts[state]
            if state == mark.part:
                later = [
                    {"sort_key": {"$gt": mark.key}},
                    {"sort_key": mark.key, "_id": {"$gt": mark.offer_id}},
                ]
                part = {"$and": [part, {"$or": later}]}
            docs += await self._read(part, 0, size - len(docs))
        return docs

    async def _read(self, part: Doc, skip: int, limit: int) -> list[Doc]:
        found = self.collection.find(part, {"outbox": 0}).sort(list(listing.SORT))
        return await found.skip(skip).limit(limit).to_list()

    async def rekey(self) -> int:
        """Unless this version of the recipe (or a later one) is marked done: the keys
        written where they are missing or another recipe's, then the marker; how many."""
        version = listing.KEY_VERSION
        if await self.migrations.find_one({"_id": REKEYED, "version": {"$gte": version}}):
            return 0
        written = await self._rekey_every()
        done = {"$max": {"version": version}}  # a replica of a later recipe's stays
        try:
            await self.migrations.update_one({"_id": REKEYED}, done, upsert=True)
        except DuplicateKeyError:  # another replica's first marker, just written
            await self.migrations.update_one({"_id": REKEYED}, done, upsert=True)
        return written

    async def _rekey_every(self) -> int:
        fields = {"nom": 1, "commune": 1, "sort_key": 1, "revision": 1}
        written = 0
        async for doc in self.collection.find({}, fields):
            key = listing.sort_key(doc["nom"], doc["commune"])
            if doc.get("sort_key") == key:
                continue
            guard = {"_id": doc["_id"], "revision": doc.get("revision")}
            done = await self.collection.update_one(guard, {"$set": {"sort_key": key}})
            written += done.modified_count
        if written:
            log.info("offers' sort keys written: %d", written)
        return written


def _scope(association_id: str, territories: Sequence[str]) -> Doc:
    """The association's live offers serving one of these départements (none named: all;
    an offer with no zone serves them all)."""
    scope: Doc = {"association_id": association_id, "deleted": {"$ne": True}}
    if territories:
        scope["$or"] = [
            {"zone_eligibilite": {"$in": list(territories)}},
            {"zone_eligibilite": {"$size": 0}},
            {"zone_eligibilite": {"$exists": False}},
        ]
    return scope


def _updated(state: Freshness, now: datetime) -> Doc:
    after, until = listing.updated_range(state, now)
    bounds = ({"$gt": after} if after else {}) | ({"$lte": until} if until else {})
    return {"updated_at": bounds}
