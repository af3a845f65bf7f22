"""Rights cases in MongoDB: the `cases` collection, and its outbox (a rectification the
officer closes carries its withdrawal to the owner: the kit's relay publishes it)."""

from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any

from pymongo import ASCENDING, DESCENDING
from pymongo.asynchronous.database import AsyncDatabase

from entraide.contracts.vocab import ErasureReason, SubjectKind
from entraide.kit.bulk import inserted_but
from entraide.kit.outbox import PENDING, outbox_entry
from entraide.privacy.adapters.commands import withdrawal
from entraide.privacy.domain.cases import Ack, Case, CaseKind, CaseStatus

Doc = dict[str, Any]
LIVE = [CaseStatus.OPEN.value, CaseStatus.ESCALATED.value]
COMMANDED = sorted(k.value for k in CaseKind)  # routed kinds with no owner have no sends
UNREAD = {"acks": 0, "outbox": 0}  # a list reads no sealed parts, no pending events


class MongoCases:
    """The `cases` collection (the `Cases` port)."""

    def __init__(self, db: AsyncDatabase[Doc]) -> None:
        self.cases = db["cases"]
        self.wake: Callable[[], None] = lambda: None  # the outbox relay's, once wired

    async def ensure_indexes(self) -> None:
        await self.cases.create_index([("outbox_pending", ASCENDING), ("lease_until", ASCENDING)])
        await self.cases.create_index([("status", ASCENDING), ("last_sent_at", ASCENDING)])
        await self.cases.create_index([("subject_ref", ASCENDING)])
        await self.cases.create_index([("opened_at", DESCENDING)])

    async def add(self, cases: Sequence[Case]) -> set[str]:
        if not cases:
            return set()
        return {
            cases[n].case_id for n in await inserted_but(self.cases, [to_doc(c) for c in cases])
        }

    async def get(self, case_id: str) -> Case | None:
        doc = await self.cases.find_one({"_id": case_id})
        return None if doc is None else to_case(doc)

    async def add_ack(self, case_id: str, ack: Ack) -> bool:
        entry = _ack_doc(ack)
        field = f"acks.{ack.service}"
        result = await self.cases.update_one(
            {"_id": case_id, "services": ack.service, field: {"$exists": False}},
            {"$set": {field: entry}},
        )
        return bool(result.modified_count)

    async def mark_rectified(self, case_id: str, done: Ack) -> bool:
        result = await self.cases.update_one(
            {
                "_id": case_id,
                "kind": CaseKind.RECTIFICATION.value,
                "status": {"$in": LIVE},
                "services": done.service,
                "rectified": {"$exists": False},
            },
            {"$set": {"rectified": _ack_doc(done) | {"service": done.service}}},
        )
        return bool(result.modified_count)

    async def mark_sent(self, case_id: str, at: datetime) -> None:
        await self.cases.update_one(
            {"_id": case_id}, {"$inc": {"sends": 1}, "$set": {"last_sent_at": at}}
        )

    async def escalate(self, case_id: str) -> None:
        await self.cases.update_one(
            {"_id": case_id}, {"$set": {"status": CaseStatus.ESCALATED.value}}
        )

    async def close(
        self,
        case_id: str,
        *,
        at: datetime,
        decision: str | None = None,
        withdraw: Case | None = None,
    ) -> bool:
        closing: Doc = {"status": CaseStatus.CLOSED.value, "closed_at": at}
        if decision is not None:
            closing["decision"] = decision
        update: Doc = {"$set": closing}
        if withdraw is not None:  # its owner told in the same write (nothing pending before)
            entry = outbox_entry(withdrawal(withdraw, decision or "closed", at))
            update = {"$set": closing | PENDING, "$push": {"outbox": entry}}
        result = await self.cases.update_one({"_id": case_id, "status": {"$in": LIVE}}, update)
        if result.modified_count and withdraw is not None:
            self.wake()
        return bool(result.modified_count)

    async def due(self, sent_before: datetime) -> list[Case]:
        query = {
            "status": {"$in": LIVE},
            "kind": {"$in": COMMANDED},
            "last_sent_at": {"$lte": sent_before},
        }
        return [to_case(d) for d in await self.cases.find(query).to_list()]

    async def recent(self, limit: int) -> list[Case]:
        """The latest cases with their acknowledgements' times and counts, not the sealed
        exports (heavy): a second read projects those fields of the services named."""
        cursor = self.cases.find({}, UNREAD).sort("opened_at", DESCENDING).limit(limit)
        docs = await cursor.to_list()
        named = sorted({s for d in docs for s in d.get("services", [])})
        if named:
            fields = {f"acks.{s}.{f}": 1 for s in named for f in ("at", "counts", "received_at")}
            found = self.cases.find({"_id": {"$in": [d["_id"] for d in docs]}}, fields)
            acks = {d["_id"]: d.get("acks") or {} async for d in found}
            for doc in docs:
                doc["acks"] = acks.get(doc["_id"], {})
        return [to_case(d) for d in docs]

    async def of_subject(self, subject_ref: str) -> list[Case]:
        docs = await self.cases.find({"subject_ref": subject_ref}, UNREAD).to_list()
        return [to_case(d) for d in docs]


def _ack_doc(ack: Ack) -> Doc:
    entry: Doc = {"at": ack.at, "received_at": ack.received_at, "counts": dict(ack.counts)}
    if ack.sealed_export is not None:
        entry["sealed_export"] = ack.sealed_export
    return entry


def to_doc(case: Case) -> Doc:
    doc: Doc = {
        "_id": case.case_id,
        "kind": case.kind.value,
        "subject_ref": case.subject_ref,
        "subject_kind": case.subject_kind.value,
        "opened_at": case.opened_at,
        "deadline": case.deadline,
        "services": list(case.services),
        "acks": {},
        "status": case.status.value,
        "sends": case.sends,
        "last_sent_at": case.last_sent_at,
        "reason": case.reason.value,
        "opened_by": case.opened_by,
    }
    if case.recipient_key is not None:
        doc["recipient_key"] = case.recipient_key
    return doc


def to_case(doc: Doc) -> Case:
    acks = {
        s: Ack(s, a["at"], a.get("counts", {}), a.get("sealed_export"), a.get("received_at"))
        for s, a in (doc.get("acks") or {}).items()
    }
    return Case(
        doc["_id"],
        CaseKind(doc["kind"]),
        doc["subject_ref"],
        SubjectKind(doc["subject_kind"]),
        doc["opened_at"],
        doc["deadline"],
        tuple(doc["services"]),
        acks,
        CaseStatus(doc["status"]),
        doc.get("sends", 0),
        doc.get("last_sent_at"),
        ErasureReason(doc.get("reason", ErasureReason.RIGHTS_REQUEST)),
        doc.get("recipient_key"),
        doc.get("decision"),
        doc.get("closed_at"),
        _rectified(doc.get("rectified")),
        doc.get("opened_by"),
    )


def _rectified(done: Doc | None) -> Ack | None:
    if done is None:
        return None
    counts = done.get("counts") or {}  # erased instead of corrected, if it was
    return Ack(done["service"], done["at"], counts, None, done["received_at"])
