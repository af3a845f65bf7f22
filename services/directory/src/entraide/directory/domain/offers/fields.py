"""What a valid offer is (data·inclusion's fields, the network's vocabulary) and when it
grows stale. Pure: no I/O."""

import secrets
from datetime import datetime, timedelta
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from entraide.contracts.vocab import Need
from entraide.directory.domain.offers import hours, vocab

REMINDER_AFTER = timedelta(days=180)  # no update for six months: remind the association
HIDDEN_AFTER = timedelta(days=270)  # nine months: stop showing it to the public
PostalCode = str


class Freshness(StrEnum):
    FRESH = "fresh"
    REMINDER = "reminder"  # still shown; the association is asked to confirm it
    HIDDEN = "hidden"  # no longer shown to the public until updated


class OfferFields(BaseModel):
    """What an association says of an action; data·inclusion's names where they overlap."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    nom: str = Field(min_length=3, max_length=200)
    presentation: str = Field(
        "", max_length=2000, description="data·inclusion `presentation_detail`."
    )
    thematiques: list[str] = Field(min_length=1)
    publics: list[str] = ["familles-monoparentales"]
    frais: list[str] = ["gratuit"]
    modes_accueil: list[str] = ["en-presentiel"]
    zone_eligibilite: list[str] = Field(min_length=1, description="Départements served.")
    horaires_accueil: str | None = Field(None, description="OpenStreetMap opening_hours.")
    commune: str = Field(min_length=1, max_length=100)
    code_postal: PostalCode = Field(pattern=r"^\d{5}$")
    latitude: float = Field(ge=41, le=51.5)
    longitude: float = Field(ge=-5.5, le=10)
    age_min: int | None = Field(None, ge=0, le=25)
    age_max: int | None = Field(None, ge=0, le=25)
    capacity: int | None = Field(None, ge=0)
    current_load: int | None = Field(None, ge=0)
    modalites_acces: str = Field("", max_length=1000, description="How a family gets in.")
    telephone: str | None = Field(None, max_length=30)
    courriel: str | None = Field(None, max_length=200)
    lien: str | None = Field(None, max_length=300)
    professionals_only: bool = False
    branch_id: str | None = None

    @field_validator("thematiques")
    @classmethod
    def _known_thematiques(cls, value: list[str]) -> list[str]:
        return _known(value, vocab.THEMATIQUES, "thématique")

    @field_validator("publics")
    @classmethod
    def _known_publics(cls, value: list[str]) -> list[str]:
        return _known(value, vocab.PUBLICS, "public")

    @field_validator("frais")
    @classmethod
    def _known_frais(cls, value: list[str]) -> list[str]:
        return _known(value, vocab.FRAIS, "frais")

    @field_validator("modes_accueil")
    @classmethod
    def _known_modes(cls, value: list[str]) -> list[str]:
        return _known(value, vocab.MODES_ACCUEIL, "mode d'accueil")

    @field_validator("zone_eligibilite")
    @classmethod
    def _departements(cls, value: list[str]) -> list[str]:
        if any(len(code) not in (2, 3) or not code[:2].isalnum() for code in value):
            raise ValueError("des codes de département, comme 44")
        return sorted(set(value))

    @field_validator("horaires_accueil")
    @classmethod
    def _hours(cls, value: str | None) -> str | None:
        if value:
            hours.parse(value)  # raises HoursError, a ValueError
        return value or None

    @model_validator(mode="after")
    def _ages(self) -> "OfferFields":
        if self.age_min is not None and self.age_max is not None and self.age_min > self.age_max:
            raise ValueError("l'âge minimum dépasse l'âge maximum")
        return self

    @property
    def needs(self) -> list[Need]:
        return sorted({vocab.THEMATIQUE_NEEDS[t] for t in self.thematiques})


def _known(values: list[str], known: dict[str, str], what: str) -> list[str]:
    unknown = [v for v in values if v not in known]
    if unknown:
        raise ValueError(f"{what} inconnu : {', '.join(unknown)}")
    return sorted(set(values))


def new_offer_id() -> str:
    return secrets.token_hex(12)


def freshness(updated_at: datetime, now: datetime) -> Freshness:
    age = now - updated_at
    if age >= HIDDEN_AFTER:
        return Freshness.HIDDEN
    return Freshness.REMINDER if age >= REMINDER_AFTER else Freshness.FRESH
