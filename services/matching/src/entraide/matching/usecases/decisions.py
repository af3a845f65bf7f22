"""Coordinators' decisions and follow-ups on a match: accept, decline (the family gets its
next candidate at once), start, check in, close; and the proposals nobody answered in
time, which expire. A volunteer whose honorability check lapsed since the proposal is
neither accepted nor started: the match ends as a volunteer's who is no longer available
(`changes.support_changed`) and the family gets its next candidate; the scheduler's round
ends their other proposals likewise (`close_lapsed`), so none holds a family for days.
A family placed again here, away from her request's consumer, and withdrawn meanwhile
keeps no proposal (`_place_again`)."""

from datetime import datetime

from entraide.contracts.events import (
    MatchAccepted,
    MatchCheckedIn,
    MatchClosed,
    MatchDeclined,
    MatchEvent,
    MatchExpired,
    MatchStarted,
)
from entraide.contracts.paris import paris_day
from entraide.contracts.vocab import MatchOutcome
from entraide.matching.domain import followups, rules
from entraide.matching.domain.lifecycle import ACTIVE, State, check_move
from entraide.matching.domain.model import Match
from entraide.matching.domain.views import ending, placeable
from entraide.matching.usecases.placing import Placing
from entraide.matching.usecases.proposals import DecisionError, Doc, ids_of


class Decisions(Placing):
    async def accept(self, match_id: str) -> None:
        match = await self._match(match_id, State.PROPOSED)
        await self._check_holds(match)
        now = self.clock()
        await self._move(
            match, State.ACCEPTED, now, MatchAccepted(**ids_of(match), accepted_at=now)
        )
        await self.store.remember(match.request_id, known=match.association_id)

    async def decline(self, match_id: str, reason: str) -> Match | None:
        """Decline a proposal; the family gets the next candidate at once (returned)."""
        match = await self._match(match_id, State.PROPOSED)
        now = self.clock()
        event = MatchDeclined(**ids_of(match), reason_code=reason, declined_at=now)
        await self._move(match, State.DECLINED, now, event, reason=reason)
        await self.store.remember(match.request_id, refused=match.support_key)
        self._released(match)
        return await self._place_again(match.request_id)

    async def start(self, match_id: str) -> None:
        match = await self._match(match_id, State.ACCEPTED)
        await self._check_holds(match)
        now = self.clock()
        await self._move(match, State.STARTED, now, MatchStarted(**ids_of(match), started_at=now))

    async def check_in(self, match_id: str, kind: str) -> None:
        """A follow-up with the family and the volunteer (also a contact for retention).
        A dated one noted too early or twice raises `followups.NotOpenError`."""
        match = await self.store.get(match_id)
        if match is None or State(match.state) not in ACTIVE:
            raise DecisionError(match_id)
        now = self.clock()
        followups.check_open(kind, match.started_at, match.check_ins, paris_day(now))
        event = self._event(match, MatchCheckedIn(**ids_of(match), checked_in_at=now, kind=kind))
        if not await self.store.check_in(match, kind, now, event):
            raise DecisionError(match_id)
        self.wake()
        await self._followed(match)

    async def close(self, match_id: str, outcome: MatchOutcome) -> None:
        match = await self.store.get(match_id)
        if match is None or State(match.state) not in (State.PROPOSED, *ACTIVE):
            raise DecisionError(match_id)
        await self._close(match, outcome)

    async def expire_due(self) -> int:
        """Proposals nobody answered in time expire; each family gets its next candidate."""
        expired = 0
        for match in await self.store.due_to_expire(self.clock()):
            now = self.clock()
            event = self._event(match, MatchExpired(**ids_of(match), expired_at=now))
            if await self.store.move(match, State.EXPIRED, now, event):
                expired += 1
                await self.store.remember(match.request_id, refused=match.support_key)
                self._released(match)
                await self._place_again(match.request_id)
        self.wake()
        return expired

    async def close_lapsed(self) -> int:
        """Proposals of volunteers whose honorability check lapsed (today, Paris) end as an
        acceptance would end them (`_withdraw`), each family proposed its next candidate;
        how many this replica ended. The volunteers are the pool's whose check lapsed
        since a proposal could still be open (none: no read at all); their proposals are
        found through their places, by `_id`; each is checked again on the read model.
        Every replica runs the round, and the one that consumed a volunteer's latest
        revision (or built its pool after it) knows their day; two that both know it end
        each proposal once (the move is guarded by its state: the loser neither publishes
        nor places the family)."""
        pool = await self.pool.current()
        today = paris_day(self.clock())
        keys = [
            s.key for s in pool.supports if rules.check_lapsed_lately(s, today, self.proposal_ttl)
        ]
        ended = 0
        for match in await self.store.proposals_of(keys) if keys else []:
            if await self._lapsed(match) is not None and await self._withdraw(match):
                ended += 1
        if self.metrics:
            self.metrics.check_lapsed_ended.inc(ended)
        return ended

    async def _close(self, match: Match, outcome: MatchOutcome) -> bool:
        """End the match with its event; False if it moved meanwhile (someone else acted)."""
        now = self.clock()
        event = self._event(match, MatchClosed(**ids_of(match), outcome=outcome, closed_at=now))
        if not await self.store.move(match, State.CLOSED, now, event, outcome=outcome.value):
            return False
        self._released(match)
        self.wake()
        await self._followed(match)
        return True

    async def _move(
        self, match: Match, to: State, at: datetime, payload: MatchEvent, **details: str
    ) -> None:
        check_move(State(match.state), to)
        if not await self.store.move(match, to, at, self._event(match, payload), **details):
            raise DecisionError(match.match_id)
        self.wake()
        await self._followed(match)

    async def _check_holds(self, match: Match) -> None:
        """Raise `rules.CheckLapsedError` when the match's volunteer's honorability check
        no longer holds today (Paris), once the match is withdrawn (`_withdraw`)."""
        lapsed = await self._lapsed(match)
        if lapsed is not None:
            await self._withdraw(match)
            raise lapsed

    async def _lapsed(self, match: Match) -> rules.CheckLapsedError | None:
        """Why the match's volunteer may no longer be accepted or start today (Paris), if
        their check lapsed. Read from the read model, not the pool: the check may have
        moved since the proposal."""
        if not match.support_key.startswith("volunteer:"):
            return None
        support = await self.pool.source.one(match.support_key, 0)
        if support is None:  # gone: no check known
            return rules.CheckLapsedError(None)
        return rules.check_lapsed(support, paris_day(self.clock()))

    async def _withdraw(self, match: Match) -> bool:
        """End the match as a volunteer's no longer available and place its family again
        (its next candidate, or the waitlist); False if it moved meanwhile (another
        replica or a coordinator acted first: the family is theirs to place)."""
        if not await self._close(match, MatchOutcome.VOLUNTEER_UNAVAILABLE):
            return False
        await self._place_again(match.request_id)
        return True

    async def _place_again(self, request_id: str) -> Match | None:
        """`place` a family whose match ended here (a decision, a volunteer's change), away
        from the consumer of her request's events: a withdrawal it applied between
        `place`'s read and the proposal found no match to end, so her view is read once
        more and the proposal ended if she went meanwhile (`ended_meanwhile`)."""
        proposal = await self.place(request_id)
        if proposal is not None and await self.ended_meanwhile([request_id]):
            return None
        return proposal

    async def ended_meanwhile(self, request_ids: list[str]) -> list[str]:
        """End the proposals just made to requests withdrawn (or their consent) while they
        were placed from an earlier read (the batch's, or `_place_again`'s): the consumer
        that applied it found no match to end yet. One read of their views; returns the
        requests found gone."""
        gone = [v for v in (await self.requests.many(request_ids)).values() if not placeable(v)]
        for view in gone:
            await self._request_gone(view)
        return [view["_id"] for view in gone]

    async def _request_gone(self, view: Doc) -> None:
        """A request withdrawn, or its consent: its open match ends, it leaves the waitlist."""
        match = await self.store.open_for_request(view["_id"])
        if match:
            await self._close(match, ending(view))
        await self.store.unwait(view["_id"])

    async def _match(self, match_id: str, state: State) -> Match:
        match = await self.store.get(match_id)
        if match is None or match.state != state.value:
            raise DecisionError(match_id)
        return match
