"""Intake's events: requests for support, their withdrawal, contacts logged."""

from datetime import datetime
from typing import ClassVar

from pydantic import Field

from entraide.contracts.events.common import Departement, EventData, Language, PostalCode, Ref, Slot
from entraide.contracts.vocab import (
    AgeBand,
    ContactChannel,
    Need,
    RequestChannel,
    SituationSign,
    Urgency,
    WithdrawalReason,
)


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
    signs: list[SituationSign] = Field(
        [],
        description="The signs of exhaustion or isolation noted with the parent, as codes "
        "(no free text; the urgency is derived from them): the observatory counts them.",
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
