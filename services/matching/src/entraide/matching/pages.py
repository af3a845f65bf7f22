"""Coordinators' pages: the queue of proposals, the waitlist with its reasons, follow-ups
(what is due today first).
Thin: check the scope, call the engine, render."""

from datetime import UTC, date, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request, Response
from fastapi.responses import RedirectResponse

from entraide.contracts.vocab import MatchOutcome
from entraide.kit.auth import Principal, check_csrf, form_csrf, page_principal
from entraide.kit.web import render
from entraide.matching import access, labels
from entraide.matching.domain import followups, lifecycle, rules, score
from entraide.matching.domain.lifecycle import ACTIVE, State
from entraide.matching.engine import DecisionError, Engine
from entraide.matching.followup_store import FollowUpStore
from entraide.matching.matches import MatchStore
from entraide.matching.names import GONE, Names, Shown
from entraide.matching.pool import family_of

router = APIRouter(include_in_schema=False)
Staff = Annotated[Principal, Depends(page_principal)]
DONE = {
    "acceptee": "Proposition acceptée : prenez contact avec la famille et le bénévole.",
    "declinee": "Proposition déclinée : la famille reçoit la proposition suivante.",
    "proposee": "Proposition faite : elle apparaît dans la file.",
    "commencee": "Accompagnement commencé.",
    "suivi": "Suivi noté.",
    "close": "Accompagnement clos.",
}


def engine_of(request: Request) -> Engine:
    return request.app.state.engine  # type: ignore[no-any-return]


def store_of(request: Request) -> MatchStore:
    """The matches' documents, as the pages list them."""
    store: MatchStore = request.app.state.matches
    return store


def names_of(request: Request) -> Names:
    """Names and links for the pages, from matching's read models."""
    state = request.app.state
    return Names(
        state.views,
        state.offer_views,
        state.volunteer_views,
        intake_url=state.settings.intake_url.rstrip("/"),
        directory_url=state.settings.directory_url.rstrip("/"),
    )


def page(
    request: Request, name: str, principal: Principal, status_code: int = 200, **context: Any
) -> Response:
    flash = DONE.get(request.query_params.get("ok", ""))
    context |= {
        "principal": principal,
        "labels": labels,
        "csrf": form_csrf(request),
        "flashes": [{"level": "success", "text": flash}] if flash else [],
        "can_decide": principal.role in access.DECIDERS,
    }
    return render(request.app.state.templates, request, name, context, status_code=status_code)


@router.get("/")
async def home() -> Response:
    return RedirectResponse("/propositions", status_code=303)


@router.get("/propositions")
async def proposals(request: Request, principal: Staff) -> Response:
    """Proposals waiting for my association's answer, oldest first, with their scores."""
    engine = engine_of(request)
    query = access.scope_filter(principal) | {"state": State.PROPOSED.value}
    found = await store_of(request).listing(query)
    views = await engine.requests.many([m["request_id"] for m in found])
    names = await names_of(request).of(principal, found)
    return page(request, "propositions.html", principal, proposals=found, views=views, names=names)


@router.post("/propositions/{match_id}/{decision}", dependencies=[Depends(check_csrf)])
async def decide(request: Request, match_id: str, decision: str, principal: Staff) -> Response:
    engine = engine_of(request)
    match = await store_of(request).document(match_id)
    if match is None or not access.can_decide(principal, match):
        return _refused(request, principal)
    form = await request.form()
    try:
        if decision == "accepter":
            await engine.accept(match_id)
            done = "acceptee"
        elif decision == "decliner":
            reason = str(form.get("motif", ""))
            if reason not in labels.DECLINE_REASONS:
                return page(
                    request,
                    "erreur.html",
                    principal,
                    422,
                    heading="Motif manquant",
                    message="Choisissez le motif du refus.",
                )
            await engine.decline(match_id, reason)
            done = "declinee"
        else:
            return _refused(request, principal)
    except DecisionError:
        return page(
            request,
            "erreur.html",
            principal,
            409,
            heading="Déjà traitée",
            message="Quelqu'un a répondu à cette proposition entre-temps, ou elle a expiré.",
        )
    return RedirectResponse(f"/propositions?ok={done}", status_code=303)


@router.get("/attente")
async def waitlist(request: Request, principal: Staff) -> Response:
    """Families nobody fits yet, with the reason; a coordinator may propose by hand."""
    engine = engine_of(request)
    waiting = await store_of(request).waiting(access.waitlist_filter(principal))
    options: dict[str, list[tuple[str, float, str]]] = {}
    named: dict[str, str] = {}
    if principal.association_id and principal.role in access.DECIDERS:
        pool = await engine.pool.current()
        mine = [s for s in pool.supports if s.association_id == principal.association_id]
        views = await engine.requests.many([w["_id"] for w in waiting])
        now = datetime.now(UTC)
        for w in waiting:
            view = views.get(w["_id"])
            if view is None:
                continue
            family = family_of(view)
            fits = [
                (s, score.score(family, s, now=now))
                for s in mine
                if rules.unfit(family, s, today=now.date()) is None
            ]
            options[w["_id"]] = [
                (s.key, round(f.weighted, 2), ", ".join(f.reasons))
                for s, f in sorted(fits, key=lambda x: -x[1].weighted)[:10]
            ]
        keys = {key for choices in options.values() for key, _, _ in choices}
        shown = await names_of(request).supports(principal, keys)
        named = {key: _named(shown.get(key), key) for key in keys}
    return page(request, "attente.html", principal, waiting=waiting, options=options, named=named)


@router.post("/attente/{request_id}/proposer", dependencies=[Depends(check_csrf)])
async def propose_by_hand(request: Request, request_id: str, principal: Staff) -> Response:
    engine = engine_of(request)
    key = str((await request.form()).get("support", ""))
    pool = await engine.pool.current()
    support = pool.by_key.get(key)
    if (
        principal.role not in access.DECIDERS
        or support is None
        or support.association_id != principal.association_id
    ):
        return _refused(request, principal)
    made = await engine.propose_by_hand(request_id, key, by=principal.subject)
    if made is None:
        return page(
            request,
            "erreur.html",
            principal,
            409,
            heading="Proposition impossible",
            message="Ce bénévole ne convient plus (place, créneau, distance) ou la famille a déjà une proposition.",
        )
    return RedirectResponse("/propositions?ok=proposee", status_code=303)


@router.get("/suivis")
async def follow_ups(request: Request, principal: Staff) -> Response:
    """What is due today or overdue across my scope, then the accepted and started
    matches with their stored follow-ups (computed when something happened, not here)."""
    scope = access.scope_filter(principal)
    query = scope | {"state": {"$in": [s.value for s in ACTIVE]}}
    active = await store_of(request).listing(query)
    schedules: FollowUpStore = request.app.state.followup_store
    today = request.app.state.followups.today()
    queue = [
        _todo(doc, item, today)
        for doc in await schedules.due(scope, today)
        for item in doc["items"]
        if date.fromisoformat(item["on"]) <= today
    ]
    queue.sort(key=lambda t: (t["on"], t["kind"] != followups.RUPTURE))
    stored = await schedules.of([m["_id"] for m in active])
    for m in active:
        items = stored.get(m["_id"], {}).get("items", [])
        m["followup"] = stored.get(m["_id"])
        m["due"] = [i for i in items if date.fromisoformat(i["on"]) <= today]
        m["silent"] = any(i["kind"] == followups.RUPTURE for i in m["due"])
        m["upcoming"] = [i for i in items if date.fromisoformat(i["on"]) > today]
        contact = (m["followup"] or {}).get("last_contact_at") or m.get("last_contact_at")
        m["last_contact_on"] = followups.paris_day(contact) if contact else None
        m["started_on"] = followups.paris_day(m["started_at"]) if m.get("started_at") else None
    active.sort(key=lambda m: (not m["silent"], not m["due"]))
    shown = {m["_id"]: m for m in active} | {t["match"]["_id"]: t["match"] for t in queue}
    names = await names_of(request).of(principal, list(shown.values()))
    return page(
        request, "suivis.html", principal, matches=active, names=names, queue=queue, today=today
    )


def _todo(doc: dict[str, Any], item: dict[str, Any], today: date) -> dict[str, Any]:
    """One line of the queue: what to do for which match, since when."""
    on = date.fromisoformat(item["on"])
    return {
        "match": doc,
        "kind": item["kind"],
        "on": on,
        "late": (today - on).days,
        "anchor": f"suivi-{doc['_id']}",
    }


@router.post("/suivis/{match_id}/{action}", dependencies=[Depends(check_csrf)])
async def follow_up(request: Request, match_id: str, action: str, principal: Staff) -> Response:
    engine = engine_of(request)
    match = await store_of(request).document(match_id)
    if match is None or not access.can_decide(principal, match):
        return _refused(request, principal)
    form = await request.form()
    try:
        if action == "commencer":
            await engine.start(match_id)
            done = "commencee"
        elif action == "suivi" and form.get("type") in labels.CHECK_INS:
            await engine.check_in(match_id, str(form.get("type")))
            done = "suivi"
        elif action == "clore" and form.get("issue") in labels.OUTCOMES:
            await engine.close(match_id, MatchOutcome(str(form.get("issue"))))
            done = "close"
        else:
            return page(
                request,
                "erreur.html",
                principal,
                422,
                heading="Action incomplète",
                message="Choisissez le type de suivi ou l'issue de l'accompagnement.",
            )
    except (DecisionError, lifecycle.MoveRefusedError):
        return page(
            request,
            "erreur.html",
            principal,
            409,
            heading="Action impossible",
            message="Cet accompagnement a changé entre-temps : rechargez la page.",
        )
    return RedirectResponse(f"/suivis?ok={done}", status_code=303)


def _named(shown: Shown | None, key: str) -> str:
    """A support as the waitlist's choice lists it."""
    if shown is None:  # not (or no longer) in the read models: no reference shown
        return GONE.label
    return f"{shown.label} ({shown.detail})" if shown.detail else shown.label


def _refused(request: Request, principal: Principal) -> Response:
    return page(
        request,
        "erreur.html",
        principal,
        403,
        heading="Accès refusé",
        message="Cette proposition ne relève pas de votre association ou de vos territoires, ou votre rôle ne permet pas de décider.",
    )
