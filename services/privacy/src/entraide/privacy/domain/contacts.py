"""A subject's signs of life, read from the events: each one moves its retention clock.

A volunteer is one from her application on: each change of it (applied, reviewed, declined,
paused, left; the association's staff's doing or hers) is a contact, under the reference
her availability carries too once approved. Without it, an applicant declined or never
reviewed, of whom matching never hears, stayed in directory for good."""

from dataclasses import dataclass
from datetime import datetime

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
    VolunteerApplicationChanged,
    VolunteerAvailability,
)
from entraide.contracts.vocab import SubjectKind


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
    if isinstance(data, VolunteerAvailability | VolunteerApplicationChanged):
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
