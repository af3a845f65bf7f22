"""What coordinators read, in their scope: the requests as matching knows them, the
proposals waiting for an answer, the waitlist, the active matches, the follow-ups due and
the matches that ended lately (queries: nothing moves here)."""

import dataclasses
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from entraide.kit.principal import Principal
from entraide.matching.domain.lifecycle import ACTIVE, State
from entraide.matching.domain.paging import Asked, Page
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

    async def proposals(self, principal: Principal, asked: Asked) -> Page:
        """Proposals waiting for an answer from my association, in my territories: the
        page `asked`, oldest first."""
        scope = access.scope_of(principal)
        return await self.matches.listing_in(scope, [State.PROPOSED.value], asked)

    async def waiting(self, principal: Principal, asked: Asked) -> Page:
        """Requests nobody fits yet, with the reason, in my territories: the page `asked`,
        longest waiting first."""
        return await self.matches.waiting_in(access.waitlist_scope(principal), asked)

    async def active(self, principal: Principal, asked: Asked) -> Page:
        """The accepted and started matches in my scope, what is due first (their stored
        schedules' order): the page `asked`, each match's document with its schedule
        (`followup`). Only the page's matches are read."""
        listed = await self.followups.followed_in(access.scope_of(principal), asked)
        found = await self.matches.documents([s["_id"] for s in listed.docs])
        active = {s.value for s in ACTIVE}
        docs = [
            found[s["_id"]] | {"followup": s}
            for s in listed.docs
            if found.get(s["_id"], {}).get("state") in active  # not ended since
        ]
        return dataclasses.replace(listed, docs=docs)

    async def due_count(self, principal: Principal, today: date) -> int:
        """How many matches in my scope have something due by `today`."""
        return await self.followups.due_count_in(access.scope_of(principal), today)

    async def ended(self, principal: Principal, since: datetime, asked: Asked) -> Page:
        """The matches in my scope that ended since `since` (a family's erased data too:
        then only the support's side is left), the latest first: the page `asked`."""
        return await self.matches.ended_in(access.scope_of(principal), since, asked)
