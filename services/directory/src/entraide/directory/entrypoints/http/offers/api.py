"""Directory's HTTP API: public search, the data·inclusion export, staff editing."""

import json
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Header, HTTPException, Query, Request, Response, status
from fastapi.responses import StreamingResponse

from entraide.directory.domain import places
from entraide.directory.domain.associations import ASSOCIATIONS, TERRITORIES
from entraide.directory.domain.offers import search
from entraide.directory.domain.offers.fields import Freshness, OfferFields
from entraide.directory.entrypoints.http.deps import (
    CardsDep,
    OfferDocumentsDep,
    OfferListingDep,
    UnitOfWorkDep,
)
from entraide.directory.entrypoints.http.offers import cursor
from entraide.directory.usecases import offers
from entraide.kit import opaque
from entraide.kit.auth import api_principal
from entraide.kit.principal import Principal

public = APIRouter(prefix="/api/v1", tags=["public search"])
staff = APIRouter(prefix="/api/v1/staff", tags=["staff"])
Staff = Annotated[Principal, Depends(api_principal)]
PAGE_SIZE = 20  # hits per page, the API's default and the search page's


async def search_query(
    lieu: str,
    rayon_km: float = 15.0,
    besoin: str | None = None,
    age: int | None = None,
    jour: int | None = None,
    heure: str | None = None,
    q: str = "",
    professional: bool = False,
    limit: Annotated[int, Query(description="Hits per page (1 to 100).")] = PAGE_SIZE,
    offset: Annotated[int, Query(description="Hits skipped, best first: a page's start.")] = 0,
) -> search.Query:
    """A search from the public parameters; 422 naming the field when one does not fit."""
    place = places.find(lieu)
    if place is None:
        raise HTTPException(422, [{"field": "lieu", "message": "commune ou code postal inconnu"}])
    minute = None
    if heure:
        hh, _, mm = heure.partition(":")
        if not (hh.isdigit() and (mm or "0").isdigit()):
            raise HTTPException(422, [{"field": "heure", "message": "heure attendue comme 14:30"}])
        minute = int(hh) * 60 + int(mm or 0)
    return search.Query(
        latitude=place.latitude,
        longitude=place.longitude,
        radius_km=min(max(rayon_km, 1.0), 100.0),
        departement=place.departement,
        need=besoin or None,
        age=age,
        day=jour,
        minute=minute,
        text=q,
        professional=professional,
        limit=min(max(limit, 1), 100),
        offset=max(offset, 0),
    )


def hit_json(hit: search.Hit) -> dict[str, Any]:
    shown = search.display(hit.card)
    association = ASSOCIATIONS.get(shown["association_id"])
    return {
        "offer_id": hit.card["_id"],
        **shown,
        "distance_km": hit.distance_km,
        "score": hit.score,
        "contact": f"/offres/{hit.card['_id']}",
        "association_site": association.site if association else None,
    }


@public.get("/offers")
async def search_offers(
    request: Request, query: Annotated[search.Query, Depends(search_query)], cards: CardsDep
) -> dict[str, Any]:
    """Offers near a commune or postal code, best first (professionals-only ones are left out):
    `limit` of them from `offset` on, and `total`, how many fit in all."""
    if query.professional:  # only signed-in staff see professionals-only offers
        await api_principal(request)
    found = await offers.search_offers(cards, query)
    return {
        "total": found.total,
        "offset": query.offset,
        "limit": query.limit,
        "results": [hit_json(h) for h in found.hits],
    }


@public.get("/offers/{offer_id}")
async def get_offer(offer_id: str, documents: OfferDocumentsDep) -> dict[str, Any]:
    offer = await offers.public_offer(documents, offer_id)
    if offer is None:
        raise HTTPException(404, "offre inconnue")
    return offer


@public.get("/associations")
async def list_associations() -> list[dict[str, Any]]:
    return [
        {"id": a.id, "nom": a.nom, "site": a.site, "antennes": [b.__dict__ for b in a.branches]}
        for a in ASSOCIATIONS.values()
    ]


@public.get("/territories")
async def list_territories() -> list[dict[str, str]]:
    return [{"code": code, "nom": nom} for code, nom in TERRITORIES.items()]


@public.get(
    "/export/data-inclusion/services",
    response_class=StreamingResponse,
    responses={200: {"content": {"application/json": {}}}},
)
async def export_services(documents: OfferDocumentsDep) -> StreamingResponse:
    """Public offers in the data·inclusion services schema: one JSON array, written as the
    store's cursor reads them (the country's offers are never all in memory at once)."""

    async def written() -> AsyncIterator[bytes]:
        yield b"["
        first = True
        async for service in offers.data_inclusion_services(documents):
            yield (b"" if first else b",") + json.dumps(
                service, ensure_ascii=False, separators=(",", ":")
            ).encode()
            first = False
        yield b"]"

    return StreamingResponse(written(), media_type="application/json")


@staff.get(
    "/offers",
    responses={422: {"description": "A parameter that does not fit, named (`query.limit`)"}},
)
async def my_offers(
    request: Request,
    principal: Staff,
    listing: OfferListingDep,
    etat: Annotated[
        Freshness | None, Query(description="Only the offers in this state (all: none).")
    ] = None,
    limit: Annotated[int, Query(ge=1, le=200, description="Offers per page, 1 to 200.")] = 50,
    apres: Annotated[
        str | None,
        Query(description="The previous page's `apres`: the page after it (none: the first)."),
    ] = None,
) -> dict[str, Any]:
    """The principal's association's offers in their territories, with their freshness,
    those to update first (hidden, to confirm), each part by name then commune, a page at
    a time: `total` in the state asked, `by_freshness`; follow `next` until it is null
    (the cursor holds the place: offers published or withdrawn between two pages repeat or
    skip none)."""
    after = opaque.after(cursor.decode, apres)
    found = await offers.actions_after(
        listing, principal, state=etat, after=after, size=limit, now=datetime.now(UTC)
    )
    following = cursor.encode(found.next) if found.next is not None else None
    kept = {"limit": limit, "etat": etat.value if etat else None, "apres": following}
    link = f"{request.url.path}?{urlencode({k: v for k, v in kept.items() if v})}"
    return {
        "offers": found.offers,
        "total": found.total,
        "by_freshness": found.by_freshness,
        "limit": limit,
        "apres": following,
        "next": link if following else None,
    }


@staff.post("/offers", status_code=status.HTTP_201_CREATED)
async def create_offer(
    body: OfferFields, principal: Staff, uow: UnitOfWorkDep, association: str | None = None
) -> dict[str, Any]:
    """A new offer of the principal's association (the network's coordination names one)."""
    if association is not None and association not in ASSOCIATIONS:
        raise HTTPException(422, [{"field": "association", "message": "association inconnue"}])
    offer = await _guarded(offers.create_offer(uow, principal, body, association))
    return {"offer_id": offer.id, "revision": offer.revision}


@staff.put("/offers/{offer_id}")
async def update_offer(
    offer_id: str,
    body: OfferFields,
    principal: Staff,
    uow: UnitOfWorkDep,
    if_match: Annotated[
        str | None,
        Header(description='The revision the fields were edited from, as `"3"`: 409 if older.'),
    ] = None,
) -> dict[str, Any]:
    revision = None
    if if_match is not None:
        if not if_match.strip('W/"').isdigit():
            raise HTTPException(422, [{"field": "If-Match", "message": 'révision attendue : "3"'}])
        revision = int(if_match.strip('W/"'))
    offer = await _guarded(offers.update_offer(uow, principal, offer_id, body, revision=revision))
    if offer is None:
        raise HTTPException(404, "offre inconnue")
    return {"offer_id": offer_id, "revision": offer.revision}


@staff.delete("/offers/{offer_id}", status_code=status.HTTP_204_NO_CONTENT)
async def withdraw_offer(offer_id: str, principal: Staff, uow: UnitOfWorkDep) -> Response:
    if not await _guarded(offers.withdraw_offer(uow, principal, offer_id)):
        raise HTTPException(404, "offre inconnue")
    return Response(status_code=204)


async def _guarded(call: Any) -> Any:
    try:
        return await call
    except offers.ForbiddenError:
        raise HTTPException(403, "Cette offre appartient à une autre association.") from None
    except offers.ConflictError:
        raise HTTPException(409, "L'offre a changé entre-temps : rechargez-la.") from None
