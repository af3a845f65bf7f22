"""What coordinators read, in their scope: the requests as matching knows them, the
proposals waiting for an answer, the waitlist, the active matches, the follow-ups due and
the matches that ended lately (queries: nothing moves here)."""

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from entraide.kit.principal import Principal
from entraide.matching.domain.lifecycle import ACTIVE, State
from entraide.matching.usecases import access
from entraide.matching.usecases.ports import FollowUpDocuments, MatchDocuments, Requests

Doc = dict[str, Any]


@dataclass(frozen=True)
class Listings:
    requests: Requests
    matches: MatchDocuments
    followups: FollowUpDocuments

    async def request(self, principal: Principal, request_id: str) -> Doc | None:
        """A request as matching knows it (pseudonymous), for those who may see it: the
        association that recorded it and the one its open match proposes, in their
        territories; None otherwise."""
        view = await self.requests.get(request_id)
        match = await self.matches.open_for_request(request_id) if view is not None else None
        proposed = (
            {"association_id": match.association_id, "departement": match.departement}
            if match
            else None
        )
        if view is None or not access.can_see_request(principal, view, proposed):
            return None
        return view

    async def match(self, match_id: str) -> Doc | None:
        """One match's document (the caller checks the scope with `access`)."""
        return await self.matches.document(match_id)

    async def proposals(self, principal: Principal) -> list[Doc]:
        """Proposals waiting for an answer from my association, in my territories."""
        return await self.matches.listing_in(access.scope_of(principal), [State.PROPOSED.value])

    async def waiting(self, principal: Principal) -> list[Doc]:
        """Requests nobody fits yet, with the reason, in my territories."""
        return await self.matches.waiting_in(access.waitlist_scope(principal))

    async def active(self, principal: Principal) -> list[Doc]:
        """The accepted and started matches in my scope."""
        states = [s.value for s in ACTIVE]
        return await self.matches.listing_in(access.scope_of(principal), states)

    async def ended(self, principal: Principal, since: datetime) -> list[Doc]:
        """The matches in my scope that ended since `since` (a family's erased data too:
        then only the support's side is left), the latest first."""
        return await self.matches.ended_in(access.scope_of(principal), since)

    async def due(self, principal: Principal, today: date) -> list[Doc]:
        """The stored schedules in my scope with something due by `today`, oldest first."""
        return await self.followups.due_in(access.scope_of(principal), today)

    async def schedules(self, match_ids: list[str]) -> dict[str, Doc]:
        """The stored schedules of these matches, by match id."""
        return await self.followups.of(match_ids)
