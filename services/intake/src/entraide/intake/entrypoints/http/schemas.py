"""What staff and partners send to intake's API, and what it answers. Identity fields stay
in intake's own database. `OverrideReason` is the domain's (`domain.access`)."""

from datetime import UTC, datetime
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator

from entraide.contracts.events import Language, PostalCode, Slot
from entraide.contracts.fields import Phone
from entraide.contracts.vocab import Need, WithdrawalReason
from entraide.intake.domain.access import OverrideReason
from entraide.intake.domain.family import Consent
from entraide.intake.domain.requests import Sign
from entraide.intake.usecases.another_request import Wish
from entraide.intake.usecases.commands import FamilyDetails, Parent

Name = Annotated[str, Field(min_length=1, max_length=100)]
Email = Annotated[str, Field(pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$", max_length=254)]


class _In(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class ParentIn(_In):
    first_name: Name
    last_name: Name
    phone: Phone | None = None
    email: Email | None = None


class ChildIn(_In):
    birth_year: int = Field(ge=2000, description="Only the year: ages travel as bands.")

    @field_validator("birth_year")
    @classmethod
    def not_in_future(cls, year: int) -> int:
        if year > datetime.now(UTC).year:
            raise ValueError("birth year is in the future")
        return year


class ConsentFields(_In):
    """The parent's consent as collected: `matching` false is a withdrawal."""

    matching: bool = Field(description="The parent agrees to be matched (no consent, no matching).")
    sharing: bool = Field(
        False,
        description="The parent agrees that another association of the network sees the request.",
    )
    collected_by: Name
    collected_at: datetime


class ConsentIn(ConsentFields):
    """The consent with a request: required for matching when the request is recorded."""

    @field_validator("matching")
    @classmethod
    def required_for_matching(cls, given: bool, info: ValidationInfo) -> bool:
        """Required when a request is first recorded (a request is asked for matching: with
        no consent there is nothing to record); false later is the consent withdrawn
        (rectification, the consent routes), validated with `WITHDRAWAL_ALLOWED`."""
        if not given and not (info.context or {}).get("withdrawal_allowed"):
            raise ValueError(
                "the parent's consent to matching is required: no consent, no matching"
            )
        return given


WITHDRAWAL_ALLOWED = {"withdrawal_allowed": True}  # validation context: matching=false is ok


class ConsentChange(_In):
    """The parent's consent as collected now, for a family already recorded: `matching`
    false withdraws the consent to matching (its open match ends, nothing more is
    proposed); true again gives it back."""

    consent: ConsentFields

    def given(self) -> Consent:
        return Consent(**self.consent.model_dump())


class PartnerWithdrawal(_In):
    """Why a partner withdraws the request its event sent (a consent withdrawn has its own
    route: `/consent`)."""

    reason: Literal["need-met-elsewhere", "family-choice", "other"] = Field(
        description="need-met-elsewhere: housed, helped by another service; family-choice: "
        "the family no longer wants support; other"
    )

    def given(self) -> WithdrawalReason:
        return WithdrawalReason(self.reason)


class ConsentChanged(BaseModel):
    family_id: str
    matching: bool
    sharing: bool
    requests_revised: int


class RequestFields(_In):
    """A family and its first request for support: what staff and partners both send."""

    parent: ParentIn
    children: list[ChildIn] = Field(min_length=1, max_length=15)
    postal_code: PostalCode
    commune: Name
    languages: list[Language] = Field(default_factory=lambda: ["fr"], max_length=10)
    contact_preferences: list[Literal["phone", "sms", "email", "post"]] = []
    needs: list[Need] = Field(min_length=1)
    availability: list[Slot] = Field(default=[], max_length=21)
    signs: list[Sign] = Field(default=[], description="Signs of exhaustion or isolation.")
    notes: str = Field("", max_length=2000, description="Free text; never leaves intake.")
    consent: ConsentIn

    def details(self) -> FamilyDetails:
        """The use cases' command for what was sent."""
        return FamilyDetails(
            parent=Parent(**self.parent.model_dump()),
            children_birth_years=[c.birth_year for c in self.children],
            postal_code=self.postal_code,
            commune=self.commune,
            languages=list(self.languages),
            contact_preferences=list(self.contact_preferences),
            needs=list(self.needs),
            availability=list(self.availability),
            signs=list(self.signs),
            notes=self.notes,
            consent=Consent(**self.consent.model_dump()),
        )


AssociationId = Annotated[str, Field(min_length=2, max_length=64, pattern=r"^[a-z0-9-]+$")]


class RequestIn(RequestFields):
    """A request as staff record it, for their association."""

    association_id: AssociationId
    confirm_new: bool = Field(
        False,
        description="The possible duplicates a 409 answered were reviewed: this is another "
        "family. It is recorded with them flagged as possible duplicates, not merged.",
    )


class PartnerRequest(RequestFields):
    """A request as a partner sends it; the association may be left to the network."""

    association_id: AssociationId | None = None


class AnotherRequestIn(_In):
    """Another request of a family already known (it asks for something else, or again):
    what it asks for now, with the parent's consent collected with it."""

    needs: list[Need] = Field(min_length=1)
    availability: list[Slot] | None = Field(
        default=None,
        max_length=21,
        description="The half-days she can be visited. Left out: the ones she last gave "
        "(a request with none is never proposed a volunteer); [] on purpose: none yet.",
    )
    signs: list[Sign] = Field(default=[], description="Signs of exhaustion or isolation.")
    notes: str = Field("", max_length=2000, description="Free text; never leaves intake.")
    consent: ConsentIn

    def wish(self) -> Wish:
        given = Consent(**self.consent.model_dump())
        return Wish(self.needs, self.availability, self.signs, self.notes, given)


class RequestCreated(BaseModel):
    request_id: str
    status: Literal["submitted"] = "submitted"
    possible_duplicates: int = Field(
        0, description="How many known families it was flagged with (confirmed different)."
    )


class DuplicateSummary(BaseModel):
    """A family already known with the same name, phone or e-mail: no identity."""

    family_id: str
    association_id: str | None
    departement: str
    created_at: datetime
    request_ids: list[str]


class PossibleDuplicates(BaseModel):
    """409: families already known look like this one; nothing was recorded."""

    code: Literal["possible-duplicates"] = "possible-duplicates"
    detail: str = (
        "Cette famille est peut-être déjà connue (même nom, téléphone ou e-mail) : vérifiez, "
        "puis renvoyez la demande avec confirm_new: true s'il s'agit d'une autre famille."
    )
    possible_duplicates: list[DuplicateSummary] = Field(
        description="Those in your scope (open them with GET /api/v1/families/{family_id})."
    )
    out_of_scope: int = Field(
        description="Those outside your scope: counted, not shown (the network can check)."
    )


class SharingOverrideIn(_In):
    association_id: AssociationId = Field(description="The association that may open it.")
    reason: OverrideReason = Field(description="Recorded in the audit log, with who and when.")


class SharingOverridden(BaseModel):
    family_id: str
    shared_with: str
    reason: OverrideReason
