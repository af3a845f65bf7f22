"""Privacy's rules and aggregates, pure: when a subject's data expires, when to warn, a
rights case's life; the Subject, Notice and Case the repositories (`ports`) hold.

No I/O here: the use cases, the Kafka handlers and the pages call these with a clock.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

from entraide.contracts.events import (
    ContactLogged,
    EventData,
    MatchAccepted,
    MatchCheckedIn,
    MatchClosed,
    MatchDeclined,
    MatchStarted,
    RequestState,
    RequestSubmitted,
    RequestUpdated,
    RequestWithdrawn,
    VolunteerAvailability,
)
from entraide.contracts.vocab import ErasureReason, SubjectKind

# --- retention ----------------------------------------------------------------------


def add_months(at: datetime, months: int) -> datetime:
    """The same day `months` later (or earlier), the month's last day if it has none."""
    index = at.year * 12 + at.month - 1 + months
    year, month = divmod(index, 12)
    for day in (at.day, 30, 29, 28):
        try:
            return at.replace(year=year, month=month + 1, day=min(at.day, day))
        except ValueError:
            continue
    raise AssertionError("unreachable: every month has a 28th")


def add_years(at: datetime, years: int) -> datetime:
    return add_months(at, 12 * years)


@dataclass(frozen=True)
class RetentionPolicy:
    """How long each kind of subject is kept after the last contact, and when to warn."""

    years: Mapping[SubjectKind, int] = field(
        default_factory=lambda: {SubjectKind.FAMILY: 3, SubjectKind.VOLUNTEER: 3}
    )
    warnings: tuple[int, ...] = (30, 7)  # days before expiry

    def expires_at(self, kind: SubjectKind, last_contact: datetime) -> datetime:
        return add_years(last_contact, self.years[kind])

    def expired(self, kind: SubjectKind, last_contact: datetime, now: datetime) -> bool:
        return now >= self.expires_at(kind, last_contact)

    def cutoff(self, kind: SubjectKind, now: datetime) -> datetime:
        """A bound for the store: every expired subject's last contact is at or before it."""
        return add_years(now, -self.years[kind]) + timedelta(days=1)

    def warnings_due(
        self,
        kind: SubjectKind,
        last_contact: datetime,
        now: datetime,
        sent: Mapping[str, datetime],
    ) -> list[str]:
        """Warnings ("30d", "7d") now due and not yet sent for this last contact.

        A warning counts as sent only for the last contact it announced: a new contact
        moves the expiry and the warnings start again.
        """
        expiry = self.expires_at(kind, last_contact)
        if now >= expiry:
            return []
        return [
            f"{days}d"
            for days in sorted(self.warnings, reverse=True)
            if now >= expiry - timedelta(days=days) and sent.get(f"{days}d") != last_contact
        ]


@dataclass(frozen=True)
class Contact:
    """A sign of life of a subject, taken from an event."""

    subject_ref: str
    kind: SubjectKind
    at: datetime
    consent_to_matching: bool | None = None
    departement: str | None = None
    contact_channels: tuple[str, ...] = ()


def contacts_of(data: EventData) -> list[Contact]:
    """The contacts an event shows; proposals and expiries are machine work, not contact."""
    family = SubjectKind.FAMILY
    if isinstance(data, RequestSubmitted | RequestUpdated):
        at = data.submitted_at if isinstance(data, RequestSubmitted) else data.updated_at
        return [_from_request(data, at)]
    if isinstance(data, RequestWithdrawn):
        return [Contact(data.family_ref, family, data.withdrawn_at)]
    if isinstance(data, ContactLogged):
        return [Contact(data.family_ref, family, data.contacted_at)]
    if isinstance(data, MatchAccepted):
        return [Contact(data.family_ref, family, data.accepted_at)]
    if isinstance(data, MatchDeclined):
        return [Contact(data.family_ref, family, data.declined_at)]
    if isinstance(data, MatchStarted):
        return [Contact(data.family_ref, family, data.started_at)]
    if isinstance(data, MatchCheckedIn):  # a follow-up with the family is a contact
        return [Contact(data.family_ref, family, data.checked_in_at)]
    if isinstance(data, MatchClosed):
        return [Contact(data.family_ref, family, data.closed_at)]
    if isinstance(data, VolunteerAvailability):
        return [
            Contact(
                data.volunteer_ref,
                SubjectKind.VOLUNTEER,
                data.changed_at,
                departement=data.departement,
            )
        ]
    return []


def _from_request(data: RequestState, at: datetime) -> Contact:
    return Contact(
        data.family_ref,
        SubjectKind.FAMILY,
        at,
        consent_to_matching=data.consent_to_matching,
        departement=data.departement,
        contact_channels=tuple(c.value for c in data.contact_channels),
    )


# --- subjects ----------------------------------------------------------------------


@dataclass(frozen=True)
class Subject:
    """A family or volunteer in the registry: a pseudonymous reference, dates, the
    département and the channels a family chose; never a name or a contact detail."""

    ref: str
    kind: SubjectKind
    last_contact_at: datetime
    first_seen_at: datetime | None = None
    departement: str | None = None
    contact_channels: tuple[str, ...] = ()
    consent_to_matching: bool | None = None
    consent_at: datetime | None = None
    warned: Mapping[str, datetime] = field(default_factory=dict)  # warning -> last contact
    erasing_since: datetime | None = None  # a sweep opened its erasure case then


def with_contact(subject: Subject | None, contact: Contact) -> Subject:
    """The subject after a contact: the latest date and the latest consent win, so a
    redelivered or late event changes nothing."""
    if subject is None:
        subject = Subject(contact.subject_ref, contact.kind, contact.at, first_seen_at=contact.at)
    subject = replace(
        subject,
        last_contact_at=max(subject.last_contact_at, contact.at),
        departement=contact.departement or subject.departement,
        contact_channels=contact.contact_channels or subject.contact_channels,
    )
    if contact.consent_to_matching is not None and (
        subject.consent_at is None or subject.consent_at <= contact.at
    ):
        subject = replace(
            subject, consent_to_matching=contact.consent_to_matching, consent_at=contact.at
        )
    return subject


def erasure_count(subject: Subject, reason: ErasureReason, at: datetime) -> dict[str, Any]:
    """What the anonymous statistics keep of an erased subject: nothing that identifies."""
    first, last = subject.first_seen_at, subject.last_contact_at
    return {
        "year": at.year,
        "kind": subject.kind.value,
        "departement": subject.departement,
        "reason": reason.value,
        "years_followed": None if first is None else max(0, (last - first).days // 365),
    }


@dataclass(frozen=True)
class Notice:
    """A retention warning due to a subject ("30d", "7d"), and when it was sent."""

    notice_id: str
    subject_ref: str
    warning: str
    channels: tuple[str, ...]
    expires_at: datetime
    due_at: datetime
    sent_at: datetime | None = None


# --- rights cases -------------------------------------------------------------------


@dataclass(frozen=True)
class KeyTrace:
    """A service's key naming a subject (not a case's own key): its kind, and whether live."""

    kind: str
    live: bool


@dataclass(frozen=True)
class KnownRef:
    """What privacy knows of a reference: the registry (fed by the topics) and the key
    vault (a family's key is made as intake records it, before any event arrives)."""

    registered: SubjectKind | None
    erased_at: datetime | None
    keys: tuple[KeyTrace, ...] = ()


class Refusal(StrEnum):
    """Why an erasure or access case is not opened for a reference."""

    UNKNOWN = "unknown-subject"  # names nobody: a typo, or the wrong reference
    ERASED = "already-erased"  # nothing left to erase or to export
    OTHER_KIND = "other-kind"  # a family's reference asked as a volunteer's, or back


def refusal(kind: "CaseKind", subject_kind: SubjectKind, known: KnownRef) -> Refusal | None:
    """Why a case of `kind` for this reference must not be opened, if it must not: every
    service would answer with empty counts and the case would close as if done."""
    if kind not in BROADCAST:
        return None  # routed: the owner answers, or the officer decides
    live = known.registered is not None or any(k.live for k in known.keys)
    if not live:
        return Refusal.ERASED if known.erased_at or known.keys else Refusal.UNKNOWN
    kinds = {k.kind for k in known.keys if k.live}
    if known.registered is not None:
        kinds.add(known.registered.value)
    return None if subject_kind.value in kinds else Refusal.OTHER_KIND


class CaseKind(StrEnum):
    ERASURE = "erasure"
    ACCESS = "access"
    RECTIFICATION = "rectification"  # routed to the owning service, flagged for its staff
    OBJECTION = "objection"  # routed to the owning service: intake withdraws the consent


BROADCAST = frozenset({CaseKind.ERASURE, CaseKind.ACCESS})  # every service answers
ROUTED = frozenset({CaseKind.RECTIFICATION, CaseKind.OBJECTION})  # the owner answers
COMMANDED = BROADCAST | ROUTED
# who owns a subject's data, and so answers its routed cases (none: the officer decides)
OWNERS: Mapping[SubjectKind, tuple[str, ...]] = {SubjectKind.FAMILY: ("intake",)}


class CaseStatus(StrEnum):
    OPEN = "open"
    ESCALATED = "escalated"  # acknowledgements missing after several resends
    CLOSED = "closed"


@dataclass(frozen=True)
class Ack:
    service: str
    at: datetime
    counts: Mapping[str, int] = field(default_factory=dict)  # erasure: what was deleted
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


def missing(case: Case) -> list[str]:
    """The services that have not acknowledged yet."""
    return [s for s in case.services if s not in case.acks]


def with_ack(case: Case, ack: Ack) -> Case:
    """The case with this acknowledgement; the first one per service counts."""
    if ack.service not in case.services or ack.service in case.acks:
        return case
    return replace(case, acks={**case.acks, ack.service: ack})


def commanded(case: Case) -> bool:
    """Its command goes out (a routed case with no owning service waits for the officer)."""
    return case.kind in BROADCAST or (case.kind in ROUTED and bool(case.services))


def complete(case: Case) -> bool:
    return commanded(case) and not missing(case)


def sent(case: Case, now: datetime) -> Case:
    return replace(case, sends=case.sends + 1, last_sent_at=now)


@dataclass(frozen=True)
class Step:
    resend: bool = False
    escalate: bool = False


def next_step(case: Case, now: datetime, *, retry_after: timedelta, escalate_after: int) -> Step:
    """What the watchdog does: resend to silent services, escalate after a few resends."""
    if case.status == CaseStatus.CLOSED or complete(case) or not commanded(case):
        return Step()
    if case.last_sent_at is not None and now - case.last_sent_at < retry_after:
        return Step()
    escalate = case.status != CaseStatus.ESCALATED and (
        case.sends >= escalate_after or now >= case.deadline - timedelta(days=7)
    )
    return Step(resend=True, escalate=escalate)


def overdue(case: Case, now: datetime) -> bool:
    return case.status != CaseStatus.CLOSED and now > case.deadline
