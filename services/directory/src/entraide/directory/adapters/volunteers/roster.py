"""The association's volunteers, a page at a time, in the order of `domain.volunteers.roster`:
the store filters (association, territories, status), orders and pages, one query per tier
with its sort, skip and limit, or from a mark (the API's cursor: what follows a volunteer in
their tier's sort, then the next tiers); only the page's documents are read.

The index on (association, status, application's date) serves every query: the counts
per status, and each tier's part of a page (MongoDB reads the part in the index's order).
"""

from collections.abc import Sequence
from datetime import date
from typing import Any

from pymongo.asynchronous.collection import AsyncCollection
from pymongo.asynchronous.database import AsyncDatabase

from entraide.directory.domain.volunteers import roster
from entraide.directory.usecases.ports import RosterPage, RosterQuery

Doc = dict[str, Any]
INDEX = [("association_id", 1), ("status", 1), ("applied_at", 1)]


class VolunteerRoster:
    """`usecases.roster.Roster` over the volunteers' documents."""

    def __init__(self, db: AsyncDatabase[Doc]) -> None:
        self.collection: AsyncCollection[Doc] = db["volunteers"]

    async def ensure_indexes(self) -> None:
        await self.collection.create_index(INDEX)

    async def page(self, query: RosterQuery) -> RosterPage:
        """The volunteers from `start` or after the mark `after` (at most `size`), how many
        there are with this status (all: None), and per status and per tier."""
        start, size = query.start, query.size
        scope = _scope(query.association_id, query.territories)
        by_status = await self._by_status(scope)
        chosen = [scope, {"status": query.status}] if query.status else [scope]
        tiers = [{"$and": [*chosen, part]} for part in _tiers(query.today)]
        counts = [await self.collection.count_documents(t) for t in tiers]
        docs: list[Doc] = []
        skipped = _before(query.after)
        for tier, part, count in zip(roster.TIERS, tiers, counts, strict=True):
            if tier.name in skipped:
                continue
            if query.after is not None and tier.name == query.after.tier:
                part = {"$and": [part, _after(tier, query.after.values)]}
            elif start >= count:
                start -= count
                continue
            found = self.collection.find(part, {"outbox": 0}).sort(list(tier.sort))
            docs += await found.skip(start).limit(size - len(docs)).to_list()
            start = 0
            if len(docs) >= size:
                break
        named = dict(zip((t.name for t in roster.TIERS), counts, strict=True))
        return RosterPage(docs=docs, total=sum(counts), by_status=by_status, by_tier=named)

    async def _by_status(self, scope: Doc) -> dict[str, int]:
        grouped = await self.collection.aggregate(
            [{"$match": scope}, {"$group": {"_id": "$status", "n": {"$sum": 1}}}]
        )
        return {d["_id"]: d["n"] async for d in grouped}


def _scope(association_id: str, territories: Sequence[str]) -> Doc:
    """The association's volunteers living in these départements (none named: all)."""
    if not territories:
        return {"association_id": association_id}
    ranges = [
        {"code_postal": {"$gte": low, "$lt": high}}
        for low, high in roster.postal_ranges(territories)
    ]
    return {"association_id": association_id, "$or": ranges}


def _tiers(today: date) -> list[Doc]:
    """Each tier of `roster.TIERS` as a filter, none of them matching an earlier one's."""
    waiting = [s.value for s in roster.WAITING]
    flagged = {"rectifications": {"$exists": True, "$ne": []}}
    renew = {
        "status": {"$in": [s.value for s in roster.WORKING]},
        "$or": [
            {"honorability": {"$ne": "cleared"}},
            {"honorability_valid_until": {"$lt": roster.renew_before(today)}},
        ],
    }
    after_waiting: Doc = {"status": {"$nin": waiting}}
    return [
        {"status": waiting[0]},
        {"status": waiting[1]},
        {**after_waiting, **flagged},
        {"$and": [after_waiting, renew], "$nor": [flagged]},
        {"$and": [after_waiting], "$nor": [flagged, renew]},
    ]


def _before(mark: roster.Mark | None) -> set[str]:
    """The tiers wholly before the mark's (none without a mark)."""
    names = [t.name for t in roster.TIERS]
    return set(names[: names.index(mark.tier)]) if mark is not None else set()


def _after(tier: roster.Tier, values: Sequence[Any]) -> Doc:
    """The tier's documents after these sort values, as `roster.follows` orders them: equal
    on the first fields and after on the next one (a missing value sorts first)."""
    branches: list[Doc] = []
    equal: list[Doc] = []
    for (name, direction), value in zip(tier.sort, values, strict=True):
        later = _later(name, direction, value)
        if later is not None:
            branches.append({"$and": [*equal, later]})
        equal.append({name: value})
    return {"$or": branches} if branches else {"_id": {"$in": []}}


def _later(name: str, direction: int, value: Any) -> Doc | None:
    """After `value` on one field: none after a missing value in a descending sort."""
    if direction > 0:
        return {name: {"$ne": None}} if value is None else {name: {"$gt": value}}
    return None if value is None else {"$or": [{name: {"$lt": value}}, {name: None}]}
