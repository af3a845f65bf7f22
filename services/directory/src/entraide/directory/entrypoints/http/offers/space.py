"""An action's card in the association's space (`/association/actions`), where the stale
offer's reminder sends its coordinator: confirm it as it stands, set its places left (which
confirms it too), withdraw it after a confirmation page. The staff API's use cases (the
same rights, revision and outbox); each form comes back to the page it was sent from."""

from typing import Annotated, Any
from urllib.parse import parse_qsl

from fastapi import APIRouter, Depends, Form, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from entraide.directory.entrypoints.http.association import Staff, actions_page, back_to
from entraide.directory.entrypoints.http.deps import (
    OfferDocumentsDep,
    OfferListingDep,
    PagesDep,
    UnitOfWorkDep,
)
from entraide.directory.usecases import access, offers
from entraide.kit import flash
from entraide.kit.auth import Principal, check_csrf

router = APIRouter(include_in_schema=False)
ACTIONS = "/association/actions"
CHANGED = "L'action a changé entre-temps : voici sa version actuelle."
GONE = "Cette action n'est plus publiée : elle a été retirée entre-temps."
Revision = Annotated[str, Form()]
Back = Annotated[str, Form()]


def back(
    request: Request, principal: Principal, retour: str, offer_id: str = "", **outcome: str
) -> RedirectResponse:
    """The actions' page as the person left it, on the card they acted on, saying to them
    what their form did (`outcome`, signed: `kit.flash`)."""
    card = f"#action-{offer_id}" if offer_id else ""
    said = flash.signed(request, principal.subject, **outcome) if outcome else {}
    return RedirectResponse(back_to(retour, ACTIONS, said) + card, 303)


async def own_offer(
    documents: OfferDocumentsDep, principal: Staff, offer_id: str
) -> dict[str, Any] | None:
    """The offer as stored (None: withdrawn or unknown); 403 for another association's."""
    doc = await documents.get(offer_id)
    if doc is not None and not access.may_see(principal, doc["association_id"]):
        raise HTTPException(403, "Cette action appartient à une autre association.")
    return doc


async def confirmed(
    request: Request,
    uow: UnitOfWorkDep,
    principal: Staff,
    offer_id: str,
    revision: str,
    retour: str,
    places_left: int | None = None,
) -> RedirectResponse:
    """Confirm the offer (its places left set too, if given) through the use case."""
    if not revision.isdigit():
        return back(request, principal, retour, offer_id, erreur=CHANGED)
    try:
        offer = await offers.confirm_offer(
            uow, principal, offer_id, revision=int(revision), places_left=places_left
        )
    except offers.ForbiddenError:
        raise HTTPException(403, "Cette action appartient à une autre association.") from None
    except offers.ConflictError:
        return back(request, principal, retour, offer_id, erreur=CHANGED)
    if offer is None:
        return back(request, principal, retour, erreur=GONE)
    done = "confirme" if places_left is None else "places"
    return back(request, principal, retour, offer_id, fait=done, nom=offer.fields.nom)


@router.post(f"{ACTIONS}/{{offer_id}}/confirmation", dependencies=[Depends(check_csrf)])
async def confirm(
    request: Request,
    offer_id: str,
    principal: Staff,
    uow: UnitOfWorkDep,
    revision: Revision = "",
    retour: Back = "",
) -> RedirectResponse:
    """« Toujours d'actualité »: the action confirmed as it stands, dated today."""
    return await confirmed(request, uow, principal, offer_id, revision, retour)


@router.post(f"{ACTIONS}/{{offer_id}}/places", dependencies=[Depends(check_csrf)])
async def set_places(
    request: Request,
    offer_id: str,
    principal: Staff,
    pages: PagesDep,
    uow: UnitOfWorkDep,
    documents: OfferDocumentsDep,
    listing: OfferListingDep,
    places: Annotated[str, Form()] = "",
    revision: Revision = "",
    retour: Back = "",
) -> Response:
    """« Places libres »: the places left, a whole number from 0 to the capacity, said
    beside the field on the page the person was on when it is not; then confirmed."""
    doc = await own_offer(documents, principal, offer_id)
    if doc is None:
        return back(request, principal, retour, erreur=GONE)
    capacity = doc.get("capacity")
    typed = places.strip()
    if capacity is None or not typed.isdigit() or int(typed) > capacity:
        message = (
            f"Indiquez un nombre entier de places libres, de 0 à {capacity}."
            if capacity is not None
            else "Cette action n'a pas de nombre de places : modifiez-la pour en indiquer un."
        )
        error = {offer_id: {"places": places[:20], "message": message}}
        left = dict(parse_qsl(retour))  # the page the person was on, with its filter
        page, etat = left.get("page", "1"), left.get("etat", "")
        return await actions_page(
            request, principal, pages, listing, page, etat, flashes=[], errors=error
        )
    return await confirmed(request, uow, principal, offer_id, revision, retour, int(typed))


@router.get(f"{ACTIONS}/{{offer_id}}/retrait", response_class=HTMLResponse)
async def withdrawal_page(
    request: Request,
    offer_id: str,
    principal: Staff,
    pages: PagesDep,
    documents: OfferDocumentsDep,
    retour: str = "",
) -> Response:
    """« Retirer l'action »: asked once more, the action named, before it goes."""
    doc = await own_offer(documents, principal, offer_id)
    if doc is None:
        return back(request, principal, retour, erreur=GONE)
    return pages.page(
        request,
        "association-retrait.html",
        principal,
        tab="actions",
        offer=doc,
        offer_id=offer_id,
        retour=retour,
        back=back_to(retour, ACTIONS) + f"#action-{offer_id}",
    )


@router.post(f"{ACTIONS}/{{offer_id}}/retrait", dependencies=[Depends(check_csrf)])
async def withdraw(
    request: Request,
    offer_id: str,
    principal: Staff,
    uow: UnitOfWorkDep,
    documents: OfferDocumentsDep,
    retour: Back = "",
) -> RedirectResponse:
    """The action withdrawn through the use case: families no longer see it."""
    doc = await own_offer(documents, principal, offer_id)
    if doc is None:
        return back(request, principal, retour, erreur=GONE)
    try:
        await offers.withdraw_offer(uow, principal, offer_id)
    except offers.ForbiddenError:
        raise HTTPException(403, "Cette action appartient à une autre association.") from None
    except offers.ConflictError:
        return back(request, principal, retour, offer_id, erreur=CHANGED)
    return back(request, principal, retour, fait="retire", nom=doc["nom"])
