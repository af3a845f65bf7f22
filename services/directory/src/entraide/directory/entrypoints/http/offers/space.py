"""An action's card in the association's space (`/association/actions`), where the stale
offer's reminder sends its coordinator: confirm it as it stands, set its places left (which
confirms it too), withdraw it after a confirmation page. The staff API's use cases (the
same rights, revision and outbox); each form comes back to the page it was sent from, or
says the action is gone or changed meanwhile (`owned`)."""

from typing import Annotated
from urllib.parse import parse_qsl

from fastapi import APIRouter, Depends, Form
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from entraide.directory.entrypoints.http.association import actions_page, back_to
from entraide.directory.entrypoints.http.deps import OfferListingDep, PagesDep, UnitOfWorkDep
from entraide.directory.entrypoints.http.offers.owned import ACTIONS, OfferRoute, Owned, OwnedOffer
from entraide.directory.usecases import offers
from entraide.kit.auth import check_csrf

router = APIRouter(include_in_schema=False, route_class=OfferRoute)
Revision = Annotated[str, Form()]


async def confirmed(
    offer: Owned, uow: UnitOfWorkDep, revision: str, places_left: int | None = None
) -> RedirectResponse:
    """Confirm the offer (its places left set too, if given) through the use case."""
    number = int(revision) if revision.isdigit() else -1  # -1: no revision, changed
    confirm = offers.confirm_offer(
        uow, offer.principal, offer.offer_id, revision=number, places_left=places_left
    )
    done = await offer.acted(confirm)
    return offer.back(fait="confirme" if places_left is None else "places", nom=done.fields.nom)


@router.post(f"{ACTIONS}/{{offer_id}}/confirmation", dependencies=[Depends(check_csrf)])
async def confirm(
    offer: OwnedOffer, uow: UnitOfWorkDep, revision: Revision = ""
) -> RedirectResponse:
    """« Toujours d'actualité »: the action confirmed as it stands, dated today."""
    return await confirmed(offer, uow, revision)


@router.post(f"{ACTIONS}/{{offer_id}}/places", dependencies=[Depends(check_csrf)])
async def set_places(
    offer: OwnedOffer,
    pages: PagesDep,
    uow: UnitOfWorkDep,
    listing: OfferListingDep,
    places: Annotated[str, Form()] = "",
    revision: Revision = "",
) -> Response:
    """« Places libres »: the places left, a whole number from 0 to the capacity, said
    beside the field on the page the person was on when it is not; then confirmed."""
    capacity = offer.doc.get("capacity")
    typed = places.strip()
    if capacity is None or not typed.isdigit() or int(typed) > capacity:
        message = (
            f"Indiquez un nombre entier de places libres, de 0 à {capacity}."
            if capacity is not None
            else "Cette action n'a pas de nombre de places : modifiez-la pour en indiquer un."
        )
        error = {offer.offer_id: {"places": places[:20], "message": message}}
        left = dict(parse_qsl(offer.retour))  # the page the person was on, with its filter
        page, etat = left.get("page", "1"), left.get("etat", "")
        return await actions_page(
            offer.request, offer.principal, pages, listing, page, etat, flashes=[], errors=error
        )
    return await confirmed(offer, uow, revision, int(typed))


@router.get(f"{ACTIONS}/{{offer_id}}/retrait", response_class=HTMLResponse)
async def withdrawal_page(offer: OwnedOffer, pages: PagesDep) -> Response:
    """« Retirer l'action »: asked once more, the action named, before it goes."""
    return pages.page(
        offer.request,
        "association-retrait.html",
        offer.principal,
        tab="actions",
        offer=offer.doc,
        offer_id=offer.offer_id,
        retour=offer.retour,
        back=back_to(offer.retour, ACTIONS) + f"#action-{offer.offer_id}",
    )


@router.post(f"{ACTIONS}/{{offer_id}}/retrait", dependencies=[Depends(check_csrf)])
async def withdraw(offer: OwnedOffer, uow: UnitOfWorkDep) -> RedirectResponse:
    """The action withdrawn through the use case: families no longer see it."""
    await offer.acted(offers.withdraw_offer(uow, offer.principal, offer.offer_id))
    return offer.back(on_card=False, fait="retire", nom=offer.doc["nom"])
