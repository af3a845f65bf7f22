"""A family's own request, as staff would have recorded it on their form: what the parent
wrote on the door, the consent she gave there and when, the signs staff noted reading it."""

from collections.abc import Sequence
from typing import Any

from entraide.intake.domain.family import Consent
from entraide.intake.domain.requests import Sign
from entraide.intake.domain.self_requests import SelfRequest
from entraide.intake.usecases.commands import FamilyDetails, Parent

BY_THE_FAMILY = "la famille (formulaire public)"


def details_of(
    request: SelfRequest, identity: dict[str, Any], signs: Sequence[Sign] = ()
) -> FamilyDetails:
    """The family's record as staff would have recorded it: consent given by the family
    itself on the form, at the time it sent it; the `signs` staff noted."""
    return FamilyDetails(
        parent=Parent(**identity["parent"]),
        children_birth_years=request.children_birth_years,
        postal_code=request.postal_code,
        commune=identity["commune"],
        languages=request.languages,
        contact_preferences=request.contact_preferences,
        needs=request.needs,
        availability=request.availability,
        signs=list(signs),
        notes=notes_of(identity),
        consent=consent_of(request, identity),
    )


def consent_of(request: SelfRequest, identity: dict[str, Any]) -> Consent:
    """The consent the parent gave on the door's form (matching is required to send it),
    at the time she sent it."""
    return Consent(
        matching=True,
        sharing=bool(identity.get("consent_sharing")),
        collected_by=BY_THE_FAMILY,
        collected_at=request.submitted_at,
    )


def notes_of(identity: dict[str, Any]) -> str:
    """What she wrote besides (when to call her back, her message): the request's notes."""
    parts = []
    if identity.get("callback_times"):
        parts.append(f"À rappeler : {identity['callback_times']}")
    if identity.get("message"):
        parts.append(f"Message de la famille : {identity['message']}")
    return "\n".join(parts)
