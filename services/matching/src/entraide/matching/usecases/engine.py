"""Matching's engine: every use case that moves a match, built up by capability
(`proposals` → `placing` → `decisions` → `changes`), and here the batch, which
re-optimises the waiting requests together. Every move is stored with its event (the
outbox); the engine speaks to its ports (`ports`) over typed matches."""

from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import TypeVar

from entraide.matching.domain import assign
from entraide.matching.domain.model import Family, History
from entraide.matching.domain.rules import Unfit
from entraide.matching.domain.views import family_of
from entraide.matching.usecases.changes import Changes
from entraide.matching.usecases.proposals import DecisionError, Refused, waiting

__all__ = ["HALF_WRITTEN_AFTER", "DecisionError", "Engine"]
T = TypeVar("T")

# a place held this long by a match that is not open is a write half done (see matches)
HALF_WRITTEN_AFTER = timedelta(minutes=1)
# requests asked about at once: a long `$in` costs far more (one of 10,000 ids read their
# views in 8 s on mongo-java-server, 24 s at 20,000; 500 at a time, 0.8 s and 1 s), and
# MongoDB refuses a query past 16 MB (about 370,000 ids)
DONE_CHUNK = 500
WAIT_CHUNK = 500  # waitlist entries written at once (one write each: minutes a round)


class Engine(Changes):
    """Propose at once when a request arrives, re-optimise the waiting ones in batch, let
    coordinators decide, follow each match, and re-route when a family or a volunteer
    drops out."""

    async def rebalance(self) -> int:
        """Re-optimise every waiting request at once (min-cost flow); returns proposals made."""
        ids = await self._unplaced()
        views = await by_chunks(self.requests.many, ids)  # a query a chunk, not a request
        histories = await by_chunks(self.store.histories_of, ids)
        families: list[Family] = []
        refused: dict[str, frozenset[str]] = {}
        withdrawn: list[str] = []  # as an earlier round waitlisted her from its read
        for view in views.values():
            history = histories.get(view["_id"], History())
            family = family_of(view, history.known)
            if family.consent:
                families.append(family)
                refused[family.request_id] = history.refused
            else:
                withdrawn.append(family.request_id)
        await self._unwait(withdrawn)  # off the list
        if not families:
            return 0
        pool = await self.pool.current()
        pool.settle(await self.store.heal(HALF_WRITTEN_AFTER))  # other replicas' takes too
        edges, blocked = assign.candidates(
            families, pool.index, now=self.clock(), declined=refused, top_k=25
        )
        chosen = assign.optimise(families, pool.supports, edges)
        made: list[str] = []
        for f, edge in chosen.items():
            support = pool.supports[edge.support]
            proposal = await self._propose(
                families[f], support.key, support.association_id, edge.score, "batch"
            )
            if not isinstance(proposal, Refused):
                made.append(proposal.request_id)
        # nobody fits the others, or those who fit went to more urgent families
        unplaced = [
            waiting(family, blocked.get(f, Unfit.CAPACITY))
            for f, family in enumerate(families)
            if f not in chosen
        ]
        for n in range(0, len(unplaced), WAIT_CHUNK):
            await self.store.wait_many(unplaced[n : n + WAIT_CHUNK])
        await self.ended_meanwhile(made)
        if self.metrics:
            self.metrics.waitlist.set(await self.store.waiting_count())
        return len(made)

    async def _unplaced(self) -> list[str]:
        """Open requests with no open match: the waitlist, and any request whose placement
        never ran (an event consumed before a crash, or before matching had an engine).
        A family waitlisted by one replica while another proposed to it leaves the list;
        a request whose support was completed is served, never proposed again."""
        listed = await self.store.waiting_ids()
        candidates = sorted(listed | await self.requests.open_ids())
        done: set[str] = set()
        for n in range(0, len(candidates), DONE_CHUNK):  # not every match ever made
            done |= await self.store.done_among(candidates[n : n + DONE_CHUNK])
        await self._unwait(sorted(listed & done))
        return [r for r in candidates if r not in done]

    async def _unwait(self, request_ids: list[str]) -> None:
        """Take these requests off the waitlist, `WAIT_CHUNK` at a time."""
        for n in range(0, len(request_ids), WAIT_CHUNK):
            await self.store.unwait_many(request_ids[n : n + WAIT_CHUNK])


async def by_chunks(
    read: Callable[[list[str]], Awaitable[dict[str, T]]], ids: list[str]
) -> dict[str, T]:
    """`read` of these ids, `DONE_CHUNK` at a time, in one dict."""
    found: dict[str, T] = {}
    for n in range(0, len(ids), DONE_CHUNK):
        found |= await read(ids[n : n + DONE_CHUNK])
    return found
