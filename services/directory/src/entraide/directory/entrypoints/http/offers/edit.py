"""« Modifier » on an action's card: its main fields (presentation, hours, ages, places) on a
form of their own, checked by `OfferFields` as the staff API checks them (each error beside
its field, in French), saved through `update_offer` with the revision the form was read at;
back to the actions' page the person came from. The hours are a week's grid
(`hours_grid`), stored as the opening_hours the API takes."""

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form
from fastapi.responses import HTMLResponse, Response
from pydantic import ValidationError

from entraide.directory.domain.offers import hours
from entraide.directory.domain.offers.fields import OfferFields
from entraide.directory.entrypoints.http.association import back_to
from entraide.directory.entrypoints.http.deps import PagesDep, UnitOfWorkDep
from entraide.directory.entrypoints.http.offers import hours_grid
from entraide.directory.entrypoints.http.offers.owned import ACTIONS, OfferRoute, Owned, OwnedOffer
from entraide.directory.entrypoints.http.volunteers.form import errors_of
from entraide.directory.usecases import offers
from entraide.kit import messages
from entraide.kit.auth import check_csrf

router = APIRouter(include_in_schema=False, route_class=OfferRoute)
# the form's inputs but the hours' grid, by OfferFields' names (`capacite`: errors_of's)
INPUTS = {
    "presentation": "presentation",
    "age_min": "age_min",
    "age_max": "age_max",
    "capacity": "capacite",
}
MESSAGES = {
    "presentation": "La présentation tient en 2 000 caractères au plus.",
    "age_min": "Indiquez un âge entier de 0 à 25 ans, ou laissez vide.",
    "age_max": "Indiquez un âge entier de 0 à 25 ans, ou laissez vide.",
    "capacity": "Indiquez un nombre entier de places, 0 ou plus, ou laissez vide.",
    "": "L'âge minimum dépasse l'âge maximum.",  # the model's own check (loc ())
}


ORDER = ["presentation", *(day.error for day in hours_grid.GRID), *list(INPUTS.values())[1:]]


def changed_fields(current: OfferFields, form: dict[str, str]) -> OfferFields | dict[str, str]:
    """The offer's fields with the form's changes (the hours from its grid), or the errors
    by input name, nothing saved while one is left."""
    slots, errors = hours_grid.read(form)
    asked: dict[str, Any] = {"presentation": form["presentation"]}
    asked["horaires_accueil"] = hours_grid.stored(slots, current.horaires_accueil)
    for name in ("age_min", "age_max", "capacity"):
        typed = form[INPUTS[name]].strip()
        asked[name] = int(typed) if typed.isdigit() else (typed or None)
    try:
        fields = OfferFields.model_validate(current.model_dump() | asked)
    except ValidationError as exc:
        errors |= errors_of(exc, MESSAGES)
        if "" in errors:
            errors["age_max"] = errors.pop("")
    return messages.in_page_order(errors, ORDER) if errors else fields


def edit_page(pages: PagesDep, offer: Owned, **shown: Any) -> HTMLResponse:
    """The form; the stored hours in French above the grid when it cannot show them."""
    stored = offer.doc.get("horaires_accueil") or ""
    kept = hours.summary(hours.parse(stored)) if hours_grid.fill(stored) is None else ""
    return pages.page(
        offer.request,
        "association-modifier.html",
        offer.principal,
        status_code=422 if shown.get("errors") else 200,
        tab="actions",
        grid=hours_grid.GRID,
        hours_kept=kept,
        offer=offer.doc,
        offer_id=offer.offer_id,
        retour=offer.retour,
        back=back_to(offer.retour, ACTIONS),
        **shown,
    )


@router.get(f"{ACTIONS}/{{offer_id}}/modifier", response_class=HTMLResponse)
async def edit_form(offer: OwnedOffer, pages: PagesDep) -> Response:
    """The action's main fields, as stored, to change."""
    doc = offer.doc
    form = {INPUTS[k]: "" if doc.get(k) is None else str(doc[k]) for k in INPUTS}
    form |= hours_grid.fill(doc.get("horaires_accueil")) or dict.fromkeys(hours_grid.INPUTS, "")
    return edit_page(pages, offer, form=form, errors={}, revision=doc["revision"])


@router.post(f"{ACTIONS}/{{offer_id}}/modifier", dependencies=[Depends(check_csrf)])
async def edit(
    offer: OwnedOffer,
    pages: PagesDep,
    uow: UnitOfWorkDep,
    revision: Annotated[str, Form()] = "",
) -> Response:
    """Save the changes through the use case; the form again, its errors beside their
    fields, when OfferFields refuses them."""
    raw = await offer.request.form()
    form = {name: str(raw.get(name, "")) for name in (*INPUTS.values(), *hours_grid.INPUTS)}
    stored = {k: offer.doc[k] for k in OfferFields.model_fields if k in offer.doc}
    found = changed_fields(OfferFields.model_validate(stored), form)
    if isinstance(found, dict):
        return edit_page(pages, offer, form=form, errors=found, revision=revision)
    number = int(revision) if revision.isdigit() else -1
    await offer.acted(
        offers.update_offer(uow, offer.principal, offer.offer_id, found, revision=number)
    )
    return offer.back(fait="modifie", nom=found.nom)
