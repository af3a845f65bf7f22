"""Placing families: propose at once when a request arrives (one, or a batch of them),
or by a coordinator's hand; waitlist with the reason when nobody fits."""

import uuid
from typing import Any

from entraide.contracts.paris import paris_day
from entraide.matching.domain import assign, rules, score
from entraide.matching.domain.model import Family, History, Match, Waiting
from entraide.matching.domain.rules import Unfit
from entraide.matching.domain.views import family_of
from entraide.matching.usecases.pool import SupportPool
from entraide.matching.usecases.proposals import Doc, Proposals, Refused, room, waiting

ONLINE_TOP_K = 20  # candidates explained per new request; all of them when these are full


class Placing(Proposals):
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
        # taken by one before is seen when choosing (`room`)
        # (the best ONLINE_TOP_K of each, a family in crisis too: the best still open when
        # those are full, below)
        now = self.clock()

        def best(among: list[Family]) -> tuple[list[assign.Edge], dict[int, Unfit]]:
            return assign.candidates(
                among, pool.index, now=now, declined=refused, top_k=ONLINE_TOP_K, crises_too=True
            )

        edges, blocked = best(families)
        ranked: dict[int, list[assign.Edge]] = {}
        for edge in sorted(edges, key=lambda e: e.score.weighted, reverse=True):
            ranked.setdefault(edge.family, []).append(edge)
        planned: list[tuple[Family, list[assign.Edge], Unfit, str | None]] = []
        for f in assign.serving_order(families):  # families in crisis first (policy)
            family = families[f]
            mine = ranked.get(f, [])
            key = _first_with_room(pool, mine)
            if key is None and len(mine) == ONLINE_TOP_K:
                # ranked again: the places taken meanwhile are out of the columns now, so
                # the best ONLINE_TOP_K still open are enough (not every candidate explained)
                more, _ = best([family])
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
                waits.append(waiting(family, why if key is None else Unfit.CAPACITY))
            else:
                taken.append(proposal)
        stored = await self._store_many(taken)
        await self.store.wait_many(waits)
        await self.store.unwait_many([m.request_id for m in stored if m.request_id in known])
        await self._first_proposals(stored, {f.request_id: f.waiting_since for f, *_ in planned})
        return stored

    async def propose_by_hand(self, request_id: str, support_key: str, *, by: str) -> Match | None:
        """A coordinator picks a waiting family for one of their supports; the rules still hold."""
        view = await self.requests.get(request_id)
        pool = await self.pool.current()
        support = pool.by_key.get(support_key)
        if view is None or support is None:
            return None
        family, refused = await self._family(view)
        if (
            rules.unfit(family, support, today=paris_day(self.clock()), declined=refused)
            is not None
        ):
            return None
        proposal = await self._propose(
            family,
            support_key,
            support.association_id,
            score.score(family, support, now=self.clock()),
            f"coordinator:{by}",
        )
        return None if isinstance(proposal, Refused) else proposal


def _first_with_room(pool: SupportPool, edges: list[assign.Edge]) -> str | None:
    """The key of the first support of `edges` with a place left."""
    keys = (pool.supports[e.support].key for e in edges)
    return next((k for k in keys if room(pool, k)), None)
