"""Directory's events: offers and volunteers' availability."""

from datetime import date, datetime
from typing import ClassVar

from pydantic import Field

from entraide.contracts.events.common import Departement, EventData, Language, PostalCode, Ref, Slot
from entraide.contracts.vocab import (
    Need,
)


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
    applied_at: datetime | None = Field(
        None, description="When the volunteer applied (the observatory's time to approval)."
    )
    approved_at: datetime | None = Field(
        None, description="When their association first approved them."
    )
    skills: list[str] = Field(
        [],
        max_length=20,
        description="What the volunteer knows how to do (`labels.SKILLS` keys): matching's "
        "score gives a small bonus where they meet the family's needs.",
    )
