"""What staff or a partner tell intake about a family: the use cases' input, whichever
door it came through (the API's and the form's pydantic models convert to it)."""

from dataclasses import dataclass

from entraide.contracts.events import Slot
from entraide.contracts.vocab import Need
from entraide.intake.domain import Sign
from entraide.intake.model import Consent


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
