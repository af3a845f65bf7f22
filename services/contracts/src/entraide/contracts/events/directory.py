"""Directory's events: offers and volunteers' availability."""

from datetime import date, datetime
from enum import StrEnum
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


class ApplicationStatus(StrEnum):
    """Where a volunteer's application stands (directory's review statuses)."""

    APPLIED = "applied"
    IN_REVIEW = "in-review"
    APPROVED = "approved"
    DECLINED = "declined"
    PAUSED = "paused"
    LEFT = "left"


class HonorabilityCheck(StrEnum):
    """The honorability check as the network may know it. A refused check is criminal
    records data (GDPR art. 10): it never leaves directory, it travels as `none`."""

    NONE = "none"  # not asked (or refused: said nowhere)
    PENDING = "pending"  # asked, not yet cleared
    VALID = "valid"  # cleared, valid on the day of the change
    EXPIRED = "expired"  # cleared, its validity over on the day of the change


class VolunteerApplicationChanged(EventData):
    """A volunteer's application changed: applied, reviewed, approved or declined, paused,
    resumed, left, or its honorability check moved. For the observatory's volunteers'
    funnel (applied → approved → active, time to approval, checks pending), and for
    privacy's registry: each change is a contact, so an applicant matching never hears of
    (declined, withdrawn, never reviewed) is erased 3 years after the last one.

    Anonymous but for the pseudonymous `volunteer_ref` (the one privacy's erasure of a
    volunteer names): no name, no contact, no free text, only codes and dates.

    Why a topic of its own (`entraide.directory.volunteer-applications.v1`) and not the
    volunteers topic: that topic is compacted on `volunteer_ref` and holds each approved
    volunteer's latest availability, which matching rebuilds its read model from. An
    application event on it would, once compacted, replace the availability of the same
    key (matching would lose the volunteer), and would tell matching of applicants it must
    never propose. This one is a log of changes (each one's date counts in a month), not
    compacted, kept as long as the requests (90 days): the observatory keeps its facts.
    """

    EVENT_TYPE: ClassVar[str] = "fr.entraide.volunteer.application.changed.v1"
    volunteer_ref: Ref
    association_id: str
    revision: int = Field(ge=1)
    departement: Departement
    needs: list[Need] = Field(min_length=1)
    skills: list[str] = Field([], max_length=20, description="`labels.SKILLS` keys only.")
    status: ApplicationStatus
    honorability: HonorabilityCheck = HonorabilityCheck.NONE
    honorability_valid_until: date | None = None
    applied_at: datetime
    approved_at: datetime | None = Field(None, description="The first approval.")
    changed_at: datetime
