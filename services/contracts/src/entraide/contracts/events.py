"""The v1 event payloads (the CloudEvents `data`).

Within v1 only additive, optional fields: a test compares these models with the committed
JSON Schemas. Identity data (names, phone, e-mail, address, notes) never appears here.
"""

from datetime import date, datetime
from typing import Annotated, ClassVar

from pydantic import BaseModel, ConfigDict, Field

from entraide.contracts.vocab import (
    AgeBand,
    ContactChannel,
    DayPart,
    ErasureReason,
    MatchOutcome,
    Need,
    RequestChannel,
    SubjectKind,
    Urgency,
    Weekday,
    WithdrawalReason,
)

Ref = Annotated[str, Field(min_length=8, max_length=64, pattern=r"^[A-Za-z0-9_-]+$")]
Departement = Annotated[str, Field(pattern=r"^(\d{2}|2[AB]|97\d)$", examples=["44"])]
PostalCode = Annotated[str, Field(pattern=r"^\d{5}$", examples=["44000"])]
Language = Annotated[str, Field(pattern=r"^[a-z]{2,3}$", examples=["fr"])]


class EventData(BaseModel):
    """Base of every payload. Unknown fields are ignored, so v1 can grow additively."""

    model_config = ConfigDict(extra="ignore", frozen=True)
    EVENT_TYPE: ClassVar[str]


class Slot(BaseModel):
    """A recurring half-day when someone is available."""

    model_config = ConfigDict(extra="ignore", frozen=True)
    day: Weekday
    part: DayPart


# --- intake: requests for support -------------------------------------------------------


class RequestState(EventData):
    """What matching needs to know of a request, coarse and pseudonymous."""

    request_id: Ref
    family_ref: Ref
    revision: int = Field(ge=1, description="Grows with each change of the request.")
    departement: Departement
    postal_code: PostalCode
    children_age_bands: list[AgeBand]
    needs: list[Need] = Field(min_length=1)
    availability: list[Slot] = []
    languages: list[Language] = []
    urgency: Urgency
    association_id: str | None = Field(None, description="Association that recorded it.")
    channel: RequestChannel
    consent_to_matching: bool
    contact_channels: list[ContactChannel] = Field(
        [], description="How the family chose to be reached (privacy's retention warnings)."
    )


class RequestSubmitted(RequestState):
    EVENT_TYPE: ClassVar[str] = "fr.entraide.request.submitted.v1"
    submitted_at: datetime


class RequestUpdated(RequestState):
    EVENT_TYPE: ClassVar[str] = "fr.entraide.request.updated.v1"
    updated_at: datetime
    consent_withdrawn_at: datetime | None = Field(
        None,
        description="Set when this revision records the family's withdrawal of its consent "
        "to matching (`consent_to_matching` false): matching ends the open match and "
        "proposes nothing more; privacy's registry notes the consent withdrawn.",
    )


class RequestWithdrawn(EventData):
    EVENT_TYPE: ClassVar[str] = "fr.entraide.request.withdrawn.v1"
    request_id: Ref
    family_ref: Ref
    revision: int = Field(ge=1)
    reason: WithdrawalReason
    withdrawn_at: datetime


class ContactLogged(EventData):
    """Staff were in touch with the family: privacy's retention clock starts again."""

    EVENT_TYPE: ClassVar[str] = "fr.entraide.family.contact-logged.v1"
    family_ref: Ref
    channel: ContactChannel
    contacted_at: datetime


# --- directory: offers and volunteers ---------------------------------------------------


class OfferState(EventData):
    """An association's action, in data·inclusion vocabulary where they overlap."""

    offer_id: Ref
    association_id: str
    revision: int = Field(ge=1)
    nom: str = Field(max_length=200)
    thematiques: list[str] = Field(min_length=1)
    publics: list[str] = []
    needs: list[Need] = Field(min_length=1)
    departements: list[Departement] = Field(min_length=1)
    postal_code: PostalCode | None = None
    age_min: int | None = Field(None, ge=0, le=25)
    age_max: int | None = Field(None, ge=0, le=25)
    capacity: int | None = Field(None, ge=0)
    current_load: int | None = Field(None, ge=0)
    professionals_only: bool = False


class OfferPublished(OfferState):
    EVENT_TYPE: ClassVar[str] = "fr.entraide.offer.published.v1"
    published_at: datetime


class OfferUpdated(OfferState):
    EVENT_TYPE: ClassVar[str] = "fr.entraide.offer.updated.v1"
    updated_at: datetime


class OfferWithdrawn(EventData):
    EVENT_TYPE: ClassVar[str] = "fr.entraide.offer.withdrawn.v1"
    offer_id: Ref
    association_id: str
    revision: int = Field(ge=1)
    withdrawn_at: datetime


class VolunteerAvailability(EventData):
    """A vetted volunteer's availability, pseudonymised like a family's request."""

    EVENT_TYPE: ClassVar[str] = "fr.entraide.volunteer.availability.v1"
    volunteer_ref: Ref
    association_id: str
    revision: int = Field(ge=1)
    departement: Departement
    postal_code: PostalCode
    needs: list[Need] = Field(min_length=1)
    availability: list[Slot] = []
    languages: list[Language] = []
    capacity: int = Field(ge=0, description="How many families at once.")
    active_families: int = Field(0, ge=0)
    active: bool = Field(description="False while paused or after leaving.")
    changed_at: datetime
    honorability_valid_until: date | None = Field(
        None,
        description="Until when the honorability check for work with children is valid; "
        "matching proposes no volunteer without a valid one.",
    )


# --- matching: the match lifecycle ------------------------------------------------------


class MatchEvent(EventData):
    match_id: Ref
    request_id: Ref
    family_ref: Ref
    association_id: str | None = Field(
        None,
        description="The association of the volunteer or offer (it sees the family "
        "once the match is accepted, until it closes).",
    )


class MatchProposed(MatchEvent):
    EVENT_TYPE: ClassVar[str] = "fr.entraide.match.proposed.v1"
    association_id: str
    volunteer_ref: Ref | None = None
    offer_id: Ref | None = None
    score: float = Field(ge=0)
    reasons: list[str] = Field(description="Why this pair, in the coordinator's words.")
    proposed_at: datetime
    expires_at: datetime
    breakdown: dict[str, float] | None = Field(
        None, description="The score's parts (distance, slots, language...) and the priority."
    )
    proposed_by: str | None = Field(
        None, description="`batch`, `online`, or `coordinator` when proposed by hand."
    )


class MatchAccepted(MatchEvent):
    EVENT_TYPE: ClassVar[str] = "fr.entraide.match.accepted.v1"
    accepted_at: datetime


class MatchDeclined(MatchEvent):
    EVENT_TYPE: ClassVar[str] = "fr.entraide.match.declined.v1"
    reason_code: str = Field(max_length=64)
    declined_at: datetime


class MatchExpired(MatchEvent):
    EVENT_TYPE: ClassVar[str] = "fr.entraide.match.expired.v1"
    expired_at: datetime


class MatchStarted(MatchEvent):
    EVENT_TYPE: ClassVar[str] = "fr.entraide.match.started.v1"
    started_at: datetime


class MatchCheckedIn(MatchEvent):
    """A coordinator's follow-up with the family and the volunteer (a contact for privacy)."""

    EVENT_TYPE: ClassVar[str] = "fr.entraide.match.checked-in.v1"
    checked_in_at: datetime
    kind: str = Field(max_length=32, description="`1-month`, `3-month` or `other`.")


class MatchClosed(MatchEvent):
    EVENT_TYPE: ClassVar[str] = "fr.entraide.match.closed.v1"
    outcome: MatchOutcome
    closed_at: datetime


class MatchWaitlisted(EventData):
    """No support could be proposed to an open request: it waits, for this reason (sent
    when it starts waiting or the reason changes, not at every batch)."""

    EVENT_TYPE: ClassVar[str] = "fr.entraide.match.waitlisted.v1"
    request_id: Ref
    family_ref: Ref
    reason_code: str = Field(
        max_length=64,
        description="The hard rule that stopped most candidates (`too-far`, `no-capacity`, "
        "`need-not-covered`...).",
    )
    waitlisted_at: datetime


# --- privacy: rights commands and acknowledgements --------------------------------------


class PrivacyCommand(EventData):
    case_id: Ref
    subject_ref: Ref
    subject_kind: SubjectKind
    deadline: datetime


class ErasureRequested(PrivacyCommand):
    EVENT_TYPE: ClassVar[str] = "fr.entraide.privacy.erasure-requested.v1"
    reason: ErasureReason


class AccessRequested(PrivacyCommand):
    EVENT_TYPE: ClassVar[str] = "fr.entraide.privacy.access-requested.v1"
    recipient_key: str | None = Field(
        None, description="The case's X25519 public key (base64): services seal their part to it."
    )


class ObjectionRequested(PrivacyCommand):
    """The subject objects to the processing: the owning service stops it (for a family,
    intake records the consent to matching withdrawn) and acknowledges."""

    EVENT_TYPE: ClassVar[str] = "fr.entraide.privacy.objection-requested.v1"


class RectificationRequested(PrivacyCommand):
    """The subject asks for a correction: the owning service puts it in its staff's hands
    (flagged on the record) and acknowledges."""

    EVENT_TYPE: ClassVar[str] = "fr.entraide.privacy.rectification-requested.v1"


class PrivacyAck(EventData):
    case_id: Ref
    subject_ref: Ref
    service: str = Field(pattern=r"^[a-z]+$")
    completed_at: datetime


class ErasureAcknowledged(PrivacyAck):
    EVENT_TYPE: ClassVar[str] = "fr.entraide.privacy.erasure-acknowledged.v1"
    counts: dict[str, int] = Field(description="Records deleted or anonymised, per kind.")


class AccessAcknowledged(PrivacyAck):
    EVENT_TYPE: ClassVar[str] = "fr.entraide.privacy.access-acknowledged.v1"
    sealed_export: str = Field(description="The service's part, encrypted for the case.")


class ObjectionAcknowledged(PrivacyAck):
    EVENT_TYPE: ClassVar[str] = "fr.entraide.privacy.objection-acknowledged.v1"
    counts: dict[str, int] = Field({}, description="Records changed, per kind.")


class RectificationAcknowledged(PrivacyAck):
    EVENT_TYPE: ClassVar[str] = "fr.entraide.privacy.rectification-acknowledged.v1"
    counts: dict[str, int] = Field({}, description="Records flagged for correction, per kind.")
