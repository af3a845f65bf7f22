"""Staff's page « À confirmer »: the families' own requests waiting in my scope, each to
confirm (published to matching), to join to a family already known, or to refuse."""

import re
from datetime import UTC, datetime
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Request, Response
from fastapi.responses import RedirectResponse

from entraide.intake.domain import paging
from entraide.intake.domain.family import NotFoundError
from entraide.intake.domain.requests import Sign
from entraide.intake.domain.self_requests import RefusalReason
from entraide.intake.entrypoints.http.deps import Caseworker, PagesDep, StatementsDep
from entraide.intake.usecases.self_request_queue import (
    AlreadyDecidedError,
    ConfirmationQueue,
    Decided,
)
from entraide.kit import flash
from entraide.kit.auth import Principal, RefusedError, check_csrf
from entraide.kit.deps import provided
from entraide.kit.pager import pager
from entraide.kit.rectification_statements import PrivacyStatements

router = APIRouter(include_in_schema=False)
QueueDep = Annotated[ConfirmationQueue, Depends(provided(ConfirmationQueue))]
# staff read what the family is told, if anything (`TOLD_REFUSALS`), before choosing
REFUSALS = {
    RefusalReason.UNREACHABLE: (
        "Personne injoignable ou coordonnées fausses — la famille est prévenue et invitée à "
        "refaire une demande"
    ),
    RefusalReason.NOT_A_REQUEST: (
        "Pas une demande d'aide (essai, message sans objet, abus) — aucun message envoyé"
    ),
    RefusalReason.OUT_OF_REACH: (
        "Hors du territoire du réseau — la famille est prévenue, avec où s'adresser près de "
        "chez elle"
    ),
}
DONE = {
    "confirmee": "Demande confirmée : la famille a sa fiche et sa demande part vers l'orientation.",
    "rattachee": "Demande rattachée à la famille déjà connue : elle part vers l'orientation.",
    "refusee": "Demande refusée : ses données ne sont plus lisibles.",
}
AN_ID = re.compile(r"[0-9a-f]{8,64}")  # ids only: the address names no one
NO_REASON = "Motif du refus : choisissez-le dans la liste (rien n'est refusé sans motif)."


@router.get("/a-confirmer")
async def waiting(
    request: Request,
    principal: Caseworker,
    queue: QueueDep,
    pages: PagesDep,
    statements: StatementsDep,
    page: str = "1",
) -> Response:
    """The queue, a page at a time (`page`, oldest first); after a decision, what became of the request (and a link to its family),
    said only to whoever decided (`kit.flash`); beside a rectification's flag, what the
    person wrote is wrong (read from privacy)."""
    said = flash.said(request, principal.subject)
    ids = (said.get("famille", ""), said.get("demande", ""))
    went = Decided(*ids) if all(AN_ID.fullmatch(i) for i in ids) else None
    done = DONE.get(said.get("ok", ""))
    number = paging.number_of(page)
    return await _queue_page(
        request, principal, queue, pages, statements, number, done=done, went=went
    )


def decided(request: Request, principal: Principal, number: int, **outcome: str) -> Response:
    """Back to the queue's page `number`, saying to the one who decided what became of the
    request."""
    said = flash.signed(request, principal.subject, **outcome)
    where = {"page": number} if number > 1 else {}
    return RedirectResponse(f"/a-confirmer?{urlencode(where | said)}", status_code=303)


async def _queue_page(
    request: Request,
    principal: Principal,
    queue: ConfirmationQueue,
    pages: PagesDep,
    statements: PrivacyStatements,
    number: int,
    *,
    done: str | None = None,
    went: Decided | None = None,
    errors: dict[str, str] | None = None,
    status_code: int = 200,
) -> Response:
    listed = await queue.pending(principal, number)
    flagged = [p for p in listed.items if p.request.rectifications]
    return pages.page(
        request,
        "a_confirmer.html",
        principal,
        status_code=status_code,
        pending=listed.items,
        listed=listed,
        paging=pager(listed.number, listed.pages, {}),
        said={p.request.id: await statements.of(p.request.rectifications) for p in flagged},
        refusals=REFUSALS,
        done=done,
        went=went,
        errors=errors or {},
    )


@router.post("/a-confirmer/{self_id}", dependencies=[Depends(check_csrf)])
async def decide(
    self_id: str,
    request: Request,
    principal: Caseworker,
    queue: QueueDep,
    pages: PagesDep,
    statements: StatementsDep,
) -> Response:
    form = await request.form()
    action, now = str(form.get("action") or ""), datetime.now(UTC)
    number = paging.number_of(str(form.get("page") or ""))  # back to the page it was on
    if action == "refuser" and str(form.get("reason")) not in set(RefusalReason):
        # a refusal makes the family's data unreadable: never without a reason chosen
        errors = {f"raison-{self_id}": NO_REASON}
        return await _queue_page(
            request, principal, queue, pages, statements, number, errors=errors, status_code=422
        )
    signs = _signs(form.getlist(f"signes-{self_id}"), principal)
    try:
        if action == "confirmer":
            went = await queue.confirm(principal, self_id, now, signs)
            done = "confirmee"
        elif action == "rattacher":
            family_id = str(form.get("family_id") or "")
            went = await queue.merge(principal, self_id, family_id, now, signs)
            done = "rattachee"
        elif action == "refuser":
            await queue.refuse(principal, self_id, RefusalReason(str(form.get("reason"))), now)
            return decided(request, principal, number, ok="refusee")
        else:
            raise RefusedError(
                "Choisissez une action : confirmer, rattacher à une famille ou refuser avec "
                "un motif.",
                principal=principal,
                status_code=422,
                heading="Action incomplète",
            )
    except NotFoundError as exc:
        raise RefusedError(
            "Cette demande ou cette famille n'est pas dans votre périmètre, ou n'existe plus.",
            principal=principal,
            status_code=404,
            heading="Demande introuvable",
        ) from exc
    except AlreadyDecidedError as exc:
        raise RefusedError(
            "Quelqu'un a déjà traité cette demande : rechargez la liste.",
            principal=principal,
            status_code=409,
            heading="Demande déjà traitée",
        ) from exc
    return decided(
        request, principal, number, ok=done, famille=went.family_id, demande=went.request_id
    )


def _signs(ticked: list[Any], principal: Principal) -> list[Sign]:
    """The signs staff ticked (the page offers no other)."""
    if not set(map(str, ticked)) <= set(Sign):
        raise RefusedError(
            "Ce signe observé n'est pas dans la liste : rechargez la page.",
            principal=principal,
            status_code=422,
            heading="Action incomplète",
        )
    return [Sign(str(s)) for s in ticked]
