"""Coordinators' follow-ups page: what is due today first, then the accepted and started
matches with their stored follow-ups, then those that ended in the last 30 days and why
(the family withdrew, the volunteer left, its data was erased...); and the actions on
them (start, check in, close).
Thin: check the scope, call the engine, render."""

from datetime import UTC, date, datetime, timedelta
from typing import Any

from fastapi import APIRouter, Depends, Request, Response

from entraide.contracts.paris import paris_day
from entraide.contracts.vocab import MatchOutcome
from entraide.kit import formats
from entraide.kit.auth import Principal, check_csrf
from entraide.kit.pager import pager
from entraide.kit.pages import Pages
from entraide.matching.domain import followups, lifecycle, rules
from entraide.matching.domain.paging import Asked, number_of
from entraide.matching.entrypoints.http import labels
from entraide.matching.entrypoints.http.deps import (
    EngineDep,
    FollowUpsDep,
    ListingsDep,
    NamesDep,
    PagesDep,
    PageStaff,
    QueueStaff,
)
from entraide.matching.entrypoints.http.names import GONE, Shown
from entraide.matching.entrypoints.http.pages import done, error, lapsed, refused
from entraide.matching.usecases import access
from entraide.matching.usecases.engine import DecisionError

router = APIRouter(include_in_schema=False)
ENDED_SHOWN = timedelta(days=30)  # « Terminés ces 30 derniers jours »


@router.get("/suivis")
async def follow_ups(
    request: Request,
    principal: QueueStaff,
    listings: ListingsDep,
    schedules: FollowUpsDep,
    names: NamesDep,
    pages: PagesDep,
    page: str = "1",
    termines: str = "1",
) -> Response:
    """What is due today or overdue across my scope, then the accepted and started
    matches with their stored follow-ups (computed when something happened, not here), a
    page at a time: only the page's are read and named."""
    today = schedules.today()
    listed = await listings.active(principal, Asked(number_of(page)))
    active = listed.docs
    for m in active:
        items = m["followup"].get("items", [])
        m["due"] = [i for i in items if date.fromisoformat(i["on"]) <= today]
        m["silent"] = any(i["kind"] == followups.RUPTURE for i in m["due"])
        m["upcoming"] = [i for i in items if date.fromisoformat(i["on"]) > today]
        contact = m["followup"].get("last_contact_at") or m.get("last_contact_at")
        m["last_contact_on"] = paris_day(contact) if contact else None
        m["started_on"] = paris_day(m["started_at"]) if m.get("started_at") else None
        noted = _noted(m)
        m["check_ins_open"] = followups.recordable(m.get("started_at"), noted, today)
        m["next_check_in"] = followups.next_opening(m.get("started_at"), noted, today)
    # what this page's matches have due, the oldest first (the list is in that order)
    queue = [_todo(m, item, today) for m in active for item in m["due"]]
    queue.sort(key=lambda t: (t["on"], t["kind"] != followups.RUPTURE))
    ended = await listings.ended(
        principal, datetime.now(UTC) - ENDED_SHOWN, Asked(number_of(termines))
    )
    for m in ended.docs:
        m["ended_on"] = paris_day(m["closed_at"])
    named = await names.of(principal, [*active, *ended.docs])
    for m in active:
        m["check"] = _check(m, named[m["_id"]]["support"], today)
    # each list's pager keeps the other's page
    ended_page = {"termines": ended.number if ended.number > 1 else None}
    return pages.page(
        request,
        "suivis.html",
        principal,
        matches=active,
        listed=listed,
        paging=pager(listed.number, listed.pages, ended_page),
        ended=ended,
        ended_paging=pager(ended.number, ended.pages, {"page": listed.number}, key="termines"),
        names=named,
        queue=queue,
        due_total=await listings.due_count(principal, today),
        today=today,
        can_decide=principal.role in access.DECIDERS,
    )


def _check(match: dict[str, Any], support: Shown, today: date) -> rules.CheckNotice | None:
    """What a volunteer's support says of their honorability check: expired, or expiring
    within `rules.CHECK_NOTICE` (an action's, or one whose volunteer is gone, nothing)."""
    if not match["support_key"].startswith("volunteer:") or support is GONE:
        return None
    return rules.check_notice(support.check_until, today)


def _noted(match: dict[str, Any]) -> list[str]:
    """The kinds of follow-up already noted on a match's document."""
    return [c["kind"] for c in match.get("check_ins", ())]


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
async def follow_up(
    request: Request,
    match_id: str,
    action: str,
    principal: PageStaff,
    listings: ListingsDep,
    engine: EngineDep,
    pages: PagesDep,
) -> Response:
    match = await listings.match(match_id)
    if match is None or not access.can_decide(principal, match):
        return refused(pages, request, principal)
    form = await request.form()
    kind = str(form.get("type", ""))
    try:
        if action == "commencer":
            await engine.start(match_id)
            did = "commencee"
        elif action == "suivi" and kind in labels.CHECK_INS:
            await engine.check_in(match_id, kind)
            did = "suivi"
        elif action == "clore" and form.get("issue") in labels.outcomes(match["support_key"]):
            await engine.close(match_id, MatchOutcome(str(form.get("issue"))))
            did = "close"
        else:
            return error(
                pages,
                request,
                principal,
                422,
                "Action incomplète",
                "Choisissez le type de suivi ou l'issue de l'accompagnement.",
            )
    except followups.NotOpenError as early:  # the engine's rule, the API's as well
        return _not_yet(pages, request, principal, early)
    except rules.CheckLapsedError as why:
        return lapsed(pages, request, principal, match, why, starting=True)
    except (DecisionError, lifecycle.MoveRefusedError):
        return error(
            pages,
            request,
            principal,
            409,
            "Action impossible",
            "Cet accompagnement a changé entre-temps : rechargez la page.",
        )
    return done(request, principal, "/suivis", number=number_of(str(form.get("page", ""))), ok=did)


def _not_yet(
    pages: Pages, request: Request, principal: Principal, early: followups.NotOpenError
) -> Response:
    """A dated follow-up noted too early (or already done): when it may be noted."""
    if early.done:
        why = "il est déjà noté."
    elif early.opens is None:
        why = "il se note une fois l'accompagnement commencé."
    else:
        why = f"il se note à partir du {formats.day(early.opens)}, une semaine avant son échéance."
    heading = "Suivi pas encore dû"
    return error(pages, request, principal, 422, heading, f"{labels.CHECK_INS[early.kind]} : {why}")
