"""The unit of work on MongoDB: a family and the events it queued in one document write,
then the outbox relay woken so they are published at once."""

from collections.abc import Callable

from pymongo.errors import BulkWriteError, DuplicateKeyError, OperationFailure

from entraide.intake.adapters.documents import NOT_REWRITTEN, Doc, document_of, with_outbox
from entraide.intake.adapters.family_store import FamilyStore
from entraide.intake.domain.family import ConflictError, Family
from entraide.kit.bulk import DUPLICATE_KEY, inserted_but
from entraide.kit.coalesce import Coalesced
from entraide.kit.outbox import NEVER, OutboxRelay, outbox_entry


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
        await self.families.lookup.add(
            (f.id, f.lookup) for f in families
        )  # before: see lookup_index

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
        clashed = {docs[n]["_id"] for n in await inserted_but(self.families.families, docs)}
        if clashed - await self.families.known(list(clashed)):  # a clash on another key
            raise RuntimeError("a new family clashed with a stored one on a unique key")
        return [doc["_id"] for doc in docs if doc["_id"] not in clashed]

    async def add(self, family: Family) -> Family:
        """A new family (a resend of a stored one: the stored one); the adds of the same
        turn are one `insert_many` (`_add_batch`)."""
        return await self._add(family)

    async def _add_batch(self, families: list[Family]) -> list[Family | Exception]:
        docs = [with_outbox(document_of(f), f.events) for f in families]
        await self.families.lookup.add(
            (f.id, f.lookup) for f in families
        )  # before: see lookup_index
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
        if family.rectified:  # privacy's cases acted on: their flags go in the same write,
            # and they are noted done (a command for one delivered again flags nothing)
            update["$pullAll"] = {"rectifications": family.rectified}
            update["$addToSet"] = {"rectifications_done": {"$each": family.rectified}}
        guard = {"version": family.version} if family.version else {"version": {"$exists": False}}
        await self.families.lookup.add([(family.id, family.lookup)])  # a rectified name's
        result = await self.families.families.update_one({"_id": family.id, **guard}, update)
        if result.modified_count != 1:
            raise ConflictError(family.id)
        self._written(family, version=family.version + 1)

    def _written(self, family: Family, *, version: int) -> None:
        family.version = version
        if family.rectified:
            family.rectifications = [c for c in family.rectifications if c not in family.rectified]
            new = [c for c in family.rectified if c not in family.rectifications_done]
            family.rectifications_done = [*family.rectifications_done, *new]
            family.rectified = []
        if family.events:
            family.events.clear()
            self.wake()
