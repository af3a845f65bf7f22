"""Intake's MongoDB adapter: one document per family, its requests and its outbox.

The only module that knows how a family looks as a document and how the access rule
reads as a query. A family's state change and the events it causes are written in one
document write (the outbox), so neither can exist without the other. Every write that
appends events also resets the relay's lease (`lease_owner: None`, `lease_until: NEVER`):
the relay then never marks as sent an event it has not read.
"""

from collections.abc import Callable
from dataclasses import asdict
from datetime import datetime
from typing import Any

from pydantic import TypeAdapter
from pymongo import ASCENDING, DESCENDING, UpdateOne
from pymongo.asynchronous.collection import AsyncCollection
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import BulkWriteError, DuplicateKeyError, OperationFailure

from entraide.contracts import CloudEvent
from entraide.contracts.events import Slot
from entraide.contracts.vocab import ContactChannel, Need, RequestChannel, Urgency, WithdrawalReason
from entraide.intake.access import Scope
from entraide.intake.domain import Sign
from entraide.intake.model import (
    ConflictError,
    Consent,
    Contact,
    Family,
    FamilySummary,
    MatchStep,
    Request,
    RequestSummary,
    Sharing,
)
from entraide.kit.coalesce import Coalesced
from entraide.kit.outbox import NEVER, OutboxRelay, outbox_entry

Doc = dict[str, Any]
DUPLICATE_KEY = 11000
# What a list shows: no identity, outbox, contacts or notes.
SUMMARY = {"identity": 0, "lookup": 0, "outbox": 0, "contacts": 0, "requests.notes": 0}
# What the unit of work never overwrites: what changes without a version (`share`,
# `note_step`, `flag_rectification`: matching's and privacy's events)
NOT_REWRITTEN = ("_id", "shared_with", "orientation", "rectifications", "version")
SHARING = {"_id": 1, "consent.sharing": 1, "shared_with": 1}
_TIME = TypeAdapter(datetime)


class FamilyStore:
    """The families (`ports.Families`) in the `families` collection."""

    def __init__(self, db: AsyncDatabase[Doc]) -> None:
        self.families: AsyncCollection[Doc] = db["families"]

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

    async def note_steps(self, steps: list[tuple[str, MatchStep]]) -> int:
        ops = [
            UpdateOne(
                {"family_ref": ref, "orientation.event_id": {"$ne": step.event_id}},
                {"$push": {"orientation": _step_document(step)}},
            )
            for ref, step in steps
        ]
        result = await self.families.bulk_write(ops, ordered=True)  # one family's in order
        return result.modified_count

    async def flag_rectification(self, family_ref: str, case_id: str) -> str | None:
        found = await self.families.find_one_and_update(
            {"family_ref": family_ref},
            {"$addToSet": {"rectifications": case_id}},
            projection={"_id": 1},
        )
        return None if found is None else str(found["_id"])

    async def delete(self, family_id: str) -> int:
        return (await self.families.delete_one({"_id": family_id})).deleted_count

    async def similar(self, lookup: list[str], limit: int = 20) -> list[FamilySummary]:
        cursor = self.families.find({"lookup": {"$in": lookup}}, SUMMARY).limit(limit)
        return [summary_of(doc) for doc in await cursor.to_list()]

    async def summaries(self, family_ids: list[str]) -> list[FamilySummary]:
        cursor = self.families.find({"_id": {"$in": family_ids}}, SUMMARY)
        return [summary_of(doc) for doc in await cursor.to_list()]

    async def lookups(self, lookup: list[str], limit: int = 500) -> dict[str, list[str]]:
        cursor = self.families.find({"lookup": {"$in": lookup}}, {"lookup": 1}).limit(limit)
        return {doc["_id"]: list(doc.get("lookup", [])) for doc in await cursor.to_list()}

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


class MongoUnitOfWork:
    """`ports.UnitOfWork`: one document write per family and its events, then the outbox
    relay is woken so they are published at once; a batch of new families is one write
    whose events are published by the writer itself (`OutboxRelay.write_many_at_once`)."""

    def __init__(self, families: FamilyStore, relay: OutboxRelay) -> None:
        self.families = families
        self.relay = relay
        self.wake: Callable[[], None] = relay.wake
        self._add = Coalesced(self._add_batch)

    async def add_many(self, families: list[Family]) -> list[Family]:
        by_id = {family.id: family for family in families}
        entries = {family.id: [outbox_entry(e) for e in family.events] for family in families}

        async def write(leased: dict[str, Doc]) -> list[str]:
            docs = [document_of(f) | leased[f.id] | {"version": 1} for f in by_id.values()]
            return await self._insert_new(docs)

        stored = [
            by_id[family_id] for family_id in await self.relay.write_many_at_once(entries, write)
        ]
        for family in stored:
            family.version = 1
            family.events.clear()
        return stored

    async def _insert_new(self, docs: list[Doc]) -> list[str]:
        """Insert the documents in one write; the ids it stored (a clash on an id stored
        meanwhile, by another replica, means already recorded)."""
        try:
            await self.families.families.insert_many(docs, ordered=False)
            return [doc["_id"] for doc in docs]
        except BulkWriteError as exc:
            errors = exc.details.get("writeErrors", [])
            if any(e.get("code") != DUPLICATE_KEY for e in errors):
                raise
            clashed = [docs[e["index"]]["_id"] for e in errors]
        if set(clashed) - await self.families.known(clashed):  # a clash on another key
            raise RuntimeError("a new family clashed with a stored one on a unique key")
        return [doc["_id"] for doc in docs if doc["_id"] not in set(clashed)]

    async def add(self, family: Family) -> Family:
        """A new family (a resend of a stored one: the stored one); the adds of the same
        turn are one `insert_many` (`_add_batch`)."""
        return await self._add(family)

    async def _add_batch(self, families: list[Family]) -> list[Family | Exception]:
        docs = [with_outbox(document_of(f), f.events) for f in families]
        try:
            await self.families.families.insert_many(docs, ordered=False)
            failed: dict[int, Doc] = {}
        except BulkWriteError as exc:
            failed = {e["index"]: e for e in exc.details.get("writeErrors", [])}
        answers: list[Family | Exception] = []
        for i, family in enumerate(families):
            error = failed.get(i)
            if error is None:
                self._written(family, version=1)
                answers.append(family)
            elif error.get("code") != DUPLICATE_KEY:
                answers.append(OperationFailure(error.get("errmsg", ""), error.get("code")))
            elif (existing := await self.families.get(family.id)) is not None:
                answers.append(existing)  # the same family again
            else:  # the clash was not on this id: a real error
                answers.append(DuplicateKeyError(error.get("errmsg", ""), DUPLICATE_KEY))
        return answers

    async def commit(self, family: Family) -> None:
        doc = document_of(family)
        update: Doc = {
            "$set": {k: v for k, v in doc.items() if k not in NOT_REWRITTEN}
            | {"version": family.version + 1}
        }
        if family.events:
            update["$set"] |= {"outbox_pending": True, "lease_until": NEVER, "lease_owner": None}
            update["$push"] = {"outbox": {"$each": [outbox_entry(e) for e in family.events]}}
        guard = {"version": family.version} if family.version else {"version": {"$exists": False}}
        result = await self.families.families.update_one({"_id": family.id, **guard}, update)
        if result.modified_count != 1:
            raise ConflictError(family.id)
        self._written(family, version=family.version + 1)

    def _written(self, family: Family, *, version: int) -> None:
        family.version = version
        if family.events:
            family.events.clear()
            self.wake()


def family_document(family: Doc, request: Doc, events: list[CloudEvent[Any]]) -> Doc:
    """A new family's document: identity, first request, and its outbox, unleased."""
    return with_outbox({**family, "requests": [request]}, events)


def with_outbox(doc: Doc, events: list[CloudEvent[Any]]) -> Doc:
    """A new document with its events pending, unleased, at its first version."""
    return {
        **doc,
        "outbox": [outbox_entry(e) for e in events],
        "outbox_pending": bool(events),
        "lease_until": NEVER,
        "lease_owner": None,
        "version": 1,
    }


def scope_filter(scope: Scope) -> Doc:
    """`Scope.admits` as a query."""
    query: Doc = {}
    if scope.departements:
        query["departement"] = {"$in": sorted(scope.departements)}
    if scope.network_wide:
        return query
    if scope.association_id is None:
        return {"_id": {"$in": []}}  # no association, not network-wide: nothing
    query["$or"] = [{"association_id": scope.association_id}, {"shared_with": scope.association_id}]
    return query


def document_of(family: Family) -> Doc:
    c = family.consent
    return {
        "_id": family.id,
        "family_ref": family.family_ref,
        "association_id": family.association_id,
        "departement": family.departement,
        "identity": family.identity,
        "lookup": family.lookup,
        "possible_duplicates": family.possible_duplicates,
        "contacts": [
            {"at": x.at, "channel": x.channel.value, "by": x.by, "by_name": x.by_name}
            | {"note": x.note}
            for x in family.contacts
        ],
        "children": [{"birth_year": year} for year in family.children_birth_years],
        "postal_code": family.postal_code,
        "languages": family.languages,
        "consent": {"matching": c.matching, "sharing": c.sharing, "collected_by": c.collected_by}
        | {"collected_at": _TIME.dump_python(c.collected_at, mode="json")},
        "created_at": family.created_at,
        "last_contact_at": family.last_contact_at,
        "requests": [_request_document(r) for r in family.requests],
        "shared_with": family.shared_with,
        "orientation": [_step_document(step) for step in family.orientation],
        "rectifications": family.rectifications,
        "version": family.version,
    }


def _step_document(step: MatchStep) -> Doc:
    return {k: v for k, v in asdict(step).items() if v is not None}


def _step_of(doc: Doc) -> MatchStep:
    return MatchStep(**{k: v for k, v in doc.items() if k in MatchStep.__dataclass_fields__})


def _request_document(r: Request) -> Doc:
    doc: Doc = {
        "request_id": r.request_id,
        "status": r.status,
        "revision": r.revision,
        "needs": [n.value for n in r.needs],
        "availability": [s.model_dump(mode="json") for s in r.availability],
        "signs": [s.value for s in r.signs],
        "urgency": r.urgency.value,
        "notes": r.notes,
        "association_id": r.association_id,
        "channel": r.channel.value,
        "submitted_at": r.submitted_at,
        "recorded_by": r.recorded_by,
    }
    if r.updated_at is not None:
        doc["updated_at"] = r.updated_at
    if r.withdrawn_at is not None:
        doc["withdrawn_at"] = r.withdrawn_at
    if r.withdrawal_reason is not None:
        doc["withdrawal_reason"] = r.withdrawal_reason.value
    return doc


def family_of(doc: Doc) -> Family:
    consent = doc["consent"]
    return Family(
        id=doc["_id"],
        family_ref=doc["family_ref"],
        association_id=doc.get("association_id"),
        departement=doc.get("departement", ""),
        identity=doc["identity"],
        lookup=doc.get("lookup", []),
        children_birth_years=[c["birth_year"] for c in doc.get("children", [])],
        postal_code=doc["postal_code"],
        languages=doc.get("languages", []),
        consent=Consent(
            matching=consent["matching"],
            sharing=consent.get("sharing", False),
            collected_by=consent["collected_by"],
            collected_at=datetime.fromisoformat(consent["collected_at"]),
        ),
        created_at=doc["created_at"],
        last_contact_at=doc["last_contact_at"],
        requests=[_request_of(r) for r in doc.get("requests", [])],
        contacts=[
            Contact(
                at=c["at"],
                channel=ContactChannel(c["channel"]),
                by=c["by"],
                by_name=c.get("by_name"),
                note=c["note"],
            )
            for c in doc.get("contacts", [])
        ],
        possible_duplicates=doc.get("possible_duplicates", []),
        shared_with=doc.get("shared_with", []),
        orientation=[_step_of(step) for step in doc.get("orientation", [])],
        rectifications=doc.get("rectifications", []),
        version=doc.get("version", 0),
    )


def _request_of(r: Doc) -> Request:
    reason = r.get("withdrawal_reason")
    return Request(
        request_id=r["request_id"],
        status=r["status"],
        revision=r["revision"],
        needs=[Need(n) for n in r["needs"]],
        availability=[Slot.model_validate(s) for s in r.get("availability", [])],
        signs=[Sign(s) for s in r.get("signs", [])],
        urgency=Urgency(r["urgency"]),
        notes=r["notes"],
        association_id=r.get("association_id"),
        channel=RequestChannel(r["channel"]),
        submitted_at=r["submitted_at"],
        recorded_by=r.get("recorded_by"),
        updated_at=r.get("updated_at"),
        withdrawn_at=r.get("withdrawn_at"),
        withdrawal_reason=None if reason is None else WithdrawalReason(reason),
    )


def summary_of(doc: Doc) -> FamilySummary:
    steps = [_step_of(step) for step in doc.get("orientation", [])]
    return FamilySummary(
        id=doc["_id"],
        association_id=doc.get("association_id"),
        departement=doc.get("departement", ""),
        created_at=doc["created_at"],
        shared_with=doc.get("shared_with", []),
        requests=[
            RequestSummary(
                r["request_id"],
                r["status"],
                [Need(n) for n in r["needs"]],
                Urgency(r["urgency"]),
                _latest_state(steps, r["request_id"]),
            )
            for r in doc.get("requests", [])
        ],
        postal_code=doc.get("postal_code", ""),
        children_birth_years=tuple(doc.get("children_birth_years", ())),
    )


def _latest_state(steps: list[MatchStep], request_id: str) -> str | None:
    mine = [s for s in steps if s.request_id == request_id]
    return max(mine, key=lambda s: s.at).state if mine else None
