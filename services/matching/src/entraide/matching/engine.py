"""Matching's use cases: propose at once when a request arrives, re-optimise the waiting
ones in batch, let coordinators decide, follow each match, and re-route when a family or
a volunteer drops out. Every move is stored with its event (the outbox). The engine speaks
to its ports (`ports`) over typed matches; no document shape is known here."""

import logging
import time
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import Enum
from functools import partial
from typing import Any

from entraide.contracts import new_event
from entraide.contracts.events import (
    MatchAccepted,
    MatchCheckedIn,
    MatchClosed,
    MatchDeclined,
    MatchEvent,
    MatchExpired,
    MatchProposed,
    MatchStarted,
)
from entraide.contracts.vocab import MatchOutcome
from entraide.kit.metrics import MatchingMetrics
from entraide.matching.domain import assign, rules, score
from entraide.matching.domain.lifecycle import ACTIVE, State, check_move
from entraide.matching.domain.model import Family, History, Match, Waiting
from entraide.matching.domain.rules import Unfit
from entraide.matching.domain.score import Score
from entraide.matching.pool import SupportPool, family_of
from entraide.matching.ports import Matches, Outbox, Requests

log = logging.getLogger(__name__)
SOURCE = "/entraide/matching"
Doc = dict[str, Any]
Clock = Callable[[], datetime]
# a place held this long by a match that is not open is a write half done (see matches)
HALF_WRITTEN_AFTER = timedelta(minutes=1)
ONLINE_TOP_K = 20  # candidates explained per new request; all of them when these are full


class DecisionError(LookupError):
    """No such match in a state that allows this decision (or someone decided first)."""


class Refused(Enum):
    """Why a proposal was not made."""

    FULL = "full"  # the support has no place left
    MATCHED = "matched"  # the request has an open match (another replica was first)


@dataclass
class Engine:
    requests: Requests
    store: Matches
    pool: SupportPool
    proposal_ttl: timedelta = timedelta(days=5)
    clock: Clock = lambda: datetime.now(UTC)
    relay: Outbox | None = None
    metrics: MatchingMetrics | None = None
    # told each match accepted, started, checked in or ended (its follow-ups, `followups`)
    followed: Callable[[str], Awaitable[None]] | None = None

    def wake(self) -> None:
        """Events were stored: the relay publishes them now rather than at its next poll."""
        if self.relay:
            self.relay.wake()

    # --- placing families -------------------------------------------------------------

    async def place(
        self, request_id: str, *, view: Doc | None = None, first_seen: bool = False
    ) -> Match | None:
        """Propose the best free support to a request that has no open match, or waitlist it
        with the reason; returns the proposal, if any.

        A request seen for the first time (`first_seen`) has no match, history or waitlist
        entry yet, so none is looked up (one read less on the hot path); the store still
        refuses a second open match for it."""
        view = view or await self.requests.get(request_id)
        if view is None or (not first_seen and await self.store.open_for_request(request_id)):
            return None
        family, refused = (
            (family_of(view, frozenset()), frozenset()) if first_seen else await self._family(view)
        )
        if not family.consent:
            await self.store.unwait(request_id)
            return None
        pool = await self.pool.current()
        edges, blocked = assign.candidates(
            [family], pool.index, now=self.clock(), declined={request_id: refused}
        )
        for edge in sorted(edges, key=lambda e: e.score.weighted, reverse=True):
            support = pool.supports[edge.support]
            proposal = await self._propose(
                family,
                support.key,
                support.association_id,
                edge.score,
                "online",
                waitlisted=not first_seen,
            )
            if proposal is Refused.MATCHED:
                return None
            if proposal is not Refused.FULL:
                return proposal
        await self._waitlist(family, blocked.get(0, Unfit.CAPACITY))
        return None

    async def place_many(self, changes: list[tuple[Doc, bool]]) -> list[Match]:
        """`place` for a batch of open requests (their views, and whether each was just
        inserted), families in crisis first, then in the batch's order, each seeing the
        places the ones before took; with one read of the open matches and one of the
        histories for the batch, one write
        taking every place chosen (a support another replica filled meanwhile: the next
        candidates, one by one), and the proposals stored and published together.
        Returns the proposals made."""
        known = {view["_id"] for view, first_seen in changes if not first_seen}
        matched = await self.store.open_requests(sorted(known)) if known else set()
        histories = await self.store.histories_of(sorted(known)) if known else {}
        families: list[Family] = []
        refused: dict[str, frozenset[str]] = {}
        for view, _ in changes:
            if view["_id"] in matched:
                continue
            matched.add(view["_id"])  # a request twice in the batch: placed once
            history = histories.get(view["_id"], History())
            families.append(family_of(view, history.known))
            refused[view["_id"]] = history.refused
        pool = await self.pool.current()
        # the candidates of all at once (each support's own rules checked once); a place
        # taken by one before is seen when choosing (`_room`)
        # (the best ONLINE_TOP_K of each, explained; all of them when those are full)
        now = self.clock()
        edges, blocked = assign.candidates(
            families, pool.index, now=now, declined=refused, top_k=ONLINE_TOP_K
        )
        ranked: dict[int, list[assign.Edge]] = {}
        for edge in sorted(edges, key=lambda e: e.score.weighted, reverse=True):
            ranked.setdefault(edge.family, []).append(edge)
        planned: list[tuple[Family, list[assign.Edge], Unfit, str | None]] = []
        for f in assign.serving_order(families):  # families in crisis first (policy)
            family = families[f]
            mine = ranked.get(f, [])
            key = _first_with_room(pool, mine)
            if key is None and len(mine) == ONLINE_TOP_K:
                more, _ = assign.candidates([family], pool.index, now=now, declined=refused)
                mine = sorted(more, key=lambda e: e.score.weighted, reverse=True)
                key = _first_with_room(pool, mine)
            if key is not None:
                pool.adjust(key, +1)  # the next ones see it taken
            planned.append((family, mine, blocked.get(f, Unfit.CAPACITY), key))
        match_ids = {f.request_id: uuid.uuid4().hex for f, _, _, key in planned if key}
        got = await self.store.take_many(
            [(k, pool.by_key[k].capacity, match_ids[f.request_id]) for f, _, _, k in planned if k]
        )
        taken: list[tuple[Match, Any]] = []
        waits: list[Waiting] = []
        for family, edges, why, key in planned:
            proposal = None
            if key is not None and match_ids[family.request_id] in got:
                fit = next(e.score for e in edges if pool.supports[e.support].key == key)
                association_id = pool.by_key[key].association_id
                match_id = match_ids[family.request_id]
                proposal = self._proposal(family, key, association_id, fit, "online", match_id)
            elif key is not None:  # another replica filled it
                pool.full(key)
                proposal = await self._take_next(family, edges, pool)
            if proposal is None:
                waits.append(_waiting(family, why if key is None else Unfit.CAPACITY))
            else:
                taken.append(proposal)
        stored = await self._store_many(taken)
        await self.store.wait_many(waits)
        await self.store.unwait_many([m.request_id for m in stored if m.request_id in known])
        await self._first_proposals(stored, {f.request_id: f.waiting_since for f, *_ in planned})
        return stored

    async def rebalance(self) -> int:
        """Re-optimise every waiting request at once (min-cost flow); returns proposals made."""
        ids = await self._unplaced()
        views = await self.requests.many(ids)  # one query each, not one per request
        histories = await self.store.histories_of(ids)
        families, refused = [], {}
        for view in views.values():
            history = histories.get(view["_id"], History())
            family = family_of(view, history.known)
            if family.consent:
                families.append(family)
                refused[family.request_id] = history.refused
        if not families:
            return 0
        pool = await self.pool.current()
        pool.settle(await self.store.heal(HALF_WRITTEN_AFTER))  # other replicas' takes too
        edges, blocked = assign.candidates(
            families, pool.index, now=self.clock(), declined=refused, top_k=25
        )
        chosen = assign.optimise(families, pool.supports, edges)
        made = 0
        for f, edge in chosen.items():
            support = pool.supports[edge.support]
            proposal = await self._propose(
                families[f], support.key, support.association_id, edge.score, "batch"
            )
            made += not isinstance(proposal, Refused)
        for f, family in enumerate(families):
            if f not in chosen:  # nobody fits, or those who fit went to more urgent families
                await self._waitlist(family, blocked.get(f, Unfit.CAPACITY))
        if self.metrics:
            self.metrics.waitlist.set(await self.store.waiting_count())
        return made

    async def propose_by_hand(self, request_id: str, support_key: str, *, by: str) -> Match | None:
        """A coordinator picks a waiting family for one of their supports; the rules still hold."""
        view = await self.requests.get(request_id)
        pool = await self.pool.current()
        support = pool.by_key.get(support_key)
        if view is None or support is None:
            return None
        family, refused = await self._family(view)
        if rules.unfit(family, support, today=self.clock().date(), declined=refused) is not None:
            return None
        proposal = await self._propose(
            family,
            support_key,
            support.association_id,
            score.score(family, support, now=self.clock()),
            f"coordinator:{by}",
        )
        return None if isinstance(proposal, Refused) else proposal

    # --- coordinators' decisions and follow-ups ---------------------------------------

    async def accept(self, match_id: str) -> None:
        match = await self._match(match_id, State.PROPOSED)
        now = self.clock()
        await self._move(match, State.ACCEPTED, now, MatchAccepted(**_ids(match), accepted_at=now))
        await self.store.remember(match.request_id, known=match.association_id)

    async def decline(self, match_id: str, reason: str) -> Match | None:
        """Decline a proposal; the family gets the next candidate at once (returned)."""
        match = await self._match(match_id, State.PROPOSED)
        now = self.clock()
        event = MatchDeclined(**_ids(match), reason_code=reason, declined_at=now)
        await self._move(match, State.DECLINED, now, event, reason=reason)
        await self.store.remember(match.request_id, refused=match.support_key)
        self._released(match)
        return await self.place(match.request_id)

    async def start(self, match_id: str) -> None:
        match = await self._match(match_id, State.ACCEPTED)
        now = self.clock()
        await self._move(match, State.STARTED, now, MatchStarted(**_ids(match), started_at=now))

    async def check_in(self, match_id: str, kind: str) -> None:
        """A follow-up with the family and the volunteer (also a contact for retention)."""
        match = await self.store.get(match_id)
        if match is None or State(match.state) not in ACTIVE:
            raise DecisionError(match_id)
        now = self.clock()
        event = self._event(match, MatchCheckedIn(**_ids(match), checked_in_at=now, kind=kind))
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
            event = self._event(match, MatchExpired(**_ids(match), expired_at=now))
            if await self.store.move(match, State.EXPIRED, now, event):
                expired += 1
                await self.store.remember(match.request_id, refused=match.support_key)
                self._released(match)
                await self.place(match.request_id)
        self.wake()
        return expired

    # --- families and supports that change --------------------------------------------

    async def request_changed(self, view: Doc, first_seen: bool = False) -> None:
        """Withdrawn or consent gone: end its open match; still open: make sure it is placed.
        `view` is the read model's new state; `first_seen`, that it was just inserted."""
        request_id = view["_id"]
        if view.get("status") != "open" or not view.get("consent_to_matching"):
            match = await self.store.open_for_request(request_id)
            if match:
                await self._close(match, _ending(view))
            await self.store.unwait(request_id)
            return
        started = time.perf_counter()
        await self.place(request_id, view=view, first_seen=first_seen)
        if self.metrics:
            self.metrics.placement.observe(time.perf_counter() - started)

    async def requests_changed(self, changes: list[tuple[Doc, bool]]) -> None:
        """`request_changed` for a batch (one change per request, in the order consumed):
        the open ones placed together (`place_many`), the others' matches ended."""
        started = time.perf_counter()
        placing = []
        for view, first_seen in changes:
            if view.get("status") == "open" and view.get("consent_to_matching"):
                placing.append((view, first_seen))
            elif not first_seen:  # one seen first closed has no match nor waitlist entry
                await self.request_changed(view)
        if placing:
            await self.place_many(placing)
            if self.metrics:
                elapsed = time.perf_counter() - started  # what each of them waited
                for _ in placing:
                    self.metrics.placement.observe(elapsed)

    async def support_changed(self, key: str, capacity: int | None, available: bool) -> None:
        """A volunteer paused, left or changed capacity (an offer likewise): re-route its
        open matches when it is no longer available. (Capacity: the places beyond a new,
        lower capacity stay with their matches; new ones are refused until below it.)"""
        await self.pool.refresh(key)
        if available:
            return
        for match in await self.store.open_for_support(key):
            await self._close(match, MatchOutcome.VOLUNTEER_UNAVAILABLE)
            await self.place(match.request_id)

    # --- helpers ----------------------------------------------------------------------

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
            if _room(pool, support.key):
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

    async def _close(self, match: Match, outcome: MatchOutcome) -> None:
        now = self.clock()
        event = self._event(match, MatchClosed(**_ids(match), outcome=outcome, closed_at=now))
        if await self.store.move(match, State.CLOSED, now, event, outcome=outcome.value):
            self._released(match)
            self.wake()
            await self._followed(match)

    async def _move(
        self, match: Match, to: State, at: datetime, payload: MatchEvent, **details: str
    ) -> None:
        check_move(State(match.state), to)
        if not await self.store.move(match, to, at, self._event(match, payload), **details):
            raise DecisionError(match.match_id)
        self.wake()
        await self._followed(match)

    async def _followed(self, match: Match) -> None:
        if self.followed is not None:
            await self.followed(match.match_id)

    async def _match(self, match_id: str, state: State) -> Match:
        match = await self.store.get(match_id)
        if match is None or match.state != state.value:
            raise DecisionError(match_id)
        return match

    def _released(self, match: Match) -> None:
        """The match gave its place back (the store did): so does the in-memory pool."""
        self.pool.adjust(match.support_key, -1)

    async def _unplaced(self) -> list[str]:
        """Open requests with no open match: the waitlist, and any request whose placement
        never ran (an event consumed before a crash, or before matching had an engine).
        A family waitlisted by one replica while another proposed to it leaves the list;
        a request whose support was completed is served, never proposed again."""
        waiting, matched = await self.store.waiting_ids(), await self.store.matched()
        done = matched | await self.store.served()
        for request_id in waiting & done:
            await self.store.unwait(request_id)
        return sorted((waiting | await self.requests.open_ids()) - done)

    async def _family(self, view: Doc) -> tuple[Family, frozenset[str]]:
        """The request as the rules see it, and the supports it must not be offered again
        (declined or left unanswered), from its history: one read by id."""
        history = await self.store.history(view["_id"])
        return family_of(view, history.known), history.refused

    async def _waitlist(self, family: Family, reason: Unfit) -> None:
        await self.store.wait(_waiting(family, reason))

    @staticmethod
    def _event(match: Match, payload: MatchEvent) -> Any:
        return new_event(payload, source=SOURCE, subject=match.family_ref)


def _first_with_room(pool: SupportPool, edges: list[assign.Edge]) -> str | None:
    """The key of the first support of `edges` with a place left."""
    keys = (pool.supports[e.support].key for e in edges)
    return next((k for k in keys if _room(pool, k)), None)


def _room(pool: SupportPool, key: str) -> bool:
    """The support has a place left, as far as this replica knows."""
    return pool.by_key[key].free != 0


def _waiting(family: Family, reason: Unfit) -> Waiting:
    return Waiting(
        request_id=family.request_id,
        reason=reason.value,
        departement=family.departement,
        needs=tuple(sorted(family.needs)),
        urgency=family.urgency,
        family_ref=family.family_ref,
        waiting_since=family.waiting_since,
    )


def _ending(view: Doc) -> MatchOutcome:
    """Why a request's open match ends: its consent to matching withdrawn (rectified, or
    the request withdrawn for that reason), or the request withdrawn."""
    if view.get("status") == "no-consent" or view.get("withdrawal_reason") == "consent-withdrawn":
        return MatchOutcome.CONSENT_WITHDRAWN
    return MatchOutcome.REQUEST_WITHDRAWN


def _ids(match: Match) -> dict[str, str]:
    return {
        "match_id": match.match_id,
        "request_id": match.request_id,
        "family_ref": match.family_ref,
        "association_id": match.association_id,
    }
