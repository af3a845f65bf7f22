"""What staff or a partner tell intake about a family: the use cases' input, whichever
door it came through (the API's and the form's pydantic models convert to it)."""

from dataclasses import dataclass

from entraide.contracts.events import Slot
from entraide.contracts.vocab import Need
from entraide.intake.domain.family import Consent
from entraide.intake.domain.requests import Sign


@dataclass(frozen=True)
class Parent:
    first_name: str
    last_name: str
    phone: str | None = None
    email: str | None = None


@dataclass(frozen=True)
class FamilyDetails:
    """A family and its request as recorded, or rectified."""

    parent: Parent
    children_birth_years: list[int]
    postal_code: str
    commune: str
    languages: list[str]
    contact_preferences: list[str]
    needs: list[Need]
    availability: list[Slot]
    signs: list[Sign]
    notes: str
    consent: Consent


@dataclass(frozen=True)
class PartnerSubmission:
    """A partner's request for support (its event, validated at the door)."""

    source: str  # the partner's
    event_id: str  # unique per source: a resend keeps it
    association_id: str | None
    details: FamilyDetails
