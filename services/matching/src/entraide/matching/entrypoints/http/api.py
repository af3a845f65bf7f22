"""Matching's HTTP API: requests as matching knows them, and the coordinators' queue,
decisions and waitlist (same scopes as the pages)."""

from typing import Annotated, Any, Literal
from urllib.parse import urlencode

from fastapi import APIRouter, HTTPException, Query, Request, status
from pydantic import BaseModel, Field

from entraide.kit import opaque
from entraide.matching.domain import rules
from entraide.matching.domain.paging import API_MAX, PAGE_SIZE, Asked, Page
from entraide.matching.entrypoints.http import cursor, labels
from entraide.matching.entrypoints.http.deps import ApiStaff, EngineDep, ListingsDep, QueueStaff
from entraide.matching.usecases import access
from entraide.matching.usecases.engine import DecisionError

router = APIRouter(prefix="/api/v1")
SHOWN = ("request_id", "family_ref", "support_key", "association_id", "departement", "needs",
         "urgency", "state", "score", "breakdown", "reasons", "proposed_by", "proposed_at",
         "expires_at")  # fmt: skip


class Decision(BaseModel):
    decision: Literal["accept", "decline"]
    reason: str | None = Field(
        None, description=f"To decline: one of {sorted(labels.DECLINE_REASONS)}."
    )


@router.get("/requests/{request_id}", tags=["requests"])
async def get_request(
    request_id: str, principal: ApiStaff, listings: ListingsDep
) -> dict[str, Any]:
    """A request as matching knows it (pseudonymous), for those who may see it: the
    association that recorded it and the one its open match proposes, in their territories."""
    view = await listings.request(principal, request_id)
    if view is None:
        raise HTTPException(404, detail=f"no request {request_id!r} in your scope")
    view["request_id"] = view.pop("_id")
    return view


Limit = Annotated[int, Query(ge=1, le=API_MAX, description=f"Items per page, 1 to {API_MAX}.")]
After = Annotated[
    str | None,
    Query(description="The previous page's `apres`: the page after it (none: the first)."),
]


class Paged(BaseModel):
    """What a page says besides its items (the shape of directory's staff lists)."""

    total: int = Field(description="How many in the list, on every page.")
    limit: int
    apres: str | None = Field(
        description="The cursor of the next page (opaque); null on the last page."
    )
    next: str | None = Field(
        description="The next page's address (the same limit); null on the last."
    )


class ProposalPage(Paged):
    """A page of the proposals waiting for an answer, oldest first."""

    proposals: list[dict[str, Any]]


class WaitingPage(Paged):
    """A page of the requests nobody fits yet, longest waiting first."""

    waiting: list[dict[str, Any]]


@router.get("/proposals", tags=["proposals"])
async def proposals(
    request: Request,
    principal: QueueStaff,
    listings: ListingsDep,
    limit: Limit = PAGE_SIZE,
    apres: After = None,
) -> ProposalPage:
    """Proposals waiting for an answer from my association, in my territories, oldest
    first, a page at a time: follow `next` until it is null; `total` says how many."""
    found = await listings.proposals(principal, _asked(limit, apres))
    shown = [{"match_id": m["_id"], **{k: m.get(k) for k in SHOWN}} for m in found.docs]
    return ProposalPage(proposals=shown, **_paging(request, found, limit))


@router.post("/proposals/{match_id}", tags=["proposals"])
async def decide(
    match_id: str, body: Decision, principal: QueueStaff, listings: ListingsDep, engine: EngineDep
) -> dict[str, Any]:
    """Accept or decline; a declined family gets its next candidate (returned, if any)."""
    match = await listings.match(match_id)
    if match is None or not access.can_see(principal, match):
        raise HTTPException(status.HTTP_404_NOT_FOUND, "no such proposal in your scope")
    if not access.can_decide(principal, match):
        raise HTTPException(
            status.HTTP_403_FORBIDDEN, "only a coordinator of the association decides"
        )
    try:
        if body.decision == "accept":
            await engine.accept(match_id)
            return {"match_id": match_id, "state": "accepted"}
        fitting = labels.decline_reasons(match["support_key"])
        if body.reason not in fitting:
            raise HTTPException(422, f"reason: one of {sorted(fitting)}")
        nxt = await engine.decline(match_id, body.reason)
    except rules.CheckLapsedError as why:  # the match ended, the family placed again
        said = labels.check_lapsed(match["association_id"], why.until)
        raise HTTPException(status.HTTP_409_CONFLICT, said) from None
    except DecisionError:
        raise HTTPException(status.HTTP_409_CONFLICT, "already answered or expired") from None
    return {
        "match_id": match_id,
        "state": "declined",
        "next_match_id": nxt.match_id if nxt else None,
    }


@router.get("/waitlist", tags=["proposals"])
async def waitlist(
    request: Request,
    principal: QueueStaff,
    listings: ListingsDep,
    limit: Limit = PAGE_SIZE,
    apres: After = None,
) -> WaitingPage:
    """Requests nobody fits yet, with the reason (the network's data on unmet needs),
    longest waiting first, a page at a time as `/proposals`."""
    found = await listings.waiting(principal, _asked(limit, apres))
    waiting = [{"request_id": w.pop("_id"), **w} for w in found.docs]
    return WaitingPage(waiting=waiting, **_paging(request, found, limit))


def _asked(limit: int, apres: str | None) -> Asked:
    """The page a request asks for; 422 for a cursor `cursor.encode` did not write."""
    return Asked(size=limit, after=opaque.after(cursor.decode, apres))


def _paging(request: Request, page: Page, limit: int) -> dict[str, Any]:
    """`Paged`'s fields: how many in all, the cursor and the next page's address."""
    following = cursor.encode(page.next) if page.next is not None else None
    link = urlencode({"limit": limit, "apres": following}) if following else None
    return {
        "total": page.total,
        "limit": limit,
        "apres": following,
        "next": f"{request.url.path}?{link}" if link else None,
    }
