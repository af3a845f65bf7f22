"""Public pages, in the language the visitor asks for (kit/i18n.py; French first): search
the network's offers, read one with its contact path."""

import dataclasses
import math
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import HTMLResponse

from entraide.directory.domain import places
from entraide.directory.domain.offers import search, vocab
from entraide.directory.entrypoints.http import in_language
from entraide.directory.entrypoints.http.deps import CardsDep, OfferDocumentsDep, PagesDep
from entraide.directory.entrypoints.http.labels import DAYS, NEEDS
from entraide.directory.entrypoints.http.offers.api import PAGE_SIZE, hit_json
from entraide.directory.usecases import offers
from entraide.kit.auth import optional_principal
from entraide.kit.i18n import N_, public_language, translator
from entraide.kit.messages import in_page_order
from entraide.kit.pager import pager

# public pages: whoever is signed in sees it in the header (and may sign out)
router = APIRouter(
    include_in_schema=False,
    dependencies=[Depends(optional_principal), Depends(public_language)],
)
WITHDRAWN = N_(
    "Cette action n'est pas ou plus proposée : l'association l'a peut-être retirée. "
    "Cherchez-en une autre près de chez vous."
)


# the search form's fields as recherche.html shows them: its error summary follows them
FIELDS = ("lieu", "q", "besoin", "age", "jour", "rayon_km")


@router.get("/", response_class=HTMLResponse)
@router.get("/recherche", response_class=HTMLResponse)
async def search_page(
    request: Request,
    cards: CardsDep,
    pages: PagesDep,
    lieu: str = "",
    rayon_km: str = "15",
    besoin: str = "",
    age: str = "",
    jour: str = "",
    q: str = "",
    page: str = "1",
) -> HTMLResponse:
    """The search form, and once a place is given, a page of its results grouped by
    association and commune (the API's hits and count: `search_query`, `PAGE_SIZE`)."""
    _ = translator(pages.templates)
    form = {"lieu": lieu, "rayon_km": rayon_km, "besoin": besoin, "age": age, "jour": jour, "q": q}
    errors = form_errors(form)
    found = places.candidates(lieu) if lieu.strip() else []
    place = found[0] if found else None
    if lieu.strip() and place is None:
        errors["lieu"] = N_(
            "Commune ou code postal inconnu : essayez par exemple « Nantes » ou « 44000 »."
        )
    errors = {field: _(message) for field, message in in_page_order(errors, FIELDS).items()}
    context: dict[str, Any] = {"form": form, "errors": errors, "place": place, "results": None,
                               "needs": [(v, _(t)) for v, t in NEEDS],
                               "days": [(v, _(t)) for v, t in DAYS]}  # fmt: skip
    if place and not errors:
        number = int(page) if page.isdigit() and int(page) > 0 else 1
        query = search.Query(
            latitude=place.latitude,
            longitude=place.longitude,
            radius_km=float(rayon_km.replace(",", ".")),
            departement=place.departement,
            need=besoin or None,
            age=int(age) if age else None,
            day=int(jour) if jour else None,
            text=q,
            limit=PAGE_SIZE,
            offset=(number - 1) * PAGE_SIZE,
        )
        results = await offers.search_offers(cards, query)
        count = max(1, math.ceil(results.total / PAGE_SIZE))
        if number > count:  # past the last page (the offers changed): the last one
            number = count
            query = dataclasses.replace(query, offset=(number - 1) * PAGE_SIZE)
            results = await offers.search_offers(cards, query)
        hits = [hit_json(h) for h in results.hits]
        context |= {
            "results": hits,
            "groups": grouped(hits),
            "total": results.total,
            "first": query.offset + 1,
            "paging": pager(number, count, request.query_params),
            "others": [
                {
                    "label": p.label,
                    "url": "?" + urlencode({**form, "lieu": f"{p.commune} {p.postal_code}"}),
                }
                for p in found[1:]
                if p.insee != place.insee
            ],
        }
    status = 422 if errors else 200
    return pages.page(request, "recherche.html", status_code=status, **context)


def form_errors(form: dict[str, str]) -> dict[str, str]:
    """The criteria that do not fit, each with what to write instead (in French: the page
    translates them)."""
    errors = {}
    radius = form["rayon_km"].replace(",", ".")
    if not (radius.replace(".", "", 1).isdigit() and 1 <= float(radius) <= 100):
        errors["rayon_km"] = N_(
            "La distance est un nombre de kilomètres de 1 à 100, par exemple 15."
        )
    if form["age"] and not (form["age"].isdigit() and int(form["age"]) <= 25):
        errors["age"] = N_("L'âge de l'enfant est un nombre d'années, par exemple 8.")
    if form["jour"] not in dict(DAYS):
        errors["jour"] = N_("Choisissez un jour dans la liste.")
    if form["besoin"] not in dict(NEEDS):
        errors["besoin"] = N_("Choisissez un type d'accompagnement dans la liste.")
    return errors


def grouped(hits: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The hits of one association in one commune together (one card), in the order of
    each group's best hit."""
    groups: dict[tuple[str, str], dict[str, Any]] = {}
    for hit in hits:
        key = (hit["association_id"], hit["commune"])
        if key not in groups:
            groups[key] = {k: hit[k] for k in ("association", "association_site", "commune")}
            groups[key]["offers"] = []
        groups[key]["offers"].append(hit)
    return list(groups.values())


@router.get("/offres/{offer_id}", response_class=HTMLResponse)
async def offer_page(
    offer_id: str, request: Request, documents: OfferDocumentsDep, pages: PagesDep
) -> HTMLResponse:
    """An offer, its contact path, and its opening hours in the page's language."""
    _ = translator(pages.templates)
    offer = await offers.public_offer(documents, offer_id)
    if offer is None:
        raise HTTPException(404, _(WITHDRAWN))
    opening = in_language.opening_hours(offer["horaires_accueil"], _)
    return pages.page(
        request, "offre.html", offer=offer, opening_hours=opening, labels=vocab.THEMATIQUES
    )
