"""The association's space: its offers with their freshness, its volunteers to review."""

from datetime import date
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Depends, Form, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from entraide.directory import export
from entraide.directory import volunteer_service as service
from entraide.directory.service import ConflictError, ForbiddenError
from entraide.directory.volunteering import NEXT, Honorability, Status, TransitionError
from entraide.kit.auth import Principal, check_csrf, form_csrf, page_principal
from entraide.kit.web import render

router = APIRouter(include_in_schema=False)
Staff = Annotated[Principal, Depends(page_principal)]
STATUS_LABELS = {
    "applied": "Candidature reçue",
    "in-review": "En cours d'examen",
    "approved": "Bénévole actif",
    "declined": "Candidature déclinée",
    "paused": "En pause",
    "left": "Parti",
}
HONORABILITY_LABELS = {
    "not-requested": "Non demandée",
    "requested": "Demandée",
    "cleared": "Validée",
    "refused": "Refusée",
}
FRESHNESS_LABELS = {
    "fresh": "À jour",
    "reminder": "À confirmer",
    "hidden": "Masquée (trop ancienne)",
}
DONE = {"ok": ("success", "La fiche du bénévole est mise à jour.")}


@router.get("/association", response_class=HTMLResponse)
async def association_space(
    request: Request, principal: Staff, fait: str = "", erreur: str = "", benevole: str = ""
) -> HTMLResponse:
    """The association's offers and volunteers; `?benevole=<ref>`: that volunteer alone (the
    link from matching's proposals), for their association's staff and the network's."""
    state = request.app.state
    offers, volunteers = [], []
    if benevole:
        doc = await state.volunteers.by_ref(benevole)
        if doc is not None and service.may_see(principal, doc):
            volunteers = [await service.staff_view(state.volunteer_keys, doc)]
        elif not erreur:
            erreur = "Ce bénévole n'est pas connu de votre association."
    elif principal.association_id:
        offers = [
            export.staff_offer(d)
            for d in await state.offers.of_association(principal.association_id)
        ]
        docs = await state.volunteers.of_association(principal.association_id)
        volunteers = [await service.staff_view(state.volunteer_keys, d) for d in docs]
    flashes = [{"level": DONE[fait][0], "text": DONE[fait][1]}] if fait in DONE else []
    if erreur:
        flashes.append({"level": "error", "text": erreur[:200]})
    context: dict[str, Any] = {
        "principal": principal,
        "one_volunteer": bool(benevole),
        "today": date.today().isoformat(),
        "offers": offers,
        "volunteers": volunteers,
        "csrf": form_csrf(request),
        "flashes": flashes,
        "status_labels": STATUS_LABELS,
        "honorability_labels": HONORABILITY_LABELS,
        "freshness_labels": FRESHNESS_LABELS,
        "next_statuses": {s.value: sorted(n.value for n in nxt) for s, nxt in NEXT.items()},
    }
    return render(state.templates, request, "association.html", context)


@router.post("/association/benevoles/{volunteer_id}", dependencies=[Depends(check_csrf)])
async def review_volunteer(
    volunteer_id: str,
    request: Request,
    principal: Staff,
    statut: Annotated[str, Form()] = "",
    honorabilite: Annotated[str, Form()] = "",
    valable_jusqu_au: Annotated[str, Form()] = "",
) -> RedirectResponse:
    """The association's review: status and honorability check, as the API does it."""
    try:
        valid_until = date.fromisoformat(valable_jusqu_au) if valable_jusqu_au else None
    except ValueError:
        message = quote("La date de validité de l'attestation n'est pas une date.")
        return RedirectResponse(f"/association?erreur={message}#benevoles", 303)
    changes = {
        "status": Status(statut).value if statut else None,
        "honorability": Honorability(honorabilite).value if honorabilite else None,
        "honorability_valid_until": valid_until.isoformat() if valid_until else None,
    }
    try:
        volunteer = await service.change(request.app.state.uow, principal, volunteer_id, changes)
    except ForbiddenError:
        raise HTTPException(403, "Ce bénévole relève d'une autre association.") from None
    except (TransitionError, ConflictError) as exc:
        message = str(exc) or "La fiche a changé entre-temps : rechargez la page."
        return RedirectResponse(f"/association?erreur={quote(message)}#benevoles", 303)
    if volunteer is None:
        raise HTTPException(404, "bénévole inconnu")
    return RedirectResponse("/association?fait=ok#benevoles", 303)
