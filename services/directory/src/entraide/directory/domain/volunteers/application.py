"""What a would-be volunteer tells the network: the public form's fields and their rules.
Pure: no I/O."""

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from entraide.contracts.events import Language, Slot
from entraide.contracts.fields import Phone
from entraide.contracts.vocab import Need, WrittenLanguage
from entraide.directory.domain import places


def known_postal_code(value: str) -> str:
    """A postal code some commune has (every French one is known)."""
    if places.by_postal_code(value) is None:
        raise ValueError("code postal inconnu")
    return value


class Identity(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)
    prenom: str = Field(min_length=1, max_length=80)
    nom: str = Field(min_length=1, max_length=80)
    courriel: str = Field(pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$", max_length=200)
    telephone: Phone | None = None  # intake's check: a French number
    canal: Literal["email", "sms"] = Field(
        "email",
        description="How they are told of their application and proposals (SMS: "
        "to the phone given, e-mail without one).",
    )


class Application(BaseModel):
    """What a would-be volunteer tells the network (the public form)."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)
    identity: Identity
    association_id: str = Field(min_length=2, max_length=60)
    code_postal: str = Field(pattern=r"^\d{5}$")
    needs: list[Need] = Field(min_length=1, description="What they would like to do.")
    availability: list[Slot] = Field(min_length=1)
    languages: list[Language] = Field(["fr"], max_length=10)
    skills: list[str] = Field([], max_length=20)
    capacity: int = Field(1, ge=1, le=5, description="How many families at once.")
    consent: bool = Field(description="Agrees that the association keeps and uses these data.")
    written_language: WrittenLanguage = Field(
        "fr",
        description="The language the network writes to them in (their application's "
        "status, proposals): the form's. fr, falc (easy French), en, ar, pt, ro.",
    )

    _known = field_validator("code_postal")(known_postal_code)

    @field_validator("consent")
    @classmethod
    def _consented(cls, value: bool) -> bool:
        if not value:
            raise ValueError("l'accord est nécessaire pour traiter la candidature")
        return value


class Correction(BaseModel):
    """What a volunteer's association corrects with them (their right of rectification):
    who they are, how to reach them, where they live, under the application's rules."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)
    identity: Identity
    code_postal: str = Field(pattern=r"^\d{5}$", description="Their commune's.")

    _known = field_validator("code_postal")(known_postal_code)
