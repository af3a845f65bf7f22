"""Coordinators' pages: the queue of proposals and the waitlist with its reasons (the
follow-ups are in `followup_pages`). Thin: check the scope, call a use case, render."""

from collections.abc import Mapping
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Request, Response
from fastapi.responses import RedirectResponse

from entraide.kit import flash
from entraide.kit.auth import Principal, check_csrf
from entraide.kit.pager import pager
from entraide.kit.pages import Pages
from entraide.matching.domain import rules
from entraide.matching.domain.paging import Asked, number_of
from entraide.matching.entrypoints.http import labels
from entraide.matching.entrypoints.http.deps import (
    EngineDep,
    ListingsDep,
    NamesDep,
    PagesDep,
    PageStaff,
    QueueStaff,
    WaitlistDep,
)
from entraide.matching.entrypoints.http.names import GONE, Shown
from entraide.matching.usecases import access
from entraide.matching.usecases.engine import DecisionError

router = APIRouter(include_in_schema=False)
DONE = {
    "acceptee": "Proposition acceptée : prenez contact avec la famille et le bénévole.",
    "declinee": "Proposition déclinée : la famille reçoit la proposition suivante.",
    "proposee": "Proposition faite : elle apparaît dans la file.",
    "commencee": "Accompagnement commencé.",
    "suivi": "Suivi noté.",
    "close": "Accompagnement clos.",
}
# an action has no volunteer: its association is the one to contact, named by its code in
# the redirect's outcome (`association`: a code of the shared reference, no personal data)
ACCEPTED_ACTION = (
    "Proposition acceptée : prenez contact avec la famille ; l'action est celle de {}."
)
ACCEPTED_ACTION_UNNAMED = (
    "Proposition acceptée : prenez contact avec la famille et l'association qui mène l'action."
)


def common(request: Request) -> Mapping[str, Any]:
    """What every page of matching shows: its labels, and what the person viewing it just
    did (`done`'s outcome, said only if this service signed it for them: `kit.flash`)."""
    viewer = getattr(request.state, "principal", None)
    said = flash.said(request, viewer.subject) if isinstance(viewer, Principal) else {}
    text = _done(said)
    return {
        "labels": labels,
        "flashes": [{"level": "success", "text": text}] if text else [],
    }


def done(
    request: Request, principal: Principal, page: str, *, number: int = 1, **outcome: str
) -> Response:
    """Back to `page` (its page `number`, where the form was) after a decision, saying to
    the one who made it what it did (`ok`)."""
    said = flash.signed(request, principal.subject, **outcome)
    kept = {"page": str(number)} if number > 1 else {}
    return RedirectResponse(f"{page}?{urlencode(kept | said)}", status_code=303)


def _done(said: Mapping[str, str]) -> str | None:
    """What was just done, in words: an accepted action's names its association."""
    if said.get("ok") != "acceptee-action":
        return DONE.get(said.get("ok", ""))
    association = labels.ASSOCIATIONS_IN_SENTENCE.get(said.get("association", ""))
    return ACCEPTED_ACTION.format(association) if association else ACCEPTED_ACTION_UNNAMED


def error(
    pages: Pages, request: Request, principal: Principal, status: int, heading: str, message: str
) -> Response:
    """The error page, with what went wrong and what to do."""
    deciding = principal.role in access.DECIDERS
    return pages.error(request, principal, status, heading, message, can_decide=deciding)


def lapsed(
    pages: Pages,
    request: Request,
    principal: Principal,
    match: Mapping[str, Any],
    why: rules.CheckLapsedError,
    *,
    starting: bool = False,
) -> Response:
    """A volunteer's proposal not accepted, or their support not started: their
    honorability check lapsed (the engine ended the match and placed the family again)."""
    said = labels.check_lapsed(match["association_id"], why.until, starting=starting)
    return error(pages, request, principal, 409, "Attestation d'honorabilité expirée", said)


def refused(pages: Pages, request: Request, principal: Principal) -> Response:
    return error(
        pages,
        request,
        principal,
        403,
        "Accès refusé",
        "Cette proposition ne relève pas de votre association ou de vos territoires, ou votre rôle ne permet pas de décider.",
    )


@router.get("/")
async def home() -> Response:
    return RedirectResponse("/propositions", status_code=303)


@router.get("/propositions")
async def proposals(
    request: Request,
    principal: QueueStaff,
    listings: ListingsDep,
    names: NamesDep,
    pages: PagesDep,
    page: str = "1",
) -> Response:
    """Proposals waiting for my association's answer, oldest first, with their scores, a
    page at a time (only the page's are named)."""
    found = await listings.proposals(principal, Asked(number_of(page)))
    named = await names.of(principal, found.docs)  # with each family's day of request
    return pages.page(
        request,
        "propositions.html",
        principal,
        proposals=found.docs,
        listed=found,
        paging=pager(found.number, found.pages, {}),
        names=named,
        can_decide=principal.role in access.DECIDERS,
    )


@router.post("/propositions/{match_id}/{decision}", dependencies=[Depends(check_csrf)])
async def decide(
    request: Request,
    match_id: str,
    decision: str,
    principal: PageStaff,
    listings: ListingsDep,
    engine: EngineDep,
    pages: PagesDep,
) -> Response:
    match = await listings.match(match_id)
    if match is None or not access.can_decide(principal, match):
        return refused(pages, request, principal)
    form = await request.form()
    try:
        if decision == "accepter":
            await engine.accept(match_id)
            outcome = _accepted(match)
        elif decision == "decliner":
            reason = str(form.get("motif", ""))
            if reason not in labels.decline_reasons(match["support_key"]):
                return error(
                    pages,
                    request,
                    principal,
                    422,
                    "Motif manquant",
                    "Choisissez le motif du refus.",
                )
            await engine.decline(match_id, reason)
            outcome = {"ok": "declinee"}
        else:
            return refused(pages, request, principal)
    except rules.CheckLapsedError as why:
        return lapsed(pages, request, principal, match, why)
    except DecisionError:
        return error(
            pages,
            request,
            principal,
            409,
            "Déjà traitée",
            "Quelqu'un a répondu à cette proposition entre-temps, ou elle a expiré.",
        )
    return done(request, principal, "/propositions", number=_number(form), **outcome)


@router.get("/attente")
async def waitlist(
    request: Request,
    principal: QueueStaff,
    listings: ListingsDep,
    choices: WaitlistDep,
    names: NamesDep,
    pages: PagesDep,
    page: str = "1",
) -> Response:
    """Families nobody fits yet, with the reason, a page at a time; a coordinator may
    propose by hand (the choices weighed for the page's families only)."""
    found = await listings.waiting(principal, Asked(number_of(page)))
    waiting = found.docs
    options: dict[str, list[tuple[str, float, str]]] = {}
    named: dict[str, str] = {}
    if principal.association_id and principal.role in access.DECIDERS:
        options = await choices.choices(principal.association_id, waiting)
        keys = {key for found in options.values() for key, _, _ in found}
        shown = await names.supports(principal, keys)
        named = {key: _named(shown.get(key), key) for key in keys}
    return pages.page(
        request,
        "attente.html",
        principal,
        waiting=waiting,
        listed=found,
        paging=pager(found.number, found.pages, {}),
        options=options,
        named=named,
        can_decide=principal.role in access.DECIDERS,
    )


@router.post("/attente/{request_id}/proposer", dependencies=[Depends(check_csrf)])
async def propose_by_hand(
    request: Request,
    request_id: str,
    principal: PageStaff,
    choices: WaitlistDep,
    engine: EngineDep,
    pages: PagesDep,
) -> Response:
    key = str((await request.form()).get("support", ""))
    association_id = await choices.association_of(key)
    if (
        principal.role not in access.DECIDERS
        or association_id is None
        or association_id != principal.association_id
    ):
        return refused(pages, request, principal)
    made = await engine.propose_by_hand(request_id, key, by=principal.subject)
    if made is None:
        return error(
            pages,
            request,
            principal,
            409,
            "Proposition impossible",
            "Ce bénévole ne convient plus (place, créneau, distance) ou la famille a déjà une proposition.",
        )
    return done(request, principal, "/propositions", ok="proposee")


def _number(form: Mapping[str, Any]) -> int:
    """The page of the list the form was on (its hidden `page`)."""
    return number_of(str(form.get("page", "")))


def _accepted(match: Mapping[str, Any]) -> dict[str, str]:
    """The outcome of an acceptance: a volunteer's, or an action's and whose."""
    if match["support_key"].startswith("volunteer:"):
        return {"ok": "acceptee"}
    return {"ok": "acceptee-action", "association": match.get("association_id", "")}


def _named(shown: Shown | None, key: str) -> str:
    """A support as the waitlist's choice lists it."""
    if shown is None:  # not (or no longer) in the read models: no reference shown
        return GONE.label
    return f"{shown.label} ({shown.detail})" if shown.detail else shown.label
