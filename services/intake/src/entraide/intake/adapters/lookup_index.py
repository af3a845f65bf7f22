"""The duplicate search's index: one document per keyed hash (`_id`), listing the families
recorded with it.

Why a collection and not only the multikey index on `families.lookup`: the store that
runs here (mongo-java-server) serves unique indexes, `_id` above all, but scans the whole
collection for a normal index (measured: 66 ms a search at 8,000 families, 2 ms by `_id`,
flat); the duplicate search runs at every recording, at national scale. MongoDB would
serve both; this one serves both stores the same.

It may say more than the truth, never less: hashes are added before the family's own
write (a crash between leaves an entry for no family, or for a hash the family no longer
has after a rectification), so every answer is checked against the families' own
`lookup`. Erasure removes the family from its hashes before the family goes, and the
hashes that are left with no family.

A new family's hashes can be written by its duplicate search (`index_new`): a hash no
family has yet is inserted, listing it, and one that clashes is a known hash, the only
kind the search must then read. Its `add` then writes only what is left (the known hashes,
once the family is recorded); one not recorded is `unindex`ed.
"""

from collections.abc import Iterable, Sequence

from pymongo import UpdateOne
from pymongo.asynchronous.collection import AsyncCollection
from pymongo.asynchronous.database import AsyncDatabase

from entraide.intake.adapters.documents import Doc
from entraide.kit.bulk import inserted_but, written_but

BUILT = "~built"  # the marker of a finished build (never a hash: hashes are hex)
BUILD_BATCH = 1000
INDEXED_MAX = 10_000  # new families indexed by their search, not yet recorded (or dropped)


class LookupIndex:
    def __init__(self, db: AsyncDatabase[Doc], families: AsyncCollection[Doc]) -> None:
        self.entries: AsyncCollection[Doc] = db["family_lookup"]
        self.families = families
        self._indexed: dict[str, set[str]] = {}  # by `index_new`: family -> hashes listing it

    async def index_new(self, families: Sequence[tuple[str, Sequence[str]]]) -> set[str]:
        """List new families under the hashes no family has yet (one `insert_many`); the
        hashes that were already there (returned) are left for `add`, once recorded."""
        listed: dict[str, list[str]] = {}
        for family_id, hashes in families:
            for h in hashes:
                listed.setdefault(h, []).append(family_id)
        known = {d["_id"] for d in await self._insert_new(listed)}
        for family_id, hashes in families:
            if len(self._indexed) >= INDEXED_MAX:  # forgotten: `add` writes them again
                del self._indexed[next(iter(self._indexed))]
            self._indexed[family_id] = set(hashes) - known
        return known

    async def unindex(self, family_id: str) -> None:
        """A family `index_new` listed and that was not recorded leaves its hashes."""
        await self.remove(family_id, sorted(self._indexed.pop(family_id, ())))

    async def add(self, families: Iterable[tuple[str, Sequence[str]]]) -> None:
        """Each family under each of its hashes (idempotent). New hashes (most: another
        parent each time) are one `insert_many`; a hash already known gets the family
        added to its list (an upsert each, far slower here: a partner batch of 500
        families paid 1,500 of them)."""
        listed: dict[str, list[str]] = {}
        for family_id, hashes in families:
            done = self._indexed.pop(family_id, ())  # listed by its search
            for h in hashes:
                if h not in done:
                    listed.setdefault(h, []).append(family_id)
        known = await self._insert_new(listed)
        if not known:
            return
        ops = [  # upserts still: a hash erased meanwhile comes back
            UpdateOne(
                {"_id": d["_id"]},
                {"$addToSet": {"families": {"$each": d["families"]}}},
                upsert=True,
            )
            for d in known
        ]
        for _attempt in range(3):  # two first upserts of one hash at once: one clashes
            _, clashed = await written_but(self.entries, ops)
            if not clashed:
                return
            ops = [ops[n] for n in sorted(clashed)]
        raise RuntimeError("the duplicate-search index kept clashing on the same hashes")

    async def _insert_new(self, listed: dict[str, list[str]]) -> list[Doc]:
        """Each hash with its families as a new entry (one `insert_many`); the entries whose
        hash was already there (a duplicate key) are returned, not written."""
        if not listed:
            return []
        docs = [{"_id": h, "families": ids} for h, ids in listed.items()]
        return [docs[n] for n in sorted(await inserted_but(self.entries, docs))]

    async def candidates(self, hashes: Sequence[str], per_hash: int) -> dict[str, list[str]]:
        """Each hash's families (at most `per_hash` each), as the index knows them."""
        if not hashes:
            return {}
        docs = await self.entries.find({"_id": {"$in": list(hashes)}}).to_list()
        return {str(d["_id"]): list(d.get("families", []))[:per_hash] for d in docs}

    async def remove(self, family_id: str, hashes: Sequence[str]) -> None:
        """The family leaves its hashes; a hash left with no family goes."""
        if not hashes:
            return
        await self.entries.update_many(
            {"_id": {"$in": list(hashes)}}, {"$pull": {"families": family_id}}
        )
        await self.entries.delete_many({"_id": {"$in": list(hashes)}, "families": {"$size": 0}})

    async def build_once(self) -> None:
        """Index the families recorded before the index existed (once: a marker says it
        was done; replicas building at once write the same entries)."""
        if await self.entries.find_one({"_id": BUILT}) is not None:
            return
        batch: list[tuple[str, Sequence[str]]] = []
        async for doc in self.families.find({}, {"lookup": 1}):
            batch.append((str(doc["_id"]), list(doc.get("lookup") or [])))
            if len(batch) >= BUILD_BATCH:
                await self.add(batch)
                batch = []
        await self.add(batch)
        await self.entries.update_one({"_id": BUILT}, {"$set": {"done": True}}, upsert=True)
