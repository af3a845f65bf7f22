"""The association's space: its volunteers to review, a page at a time, what waits for the
coordinator first (the review's form posts to `volunteers.pages`, the correction's to
`volunteers.correction`; both come back to the page and filter it was sent from), with how
to reach them and what they offer; its actions on a page of their own, those to update
first, each with its freshness and what tells it apart (the help, the ages, the hours, the
places left, the audience)."""

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Annotated, Any
from urllib.parse import parse_qsl, urlencode

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse

from entraide.contracts import labels
from entraide.directory.domain import places
from entraide.directory.domain.offers import hours, vocab
from entraide.directory.domain.offers.fields import Freshness
from entraide.directory.domain.volunteers import roster as roster_rules
from entraide.directory.domain.volunteers.rules import NEXT, Status
from entraide.directory.domain.volunteers.status_words import FOR_STAFF
from entraide.directory.entrypoints.http.deps import (
    OfferListingDep,
    PagesDep,
    RosterDep,
    VolunteerDocumentsDep,
    VolunteerKeysDep,
)
from entraide.directory.entrypoints.http.labels import (
    FRESHNESS_LABELS,
    HONORABILITY_LABELS,
)
from entraide.directory.usecases import access, offers, volunteers
from entraide.directory.usecases.roster import Listed, association_roster
from entraide.kit import flash, formats
from entraide.kit.auth import Principal, require_role
from entraide.kit.pager import pager

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
# what a form on an action's card did, said of the action by its name
ACTION_DONE = {
    "confirme": "L'action « {} » est confirmée à jour.",
    "places": "Les places libres de l'action « {} » sont mises à jour ; elle est confirmée à jour.",
    "modifie": "L'action « {} » est modifiée ; elle est confirmée à jour.",
    "retire": "L'action « {} » est retirée : les familles ne la verront plus.",
}
CHANNELS = {"email": "par e-mail", "sms": "par SMS"}  # the application's `identity.canal`
SLOT_ORDER = list(labels.SLOTS)  # Monday morning first


@router.get("/association", response_class=HTMLResponse)
async def association_space(
    request: Request,
    principal: Staff,
    pages: PagesDep,
    roster: RosterDep,
    volunteer_documents: VolunteerDocumentsDep,
    keys: VolunteerKeysDep,
    benevole: str = "",
    statut: str = "",
    page: str = "1",
) -> HTMLResponse:
    """The association's volunteers, a page at a time, what waits for the coordinator first
    (`?statut=`: of that status only); `?benevole=<ref>`: that volunteer alone (the link
    from matching's proposals), for their association's staff and the network's; what a
    form on the page just did, if this service said it (`kit.flash`)."""
    said = flash.said(request, principal.subject)
    erreur = said.get("erreur", "")
    status = Status(statut) if statut in FOR_STAFF else None
    listed = Listed([], 1, 1, 0)
    if benevole:
        one = await volunteers.volunteer_by_ref(volunteer_documents, keys, principal, benevole)
        if one is not None:
            listed = Listed([one], 1, 1, 1)
        elif not erreur:
            erreur = "Ce bénévole n'est pas connu de votre association."
    else:
        number = int(page) if page.isdigit() else 1
        today = formats.today()
        listed = await association_roster(
            roster, keys, principal, status=status, number=number, today=today
        )
    kept = {"statut": status.value if status else "", "benevole": benevole}
    return pages.page(
        request,
        "association.html",
        principal,
        tab="benevoles",
        one_volunteer=bool(benevole),
        today=formats.today().isoformat(),
        volunteers=[described(v) for v in listed.volunteers],
        listed=listed,
        waiting=sum(listed.by_status.get(s, 0) for s in roster_rules.WAITING),
        status=status.value if status else "",
        paging=pager(listed.number, listed.pages, kept),
        back=back_query(kept, listed.number),
        flashes=flashes(said.get("fait", ""), erreur),
        status_labels=FOR_STAFF,
        honorability_labels=HONORABILITY_LABELS,
        channels=CHANNELS,
        next_statuses={s.value: sorted(n.value for n in nxt) for s, nxt in NEXT.items()},
    )


@router.get("/association/actions", response_class=HTMLResponse)
async def association_actions(
    request: Request,
    principal: Staff,
    pages: PagesDep,
    listing: OfferListingDep,
    etat: str = "",
    page: str = "1",
) -> HTMLResponse:
    """The association's actions, a page at a time, those to update first (`?etat=`: in
    that state only); what a form on a card did (`fait`, of the action `nom`) or why it
    did not (`erreur`), if this service said it (`kit.flash`)."""
    said = flash.said(request, principal.subject)
    shown = flashes("", said.get("erreur", ""))
    fait, nom = said.get("fait", ""), said.get("nom", "")
    if fait in ACTION_DONE and nom:
        shown.insert(0, {"level": "success", "text": ACTION_DONE[fait].format(nom[:200])})
    return await actions_page(request, principal, pages, listing, page, etat, flashes=shown)


async def actions_page(
    request: Request,
    principal: Principal,
    pages: PagesDep,
    listing: OfferListingDep,
    page: str,
    etat: str,
    *,
    flashes: list[dict[str, str]],
    errors: dict[str, dict[str, str]] | None = None,
) -> HTMLResponse:
    """The actions' page `page` (in the state `etat`, if one); `errors`: a card's form
    refused (by offer id: `places`, the value typed, and `message`), said beside its
    field."""
    state = Freshness(etat) if etat in FRESHNESS_LABELS else None
    number = int(page) if page.isdigit() else 1
    listed = await offers.association_actions(
        listing, principal, state=state, number=number, now=datetime.now(UTC)
    )
    kept = {"etat": state.value if state else ""}
    return pages.page(
        request,
        "association-actions.html",
        principal,
        status_code=422 if errors else 200,
        tab="actions",
        offers=[action_card(o) for o in listed.offers],
        listed=listed,
        state=kept["etat"],
        stale=sum(n for s, n in listed.by_freshness.items() if s != Freshness.FRESH),
        paging=pager(listed.number, listed.pages, kept),
        back=back_query(kept, listed.number),
        flashes=flashes,
        errors=errors or {},
        freshness_labels=FRESHNESS_LABELS,
    )


def flashes(fait: str, erreur: str) -> list[dict[str, str]]:
    found = [{"level": DONE[fait][0], "text": DONE[fait][1]}] if fait in DONE else []
    if erreur:
        found.append({"level": "error", "text": erreur[:200]})
    return found


def back_query(kept: dict[str, str], number: int) -> str:
    """Where a form on the page returns to: this page, with its filter (`retour`)."""
    return urlencode(
        {k: v for k, v in kept.items() if v} | ({"page": number} if number > 1 else {})
    )


def back_to(retour: str, to: str = "/association", said: Mapping[str, str] | None = None) -> str:
    """The space's page `to` as the person left it (`retour`, as `back_query` wrote it:
    anything else is dropped), with the outcome to say (`said`: `kit.flash.signed`'s)."""
    asked = dict(parse_qsl(retour))
    kept = {k: asked[k] for k in ("statut", "benevole", "etat") if asked.get(k)}
    if asked.get("page", "").isdigit():
        kept["page"] = asked["page"]
    query = urlencode(kept | dict(said or {}))
    return f"{to}?{query}" if query else to


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
        "places_left": max((offer.get("capacity") or 0) - (offer.get("current_load") or 0), 0),
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
