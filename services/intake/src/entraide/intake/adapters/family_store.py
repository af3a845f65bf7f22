"""Intake's MongoDB store of families: one document per family, its requests, its
contacts and its outbox (`documents` knows their shape).

A family's state change and the events it causes are written in one document write (the
outbox, `unit_of_work`), so neither can exist without the other. Every write that appends
events also resets the relay's lease (`lease_owner: None`, `lease_until: NEVER`): the relay
then never marks as sent an event it has not read.
"""

from pymongo import ASCENDING, DESCENDING, UpdateOne
from pymongo.asynchronous.collection import AsyncCollection
from pymongo.asynchronous.database import AsyncDatabase

from entraide.intake.adapters.documents import (
    SHARING,
    SUMMARY,
    Doc,
    family_of,
    scope_filter,
    step_document,
    summary_of,
)
from entraide.intake.adapters.lookup_index import LookupIndex
from entraide.intake.domain.access import Scope
from entraide.intake.domain.family import Family, FamilySummary, MatchStep, Sharing
from entraide.kit.coalesce import Coalesced
from entraide.kit.retired_indexes import drop_retired

# A summary and the lookup hashes it was found by (to give each caller of a batch its own)
SUMMARY_AND_LOOKUP = {k: v for k, v in SUMMARY.items() if k != "lookup"}
RETIRED = ("_id_1_lease_owner_1",)  # the marks' (d167e67: served by the _id index)


class FamilyStore:
    """The families (`ports.Families`) in the `families` collection."""

    def __init__(self, db: AsyncDatabase[Doc]) -> None:
        self.families: AsyncCollection[Doc] = db["families"]
        self.lookup = LookupIndex(db, self.families)
        self._similar = Coalesced(self._similar_batch)

    async def ensure_indexes(self) -> None:
        await self.families.create_index([("requests.request_id", ASCENDING)])
        await self.families.create_index([("family_ref", ASCENDING)], unique=True)
        await self.families.create_index(
            [("outbox_pending", ASCENDING), ("lease_until", ASCENDING)]
        )
        await self.families.create_index([("lookup", ASCENDING)])
        await self.lookup.build_once()
        await self.families.create_index(
            [("departement", ASCENDING), ("association_id", ASCENDING), ("created_at", DESCENDING)]
        )
        await drop_retired(self.families, RETIRED)

    async def get(self, family_id: str) -> Family | None:
        doc = await self.families.find_one({"_id": family_id}, {"outbox": 0})
        return None if doc is None else family_of(doc)

    async def by_ref(self, family_ref: str) -> Family | None:
        doc = await self.families.find_one({"family_ref": family_ref}, {"outbox": 0})
        return None if doc is None else family_of(doc)

    async def known(self, family_ids: list[str]) -> set[str]:
        if not family_ids:
            return set()
        cursor = self.families.find({"_id": {"$in": family_ids}}, {"_id": 1})
        return {doc["_id"] async for doc in cursor}

    async def refs(self, family_ids: list[str]) -> dict[str, str]:
        if not family_ids:
            return {}
        cursor = self.families.find({"_id": {"$in": family_ids}}, {"family_ref": 1})
        return {doc["_id"]: doc["family_ref"] async for doc in cursor}

    async def note_steps(self, steps: list[tuple[str, MatchStep]]) -> int:
        ops = [
            UpdateOne(
                {"family_ref": ref, "orientation.event_id": {"$ne": step.event_id}},
                {"$push": {"orientation": step_document(step)}},
            )
            for ref, step in steps
        ]
        result = await self.families.bulk_write(ops, ordered=True)  # one family's in order
        return result.modified_count

    async def flag_rectification(self, family_ref: str, case_id: str) -> str | None:
        """One atomic update, guarded by the cases done: the write that notes a case done
        takes its flag off, so a command delivered after it finds nothing to flag."""
        found = await self.families.find_one_and_update(
            {"family_ref": family_ref, "rectifications_done": {"$ne": case_id}},
            {"$addToSet": {"rectifications": case_id}},
            projection={"_id": 1},
        )
        if found is None:  # no such family, or the case is done already
            found = await self.families.find_one({"family_ref": family_ref}, {"_id": 1})
        return None if found is None else str(found["_id"])

    async def withdraw_rectification(self, family_ref: str, case_id: str) -> bool:
        """The flag off and the case noted done, in one update (a command delivered later
        flags nothing); whether the record carried the flag."""
        found = await self.families.find_one_and_update(
            {"family_ref": family_ref},
            {"$pull": {"rectifications": case_id}, "$addToSet": {"rectifications_done": case_id}},
            projection={"rectifications": 1},
        )
        return found is not None and case_id in (found.get("rectifications") or [])

    async def delete(self, family_id: str) -> int:
        """The family leaves the duplicate-search index first (a crash between: done
        again at the next try), then goes."""
        doc = await self.families.find_one({"_id": family_id}, {"lookup": 1})
        if doc is not None:
            await self.lookup.remove(family_id, doc.get("lookup") or [])
        return (await self.families.delete_one({"_id": family_id})).deleted_count

    async def similar(
        self, lookup: list[str], limit: int = 20, *, indexing: str | None = None
    ) -> list[FamilySummary]:
        """The searches of the same turn of the loop (desks recording at once) are one
        pass through the index and one read of the families (`_similar_batch`); those
        `indexing` a new family first list it under its hashes (`LookupIndex.index_new`):
        a hash no family had finds nothing, so only known hashes are read."""
        return await self._similar((tuple(lookup), limit, indexing))

    async def unindex(self, family_id: str) -> None:
        await self.lookup.unindex(family_id)

    async def _similar_batch(
        self, asks: list[tuple[tuple[str, ...], int, str | None]]
    ) -> list[list[FamilySummary] | Exception]:
        """Each search answered with the families its own hashes find (at most its limit),
        each family checked against its own hashes (the index may say more)."""
        new = [(family_id, lookup) for lookup, _, family_id in asks if family_id is not None]
        known = await self.lookup.index_new(new)
        searched = [h for lookup, _, new_id in asks for h in lookup if new_id is None or h in known]
        found = await self._found(searched, SUMMARY_AND_LOOKUP)
        answers: list[list[FamilySummary] | Exception] = []
        for lookup, limit, _ in asks:
            wanted = set(lookup)
            mine = [doc for doc in found if wanted.intersection(doc.get("lookup", ()))]
            answers.append([summary_of(doc) for doc in mine[:limit]])
        return answers

    async def _found(self, hashes: list[str], projection: Doc, per_hash: int = 50) -> list[Doc]:
        """The families the index lists under these hashes that still have one of them,
        in the order they were recorded under each hash."""
        listed = await self.lookup.candidates(sorted(set(hashes)), per_hash)
        ids = list(dict.fromkeys(i for h in hashes for i in listed.get(h, ())))
        if not ids:
            return []
        docs = {
            d["_id"]: d
            for d in await self.families.find({"_id": {"$in": ids}}, projection).to_list()
        }
        searched = set(hashes)
        return [
            docs[i] for i in ids if i in docs and searched.intersection(docs[i].get("lookup", ()))
        ]

    async def summaries(self, family_ids: list[str]) -> list[FamilySummary]:
        cursor = self.families.find({"_id": {"$in": family_ids}}, SUMMARY)
        return [summary_of(doc) for doc in await cursor.to_list()]

    async def lookups(self, lookup: list[str], limit: int = 500) -> dict[str, list[str]]:
        found = await self._found(lookup, {"lookup": 1})
        return {doc["_id"]: list(doc.get("lookup", [])) for doc in found[:limit]}

    async def recent(self, scope: Scope, limit: int = 50) -> list[FamilySummary]:
        cursor = self.families.find(scope_filter(scope), SUMMARY).sort("created_at", DESCENDING)
        return [summary_of(doc) for doc in await cursor.limit(limit).to_list()]

    async def share(
        self, family_ref: str, association_id: str, *, shared: bool, override: bool = False
    ) -> Sharing | None:
        op = "$addToSet" if shared else "$pull"
        query: Doc = {"family_ref": family_ref}
        if shared and not override:
            query["consent.sharing"] = True
        before = await self.families.find_one_and_update(  # the change and what it found
            query, {op: {"shared_with": association_id}}, projection=SHARING
        )
        if before is None and query.get("consent.sharing"):  # no consent, or no family
            before = await self.families.find_one({"family_ref": family_ref}, SHARING)
            if before is not None:
                return Sharing(before["_id"], bool(before["consent"].get("sharing")), False)
        if before is None:
            return None
        was_shared = association_id in before.get("shared_with", [])
        consented = bool(before["consent"].get("sharing"))
        return Sharing(before["_id"], consented, changed=was_shared is not shared)
