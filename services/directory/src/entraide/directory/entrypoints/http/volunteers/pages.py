"""Volunteers' pages: the public "devenir bénévole" form (errors tied to their fields), and
the association's review from its space (`association`)."""

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from entraide.directory.domain.associations import ASSOCIATIONS
from entraide.directory.domain.records import ConflictError, ForbiddenError
from entraide.directory.domain.volunteers.rules import Honorability, Status, TransitionError
from entraide.directory.domain.volunteers.status_words import FOR_STAFF
from entraide.directory.entrypoints.http.association import back_to
from entraide.directory.entrypoints.http.deps import (
    PagesDep,
    UnitOfWorkDep,
    VolunteerKeysDep,
    VolunteerNewsDep,
    VolunteerSpaceDep,
)
from entraide.directory.entrypoints.http.volunteers import form as application_form
from entraide.directory.entrypoints.http.volunteers.correction import CHANGED
from entraide.directory.usecases import volunteers
from entraide.kit import flash
from entraide.kit.auth import Principal, check_csrf, optional_principal, page_principal
from entraide.kit.i18n import public_language, translator
from entraide.kit.pages import Pages
from entraide.kit.protect import rate_limited

# public pages: whoever is signed in sees it in the header (and may sign out); in the
# visitor's language (kit/i18n.py)
public = APIRouter(
    include_in_schema=False,
    dependencies=[Depends(optional_principal), Depends(public_language)],
)
staff = APIRouter(include_in_schema=False)
Staff = Annotated[Principal, Depends(page_principal)]


@public.get("/devenir-benevole", response_class=HTMLResponse)
async def volunteer_form(request: Request, pages: PagesDep) -> HTMLResponse:
    return pages.page(
        request, "benevole.html", **translated(pages, application_form.context({}, {}))
    )


def translated(pages: Pages, shown: dict[str, Any]) -> dict[str, Any]:
    """The form's errors and choices in the page's language (the form keeps French: the
    API's 422 says the same sentences)."""
    _ = translator(pages.templates)
    choices = ("associations", "needs", "slots", "language_choices")
    return (
        shown
        | {"errors": {field: _(message) for field, message in shown["errors"].items()}}
        | {name: [(value, _(text)) for value, text in shown[name]] for name in choices}
    )


@public.post(
    "/devenir-benevole",
    response_class=HTMLResponse,
    dependencies=[Depends(rate_limited)],
    responses={429: {"description": "Too many posts from this address (Retry-After)"}},
)
async def volunteer_apply(
    request: Request,
    pages: PagesDep,
    uow: UnitOfWorkDep,
    keys: VolunteerKeysDep,
    space: VolunteerSpaceDep,
    news: VolunteerNewsDep,
) -> HTMLResponse:
    raw = await request.form()
    form: dict[str, Any] = {k: str(raw.get(k, "")) for k in application_form.FIELDS}
    form |= {
        "needs": [str(v) for v in raw.getlist("needs")],
        "slots": [str(v) for v in raw.getlist("slots")],
        "langues": [str(v) for v in raw.getlist("langues")],
        "consent": raw.get("consent"),
        "sms": raw.get("sms"),  # told by SMS rather than e-mail
    }
    found = application_form.application(form)
    if isinstance(found, dict):
        shown = translated(pages, application_form.context(form, found))
        return pages.page(request, "benevole.html", status_code=422, **shown)
    # their messages in the page's language (public_language)
    found = found.model_copy(update={"written_language": request.state.language.code})
    volunteer_id = await volunteers.apply(uow, keys, found, news)
    await space.remember(found.identity.courriel, volunteer_id)  # their space's sign-in
    association = ASSOCIATIONS[found.association_id].nom
    return pages.page(request, "benevole_merci.html", association=association)


UNCHANGED = (
    "Aucun changement enregistré : choisissez un nouvel état, l'état de l'attestation "
    "d'honorabilité ou sa date de validité, puis enregistrez."
)


@staff.post("/association/benevoles/{volunteer_id}", dependencies=[Depends(check_csrf)])
async def review_volunteer(
    request: Request,
    volunteer_id: str,
    principal: Staff,
    uow: UnitOfWorkDep,
    news: VolunteerNewsDep,
    statut: Annotated[str, Form()] = "",
    honorabilite: Annotated[str, Form()] = "",
    valable_jusqu_au: Annotated[str, Form()] = "",
    retour: Annotated[str, Form()] = "",
) -> RedirectResponse:
    """The association's review: status and honorability check, as the API does it; back
    to the space's page and filter it was sent from (`retour`)."""

    def back(**outcome: str) -> RedirectResponse:
        said = flash.signed(request, principal.subject, **outcome)
        return RedirectResponse(back_to(retour, said=said) + "#benevoles", 303)

    if not (statut or honorabilite or valable_jusqu_au):  # « mise à jour » would be untrue
        return back(erreur=UNCHANGED)
    try:
        valid_until = date.fromisoformat(valable_jusqu_au) if valable_jusqu_au else None
    except ValueError:
        return back(erreur="La date de validité de l'attestation n'est pas une date.")
    review = volunteers.Review(
        status=Status(statut) if statut else None,
        honorability=Honorability(honorabilite) if honorabilite else None,
        honorability_valid_until=valid_until,
    )
    try:
        volunteer = await volunteers.change(uow, principal, volunteer_id, review, news)
    except ForbiddenError:
        raise HTTPException(403, "Ce bénévole relève d'une autre association.") from None
    except TransitionError as exc:
        return back(erreur=refusal(exc))
    except ConflictError:  # its text is the volunteer's id: no sentence for a page
        return back(erreur=CHANGED)
    if volunteer is None:
        raise HTTPException(404, "bénévole inconnu")
    return back(fait="ok")


def refusal(exc: TransitionError) -> str:
    """Why the rules refuse a review, in the page's words (the API says the codes)."""
    if exc.current is not None and exc.new is not None:
        was, asked = FOR_STAFF[exc.current], FOR_STAFF[exc.new]
        return f"« {was} » ne peut pas devenir « {asked} » : choisissez un autre statut."
    said = str(exc)
    return f"{said[:1].upper()}{said[1:]}."
