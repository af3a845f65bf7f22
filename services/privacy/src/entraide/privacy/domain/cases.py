"""A rights case's life: opened with its legal deadline, commanded to the services that must
answer, acknowledged, resent and escalated by the watchdog, closed.

A rectification is answered twice by its owner: once flagged on the record for its staff
(the case then waits for the correction), then once they corrected it (`rectified`)."""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

from entraide.contracts.vocab import ErasureReason, SubjectKind
from entraide.privacy.domain.retention import add_months


class CaseKind(StrEnum):
    ERASURE = "erasure"
    ACCESS = "access"
    RECTIFICATION = "rectification"  # routed to the owning service, flagged for its staff
    OBJECTION = "objection"  # routed to the owning service: intake withdraws the consent


BROADCAST = frozenset({CaseKind.ERASURE, CaseKind.ACCESS})  # every service answers
ROUTED = frozenset({CaseKind.RECTIFICATION, CaseKind.OBJECTION})  # the owner answers
COMMANDED = BROADCAST | ROUTED
# who owns a subject's data, and so answers its routed cases (none: the officer decides)
OWNERS: Mapping[SubjectKind, tuple[str, ...]] = {
    SubjectKind.FAMILY: ("intake",),
    SubjectKind.VOLUNTEER: ("directory",),
}


class CaseStatus(StrEnum):
    OPEN = "open"
    ESCALATED = "escalated"  # acknowledgements missing after several resends
    CLOSED = "closed"


@dataclass(frozen=True)
class Ack:
    service: str
    at: datetime
    # erasure: what was deleted; access: what the part holds (`exported`); routed: changed
    counts: Mapping[str, int] = field(default_factory=dict)
    sealed_export: str | None = None  # access: the service's part, sealed to the case
    received_at: datetime | None = None


@dataclass(frozen=True)
class Case:
    case_id: str
    kind: CaseKind
    subject_ref: str
    subject_kind: SubjectKind
    opened_at: datetime
    deadline: datetime
    services: tuple[str, ...]
    acks: Mapping[str, Ack] = field(default_factory=dict)
    status: CaseStatus = CaseStatus.OPEN
    sends: int = 0
    last_sent_at: datetime | None = None
    reason: ErasureReason = ErasureReason.RIGHTS_REQUEST
    recipient_key: str | None = None  # access: the public key the parts are sealed to
    decision: str | None = None  # routed cases: the officer's decision
    closed_at: datetime | None = None
    rectified: Ack | None = None  # rectification: the owner's staff corrected the record
    opened_by: str | None = None  # its trail's actor: the officer, the person, the sweep


# how privacy itself closes a routed case (the officer's own decisions: `resolve`)
DONE = "done"  # objection; a rectification closed on its flag, before it was followed
RECTIFIED = "rectified"  # the owner's staff corrected the record
NO_RECORD = "no-record"  # the owner holds no record of the person: nothing to correct
# the owner erased the data to correct instead (a family's request refused at the door):
# its completion says so (`outcome`), noted in the counts of the case's `rectified`
ERASED = "erased"
# the subject's erasure closed while the case waited on its owner: nothing left to act on
SUBJECT_ERASED = "subject-erased"


def open_case(
    case_id: str,
    kind: CaseKind,
    subject_ref: str,
    subject_kind: SubjectKind,
    *,
    now: datetime,
    services: tuple[str, ...],
) -> Case:
    """A new case; the legal deadline is one month (GDPR art. 12(3)). Erasure and access
    expect every service's answer; objection and rectification the owning service's."""
    if kind in ROUTED:
        expected = tuple(s for s in OWNERS.get(subject_kind, ()) if s in services)
    else:
        expected = services
    return Case(case_id, kind, subject_ref, subject_kind, now, add_months(now, 1), expected)


def exported(part: Mapping[str, Any]) -> dict[str, int]:
    """What a service's access part holds, counted by its top-level fields (a list: its
    items; anything else there: one), never its values; empty: nothing to export."""
    counts = {}
    for key, value in part.items():
        n = len(value) if isinstance(value, list | tuple) else int(value not in (None, "", {}))
        if n:
            counts[key] = n
    return counts


def missing(case: Case) -> list[str]:
    """The services that have not acknowledged yet."""
    return [s for s in case.services if s not in case.acks]


def with_ack(case: Case, ack: Ack) -> Case:
    """The case with this acknowledgement; the first one per service counts."""
    if ack.service not in case.services or ack.service in case.acks:
        return case
    return replace(case, acks={**case.acks, ack.service: ack})


def completion_counts(outcome: str) -> dict[str, int]:
    """What the owner's completion changed, as its `rectified` notes it: erased instead of
    corrected, or nothing more to say."""
    return {ERASED: 1} if outcome == ERASED else {}


def with_rectified(case: Case, done: Ack) -> Case:
    """The case with its owner's word that the record is corrected (the first counts; a
    closed case stays as it was)."""
    expected = case.kind == CaseKind.RECTIFICATION and done.service in case.services
    if not expected or case.status == CaseStatus.CLOSED:
        return case
    return case if case.rectified is not None else replace(case, rectified=done)


def answered(case: Case) -> bool:
    """Every service expected acknowledged the command: nothing to resend."""
    return commanded(case) and not missing(case)


def flagged(case: Case) -> bool:
    """A rectification flagged on a record by its owner (counts: the records flagged)."""
    return case.kind == CaseKind.RECTIFICATION and any(a.counts for a in case.acks.values())


def awaiting_correction(case: Case) -> bool:
    """A rectification flagged on the record, waiting for its staff to correct it."""
    return (
        case.status != CaseStatus.CLOSED
        and answered(case)
        and flagged(case)
        and (case.rectified is None)
    )


def commanded(case: Case) -> bool:
    """Its command goes out (a routed case with no owning service waits for the officer)."""
    return case.kind in BROADCAST or (case.kind in ROUTED and bool(case.services))


def withdrawn_on_closing(case: Case) -> bool:
    """A rectification commanded to its owner, closed by the officer (refused, not
    applicable) before its correction: the owner is told to take the flag off."""
    return case.kind == CaseKind.RECTIFICATION and commanded(case)


def complete(case: Case) -> bool:
    """Nothing more to wait for: every answer in, and a flagged rectification corrected."""
    if case.kind == CaseKind.RECTIFICATION and flagged(case) and case.rectified is None:
        return False
    return answered(case)


def closing_decision(case: Case) -> str | None:
    """How privacy closes a complete case: a routed one's decision (broadcast: none)."""
    if case.kind == CaseKind.RECTIFICATION:
        if case.rectified is None:
            return NO_RECORD
        return ERASED if case.rectified.counts.get(ERASED) else RECTIFIED
    return DONE if case.kind in ROUTED else None


def sent(case: Case, now: datetime) -> Case:
    return replace(case, sends=case.sends + 1, last_sent_at=now)


@dataclass(frozen=True)
class Step:
    resend: bool = False
    escalate: bool = False


def next_step(case: Case, now: datetime, *, retry_after: timedelta, escalate_after: int) -> Step:
    """What the watchdog does: resend to silent services, escalate after a few resends."""
    if case.status == CaseStatus.CLOSED or answered(case) or not commanded(case):
        return Step()  # a rectification waiting for its correction: nothing to resend
    if case.last_sent_at is not None and now - case.last_sent_at < retry_after:
        return Step()
    escalate = case.status != CaseStatus.ESCALATED and (
        case.sends >= escalate_after or now >= case.deadline - timedelta(days=7)
    )
    return Step(resend=True, escalate=escalate)


@dataclass(frozen=True)
class Destroyed:
    """An access case's export gone for good: the subject's erasure destroyed the case's key
    with every other key of the subject, so its sealed parts can never be opened again."""

    erasure: Case | None = None  # the erasure case that destroyed it, if still known

    @property
    def asked(self) -> bool:
        """Whether the person asked for that erasure (their request or their objection),
        not the retention sweep."""
        return self.erasure is not None and self.erasure.reason != ErasureReason.RETENTION


def erasure_of(cases: Sequence[Case]) -> Case | None:
    """The subject's erasure that destroyed its keys: its first closed erasure case."""
    closed = [c for c in cases if c.kind == CaseKind.ERASURE and c.status == CaseStatus.CLOSED]
    return min(closed, key=lambda c: c.closed_at or c.opened_at, default=None)


def erasure_destroying(cases: Sequence[Case]) -> Case | None:
    """The erasure that destroyed the subject's keys: its first closed one, else the first
    still under way (privacy's own answer destroys the keys before the case closes)."""
    under_way = [c for c in cases if c.kind == CaseKind.ERASURE and c.status != CaseStatus.CLOSED]
    return erasure_of(cases) or min(under_way, key=lambda c: c.opened_at, default=None)


def left_by_erasure(cases: Sequence[Case]) -> list[Case]:
    """A subject's routed cases still live once its erasure closed (none before): they wait
    on an owner that holds nothing of the subject any more, so privacy closes them."""
    if erasure_of(cases) is None:
        return []
    return [c for c in cases if c.kind in ROUTED and c.status != CaseStatus.CLOSED]


def overdue(case: Case, now: datetime) -> bool:
    return case.status != CaseStatus.CLOSED and now > case.deadline
