"""Rights cases: open one, command every service, collect acknowledgements, retry, close.

Erasure and access cases are commands on `entraide.privacy.commands.v1`; every service
(privacy included) acknowledges on `entraide.privacy.acks.v1`. The watchdog resends to
silent services and escalates; an erasure case closes once all have answered, and privacy
then destroys every key of the subject. Rectification and objection are routed to the
owning service's pages and closed by the data-protection officer with a decision.
"""

import asyncio
import logging
import uuid
from collections.abc import Callable, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

from faststream.kafka import KafkaBroker
from pymongo import ASCENDING, DESCENDING
from pymongo.asynchronous.database import AsyncDatabase

from entraide.contracts import new_event
from entraide.contracts.envelope import CONTENT_TYPE
from entraide.contracts.events import (
    AccessAcknowledged,
    AccessRequested,
    ErasureAcknowledged,
    ErasureRequested,
    PrivacyAck,
)
from entraide.contracts.kit.export_seal import new_recipient, open_sealed
from entraide.contracts.topics import PRIVACY_COMMANDS
from entraide.contracts.vocab import ErasureReason, SubjectKind
from entraide.privacy import domain
from entraide.privacy.audit import AuditTrail
from entraide.privacy.domain import Ack, Case, CaseKind, CaseStatus
from entraide.privacy.vault import KeyVault

log = logging.getLogger(__name__)
Doc = dict[str, Any]
SOURCE = "/entraide/privacy"
LIVE = [CaseStatus.OPEN.value, CaseStatus.ESCALATED.value]


def utcnow() -> datetime:
    return datetime.now(UTC)


def to_case(doc: Doc) -> Case:
    acks = {s: Ack(s, a["at"], a.get("counts", {})) for s, a in (doc.get("acks") or {}).items()}
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
    )


class Rights:
    """The `cases` collection and what moves a case."""

    def __init__(
        self,
        db: AsyncDatabase[Doc],
        broker: KafkaBroker,
        vault: KeyVault,
        audit: AuditTrail,
        *,
        services: Sequence[str],
        retry_after: timedelta,
        escalate_after: int,
        clock: Callable[[], datetime] = utcnow,
        commands_topic: str = PRIVACY_COMMANDS.name,
    ) -> None:
        self.cases = db["cases"]
        self.commands_topic = commands_topic
        self.broker, self.vault, self.audit = broker, vault, audit
        self.services = tuple(services)
        self.retry_after, self.escalate_after, self.clock = retry_after, escalate_after, clock

    async def ensure_indexes(self) -> None:
        await self.cases.create_index([("status", ASCENDING), ("last_sent_at", ASCENDING)])
        await self.cases.create_index([("subject_ref", ASCENDING)])
        await self.cases.create_index([("opened_at", DESCENDING)])

    async def open(
        self,
        kind: CaseKind,
        subject_ref: str,
        subject_kind: SubjectKind,
        *,
        actor: str,
        reason: ErasureReason = ErasureReason.RIGHTS_REQUEST,
    ) -> Doc:
        """Open a case and, for erasure and access, send its command to every service."""
        docs = await self.open_many(kind, [(subject_ref, subject_kind)], actor=actor, reason=reason)
        return docs[0]

    async def open_many(
        self,
        kind: CaseKind,
        subjects: Sequence[tuple[str, SubjectKind]],
        *,
        actor: str,
        reason: ErasureReason = ErasureReason.RIGHTS_REQUEST,
    ) -> list[Doc]:
        """Open one case per subject in a few writes (the retention sweep's batches)."""
        now = self.clock()
        docs = []
        for ref, subject_kind in subjects:
            case = domain.open_case(
                uuid.uuid4().hex, kind, ref, subject_kind, now=now, services=self.services
            )
            doc = self._doc(domain.sent(case, now) if kind in domain.COMMANDED else case)
            doc["reason"] = reason.value
            if kind == CaseKind.ACCESS:
                private, doc["recipient_key"] = new_recipient()
                await self.vault.get_or_create(
                    "privacy",
                    f"case-{case.case_id}",
                    subject_ref=ref,
                    subject_kind=subject_kind.value,
                    material=private,
                )
            docs.append(doc)
        await self.cases.insert_many(docs)
        await self.audit.record_many(
            [
                {"at": now, "case_id": d["_id"], "action": "case-opened", "actor": actor}
                | {"kind": kind.value, "reason": reason.value}
                for d in docs
            ]
        )
        if kind in domain.COMMANDED:
            await self._publish(docs)
        return docs

    async def record_ack(self, ack: PrivacyAck) -> bool:
        """Note a service's acknowledgement (the first counts); close the case if complete."""
        entry: Doc = {"at": ack.completed_at, "received_at": self.clock()}
        if isinstance(ack, ErasureAcknowledged):
            entry["counts"] = ack.counts
        if isinstance(ack, AccessAcknowledged):
            entry["sealed_export"] = ack.sealed_export
        field = f"acks.{ack.service}"
        result = await self.cases.update_one(
            {"_id": ack.case_id, "services": ack.service, field: {"$exists": False}},
            {"$set": {field: entry}},
        )
        if not result.modified_count:
            return False
        counts = entry.get("counts", {})
        await self.audit.record(
            ack.case_id, "ack-received", actor=ack.service, service=ack.service, counts=counts
        )
        await self.close_if_complete(ack.case_id)
        return True

    async def close_if_complete(self, case_id: str) -> bool:
        doc = await self.cases.find_one({"_id": case_id})
        if doc is None or doc["status"] == CaseStatus.CLOSED or not domain.complete(to_case(doc)):
            return False
        destroyed = 0
        if doc["kind"] == CaseKind.ERASURE:
            destroyed = await self.vault.destroy_subject(doc["subject_ref"])
        result = await self.cases.update_one(
            {"_id": case_id, "status": {"$in": LIVE}},
            {"$set": {"status": CaseStatus.CLOSED.value, "closed_at": self.clock()}},
        )
        if result.modified_count:
            await self.audit.record(
                case_id, "case-closed", actor="privacy", keys_destroyed=destroyed
            )
            log.info("case closed", extra={"case_id": case_id, "keys_destroyed": destroyed})
        return bool(result.modified_count)

    async def tick(self) -> int:
        """Resend commands to silent services, escalate stubborn cases; how many resent."""
        now = self.clock()
        due = {
            "status": {"$in": LIVE},
            "kind": {"$in": [k.value for k in domain.COMMANDED]},
            "last_sent_at": {"$lte": now - self.retry_after},
        }
        resent = []
        for doc in await self.cases.find(due).to_list():
            case = to_case(doc)
            step = domain.next_step(
                case, now, retry_after=self.retry_after, escalate_after=self.escalate_after
            )
            if step.escalate:
                await self.cases.update_one(
                    {"_id": case.case_id}, {"$set": {"status": CaseStatus.ESCALATED.value}}
                )
                await self.audit.record(
                    case.case_id, "case-escalated", actor="privacy", missing=domain.missing(case)
                )
                log.warning(
                    "case escalated: acknowledgements missing",
                    extra={"case_id": case.case_id, "missing": domain.missing(case)},
                )
            if step.resend:
                await self.cases.update_one(
                    {"_id": case.case_id}, {"$inc": {"sends": 1}, "$set": {"last_sent_at": now}}
                )
                await self.audit.record(
                    case.case_id, "command-resent", actor="privacy", missing=domain.missing(case)
                )
                resent.append(doc)
        await self._publish(resent)
        return len(resent)

    async def resolve(self, case_id: str, *, actor: str, decision: str) -> bool:
        """Close a routed case (rectification, objection) with the officer's decision code."""
        result = await self.cases.update_one(
            {
                "_id": case_id,
                "status": {"$in": LIVE},
                "kind": {"$nin": [k.value for k in domain.COMMANDED]},
            },
            {
                "$set": {
                    "status": CaseStatus.CLOSED.value,
                    "closed_at": self.clock(),
                    "decision": decision,
                }
            },
        )
        if result.modified_count:
            await self.audit.record(case_id, "case-resolved", actor=actor, decision=decision)
        return bool(result.modified_count)

    async def get(self, case_id: str) -> Doc | None:
        return await self.cases.find_one({"_id": case_id})

    async def recent(self, limit: int = 100) -> list[Doc]:
        cursor = self.cases.find({}, {"acks": 0}).sort("opened_at", DESCENDING).limit(limit)
        return await cursor.to_list()

    async def of_subject(self, subject_ref: str) -> list[Doc]:
        return await self.cases.find({"subject_ref": subject_ref}, {"acks": 0}).to_list()

    async def export(self, case_id: str) -> Doc | None:
        """Every service's part of an access case, opened with the case's key."""
        doc = await self.get(case_id)
        if doc is None or doc["kind"] != CaseKind.ACCESS:
            return None
        private = await self.vault.get("privacy", f"case-{case_id}")
        if private is None:
            return None
        acks = doc.get("acks") or {}
        return {
            "case_id": case_id,
            "subject_ref": doc["subject_ref"],
            "subject_kind": doc["subject_kind"],
            "generated_at": self.clock().isoformat(),
            "services": {
                s: open_sealed(private, case_id, a["sealed_export"])
                for s, a in sorted(acks.items())
                if "sealed_export" in a
            },
            "missing": domain.missing(to_case(doc)),
        }

    def _doc(self, case: Case) -> Doc:
        return {
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
        }

    async def _publish(self, docs: Sequence[Doc]) -> None:
        """Send the cases' commands; sends are awaited together (one round trip a batch)."""
        sends = []
        for doc in docs:
            command = _command(doc)
            event = new_event(command, source=SOURCE, subject=doc["subject_ref"])
            sends.append(
                await self.broker.publish(
                    event.model_dump_json().encode(),
                    self.commands_topic,
                    key=doc["subject_ref"].encode(),
                    headers={"content-type": CONTENT_TYPE},
                    no_confirm=True,
                )
            )
        await asyncio.gather(*sends)


def _command(doc: Doc) -> ErasureRequested | AccessRequested:
    common = {
        "case_id": doc["_id"],
        "subject_ref": doc["subject_ref"],
        "subject_kind": doc["subject_kind"],
        "deadline": doc["deadline"],
    }
    if doc["kind"] == CaseKind.ACCESS:
        return AccessRequested(**common, recipient_key=doc["recipient_key"])
    return ErasureRequested(**common, reason=doc.get("reason", ErasureReason.RIGHTS_REQUEST))
