"""In-memory fakes of privacy's ports (`entraide.privacy.usecases.ports`): the use cases run on
them with no Kafka and no store. Each keeps the promise its port makes (first claim
wins, first acknowledgement counts, a closed case stays closed, tombstones refuse
contacts), with the domain's own rules where the store applies them atomically."""

import asyncio
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from typing import Any

from entraide.contracts.events import EventData
from entraide.contracts.vocab import SubjectKind
from entraide.kit.keyvault_client import KeyDestroyedError
from entraide.privacy.adapters.commands import withdrawal
from entraide.privacy.domain import cases as rules
from entraide.privacy.domain.cases import Ack, Case, CaseStatus
from entraide.privacy.domain.contacts import Contact
from entraide.privacy.domain.keys import KeyTrace
from entraide.privacy.domain.retention import RetentionPolicy
from entraide.privacy.domain.subjects import Notice, Subject, with_contact
from entraide.privacy.usecases.answers import PrivacyRights
from entraide.privacy.usecases.cases import Rights
from entraide.privacy.usecases.officer import Privacy

SERVICES = ("directory", "intake", "matching", "privacy")
LIVE = (CaseStatus.OPEN, CaseStatus.ESCALATED)


class FakeSubjects:
    def __init__(self) -> None:
        self.subjects: dict[str, Subject] = {}
        self.claims: dict[str, str] = {}  # subject -> the claim that won it
        self.erased: dict[str, str] = {}  # subject -> case
        self.erased_on: dict[str, datetime] = {}
        self.counts: dict[tuple[Any, ...], int] = {}

    def add(self, *subjects: Subject) -> None:
        self.subjects |= {s.ref: s for s in subjects}

    async def record_contact(self, contact: Contact) -> bool:
        if contact.subject_ref in self.erased:
            return False
        self.subjects[contact.subject_ref] = with_contact(
            self.subjects.get(contact.subject_ref), contact
        )
        return True

    async def record_contacts(self, contacts: Sequence[Contact]) -> int:
        return sum([await self.record_contact(c) for c in contacts])

    async def get(self, subject_ref: str) -> Subject | None:
        return self.subjects.get(subject_ref)

    async def registered(self, kind: SubjectKind) -> int:
        return sum(1 for s in self.subjects.values() if s.kind == kind)

    async def candidates(self, kind: SubjectKind, cutoff: datetime) -> AsyncIterator[Subject]:
        found = [
            s
            for s in self.subjects.values()
            if s.kind == kind and s.last_contact_at <= cutoff and s.erasing_since is None
        ]
        for subject in found:
            await asyncio.sleep(0)  # a cursor: other tasks run between batches
            yield subject

    async def claim_for_erasure(
        self, subject_refs: Sequence[str], *, claim: str, at: datetime
    ) -> list[str]:
        for ref in subject_refs:
            if ref in self.subjects and ref not in self.claims:
                self.claims[ref] = claim
                self.subjects[ref] = replace(self.subjects[ref], erasing_since=at)
        return [ref for ref in subject_refs if self.claims.get(ref) == claim]

    async def mark_warned(self, subject_ref: str, warning: str, last_contact: datetime) -> None:
        subject = self.subjects[subject_ref]
        warned = {**subject.warned, warning: last_contact}
        self.subjects[subject_ref] = replace(subject, warned=warned)

    async def tombstone(self, subject_ref: str, *, case_id: str, at: datetime) -> None:
        self.erased.setdefault(subject_ref, case_id)
        self.erased_on.setdefault(subject_ref, at)

    async def erased_at(self, subject_ref: str) -> datetime | None:
        return self.erased_on.get(subject_ref)

    async def delete(self, subject_ref: str) -> int:
        return 1 if self.subjects.pop(subject_ref, None) else 0

    async def count_erasure(self, dimensions: dict[str, Any]) -> None:
        key = tuple(dimensions.items())
        self.counts[key] = self.counts.get(key, 0) + 1

    async def statistics(self) -> list[dict[str, Any]]:
        return sorted(
            ({**dict(key), "erased": n} for key, n in self.counts.items()),
            key=lambda row: row["year"],
        )


class FakeCases:
    def __init__(self) -> None:
        self.cases: dict[str, Case] = {}
        self.outbox: list[EventData] = []  # what the relay would publish

    async def add(self, cases: Sequence[Case]) -> set[str]:
        there = {c.case_id for c in cases} & set(self.cases)  # the store's unique _id
        self.cases |= {c.case_id: c for c in cases if c.case_id not in there}
        return there

    async def get(self, case_id: str) -> Case | None:
        return self.cases.get(case_id)

    async def add_ack(self, case_id: str, ack: Ack) -> bool:
        case = self.cases.get(case_id)
        if case is None:
            return False
        self.cases[case_id] = rules.with_ack(case, ack)
        return self.cases[case_id] is not case

    async def mark_rectified(self, case_id: str, done: Ack) -> bool:
        case = self.cases.get(case_id)
        if case is None:
            return False
        self.cases[case_id] = rules.with_rectified(case, done)
        return self.cases[case_id] is not case

    async def mark_sent(self, case_id: str, at: datetime) -> None:
        self.cases[case_id] = rules.sent(self.cases[case_id], at)

    async def escalate(self, case_id: str) -> None:
        self.cases[case_id] = replace(self.cases[case_id], status=CaseStatus.ESCALATED)

    async def close(
        self,
        case_id: str,
        *,
        at: datetime,
        decision: str | None = None,
        withdraw: Case | None = None,
    ) -> bool:
        case = self.cases.get(case_id)
        if case is None or case.status not in LIVE:
            return False
        closed = replace(case, status=CaseStatus.CLOSED, closed_at=at, decision=decision)
        self.cases[case_id] = closed
        if withdraw is not None:  # the store's outbox, in the same write
            self.outbox.append(withdrawal(withdraw, decision or "closed", at).data)
        return True

    async def due(self, sent_before: datetime) -> list[Case]:
        return [
            c
            for c in self.cases.values()
            if c.status in LIVE
            and c.kind in rules.COMMANDED
            and c.last_sent_at is not None
            and c.last_sent_at <= sent_before
        ]

    async def recent(self, limit: int) -> list[Case]:
        newest = sorted(self.cases.values(), key=lambda c: c.opened_at, reverse=True)
        return [
            replace(c, acks={s: replace(a, sealed_export=None) for s, a in c.acks.items()})
            for c in newest[:limit]
        ]

    async def of_subject(self, subject_ref: str) -> list[Case]:
        return [replace(c, acks={}) for c in self.cases.values() if c.subject_ref == subject_ref]


class FakeNotices:
    def __init__(self) -> None:
        self.notices: dict[str, Notice] = {}

    async def add(self, notices: Sequence[Notice]) -> None:
        self.notices |= {n.notice_id: n for n in notices}

    async def pending(self) -> list[Notice]:
        return [n for n in self.notices.values() if n.sent_at is None]

    async def mark_sent(self, notice_ids: Sequence[str], at: datetime) -> None:
        for notice_id in notice_ids:
            self.notices[notice_id] = replace(self.notices[notice_id], sent_at=at)

    async def forget(self, subject_ref: str) -> int:
        gone = [i for i, n in self.notices.items() if n.subject_ref == subject_ref]
        for notice_id in gone:
            del self.notices[notice_id]
        return len(gone)

    async def of_subject(self, subject_ref: str) -> list[Notice]:
        return [n for n in self.notices.values() if n.subject_ref == subject_ref]


class FakeAudit:
    def __init__(self) -> None:
        self.entries: list[dict[str, Any]] = []
        self.ids: set[Any] = set()

    async def record(
        self,
        case_id: str | None,
        action: str,
        *,
        actor: str,
        at: datetime | None = None,
        **details: Any,
    ) -> None:
        entry = {"at": at or datetime.now(UTC), "case_id": case_id, "action": action}
        self.entries.append(entry | {"actor": actor} | details)

    async def record_many(self, entries: Sequence[dict[str, Any]]) -> None:
        for entry in map(dict, entries):  # one entry an id, as the store's unique _id
            if "_id" in entry:
                if entry["_id"] in self.ids:
                    continue
                self.ids.add(entry.pop("_id"))
            self.entries.append(entry)

    async def of_case(self, case_id: str) -> list[dict[str, Any]]:
        return [e for e in self.entries if e["case_id"] == case_id]

    async def last_at(self, action: str) -> datetime | None:
        return max((e["at"] for e in self.entries if e["action"] == action), default=None)

    def actions(self, case_id: str | None) -> list[str]:
        return [e["action"] for e in self.entries if e["case_id"] == case_id]


@dataclass
class FakeKey:
    subject_ref: str
    material: bytes | None  # None once destroyed
    kind: str = "family"


class FakeKeys:
    def __init__(self) -> None:
        self.keys: dict[str, FakeKey] = {}

    async def get_or_create(
        self,
        owner: str,
        key_id: str,
        *,
        subject_ref: str,
        subject_kind: str,
        material: bytes | None = None,
    ) -> tuple[bytes, bool]:
        key_id = f"{owner}/{key_id}"
        created = key_id not in self.keys
        if created:
            self.keys[key_id] = FakeKey(subject_ref, material or bytes(32), subject_kind)
        key = self.keys[key_id].material
        assert key is not None, "a destroyed key"
        return key, created

    async def get(self, owner: str, key_id: str) -> bytes | None:
        key = self.keys.get(f"{owner}/{key_id}")
        if key is not None and key.material is None:  # as the vault: destroyed for good
            raise KeyDestroyedError(f"{owner}/{key_id}")
        return None if key is None else key.material

    async def destroyed(self, owner: str, key_id: str) -> bool:
        key = self.keys.get(f"{owner}/{key_id}")
        return key is not None and key.material is None

    async def destroy_subject(self, subject_ref: str) -> int:
        live = [k for k in self.keys.values() if k.subject_ref == subject_ref and k.material]
        for key in live:
            key.material = None
        return len(live)

    async def traces_of(self, subject_ref: str) -> list[KeyTrace]:
        return [
            KeyTrace(k.kind, k.material is not None)
            for key_id, k in self.keys.items()
            if k.subject_ref == subject_ref and not key_id.startswith("privacy/case-")
        ]

    def live(self, subject_ref: str) -> int:
        return sum(1 for k in self.keys.values() if k.subject_ref == subject_ref and k.material)


class FakeCommands:
    def __init__(self) -> None:
        self.sent: list[Case] = []

    async def send(self, cases: Sequence[Case]) -> None:
        self.sent.extend(cases)


class ListSender:
    def __init__(self) -> None:
        self.sent: list[Notice] = []

    async def send(self, notice: Notice) -> None:
        self.sent.append(notice)


class Clock:
    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


@dataclass
class World:
    """Privacy's use cases wired to fakes, as `app.create_app` wires them to the store."""

    clock: Clock
    services: tuple[str, ...] = SERVICES
    subjects: FakeSubjects = field(default_factory=FakeSubjects)
    cases: FakeCases = field(default_factory=FakeCases)
    notices: FakeNotices = field(default_factory=FakeNotices)
    audit: FakeAudit = field(default_factory=FakeAudit)
    keys: FakeKeys = field(default_factory=FakeKeys)
    commands: FakeCommands = field(default_factory=FakeCommands)
    sender: ListSender = field(default_factory=ListSender)

    def __post_init__(self) -> None:
        self.rights = Rights(
            self.cases,
            self.commands,
            self.keys,
            self.audit,
            services=self.services,
            retry_after=timedelta(minutes=5),
            escalate_after=3,
            clock=self.clock,
        )
        self.privacy = Privacy(
            self.subjects, self.rights, self.notices, self.audit, RetentionPolicy(), self.sender
        )
        self.own_part = PrivacyRights(self.subjects, self.notices, self.rights)
