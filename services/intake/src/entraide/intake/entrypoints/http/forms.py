"""The staff form: HTML fields in, a validated request out, or French errors per field.

Pure functions over the submitted fields, so tests need no server. The same pydantic
model as the API validates, so the form and the API cannot drift apart.
"""

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from fastapi import Request as HttpRequest
from fastapi import Response
from pydantic import ValidationError
from starlette.datastructures import FormData

from entraide.contracts import associations
from entraide.intake.domain.family import Family, Request
from entraide.intake.entrypoints.http.schemas import WITHDRAWAL_ALLOWED, RequestFields
from entraide.kit import messages
from entraide.kit.pages import Pages
from entraide.kit.principal import Principal

TEXT_FIELDS = (
    "parent.first_name",
    "parent.last_name",
    "parent.phone",
    "parent.email",
    "children",
    "postal_code",
    "commune",
    "notes",
)
LIST_FIELDS = ("languages", "contact_preferences", "needs", "availability", "signs")
BOXES = ("consent.matching", "consent.sharing")
# the fields as famille_formulaire.html shows them: its error summary follows them
PAGE_ORDER = (
    "association_id",
    *TEXT_FIELDS[:4],
    "contact_preferences",
    "children",
    "postal_code",
    "commune",
    "languages",
    "needs",
    "availability",
    "signs",
    "notes",
    *BOXES,
)

REQUIRED = messages.REQUIRED
PATTERN_MESSAGES = {
    "parent.phone": "Numéro de téléphone invalide : 10 chiffres, par exemple 06 12 34 56 78.",
    "parent.email": "Adresse e-mail invalide, par exemple prenom.nom@exemple.fr.",
    "postal_code": "Code postal invalide : 5 chiffres, par exemple 44000.",
}
# the error summary lists the sentences alone: each names its field (« Ce champ est
# obligatoire. » three times told staff nothing), as the family door's do
NAMED_WHEN_EMPTY = {
    "parent.first_name": "Indiquez le prénom du parent.",
    "parent.last_name": "Indiquez le nom du parent.",
    "commune": "Indiquez la commune de la famille.",
}
FIELD_MESSAGES = {
    **{
        (name, kind): sentence
        for name, sentence in NAMED_WHEN_EMPTY.items()
        for kind in ("string_too_short", "missing")
    },
    ("children", "too_short"): "Indiquez l'année de naissance d'au moins un enfant.",
    ("children", "int_parsing"): "Écrivez les années en chiffres, séparées par des virgules "
    "(par exemple 2016, 2019).",
    (
        "children",
        "greater_than_equal",
    ): "Une année de naissance est trop ancienne (2000 au plus tôt).",
    ("children", "value_error"): "Une année de naissance est dans le futur.",
    ("needs", "too_short"): "Choisissez au moins un besoin.",
    ("consent.matching", "value_error"): "Sans l'accord du parent, la demande ne peut pas être "
    "orientée : cochez la case une fois son accord recueilli.",
}
TYPE_MESSAGES = {  # on the form; the API says the kit's sentence of the type
    "string_too_long": "Ce texte est trop long.",
    "too_long": "Trop de choix.",
    "enum": "Choix inconnu : rechargez la page.",
    "literal_error": "Choix inconnu : rechargez la page.",
}


@dataclass
class Parsed:
    """What the staff member typed (to show again) and either the request or the errors."""

    values: dict[str, Any]
    request: RequestFields | None = None
    errors: dict[str, str] = field(default_factory=dict)


def values_of(form: FormData) -> dict[str, Any]:
    """The form's fields as typed: text stripped, lists as lists, boxes as booleans."""
    values: dict[str, Any] = {name: str(form.get(name) or "").strip() for name in TEXT_FIELDS}
    values |= {name: [str(v) for v in form.getlist(name)] for name in LIST_FIELDS}
    values |= {name: form.get(name) == "oui" for name in BOXES}
    return values


def parse(
    values: Mapping[str, Any], *, collected_by: str, now: datetime, rectifying: bool = False
) -> Parsed:
    """Validate the typed values as a request; consent is collected by the signed-in staff.
    A new request needs the consent to matching; a rectification may withdraw it."""
    body = {
        "parent": {
            "first_name": values["parent.first_name"],
            "last_name": values["parent.last_name"],
            "phone": values["parent.phone"] or None,
            "email": values["parent.email"] or None,
        },
        "children": [{"birth_year": y} for y in re.split(r"[\s,;]+", values["children"]) if y],
        "postal_code": values["postal_code"],
        "commune": values["commune"],
        "languages": values["languages"] or ["fr"],
        "contact_preferences": values["contact_preferences"],
        "needs": values["needs"],
        "availability": [slot(v) for v in values["availability"]],
        "signs": values["signs"],
        "notes": values["notes"],
        "consent": {
            "matching": values["consent.matching"],
            "sharing": values["consent.sharing"],
            "collected_by": collected_by,
            "collected_at": now,
        },
    }
    try:
        context = WITHDRAWAL_ALLOWED if rectifying else None
        return Parsed(dict(values), RequestFields.model_validate(body, context=context))
    except ValidationError as exc:
        return Parsed(dict(values), errors=french_errors(exc.errors()))


def values_from_record(
    family: Family, identity: Mapping[str, Any], request: Request, notes: str
) -> dict[str, Any]:
    """The form's values for an existing family and request (the rectification form)."""
    parent = identity["parent"]
    return {
        "parent.first_name": parent["first_name"],
        "parent.last_name": parent["last_name"],
        "parent.phone": parent.get("phone") or "",
        "parent.email": parent.get("email") or "",
        "children": ", ".join(str(year) for year in family.children_birth_years),
        "postal_code": family.postal_code,
        "commune": identity["commune"],
        "notes": notes,
        "languages": list(family.languages),
        "contact_preferences": list(identity["contact_preferences"]),
        "needs": list(request.needs),
        "availability": [f"{s.day}-{s.part}" for s in request.availability],
        "signs": list(request.signs),
        "consent.matching": family.consent.matching,
        "consent.sharing": family.consent.sharing,
    }


def french_errors(errors: Sequence[Any]) -> dict[str, str]:
    """One French message per form field (the first error of each), never the input."""
    messages: dict[str, str] = {}
    for err in errors:
        name = field_name(err["loc"])
        messages.setdefault(name, message_for(name, err["type"]))
    return messages


def field_name(loc: Sequence[Any]) -> str:
    """The form field an error belongs to: `parent.phone`, `children`, `availability`..."""
    parts = [str(p) for p in loc]
    return ".".join(parts[:2]) if parts[0] in ("parent", "consent") else parts[0]


def message_for(name: str, error_type: str) -> str:
    return (
        field_message(name, error_type)
        or TYPE_MESSAGES.get(error_type)
        or messages.generic(error_type)
    )


def field_message(name: str, error_type: str) -> str | None:
    """The form's own sentence for this field and error, if it has one."""
    if error_type == "string_pattern_mismatch" and name in PATTERN_MESSAGES:
        return PATTERN_MESSAGES[name]
    return FIELD_MESSAGES.get((name, error_type))


def api_message(path: str, error_type: str) -> str | None:
    """The API's 422 for a field of the form says the form's sentence (`parent.phone`,
    `children.0.birth_year`...); None: the kit's sentence of the type."""
    return field_message(field_name(path.split(".")), error_type) if path else None


def slot(value: str) -> dict[str, str]:
    day, _, part = value.partition("-")
    return {"day": day, "part": part}


# the staff form's choice of association (network staff, who belong to none), by name
ASSOCIATIONS = tuple(associations.NAMES)


def page(
    pages: Pages,
    request: HttpRequest,
    principal: Principal,
    values: dict[str, Any],
    errors: dict[str, str],
    *,
    rectifying: tuple[str, str] | None = None,
    status_code: int = 200,
    **context: Any,
) -> Response:
    """The family form's page: a new family's (network staff choose the association), or
    the rectification of one request (`rectifying`: the family's and the request's ids)."""
    if rectifying is None:
        choices = [("", "— Choisir —"), *associations.NAMES.items()]
        where: dict[str, Any] = {
            "action": "/familles/nouvelle",
            "association_options": choices if principal.association_id is None else [],
        }
    else:
        family_id, request_id = rectifying
        where = {
            "action": f"/familles/{family_id}/demandes/{request_id}/modifier",
            "editing": True,
            "family_id": family_id,
        }
    return pages.page(
        request,
        "famille_formulaire.html",
        principal,
        status_code=status_code,
        values=values,
        errors=messages.in_page_order(errors, PAGE_ORDER),
        **where,
        **context,
    )
