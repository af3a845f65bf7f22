"""The observatory's own MongoDB store: the transient state behind the facts.

- `episodes`: open requests (with the family's reference: erasure deletes them, through
  the kit's `ReferencedDocuments`), deleted when the request closes;
- `suppliers`: offers' and volunteers' latest state (a volunteer's under `volunteer_ref`,
  so erasure deletes it too);
- `applicants`: open applications as last seen, under `volunteer_ref` (erasure
  deletes them);
- `pending_facts`: anonymous facts not yet written to the archive;
- `counted_cases`: the erasure cases already counted, without their subject;
- `parked`: a request's events read before the request itself (by family: erasable).
"""

import dataclasses
from collections.abc import AsyncIterator, Collection, Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

from pymongo import DeleteOne, InsertOne, ReplaceOne
from pymongo.asynchronous.collection import AsyncCollection
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import DuplicateKeyError

from entraide.contracts.catalog import spec_for_type
from entraide.observatory.domain.applications import Applicant
from entraide.observatory.domain.episodes import Episode
from entraide.observatory.domain.facts import Fact, FactKind
from entraide.observatory.domain.supply import Supplier, SupplierKind
from entraide.observatory.usecases.ports import SupplierId
from entraide.observatory.usecases.record import Incoming

Doc = dict[str, Any]


class MongoEpisodes:
    def __init__(self, db: AsyncDatabase[Doc]) -> None:
        self.docs = db["episodes"]

    async def ensure_indexes(self) -> None:
        await self.docs.create_index("family_ref")

    async def load(self, request_ids: Collection[str]) -> dict[str, Episode]:
        if not request_ids:
            return {}
        found = self.docs.find({"_id": {"$in": list(request_ids)}})
        return {doc["_id"]: _episode(doc) async for doc in found}

    async def save(self, changed: Mapping[str, Episode | None]) -> None:
        writes: list[Any] = [
            DeleteOne({"_id": rid})
            if episode is None
            else ReplaceOne({"_id": rid}, _doc(episode), upsert=True)
            for rid, episode in changed.items()
        ]
        if writes:
            await self.docs.bulk_write(writes, ordered=True)

    async def count(self) -> int:
        return await self.docs.count_documents({})


def _doc(episode: Episode) -> Doc:
    doc = dataclasses.asdict(episode)
    doc["needs"], doc["seen"] = list(episode.needs), list(episode.seen)
    doc["situations"] = list(episode.situations)
    return doc


def _episode(doc: Doc) -> Episode:
    values: dict[str, Any] = {
        f.name: doc.get(f.name) for f in dataclasses.fields(Episode) if f.name in doc
    }
    values["needs"], values["seen"] = tuple(doc["needs"]), tuple(doc.get("seen", ()))
    values["situations"] = tuple(doc.get("situations", ()))
    return Episode(**values)


class MongoSuppliers:
    """Offers keyed by offer id; volunteers by their reference (`volunteer_ref` field)."""

    def __init__(self, db: AsyncDatabase[Doc]) -> None:
        self.docs = db["suppliers"]

    async def ensure_indexes(self) -> None:
        await self.docs.create_index("volunteer_ref", sparse=True)

    async def load(self, ids: Collection[SupplierId]) -> dict[SupplierId, Supplier]:
        if not ids:
            return {}
        found = self.docs.find({"_id": {"$in": [_id(i) for i in ids]}})
        return {(s.kind, s.key): s async for doc in found if (s := _supplier(doc))}

    async def save(self, changed: Mapping[SupplierId, Supplier | None]) -> None:
        writes: list[Any] = []
        for sid, supplier in changed.items():
            if supplier is None:
                writes.append(DeleteOne({"_id": _id(sid)}))
                continue
            doc = dataclasses.asdict(supplier) | {"_id": _id(sid)}
            doc["kind"] = supplier.kind.value
            for name in ("departements", "needs", "months"):
                doc[name] = list(doc[name])
            if supplier.kind is SupplierKind.VOLUNTEER:
                doc["volunteer_ref"] = supplier.key
            writes.append(ReplaceOne({"_id": doc["_id"]}, doc, upsert=True))
        if writes:
            await self.docs.bulk_write(writes, ordered=True)

    async def every(self, size: int) -> AsyncIterator[list[Supplier]]:
        async for docs in _chunks(self.docs, {}, size):
            yield [s for doc in docs if (s := _supplier(doc))]


def _id(sid: SupplierId) -> str:
    return f"{sid[0].value}:{sid[1]}"


def _supplier(doc: Doc) -> Supplier:
    return Supplier(
        kind=SupplierKind(doc["kind"]),
        key=doc["key"],
        association=doc["association"],
        departements=tuple(doc["departements"]),
        needs=tuple(doc["needs"]),
        places=doc["places"],
        active=doc["active"],
        honorability_pending=doc["honorability_pending"],
        months=tuple(doc["months"]),
        approval_counted=doc.get("approval_counted", False),
    )


class MongoApplicants:
    """Applications by the volunteer's pseudonymous reference (`_id` and `volunteer_ref`)."""

    def __init__(self, db: AsyncDatabase[Doc]) -> None:
        self.docs = db["applicants"]

    async def ensure_indexes(self) -> None:
        await self.docs.create_index("status")

    async def load(self, refs: Collection[str]) -> dict[str, Applicant]:
        if not refs:
            return {}
        found = self.docs.find({"_id": {"$in": list(refs)}})
        return {doc["_id"]: _applicant(doc) async for doc in found}

    async def save(self, changed: Mapping[str, Applicant | None]) -> None:
        writes: list[Any] = []
        for ref, applicant in changed.items():
            if applicant is None:
                writes.append(DeleteOne({"_id": ref}))
                continue
            doc = dataclasses.asdict(applicant) | {"_id": ref, "needs": list(applicant.needs)}
            writes.append(ReplaceOne({"_id": ref}, doc, upsert=True))
        if writes:
            await self.docs.bulk_write(writes, ordered=True)

    async def open(self, size: int) -> AsyncIterator[list[Applicant]]:
        kept = {"status": {"$nin": ["declined", "left"]}}
        async for docs in _chunks(self.docs, kept, size):
            yield [_applicant(doc) for doc in docs]


async def _chunks(
    collection: AsyncCollection[Doc], query: Doc, size: int
) -> AsyncIterator[list[Doc]]:
    """The documents in `query`, `size` at a time: their ids through one cursor, each
    chunk read by `_id` as it is handed over, so the caller may write those it has read
    meanwhile and gets each as last written. (Not a page after the last id each time:
    the store here answers each by a scan and a sort of the collection, 7 s a walk at
    20,000 suppliers and growing as their square.)"""
    ids: list[Any] = []
    async for doc in collection.find(query, {"_id": 1}).batch_size(size):
        ids.append(doc["_id"])
        if len(ids) == size:
            if docs := await _by_id(collection, query, ids):
                yield docs
            ids = []
    if ids and (docs := await _by_id(collection, query, ids)):
        yield docs


async def _by_id(collection: AsyncCollection[Doc], query: Doc, ids: list[Any]) -> list[Doc]:
    """These documents, those still in `query`, in the order of their ids."""
    found = collection.find(query | {"_id": {"$in": ids}}, batch_size=len(ids) + 1)
    return await found.sort("_id", 1).to_list()


def _applicant(doc: Doc) -> Applicant:
    values = {f.name: doc[f.name] for f in dataclasses.fields(Applicant) if f.name in doc}
    return Applicant(**values | {"needs": tuple(doc["needs"])})


class MongoPendingFacts:
    def __init__(self, db: AsyncDatabase[Doc]) -> None:
        self.docs = db["pending_facts"]

    async def add(self, facts: Sequence[Fact]) -> None:
        if facts:
            docs = [
                dataclasses.asdict(f)
                | {"kind": f.kind.value, "needs": list(f.needs), "situations": list(f.situations)}
                for f in facts
            ]
            await self.docs.bulk_write([InsertOne(d) for d in docs], ordered=False)

    async def take(self, limit: int) -> tuple[list[Fact], object]:
        docs = await self.docs.find({}).sort("_id", 1).limit(limit).to_list()
        facts = [_fact(doc) for doc in docs]
        return facts, [doc["_id"] for doc in docs]

    async def forget(self, token: object) -> None:
        assert isinstance(token, list)
        if token:
            await self.docs.delete_many({"_id": {"$in": token}})

    async def count(self) -> int:
        return await self.docs.count_documents({})


def _fact(doc: Doc) -> Fact:
    values: dict[str, Any] = {
        f.name: doc[f.name] for f in dataclasses.fields(Fact) if f.name in doc
    }
    values["kind"], values["needs"] = FactKind(doc["kind"]), tuple(doc["needs"])
    values["situations"] = tuple(doc.get("situations", ()))
    return Fact(**values)


class MongoParked:
    """Events parked by request, under the family's reference (erasure deletes them)."""

    def __init__(self, db: AsyncDatabase[Doc]) -> None:
        self.docs = db["parked"]

    async def ensure_indexes(self) -> None:
        await self.docs.create_index("request_id")
        await self.docs.create_index("family_ref")

    async def park(self, request_id: str, family_ref: str, item: Incoming) -> None:
        doc = {
            "_id": item.event_id,
            "request_id": request_id,
            "family_ref": family_ref,
            "at": item.at,
            "type": item.data.EVENT_TYPE,
            "data": item.data.model_dump(mode="json"),
        }
        await self.docs.replace_one({"_id": item.event_id}, doc, upsert=True)

    async def take(self, request_ids: Collection[str]) -> list[Incoming]:
        query = {"request_id": {"$in": list(request_ids)}}
        docs = await self.docs.find(query).to_list()
        if docs:
            await self.docs.delete_many({"_id": {"$in": [d["_id"] for d in docs]}})
        found = []
        for doc in docs:
            spec = spec_for_type(doc["type"])
            if spec is not None:
                found.append(
                    Incoming(doc["_id"], doc["at"], spec.model.model_validate(doc["data"]))
                )
        return found

    async def prune(self, before: datetime) -> int:
        """Forget events whose request never opened (it closed before, or is too old)."""
        return (await self.docs.delete_many({"at": {"$lt": before}})).deleted_count


class MongoCountedCases:
    def __init__(self, db: AsyncDatabase[Doc]) -> None:
        self.docs = db["counted_cases"]

    async def first_time(self, case_id: str) -> bool:
        try:
            await self.docs.insert_one({"_id": case_id, "at": datetime.now(UTC)})
        except DuplicateKeyError:
            return False
        return True
