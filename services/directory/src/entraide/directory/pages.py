"""Public pages in French: search the network's offers, read one with its contact path."""

from typing import Any

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import HTMLResponse

from entraide.contracts.kit.web import render
from entraide.directory import export, places, search, service, vocab
from entraide.directory.api import hit_json

router = APIRouter(include_in_schema=False)
WITHDRAWN = (
    "Cette action n'est pas ou plus proposée : l'association l'a peut-être retirée. "
    "Cherchez-en une autre près de chez vous."
)
DAYS = [("", "Peu importe"), *[(str(i), d.capitalize()) for i, d in enumerate(
    ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"))]]  # fmt: skip
NEEDS = [
    ("", "Tous les accompagnements"),
    *[(n.value, label) for n, label in vocab.NEED_LABELS.items()],
]


@router.get("/", response_class=HTMLResponse)
@router.get("/recherche", response_class=HTMLResponse)
async def search_page(
    request: Request,
    lieu: str = "",
    rayon_km: float = 15.0,
    besoin: str = "",
    age: str = "",
    jour: str = "",
    q: str = "",
) -> HTMLResponse:
    """The search form, and its results once a place is given."""
    form = {"lieu": lieu, "rayon_km": rayon_km, "besoin": besoin, "age": age, "jour": jour, "q": q}
    errors: dict[str, str] = {}
    results: list[dict[str, Any]] | None = None
    place = places.find(lieu) if lieu else None
    if lieu and place is None:
        errors["lieu"] = (
            "Commune ou code postal inconnu : essayez par exemple « Nantes » ou « 44000 »."
        )
    if age and not (age.isdigit() and int(age) <= 25):
        errors["age"] = "L'âge de l'enfant est un nombre d'années, par exemple 8."
    if place and not errors:
        query = search.Query(
            latitude=place.latitude,
            longitude=place.longitude,
            radius_km=min(max(rayon_km, 1.0), 100.0),
            departement=place.departement,
            need=besoin or None,
            age=int(age) if age else None,
            day=int(jour) if jour.isdigit() else None,
            text=q,
        )
        hits = await service.find_offers(request.app.state.cards, query)
        results = [hit_json(h) for h in hits]
    context = {"form": form, "errors": errors, "results": results, "place": place,
               "needs": NEEDS, "days": DAYS}  # fmt: skip
    return render(request.app.state.templates, request, "recherche.html", context)


@router.get("/offres/{offer_id}", response_class=HTMLResponse)
async def offer_page(offer_id: str, request: Request) -> HTMLResponse:
    doc = await request.app.state.offers.get(offer_id)
    if doc is None or doc["professionals_only"]:
        raise HTTPException(404, WITHDRAWN)
    offer = export.public_offer(doc)
    labels = vocab.THEMATIQUES
    return render(
        request.app.state.templates, request, "offre.html", {"offer": offer, "labels": labels}
    )
