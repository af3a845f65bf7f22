"""Matching's read model of requests, kept by versioned upserts."""

from typing import Any

from pymongo import UpdateOne
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import DuplicateKeyError

from entraide.kit.bulk import written_but
from entraide.matching.usecases.ports import Applied

Doc = dict[str, Any]


class RequestViews:
    """Requests as matching sees them: pseudonymous, coarse, latest revision wins."""

    def __init__(self, db: AsyncDatabase[Doc]) -> None:
        self.collection = db["requests"]

    async def ensure_indexes(self) -> None:
        await self.collection.create_index("family_ref")
        await self.collection.create_index([("departement", 1), ("status", 1)])

    async def upsert(self, request_id: str, view: Doc) -> Applied | None:
        """Apply a newer revision; None when the stored one is as new (a redelivery).

        A new request is one insert (fast everywhere); a known one is replaced only if the
        revision is newer, the check being part of the write itself, so two deliveries
        racing on two replicas cannot both apply."""
        try:
            await self.collection.insert_one({"_id": request_id, **view})
            return Applied.NEW
        except DuplicateKeyError:
            pass
        try:
            result = await self.collection.update_one(
                {"_id": request_id, "revision": {"$lt": view["revision"]}},
                {"$set": view},
                upsert=True,
            )
        except DuplicateKeyError:  # the document exists with this revision or a later one
            return None
        applied = result.upserted_id is not None or result.modified_count
        return Applied.NEWER if applied else None

    async def upsert_many(self, changes: list[tuple[str, Doc]]) -> list[Applied | None]:
        """`upsert` for a batch, in its order: what each change did. One bulk write per
        round, a round taking each request's next change, so a request's changes apply
        one after the other (most batches are one round); each write keeps the revision
        guard in its filter (a stale one fails as a duplicate: it applies nothing)."""
        applied: list[Applied | None] = [None] * len(changes)
        rounds: list[list[int]] = []
        seen: dict[str, int] = {}
        for i, (request_id, _) in enumerate(changes):
            n = seen[request_id] = seen.get(request_id, -1) + 1
            if n == len(rounds):
                rounds.append([])
            rounds[n].append(i)
        for round_ in rounds:
            ops = [
                UpdateOne(
                    {"_id": changes[i][0], "revision": {"$lt": changes[i][1]["revision"]}},
                    {"$set": changes[i][1]},
                    upsert=True,
                )
                for i in round_
            ]
            new, stale = await written_but(self.collection, ops)
            for n, i in enumerate(round_):
                if n not in stale:
                    applied[i] = Applied.NEW if n in new else Applied.NEWER
        return applied

    async def get(self, request_id: str) -> Doc | None:
        return await self.collection.find_one({"_id": request_id})

    async def open_ids(self) -> set[str]:
        """The open requests whose family consented to matching."""
        query = {"status": "open", "consent_to_matching": True}
        return {r["_id"] async for r in self.collection.find(query, {"_id": 1})}

    async def many(self, request_ids: list[str]) -> dict[str, Doc]:
        """Several requests by id (for the coordinators' lists)."""
        found = self.collection.find({"_id": {"$in": request_ids}})
        return {doc["_id"]: doc async for doc in found}
