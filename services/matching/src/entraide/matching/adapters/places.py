"""The places supports give (`places`: one document per support listing the matches that
hold its places, `taken`: match id and when). Taking one is an update whose filter says
the list is shorter than the capacity, so no replica overfills a volunteer; giving it
back is a `$pull` of the match (harmless twice). See `matches` for what `heal` repairs."""

from datetime import UTC, datetime, timedelta
from typing import Any

from pymongo import UpdateOne
from pymongo.asynchronous.collection import AsyncCollection
from pymongo.errors import DuplicateKeyError

from entraide.kit.bulk import written_but
from entraide.matching.domain.lifecycle import OPEN

Doc = dict[str, Any]
OPEN_STATES = [s.value for s in OPEN]


class Places:
    """The places part of `MatchStore`."""

    matches: AsyncCollection[Doc]
    places: AsyncCollection[Doc]

    async def take(
        self, key: str, capacity: int | None, match_id: str, *, upsert: bool = True
    ) -> bool:
        """Take one of the support's places for the match; False when all are taken.
        Unlimited supports (capacity None) keep no list."""
        if capacity is None:
            return True
        if capacity <= 0:
            return False
        room, update = _room(key, capacity), _push(match_id)
        if not upsert:
            return (await self.places.update_one(room, update)).modified_count == 1
        try:
            await self.places.update_one(room, update, upsert=True)
        except DuplicateKeyError:  # full (so the upsert tried an insert), or just created
            return (await self.places.update_one(room, update)).modified_count == 1
        return True

    async def take_many(self, takes: list[tuple[str, int | None, str]]) -> set[str]:
        """`take` for several matches (support key, capacity, match id each) in one write,
        each update atomic on its own; the match ids that got their place."""
        got = {match_id for _, capacity, match_id in takes if capacity is None}
        bounded = [(k, c, m) for k, c, m in takes if c is not None and c > 0]
        if not bounded:
            return got
        ops = [
            UpdateOne(_room(key, capacity), _push(match_id), upsert=True)
            for key, capacity, match_id in bounded
        ]
        _, refused = await written_but(self.places, ops)
        for n, (key, capacity, match_id) in enumerate(bounded):
            # refused: full (so the upsert tried an insert), or the document just created
            if n not in refused or await self.take(key, capacity, match_id, upsert=False):
                got.add(match_id)
        return got

    async def give_back(self, key: str, match_id: str) -> None:
        """Give the match's place back to the support (nothing if it held none)."""
        await self.places.update_one({"_id": key}, {"$pull": {"taken": {"match_id": match_id}}})

    async def heal(self, grace: timedelta = timedelta(minutes=1)) -> dict[str, int]:
        """Give back the places held longer than `grace` by matches that are not open (see
        the module's docstring); returns the places taken per support after that."""
        before = datetime.now(UTC) - grace
        # one pass over the open matches (a long `$in` of ids costs far more here)
        query = {"state": {"$in": OPEN_STATES}}
        still_open = {m["_id"] async for m in self.matches.find(query, {"_id": 1})}
        counts: dict[str, int] = {}
        async for place in self.places.find({}):  # streamed: one support at a time
            taken = place.get("taken", [])
            stale = [
                t["match_id"] for t in taken if t["at"] < before and t["match_id"] not in still_open
            ]
            if stale:
                gone = {"$pull": {"taken": {"match_id": {"$in": stale}}}}
                await self.places.update_one({"_id": place["_id"]}, gone)
            counts[place["_id"]] = len(taken) - len(stale)
        return counts

    async def held(self) -> dict[str, int]:
        """Places taken per support (for the in-memory pool)."""
        return {p["_id"]: len(p.get("taken", ())) async for p in self.places.find({})}


def _room(key: str, capacity: int) -> Doc:
    """The support's places, if one is left: the list is shorter than the capacity."""
    return {"_id": key, f"taken.{capacity - 1}": {"$exists": False}}


def _push(match_id: str) -> Doc:
    return {"$push": {"taken": {"match_id": match_id, "at": datetime.now(UTC)}}}
