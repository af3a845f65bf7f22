"""Validation errors in French, the same words on the forms and in the APIs' 422 answers.

Pydantic says what is wrong in English ("Field required", "String should match pattern
'^\\d{5}$'"). A service gives its own sentences for its fields (`FieldMessages`: the
form's texts, by the field's dotted path and the error's type); every other error gets the
generic French sentence of its type, never the value sent (it may be personal).
"""

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

# (field's dotted path, e.g. `parent.phone` or `children.0.birth_year`; pydantic's type)
FieldMessages = Callable[[str, str], str | None]


@dataclass(frozen=True)
class FieldSentences:
    """A service's own sentences for its API's 422s (its forms' texts), provided by its
    app.py (`kit.deps.provide(app, FieldSentences(forms.api_message))`)."""

    of: FieldMessages


REQUIRED = "Ce champ est obligatoire."
INVALID = "Valeur invalide."
TYPES = {
    "missing": REQUIRED,
    "string_too_short": REQUIRED,
    "string_too_long": "Ce texte est trop long ({max_length} caractères au plus).",
    "string_pattern_mismatch": "Ce texte n'a pas la forme attendue.",
    "string_type": "Un texte est attendu.",
    "int_parsing": "Un nombre entier est attendu.",
    "int_type": "Un nombre entier est attendu.",
    "int_from_float": "Un nombre entier est attendu.",
    "float_parsing": "Un nombre est attendu.",
    "float_type": "Un nombre est attendu.",
    "bool_parsing": "Oui ou non est attendu (true ou false).",
    "bool_type": "Oui ou non est attendu (true ou false).",
    "greater_than_equal": "La valeur doit être au moins {ge}.",
    "greater_than": "La valeur doit être supérieure à {gt}.",
    "less_than_equal": "La valeur doit être au plus {le}.",
    "less_than": "La valeur doit être inférieure à {lt}.",
    "too_short": "Au moins {min_length} élément attendu.",
    "too_long": "Trop d'éléments ({max_length} au plus).",
    "enum": "Choix inconnu : {expected}.",
    "literal_error": "Choix inconnu : {expected}.",
    "list_type": "Une liste est attendue.",
    "dict_type": "Un objet est attendu.",
    "model_type": "Un objet est attendu.",
    "model_attributes_type": "Un objet est attendu.",
    "json_invalid": "Le corps de la demande n'est pas du JSON valide.",
    "json_type": "Du JSON est attendu.",
    "extra_forbidden": "Champ inconnu.",
    "date_parsing": "Une date est attendue (AAAA-MM-JJ).",
    "date_from_datetime_parsing": "Une date est attendue (AAAA-MM-JJ).",
    "date_type": "Une date est attendue (AAAA-MM-JJ).",
    "datetime_parsing": "Une date et une heure sont attendues (ISO 8601, avec le fuseau).",
    "datetime_from_date_parsing": "Une date et une heure sont attendues (ISO 8601).",
    "datetime_type": "Une date et une heure sont attendues (ISO 8601).",
    "timezone_aware": "L'heure doit préciser son fuseau (par exemple Z ou +01:00).",
    "uuid_parsing": "Un identifiant (UUID) est attendu.",
    "uuid_type": "Un identifiant (UUID) est attendu.",
    "url_parsing": "Une adresse web est attendue.",
    "url_type": "Une adresse web est attendue.",
    "url_scheme": "L'adresse web doit commencer par http:// ou https://.",
    "value_error": INVALID,
    "assertion_error": INVALID,
}


def generic(error_type: str, ctx: Mapping[str, Any] | None = None) -> str:
    """The French sentence of a pydantic error type, with its limits filled in."""
    ctx = ctx or {}
    if error_type == "string_too_short" and int(ctx.get("min_length", 1)) > 1:
        return f"Ce texte est trop court ({ctx['min_length']} caractères au moins)."
    if error_type == "too_short" and int(ctx.get("min_length", 1)) > 1:
        return f"Au moins {ctx['min_length']} éléments attendus."
    try:
        return TYPES.get(error_type, INVALID).format(**{k: str(v) for k, v in ctx.items()})
    except (KeyError, IndexError):  # a limit the error did not give
        return INVALID


def path_of(loc: Sequence[Any]) -> str:
    """The field an error names, as a dotted path (`parent.phone`, `children.0.birth_year`;
    the body's fields without `body.`, others with where they came from: `query.age`)."""
    parts = list(loc)
    if parts and parts[0] == "body":
        parts = parts[1:]
    return ".".join(str(part) for part in parts)


def message(err: Mapping[str, Any], specific: FieldMessages | None = None) -> str:
    """One pydantic error in French: the service's sentence for the field, else the type's."""
    field = path_of(err.get("loc", ()))
    found = specific(field, err["type"]) if specific else None
    return found or generic(err["type"], err.get("ctx"))


def field_errors(
    errors: Sequence[Any], specific: FieldMessages | None = None
) -> list[dict[str, str]]:
    """Pydantic errors as `{field, message, type}` in French, without the input."""
    return [
        {"field": path_of(err["loc"]), "message": message(err, specific), "type": err["type"]}
        for err in errors
    ]


def in_page_order(errors: Mapping[str, str], order: Sequence[str]) -> dict[str, str]:
    """A form's errors in the order of their fields on the page (any other after them):
    the summary reads as the form is filled, from the top, not as the checks found them."""
    rank = {name: at for at, name in enumerate(order)}
    return dict(sorted(errors.items(), key=lambda error: rank.get(error[0], len(order))))
