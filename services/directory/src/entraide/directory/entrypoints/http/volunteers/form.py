"""The "devenir bénévole" form: its fields, and its sentences for what does not fit (the
API's 422 for an application says the same)."""

from typing import Any

from pydantic import ValidationError

from entraide.directory.domain.associations import ASSOCIATIONS
from entraide.directory.domain.volunteers.application import Application
from entraide.directory.entrypoints.http.labels import LANGUAGES, NEEDS, SLOTS
from entraide.kit import messages
from entraide.kit.i18n import N_

MESSAGES = {
    "identity.prenom": "Indiquez votre prénom.",
    "identity.nom": "Indiquez votre nom.",
    "identity.courriel": "Indiquez une adresse électronique valide, par exemple nom@exemple.fr.",
    "identity.telephone": "Indiquez un numéro de téléphone à 10 chiffres, par exemple "
    "06 12 34 56 78, ou laissez ce champ vide.",
    "code_postal": "Indiquez un code postal à 5 chiffres, par exemple 44000.",
    "association_id": "Choisissez une association.",
    "needs": "Choisissez au moins une façon d'aider.",
    "availability": "Choisissez au moins un moment où vous êtes disponible.",
    "capacity": "Indiquez un nombre de familles entre 1 et 5.",
    "languages": "Choisissez les langues dans la liste.",
    "consent": "Votre accord est nécessaire pour que l'association traite votre candidature.",
}
# what the fields' own rules do not say: a postal code of five digits that no commune has
# (« 5 chiffres » told one who typed five), and SMS chosen with no phone to send it to
# (the application took it and told them by e-mail instead)
MISMATCHES = {
    "unknown_postal_code": "Ce code postal ne correspond à aucune commune : vérifiez-le, "
    "par exemple 44000.",
    "sms_without_phone": "Indiquez votre numéro de téléphone pour recevoir les messages par SMS, "
    "ou décochez la case « Par SMS ».",
}

# The model's field -> the form's input, so each error is tied to its field.
FORM_NAMES = {
    "identity.prenom": "prenom",
    "identity.nom": "nom",
    "identity.courriel": "courriel",
    "identity.telephone": "telephone",
    "availability": "slots",
    "capacity": "capacite",
    "languages": "langues",
}
FIELDS = ("prenom", "nom", "courriel", "telephone", "code_postal", "association_id", "capacite")
# the fields as benevole.html shows them: its error summary follows them
PAGE_ORDER = (
    *FIELDS[:4],
    "sms",
    "code_postal",
    "association_id",
    "needs",
    "slots",
    "langues",
    "capacite",
    "consent",
)


def api_message(path: str, error_type: str) -> str | None:
    """The API's 422 for an application says the form's sentence for the field."""
    parts = [p for p in path.split(".") if not p.isdigit()][:2]
    if parts == ["code_postal"] and error_type == "value_error":
        return MISMATCHES["unknown_postal_code"]
    return MESSAGES.get(".".join(parts)) or MESSAGES.get(parts[0] if parts else "")


def context(form: dict[str, Any], errors: dict[str, str]) -> dict[str, Any]:
    """What the form's page shows: what was typed, the errors, the choices."""
    return {
        "form": form,
        "errors": messages.in_page_order(errors, PAGE_ORDER),
        "associations": [
            ("", N_("Choisir une association")),
            *[(a.id, a.nom) for a in ASSOCIATIONS.values()],
        ],
        "needs": NEEDS[1:],
        "slots": SLOTS,
        "language_choices": LANGUAGES,  # not `languages`: the kit's switcher
    }


def application(form: dict[str, Any]) -> Application | dict[str, str]:
    """The application the form describes, or the form's errors by input name."""
    try:
        found = Application.model_validate(
            {
                "identity": identity_of(form),
                "association_id": form["association_id"],
                "code_postal": form["code_postal"],
                "needs": form["needs"],
                "availability": [
                    dict(zip(("day", "part"), s.split("-"), strict=True)) for s in form["slots"]
                ],
                "languages": form["langues"] or ["fr"],
                "capacity": form["capacite"] or 1,
                "consent": form["consent"] == "oui",
            }
        )
    except ValidationError as exc:
        return errors_of(exc) | sms_without_phone(form)
    if errors := sms_without_phone(form):
        return errors
    if found.association_id not in ASSOCIATIONS:
        return {"association_id": MESSAGES["association_id"]}
    return found


def identity_of(form: dict[str, Any]) -> dict[str, Any]:
    """The identity the form's fields describe (how to be told: SMS if ticked)."""
    return {
        **{k: form[k] or None for k in ("prenom", "nom", "courriel", "telephone")},
        "canal": "sms" if form.get("sms") == "oui" else "email",
    }


def errors_of(exc: ValidationError, messages: dict[str, str] = MESSAGES) -> dict[str, str]:
    """The model's errors as the form's, by input name (the first per field)."""
    errors: dict[str, str] = {}
    for err in exc.errors(include_input=False):
        field = ".".join(str(p) for p in err["loc"][:2] if not isinstance(p, int))
        name = FORM_NAMES.get(field, field)
        errors.setdefault(name, _message(field, err["type"], messages))
    return errors


def _message(field: str, kind: str, messages: dict[str, str]) -> str:
    if field == "code_postal" and kind == "value_error":  # five digits, no commune
        return MISMATCHES["unknown_postal_code"]
    return messages.get(field, "Cette réponse n'est pas valide.")


def sms_without_phone(
    form: dict[str, Any], message: str = MISMATCHES["sms_without_phone"]
) -> dict[str, str]:
    """SMS is sent to the phone given: ticked without one, the form asks for it."""
    if form.get("sms") == "oui" and not form["telephone"].strip():
        return {"telephone": message}
    return {}
