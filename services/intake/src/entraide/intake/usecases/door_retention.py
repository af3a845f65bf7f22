"""Families' own requests that never became a family's record are kept 3 years after their
last contact, then deleted: one still waiting (from the day it was sent), one refused
(from the day of the refusal). Nothing is published before a request is confirmed, so
privacy's registry and its sweep never hear of them; without this pass they stayed for
ever (identity sealed, keyed hashes of name, phone and e-mail, postal code, children's
birth years, needs). A confirmed or joined request goes with its family's record."""

from datetime import datetime
from typing import Protocol

from entraide.contracts.paris import years_before
from entraide.intake.domain.self_requests import SelfRequest, Stage
from entraide.intake.usecases.ports import FamilyKeys

BATCH = 500


class ExpiringRequests(Protocol):
    """The door's queue, as this pass reads it (`adapters.self_requests`)."""

    async def expired(self, before: datetime, limit: int) -> list[SelfRequest]:
        """Requests waiting since before `before`, and those refused before it."""
        ...

    async def remove_expired(self, self_id: str, before: datetime) -> bool:
        """Delete the request if still expired (not decided meanwhile); whether it was."""
        ...


async def purge_expired(
    queue: ExpiringRequests, keys: FamilyKeys, *, now: datetime, years: int
) -> int:
    """Delete the requests past their retention, a batch at a time; how many. One decided
    meanwhile stays; a waiting one's key (its sealed identity's) is destroyed after."""
    before = years_before(now, years)
    gone = 0
    while batch := await queue.expired(before, BATCH):
        removed = 0
        for request in batch:
            if not await queue.remove_expired(request.id, before):
                continue
            if request.stage == Stage.PENDING:  # a refused one's key went at the refusal
                await keys.destroy(request.family_id)
            removed += 1
        gone += removed
        if removed == 0 or len(batch) < BATCH:
            return gone
    return gone
