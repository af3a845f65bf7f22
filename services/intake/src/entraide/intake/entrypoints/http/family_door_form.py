"""The public form « Demander de l'aide »: the parent's fields in, a submission out, or
French errors beside each field (the staff form's way: `forms.french_errors`), each one a
sentence of intake's catalogs (the route shows it in the page's language).

Pure functions over the submitted fields, so tests need no server. The commune is checked
against the network's geography (every French commune and its postal codes).
"""

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cache
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError
from starlette.datastructures import FormData

from entraide.contracts import geography
from entraide.contracts.events import Language, PostalCode, Slot
from entraide.contracts.fields import Phone
from entraide.contracts.vocab import Need
from entraide.intake.entrypoints.http import forms
from entraide.intake.entrypoints.http.schemas import Email, Name
from entraide.intake.usecases.commands import Parent
from entraide.intake.usecases.self_requests import SelfSubmission
from entraide.kit.i18n import N_

TEXT_FIELDS = (
    "parent.first_name",
    "parent.last_name",
    "parent.phone",
    "parent.email",
    "ages",
    "postal_code",
    "commune",
    "callback_times",
    "message",
    "association_id",
    "offer_id",
)
LIST_FIELDS = ("needs", "availability", "contact_preferences", "languages")
BOXES = ("consent.matching", "consent.sharing")
# the fields as demander_aide.html shows them: its error summary follows them
PAGE_ORDER = (
    "needs", "message", "ages", "postal_code", "commune", "availability",
    "parent.first_name", "parent.last_name", "contact_preferences", "parent.phone",
    "parent.email", "callback_times", "languages", *BOXES,
)  # fmt: skip
HONEYPOT, FORM_TOKEN = "site_web", "debut"
CONTACT_CHOICES = {
    "phone": N_("Un appel téléphonique"),
    "sms": N_("Un SMS"),
    "email": N_("Un e-mail"),
}
OFFER_ID = re.compile(r"^[A-Za-z0-9_.:-]{1,100}$")

# the door's own sentence for an empty name or commune: the staff form's (the kit's
# generic « Ce champ est obligatoire. ») is in no public catalog and names nothing
FIRST_NAME_MISSING = N_("Indiquez votre prénom.")
LAST_NAME_MISSING = N_("Indiquez votre nom de famille.")
COMMUNE_MISSING = N_("Indiquez la commune où vous habitez.")
# not the pattern's « invalide », which told a parent who typed nothing that it was wrong
POSTAL_CODE_MISSING = N_("Indiquez votre code postal.")
MESSAGES = {
    **{
        (name, kind): sentence
        for name, sentence in (
            ("parent.first_name", FIRST_NAME_MISSING),
            ("parent.last_name", LAST_NAME_MISSING),
            ("commune", COMMUNE_MISSING),
        )
        for kind in ("string_too_short", "missing")
    },
    ("ages", "too_short"): N_("Indiquez l'âge d'au moins un enfant."),
    ("ages", "int_parsing"): N_(
        "Écrivez les âges en chiffres, séparés par des virgules (par exemple 3, 7)."
    ),
    ("ages", "less_than_equal"): N_("Un âge dépasse 17 ans : l'aide est pour les enfants mineurs."),
    ("ages", "greater_than_equal"): N_("Un âge ne peut pas être négatif."),
    ("ages", "too_long"): N_("Indiquez l'âge de 15 enfants au plus."),
    ("languages", "too_long"): N_("Cochez 10 langues au plus."),
    ("needs", "too_short"): N_("Choisissez au moins une aide."),
    ("contact_preferences", "too_short"): N_(
        "Choisissez comment l'on peut vous contacter : appel, SMS ou e-mail."
    ),
    ("parent.phone", "missing"): N_(
        "Indiquez un numéro de téléphone pour que l'on vous rappelle ou vous envoie un SMS."
    ),
    ("parent.email", "missing"): N_("Indiquez une adresse e-mail pour recevoir un e-mail."),
    ("consent.matching", "value_error"): N_(
        "Cochez la case pour que votre demande puisse être "
        "transmise : sans votre accord, nous ne pouvons rien faire."
    ),
    ("commune", "value_error"): N_(
        "Cette commune ne correspond pas au code postal : vérifiez l'un ou l'autre."
    ),
}


class _ParentIn(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)
    first_name: Name
    last_name: Name
    phone: Phone | None = None
    email: Email | None = None


class SelfRequestFields(BaseModel):
    """What the public form accepts (the staff API's types for the parent and places);
    that each chosen way of contact has its number or address is `parse`'s check."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)
    parent: _ParentIn
    ages: list[Annotated[int, Field(ge=0, le=17)]] = Field(min_length=1, max_length=15)
    postal_code: PostalCode
    commune: Name
    languages: list[Language] = Field(default_factory=lambda: ["fr"], max_length=10)
    contact_preferences: list[Literal["phone", "sms", "email"]] = Field(min_length=1)
    callback_times: str = Field("", max_length=200)
    needs: list[Need] = Field(min_length=1)
    availability: list[Slot] = Field(default=[], max_length=21)
    message: str = Field("", max_length=1000)
    consent_matching: bool
    consent_sharing: bool = False


# each way of contact and the field it needs
CHANNEL_FIELDS = {"phone": "parent.phone", "sms": "parent.phone", "email": "parent.email"}


def spoken_by_default(page_language: str) -> list[str]:
    """The language ticked before the parent chooses: the door's own (French for the
    easy-to-read French), never French on a door read in another language."""
    return ["fr" if page_language == "falc" else page_language]


def unreachable(chosen: list[str], phone: str | None, email: str | None) -> list[str]:
    """The fields a chosen way of contact needs and the parent left empty: each one, so a
    parent who ticked SMS and e-mail is told of both at once (a request taken without its
    e-mail would never send the follow-up code there)."""
    given = {"parent.phone": phone, "parent.email": email}
    needed = dict.fromkeys(CHANNEL_FIELDS[c] for c in chosen if c in CHANNEL_FIELDS)
    return [name for name in needed if not given[name]]


@dataclass
class Parsed:
    values: dict[str, Any]
    submission: SelfSubmission | None = None
    errors: dict[str, str] = field(default_factory=dict)


def values_of(form: FormData | Mapping[str, Any]) -> dict[str, Any]:
    """The form's fields as typed: text stripped, lists as lists, boxes as booleans."""

    def listed(name: str) -> list[str]:
        if isinstance(form, FormData):
            return [str(v) for v in form.getlist(name)]
        found: Any = form.get(name) or []
        return [str(v) for v in found]

    values: dict[str, Any] = {name: str(form.get(name) or "").strip() for name in TEXT_FIELDS}
    values |= {name: listed(name) for name in LIST_FIELDS}
    values |= {name: form.get(name) == "oui" for name in BOXES}
    return values


def parse(
    values: Mapping[str, Any],
    *,
    associations: Mapping[str, str],
    now: datetime,
    language: str = "fr",  # the page's: the family's messages will be in it
) -> Parsed:
    """Validate what the parent typed; the association and offer come from the offer's link
    (an unknown one is dropped, not an error: the family asks the network)."""
    body = {
        "parent": {
            "first_name": values["parent.first_name"],
            "last_name": values["parent.last_name"],
            "phone": values["parent.phone"] or None,
            "email": values["parent.email"] or None,
        },
        "ages": [a for a in re.split(r"[\s,;]+", values["ages"]) if a],
        "postal_code": values["postal_code"],
        "commune": values["commune"],
        "languages": values["languages"] or spoken_by_default(language),
        "contact_preferences": values["contact_preferences"],
        "callback_times": values["callback_times"],
        "needs": values["needs"],
        "availability": [_slot(v) for v in values["availability"]],
        "message": values["message"],
        "consent_matching": values["consent.matching"],
        "consent_sharing": values["consent.sharing"],
    }
    # checked beside the fields' own mistakes, not only once every field is valid
    errors = {
        name: MESSAGES[(name, "missing")]
        for name in unreachable(
            values["contact_preferences"], values["parent.phone"], values["parent.email"]
        )
    }
    if not values["postal_code"]:
        errors["postal_code"] = POSTAL_CODE_MISSING
    if not values["consent.matching"]:
        errors["consent.matching"] = MESSAGES[("consent.matching", "value_error")]
    commune = commune_named(values["postal_code"], values["commune"])
    if commune is None and re.fullmatch(r"\d{5}", values["postal_code"]) and values["commune"]:
        errors["commune"] = MESSAGES[("commune", "value_error")]
    try:
        fields = SelfRequestFields.model_validate(body)
    except ValidationError as exc:
        return Parsed(dict(values), errors=_french(exc) | errors)
    if errors:
        return Parsed(dict(values), errors=errors)
    association = values["association_id"] if values["association_id"] in associations else None
    offer = values["offer_id"] if OFFER_ID.match(values["offer_id"]) else None
    year = now.astimezone(UTC).year
    submission = SelfSubmission(
        parent=Parent(**fields.parent.model_dump()),
        children_birth_years=sorted(year - age for age in fields.ages),
        postal_code=fields.postal_code,
        commune=commune or fields.commune,
        languages=list(fields.languages),
        contact_preferences=list(fields.contact_preferences),
        callback_times=fields.callback_times,
        needs=list(fields.needs),
        availability=list(fields.availability),
        message=fields.message,
        consent_sharing=fields.consent_sharing,
        association_id=association,
        offer_id=offer if association else None,
        language=language,
    )
    return Parsed(dict(values), submission)


def _french(exc: ValidationError) -> dict[str, str]:
    found: dict[str, str] = {}
    for err in exc.errors():
        loc = [str(p) for p in err["loc"]]
        name = "consent.matching" if loc[0] == "consent_matching" else forms.field_name(loc)
        found.setdefault(
            name, MESSAGES.get((name, err["type"])) or forms.message_for(name, err["type"])
        )
    return found


def commune_named(postal_code: str, name: str) -> str | None:
    """The commune's own name if one of this postal code's communes is called so (accents,
    case, dashes and « Saint »/« St » aside), else None."""
    names = _by_postal_code().get(postal_code, {})
    return names.get(_plain(name))


@cache
def _by_postal_code() -> dict[str, dict[str, str]]:
    table: dict[str, dict[str, str]] = {}
    for commune in geography.communes():
        for code in commune.postal_codes:
            table.setdefault(code, {})[_plain(commune.name)] = commune.name
    return table


def _plain(name: str) -> str:
    decomposed = unicodedata.normalize("NFKD", name.casefold())
    letters = "".join(c if c.isalnum() else " " for c in decomposed if not unicodedata.combining(c))
    words = ["saint" if w == "st" else "sainte" if w == "ste" else w for w in letters.split()]
    return " ".join(words)


def _slot(value: str) -> dict[str, str]:
    day, _, part = value.partition("-")
    return {"day": day, "part": part}
