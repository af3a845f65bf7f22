"""Intake's aggregates: a family (its identity sealed), its requests and contacts.

Pure Python, no I/O: the use cases change a `Family` through its methods and queue the
events the change causes (`announce`); a unit of work writes both at once. Only the
store knows how a family looks as a document.
"""

from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import Any

from entraide.contracts import CloudEvent
from entraide.contracts.events import Slot
from entraide.contracts.paris import PARIS, paris_day  # the days staff type are days in France
from entraide.contracts.vocab import ContactChannel, Need, RequestChannel, Urgency, WithdrawalReason
from entraide.intake.domain.requests import Sign

Sealed = dict[str, str]  # a value sealed with the family's key (see `sealing`)
SUBMITTED, WITHDRAWN = "submitted", "withdrawn"


class NotFoundError(LookupError):
    """No such family or request, or not in the staff member's scope (same answer)."""


class ConflictError(RuntimeError):
    """The family changed since it was read: reload and try again."""


class ClosedError(RuntimeError):
    """The request was withdrawn: it can no longer change."""


@dataclass
class Consent:
    """The parent's consent, as staff collected it."""

    matching: bool
    sharing: bool
    collected_by: str
    collected_at: datetime


@dataclass
class Contact:
    """A contact with the family: the day it happened, as staff gave it (no time: none was
    asked), and when they noted it (unknown for contacts stored before it was kept)."""

    day: date
    noted_at: datetime | None
    channel: ContactChannel
    by: str
    by_name: str | None
    note: Sealed

    @property
    def counted_from(self) -> datetime:
        """The moment the retention clock restarts from: when it was noted, for a contact
        of that day; for an earlier day, the start of that day in Paris (its 3 years are
        counted from the day, never from a later moment than the day allows)."""
        noted = self.noted_at
        if noted is not None and paris_day(noted) <= self.day:
            return noted
        return datetime.combine(self.day, time(), PARIS)


@dataclass
class Request:
    """One request for support of a family; `revision` orders its events."""

    request_id: str
    status: str
    revision: int
    needs: list[Need]
    availability: list[Slot]
    signs: list[Sign]
    urgency: Urgency
    notes: Sealed
    association_id: str | None
    channel: RequestChannel
    submitted_at: datetime
    recorded_by: str | None = None
    updated_at: datetime | None = None
    withdrawn_at: datetime | None = None
    withdrawal_reason: WithdrawalReason | None = None


@dataclass(frozen=True)
class MatchStep:
    """One move of a request's orientation, as matching announced it (`orientation`)."""

    event_id: str
    request_id: str
    state: str  # proposed, accepted, declined, expired, started, waitlisted, closed
    at: datetime
    match_id: str | None = None
    association_id: str | None = None
    reason: str | None = None  # waitlisted: the rule that stopped most; declined: why
    outcome: str | None = None  # closed: how it ended
    support: str | None = None  # proposed: "volunteer" or "offer"


@dataclass
class Family:
    """A family, the only home of its identity; `version` guards against stale writes."""

    id: str
    family_ref: str  # its pseudonym on the topics
    association_id: str | None
    departement: str
    identity: Sealed
    lookup: list[str]  # keyed hashes of its name, phone and e-mail (duplicate search)
    children_birth_years: list[int]
    postal_code: str
    languages: list[str]
    consent: Consent
    created_at: datetime
    last_contact_at: datetime
    requests: list[Request]
    contacts: list[Contact] = field(default_factory=list)
    possible_duplicates: list[str] = field(default_factory=list)
    shared_with: list[str] = field(default_factory=list)
    orientation: list[MatchStep] = field(default_factory=list)  # written by matching's events
    rectifications: list[str] = field(default_factory=list)  # privacy's open cases to act on
    # those already corrected and announced to privacy: a command for one delivered again
    # (Kafka, the watchdog) flags nothing; erased with the record
    rectifications_done: list[str] = field(default_factory=list)
    # those this change acts on: its write takes their flags off (a case flagged since stays)
    rectified: list[str] = field(default_factory=list, compare=False, repr=False)
    # the language of the door's pages the family wrote its own request on, if it did:
    # its messages' language (`reaching.message_language`)
    written_language: str | None = None
    version: int = 0  # as read; 0 for a family not stored yet
    events: list[CloudEvent[Any]] = field(default_factory=list, repr=False)  # to publish

    def announce(self, event: CloudEvent[Any]) -> None:
        """Queue an event: it is written with the family's change, in the same write."""
        self.events.append(event)

    def request(self, request_id: str) -> Request:
        found = next((r for r in self.requests if r.request_id == request_id), None)
        if found is None:
            raise NotFoundError(request_id)
        return found

    def open_request(self, request_id: str) -> Request:
        """The request, if it may still change (not withdrawn)."""
        request = self.request(request_id)
        if request.status == WITHDRAWN:
            raise ClosedError(request_id)
        return request

    def withdraw(self, request_id: str, reason: WithdrawalReason, at: datetime) -> Request:
        """Close an open request; returns it at its next revision."""
        request = self.open_request(request_id)
        request.status, request.revision = WITHDRAWN, request.revision + 1
        request.withdrawn_at, request.withdrawal_reason = at, reason
        return request

    def change_consent(
        self, consent: Consent, at: datetime, *, besides: str | None = None
    ) -> list[Request]:
        """Record the parent's consent as collected now, if it changed (given, withdrawn,
        its scope): the same consent keeps who collected it, when and how; if the consent
        to matching changed, every open request moves to its next revision (announced by
        the caller: matching ends the open match and proposes nothing more, or places it
        again); `besides`: a request the caller revises itself."""
        if (consent.matching, consent.sharing) == (self.consent.matching, self.consent.sharing):
            return []
        changed = consent.matching != self.consent.matching
        self.consent = consent
        if not changed:
            return []
        revised = [r for r in self.requests if r.status != WITHDRAWN and r.request_id != besides]
        for request in revised:
            request.revision, request.updated_at = request.revision + 1, at
        return revised

    def note_contact(self, contact: Contact) -> None:
        """A contact restarts the retention clock (a late-logged one does not set it back)."""
        self.contacts.append(contact)
        self.last_contact_at = max(contact.counted_from, self.last_contact_at)


@dataclass(frozen=True)
class Sharing:
    """What opening or closing a family to an association found."""

    family_id: str
    consented: bool  # the family consented to sharing
    changed: bool  # False: refused for want of consent, or already so (a redelivery)


@dataclass(frozen=True)
class RequestSummary:
    request_id: str
    status: str
    needs: list[Need]
    urgency: Urgency
    orientation: str | None = None  # the latest step's state, if matching said any


@dataclass(frozen=True)
class FamilySummary:
    """What a list of families shows: no identity, contacts or notes."""

    id: str
    association_id: str | None
    departement: str
    created_at: datetime
    shared_with: list[str]
    requests: list[RequestSummary]
    # not identity (in clear, matching gets them coarse): what tells two rows apart
    postal_code: str = ""
    children_birth_years: tuple[int, ...] = ()
