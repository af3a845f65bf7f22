"""The public "devenir bénévole" page: a French form, errors tied to their fields."""

from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse
from pydantic import ValidationError

from entraide.contracts.vocab import DayPart, Weekday
from entraide.directory import vocab
from entraide.directory import volunteer_service as service
from entraide.directory.associations import ASSOCIATIONS
from entraide.directory.volunteering import Application
from entraide.kit.auth import optional_principal
from entraide.kit.protect import rate_limited
from entraide.kit.web import render

# public pages: whoever is signed in sees it in the header (and may sign out)
router = APIRouter(include_in_schema=False, dependencies=[Depends(optional_principal)])
DAYS = {
    "mo": "lundi",
    "tu": "mardi",
    "we": "mercredi",
    "th": "jeudi",
    "fr": "vendredi",
    "sa": "samedi",
    "su": "dimanche",
}
PARTS = {"morning": "matin", "afternoon": "après-midi", "evening": "soir"}
SLOTS = [
    (f"{d.value}-{p.value}", f"{DAYS[d.value]} {PARTS[p.value]}") for d in Weekday for p in DayPart
]
# the languages families ask for most (intake offers the same); matching weighs a shared one
LANGUAGES = [
    ("fr", "français"), ("ar", "arabe"), ("en", "anglais"), ("es", "espagnol"),
    ("pt", "portugais"), ("ro", "roumain"), ("tr", "turc"), ("wo", "wolof"),
    ("bm", "bambara"), ("ln", "lingala"), ("ta", "tamoul"), ("zh", "chinois"),
    ("ru", "russe"), ("uk", "ukrainien"), ("fa", "persan"), ("ps", "pachto"),
]  # fmt: skip
MESSAGES = {
    "identity.prenom": "Indiquez votre prénom.",
    "identity.nom": "Indiquez votre nom.",
    "identity.courriel": "Indiquez une adresse électronique valide, par exemple nom@exemple.fr.",
    "code_postal": "Indiquez un code postal à 5 chiffres, par exemple 44000.",
    "association_id": "Choisissez une association.",
    "needs": "Choisissez au moins une façon d'aider.",
    "availability": "Choisissez au moins un moment où vous êtes disponible.",
    "capacity": "Indiquez un nombre de familles entre 1 et 5.",
    "languages": "Choisissez les langues dans la liste.",
    "consent": "Votre accord est nécessaire pour que l'association traite votre candidature.",
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


def api_message(path: str, error_type: str) -> str | None:
    """The API's 422 for an application says the form's sentence for the field."""
    parts = [p for p in path.split(".") if not p.isdigit()][:2]
    return MESSAGES.get(".".join(parts)) or MESSAGES.get(parts[0] if parts else "")


def _context(form: dict[str, Any], errors: dict[str, str]) -> dict[str, Any]:
    return {
        "form": form,
        "errors": errors,
        "associations": [
            ("", "Choisir une association"),
            *[(a.id, a.nom) for a in ASSOCIATIONS.values()],
        ],
        "needs": [(n.value, label) for n, label in vocab.NEED_LABELS.items()],
        "slots": SLOTS,
        "languages": LANGUAGES,
    }


@router.get("/devenir-benevole", response_class=HTMLResponse)
async def volunteer_form(request: Request) -> HTMLResponse:
    return render(request.app.state.templates, request, "benevole.html", _context({}, {}))


@router.post(
    "/devenir-benevole",
    response_class=HTMLResponse,
    dependencies=[Depends(rate_limited)],
    responses={429: {"description": "Too many posts from this address (Retry-After)"}},
)
async def volunteer_apply(request: Request) -> HTMLResponse:
    raw = await request.form()
    form: dict[str, Any] = {
        k: str(raw.get(k, ""))
        for k in (
            "prenom",
            "nom",
            "courriel",
            "telephone",
            "code_postal",
            "association_id",
            "capacite",
        )
    }
    form |= {
        "needs": [str(v) for v in raw.getlist("needs")],
        "slots": [str(v) for v in raw.getlist("slots")],
        "langues": [str(v) for v in raw.getlist("langues")],
        "consent": raw.get("consent"),
    }
    try:
        application = Application.model_validate(
            {
                "identity": {
                    k: form[k] or None for k in ("prenom", "nom", "courriel", "telephone")
                },
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
        errors: dict[str, str] = {}
        for err in exc.errors(include_input=False):
            field = ".".join(str(p) for p in err["loc"][:2] if not isinstance(p, int))
            name = FORM_NAMES.get(field, field)
            errors.setdefault(name, MESSAGES.get(field, "Cette réponse n'est pas valide."))
        return render(
            request.app.state.templates,
            request,
            "benevole.html",
            _context(form, errors),
            status_code=422,
        )
    if application.association_id not in ASSOCIATIONS:
        errors = {"association_id": MESSAGES["association_id"]}
        return render(
            request.app.state.templates,
            request,
            "benevole.html",
            _context(form, errors),
            status_code=422,
        )
    await service.apply(request.app.state.uow, request.app.state.volunteer_keys, application)
    association = ASSOCIATIONS[application.association_id].nom
    return render(
        request.app.state.templates, request, "benevole_merci.html", {"association": association}
    )
