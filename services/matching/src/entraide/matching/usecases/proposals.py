"""What every use case of the engine shares: its ports and clock, and making a proposal
(take one of the support's places, then store the match, open, with its event: the
outbox). The capabilities build on it, one module each: `placing`, `decisions`,
`changes`, `engine` (the batch). No document shape is known here."""

import logging
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import Enum
from functools import partial
from typing import Any

from entraide.contracts import new_event
from entraide.contracts.events import MatchEvent, MatchProposed
from entraide.kit.metrics import MatchingMetrics
from entraide.matching.domain import assign
from entraide.matching.domain.lifecycle import State
from entraide.matching.domain.model import Family, Match, Waiting
from entraide.matching.domain.rules import Unfit
from entraide.matching.domain.score import Score
from entraide.matching.domain.views import family_of
from entraide.matching.usecases.pool import SupportPool
from entraide.matching.usecases.ports import Matches, Outbox, Requests

log = logging.getLogger(__name__)
SOURCE = "/entraide/matching"
Doc = dict[str, Any]
Clock = Callable[[], datetime]


def _now() -> datetime:
    return datetime.now(UTC)


class DecisionError(LookupError):
    """No such match in a state that allows this decision (or someone decided first)."""


class Refused(Enum):
    """Why a proposal was not made."""

    FULL = "full"  # the support has no place left
    MATCHED = "matched"  # the request has an open match (another replica was first)


@dataclass
class Proposals:
    requests: Requests
    store: Matches
    pool: SupportPool
    proposal_ttl: timedelta = timedelta(days=5)
    clock: Clock = _now
    relay: Outbox | None = None
    metrics: MatchingMetrics | None = None
    # told each match accepted, started, checked in or ended (its follow-ups, `followups`)
    followed: Callable[[str], Awaitable[None]] | None = None

    def wake(self) -> None:
        """Events were stored: the relay publishes them now rather than at its next poll."""
        if self.relay:
            self.relay.wake()

    async def _propose(
        self,
        family: Family,
        key: str,
        association_id: str,
        fit: Score,
        by: str,
        *,
        waitlisted: bool = True,
    ) -> Match | Refused:
        """Propose the support to the family (`waitlisted`: it may be on the waitlist):
        take one of its places, then store the match, open."""
        taken = await self._take(family, key, association_id, fit, by)
        if taken is None:
            return Refused.FULL
        match, event = taken
        # One at a time (online, by hand), this call publishes the proposal rather than the
        # relay's next round, so the coordinator sees it at once (the relay takes over if
        # publishing fails); the batch's many go through the relay, in bulk.
        if self.relay and by != "batch":
            write = partial(self.store.propose, match, event)
            proposed = await self.relay.write_at_once(match.match_id, [event], write)
        else:
            proposed = await self.store.propose(match, event)
            self.wake()
        if not proposed:  # the request got a proposal meanwhile
            await self.store.give_back(key, match.match_id)
            self._released(match)
            return Refused.MATCHED
        if waitlisted:
            await self.store.unwait(family.request_id)
        if await self.store.first_proposal(family.request_id) and self.metrics:
            waited = (match.proposed_at - family.waiting_since).total_seconds()
            self.metrics.latency.observe(max(0.0, waited))
        log.info("proposal", extra={"match_id": match.match_id, "by": by, "score": match.score})
        return match

    async def _take_next(
        self, family: Family, edges: list[assign.Edge], pool: SupportPool
    ) -> tuple[Match, Any] | None:
        """Take a place of the best candidate with one left, one write each."""
        for edge in edges:
            support = pool.supports[edge.support]
            if room(pool, support.key):
                taken = await self._take(
                    family, support.key, support.association_id, edge.score, "online"
                )
                if taken is not None:
                    return taken
        return None

    async def _store_many(self, taken: list[tuple[Match, Any]]) -> list[Match]:
        """Store the proposals open, published at once and together (in order); a request
        that got an open match meanwhile gives its place back. Returns those stored."""
        if not taken:
            return []
        if self.relay:
            events = {m.match_id: [e] for m, e in taken}
            write = partial(self.store.propose_many, taken)
            ids = await self.relay.write_many_at_once(events, write)
        else:
            ids = await self.store.propose_many(taken)
            self.wake()
        for match, _ in taken:
            if match.match_id not in ids:
                await self.store.give_back(match.support_key, match.match_id)
                self._released(match)
        stored = [m for m, _ in taken if m.match_id in ids]
        log.info("proposals", extra={"count": len(stored), "refused": len(taken) - len(stored)})
        return stored

    async def _first_proposals(self, stored: list[Match], since: dict[str, datetime]) -> None:
        """Note the requests proposed to; time the first proposal of each."""
        if not stored:
            return
        firsts = await self.store.first_proposals([m.request_id for m in stored])
        for match in stored:
            if match.request_id in firsts and self.metrics:
                waited = (match.proposed_at - since[match.request_id]).total_seconds()
                self.metrics.latency.observe(max(0.0, waited))

    async def _take(
        self, family: Family, key: str, association_id: str, fit: Score, by: str
    ) -> tuple[Match, Any] | None:
        """Take one of the support's places for a new match of the family: the match and
        its event, not stored yet; None when the support is full."""
        support = self.pool.by_key.get(key)
        match_id = uuid.uuid4().hex
        if support is None or not await self.store.take(key, support.capacity, match_id):
            self.pool.full(key)  # another replica took the last place: not seen here yet
            return None
        self.pool.adjust(key, +1)
        return self._proposal(family, key, association_id, fit, by, match_id)

    def _proposal(
        self, family: Family, key: str, association_id: str, fit: Score, by: str, match_id: str
    ) -> tuple[Match, Any]:
        """A new match of the family on a place of the support it holds, and its event."""
        now = self.clock()
        kind, ref = key.split(":", 1)
        payload = MatchProposed(
            match_id=match_id,
            request_id=family.request_id,
            family_ref=family.family_ref,
            association_id=association_id,
            volunteer_ref=ref if kind == "volunteer" else None,
            offer_id=ref if kind == "offer" else None,
            score=round(fit.weighted, 4),
            reasons=list(fit.reasons),
            proposed_at=now,
            expires_at=now + self.proposal_ttl,
            breakdown=fit.breakdown(),
            proposed_by=by,
            needs=sorted(family.needs),  # what the volunteer proposed is told (directory)
            departement=family.departement,
        )
        match = Match(
            match_id=match_id,
            request_id=family.request_id,
            family_ref=family.family_ref,
            support_key=key,
            association_id=association_id,
            departement=family.departement,
            needs=tuple(sorted(family.needs)),
            urgency=family.urgency,
            state=State.PROPOSED.value,
            score=payload.score,
            breakdown=payload.breakdown or {},
            reasons=tuple(payload.reasons),
            distance_km=fit.distance_km,
            proposed_by=by,
            proposed_at=now,
            expires_at=payload.expires_at,
        )
        return match, self._event(match, payload)

    async def _followed(self, match: Match) -> None:
        if self.followed is not None:
            await self.followed(match.match_id)

    def _released(self, match: Match) -> None:
        """The match gave its place back (the store did): so does the in-memory pool."""
        self.pool.adjust(match.support_key, -1)

    async def _family(self, view: Doc) -> tuple[Family, frozenset[str]]:
        """The request as the rules see it, and the supports it must not be offered again
        (declined or left unanswered), from its history: one read by id."""
        history = await self.store.history(view["_id"])
        return family_of(view, history.known), history.refused

    async def _waitlist(self, family: Family, reason: Unfit) -> None:
        await self.store.wait(waiting(family, reason))

    @staticmethod
    def _event(match: Match, payload: MatchEvent) -> Any:
        return new_event(payload, source=SOURCE, subject=match.family_ref)


def room(pool: SupportPool, key: str) -> bool:
    """The support has a place left, as far as this replica knows."""
    return pool.by_key[key].free != 0


def waiting(family: Family, reason: Unfit) -> Waiting:
    return Waiting(
        request_id=family.request_id,
        reason=reason.value,
        departement=family.departement,
        needs=tuple(sorted(family.needs)),
        urgency=family.urgency,
        family_ref=family.family_ref,
        waiting_since=family.waiting_since,
    )


def ids_of(match: Match) -> dict[str, str]:
    return {
        "match_id": match.match_id,
        "request_id": match.request_id,
        "family_ref": match.family_ref,
        "association_id": match.association_id,
    }
