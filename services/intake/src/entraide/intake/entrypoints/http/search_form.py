"""What the family search's form says of what was typed before searching: a name alone, a
phone or an e-mail that cannot be one found nothing and answered « Aucune famille
correspondante », which told staff to record the family again (a duplicate)."""

from pydantic import TypeAdapter, ValidationError

from entraide.intake.entrypoints.http.schemas import Email

NAME_ALONE = {
    "prenom": "Indiquez aussi le prénom : la recherche par nom se fait avec le nom et le "
    "prénom ensemble.",
    "nom": "Indiquez aussi le nom : la recherche par nom se fait avec le nom et le prénom "
    "ensemble.",
}
INVALID = {
    "telephone": "Numéro de téléphone invalide : 10 chiffres, par exemple 06 12 34 56 78.",
    "email": "Adresse e-mail invalide, par exemple prenom.nom@exemple.fr.",
}
_EMAIL = TypeAdapter(Email)


def errors(searched: dict[str, str]) -> dict[str, str]:
    """Each field's error, by the field's id (none: search)."""
    found = {}
    if searched["nom"] and not searched["prenom"]:
        found["prenom"] = NAME_ALONE["prenom"]
    if searched["prenom"] and not searched["nom"]:
        found["nom"] = NAME_ALONE["nom"]
    if searched["telephone"] and not _phone(searched["telephone"]):
        found["telephone"] = INVALID["telephone"]
    if searched["email"]:
        try:
            _EMAIL.validate_python(searched["email"])
        except ValidationError:
            found["email"] = INVALID["email"]
    return found


def _phone(typed: str) -> bool:
    """A French number however written (« 06.12.34.56.78 », « +33 6 … »): the search
    compares its last nine digits (`domain.requests.lookup_terms`)."""
    digits = "".join(c for c in typed if c.isdigit())
    for prefix in ("0033", "33", "0"):  # international, then national
        if digits.startswith(prefix) and len(digits) == len(prefix) + 9:
            return True
    return len(digits) == 9
