"""The subject registry's entries (a pseudonymous reference and dates, never an identity),
what a contact changes in them, what the statistics keep of an erased one, and the
retention warnings due to them."""

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

from entraide.contracts.vocab import ErasureReason, SubjectKind
from entraide.privacy.domain.contacts import Contact


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
