"""The action a form on its card acts on (`OwnedOffer`), for the association space's routes:
as stored, of the caller's association (403 for another's); withdrawn or never known, the
form goes back to the actions' page saying it is gone. `Owned.acted` runs a use case on it
with the same answers, and back on its card when it changed since the form was read. Those
comebacks are raised (`Redirected`) and answered by the routers' `OfferRoute`."""

from collections.abc import Awaitable, Callable, Coroutine
from dataclasses import dataclass
from typing import Annotated, Any, TypeVar

from fastapi import Depends, HTTPException, Request
from fastapi.responses import RedirectResponse, Response
from fastapi.routing import APIRoute

from entraide.directory.entrypoints.http.association import Staff, back_to
from entraide.directory.entrypoints.http.deps import OfferDocumentsDep
from entraide.directory.usecases import access, offers
from entraide.kit import flash
from entraide.kit.auth import SAFE_METHODS, Principal

ACTIONS = "/association/actions"
CHANGED = "L'action a changé entre-temps : voici sa version actuelle."
GONE = "Cette action n'est plus publiée : elle a été retirée entre-temps."
OTHERS = "Cette action appartient à une autre association."
T = TypeVar("T")


class Redirected(Exception):  # noqa: N818 (an answer, not an error)
    """Back to the actions' page (`response`), from a dependency or a use case's refusal."""

    def __init__(self, response: RedirectResponse) -> None:
        super().__init__(response.headers["location"])
        self.response = response


class OfferRoute(APIRoute):
    """A route whose dependencies or body may raise `Redirected`: its redirect answers."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def answered(request: Request) -> Response:
            try:
                return await handler(request)
            except Redirected as back:
                return back.response

        return answered


@dataclass(frozen=True)
class Owned:
    """An action the caller may act on, as stored (`doc`), and the page its form came from
    (`retour`, as `association.back_query` wrote it)."""

    request: Request
    principal: Principal
    offer_id: str
    doc: dict[str, Any]
    retour: str

    def back(self, *, on_card: bool = True, **outcome: str) -> RedirectResponse:
        """The actions' page as the person left it, on the action's card unless it is no
        more, saying to them what their form did (`outcome`, signed: `kit.flash`)."""
        said = flash.signed(self.request, self.principal.subject, **outcome) if outcome else {}
        card = f"#action-{self.offer_id}" if on_card else ""
        return RedirectResponse(back_to(self.retour, ACTIONS, said) + card, 303)

    async def acted(self, use_case: Awaitable[T | None]) -> T:
        """The use case's result; 403 when it refuses the caller, back on the card when the
        action changed since the form was read, back to the page when it is gone."""
        try:
            done = await use_case
        except offers.ForbiddenError:
            raise HTTPException(403, OTHERS) from None
        except offers.ConflictError:
            raise Redirected(self.back(erreur=CHANGED)) from None
        if done is None:
            raise Redirected(self.back(on_card=False, erreur=GONE))
        return done


async def owned_offer(
    request: Request, offer_id: str, principal: Staff, documents: OfferDocumentsDep
) -> Owned:
    """The action `offer_id` for a route of an `OfferRoute` router; `retour` read from the
    query of a page, from the form of a post."""
    sent = request.query_params if request.method in SAFE_METHODS else await request.form()
    doc = await documents.get(offer_id)
    offer = Owned(request, principal, offer_id, doc or {}, str(sent.get("retour", "")))
    if doc is None:
        raise Redirected(offer.back(on_card=False, erreur=GONE))
    if not access.may_see(principal, doc["association_id"]):
        raise HTTPException(403, OTHERS)
    return offer


OwnedOffer = Annotated[Owned, Depends(owned_offer)]
