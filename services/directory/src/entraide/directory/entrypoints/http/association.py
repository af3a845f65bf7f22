"""The association's space: its offers with their freshness and what tells them apart (the
help, the ages, the hours, the places left, the audience), its volunteers to review (the
review's form posts to `volunteers.pages`) with how to reach them and what they offer."""

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse

from entraide.contracts import labels
from entraide.directory.domain import places
from entraide.directory.domain.offers import hours, vocab
from entraide.directory.domain.volunteers.rules import NEXT
from entraide.directory.domain.volunteers.status_words import FOR_STAFF
from entraide.directory.entrypoints.http.deps import (
    OfferDocumentsDep,
    PagesDep,
    VolunteerDocumentsDep,
    VolunteerKeysDep,
)
from entraide.directory.entrypoints.http.labels import (
    FRESHNESS_LABELS,
    HONORABILITY_LABELS,
)
from entraide.directory.usecases import access, offers, volunteers
from entraide.kit import formats
from entraide.kit.auth import Principal, require_role

router = APIRouter(include_in_schema=False)
Staff = Annotated[Principal, Depends(require_role(*access.SPACE_ROLES))]
DONE = {
    "ok": ("success", "La fiche du bénévole est mise à jour."),
    "corrige": ("success", "Les coordonnées du bénévole sont corrigées."),
    "rectifie": (
        "success",
        "Les coordonnées du bénévole sont corrigées ; le délégué à la protection des "
        "données est informé que la rectification demandée est faite.",
    ),
}
CHANNELS = {"email": "par e-mail", "sms": "par SMS"}  # the application's `identity.canal`
SLOT_ORDER = list(labels.SLOTS)  # Monday morning first


@router.get("/association", response_class=HTMLResponse)
async def association_space(
    request: Request,
    principal: Staff,
    pages: PagesDep,
    offer_documents: OfferDocumentsDep,
    volunteer_documents: VolunteerDocumentsDep,
    keys: VolunteerKeysDep,
    fait: str = "",
    erreur: str = "",
    benevole: str = "",
) -> HTMLResponse:
    """The association's offers and volunteers; `?benevole=<ref>`: that volunteer alone (the
    link from matching's proposals), for their association's staff and the network's."""
    shown: list[dict[str, Any]] = []
    listed: list[dict[str, Any]] = []
    if benevole:
        one = await volunteers.volunteer_by_ref(volunteer_documents, keys, principal, benevole)
        if one is not None:
            listed = [one]
        elif not erreur:
            erreur = "Ce bénévole n'est pas connu de votre association."
    elif principal.association_id:
        shown = await offers.association_offers(offer_documents, principal)
        listed = await volunteers.association_volunteers(volunteer_documents, keys, principal)
    flashes = [{"level": DONE[fait][0], "text": DONE[fait][1]}] if fait in DONE else []
    if erreur:
        flashes.append({"level": "error", "text": erreur[:200]})
    return pages.page(
        request,
        "association.html",
        principal,
        one_volunteer=bool(benevole),
        today=formats.today().isoformat(),
        offers=[action_card(o) for o in shown],
        volunteers=[described(v) for v in listed],
        flashes=flashes,
        status_labels=FOR_STAFF,
        honorability_labels=HONORABILITY_LABELS,
        freshness_labels=FRESHNESS_LABELS,
        channels=CHANNELS,
        next_statuses={s.value: sorted(n.value for n in nxt) for s, nxt in NEXT.items()},
    )


def described(volunteer: dict[str, Any]) -> dict[str, Any]:
    """A volunteer as their card reads: what they offer and when in words, their commune."""
    slots = sorted(
        (f"{s['day']}-{s['part']}" for s in volunteer.get("availability") or []),
        key=lambda slot: SLOT_ORDER.index(slot) if slot in SLOT_ORDER else len(SLOT_ORDER),
    )
    place = places.by_postal_code(volunteer["code_postal"])
    return volunteer | {
        "commune": place.commune if place else "",
        "needs_read": [
            labels.in_sentence(labels.NEEDS.get(n, n)) for n in volunteer.get("needs") or []
        ],
        "slots_read": [labels.in_sentence(labels.SLOTS.get(s, s)) for s in slots],
        "languages_read": [
            labels.in_sentence(labels.LANGUAGES.get(code, code))
            for code in volunteer.get("languages") or []
        ],
    }


def action_card(offer: dict[str, Any]) -> dict[str, Any]:
    """An action as its card reads: the help it gives, for which ages, when, the places
    left, who may see it (what tells apart two actions of one name in one commune)."""
    when = offer.get("horaires_accueil")
    return offer | {
        "help": [vocab.THEMATIQUES.get(t, t) for t in offer.get("thematiques") or []],
        "ages": ages(offer.get("age_min"), offer.get("age_max")),
        "when": hours.summary(hours.parse(when)) if when else "",
        "places": places_left(offer.get("capacity"), offer.get("current_load")),
        "audience": "Réservée aux professionnels"
        if offer.get("professionals_only")
        else "Ouverte aux familles",
    }


def ages(low: int | None, high: int | None) -> str:
    if low is not None and high is not None:
        return f"Enfants de {low} à {high} ans"
    if low is not None:
        return f"Enfants dès {low} ans"
    return f"Enfants jusqu'à {high} ans" if high is not None else ""


def places_left(capacity: int | None, load: int | None) -> str:
    if capacity is None:
        return ""
    left = max(capacity - (load or 0), 0)
    if left == 0:
        return f"Complète ({capacity} places)"
    plural = "s" if left > 1 else ""
    return f"{left} place{plural} libre{plural} sur {capacity}"
