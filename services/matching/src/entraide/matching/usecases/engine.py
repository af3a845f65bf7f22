"""Matching's engine: every use case that moves a match, built up by capability
(`proposals` → `placing` → `decisions` → `changes`), and here the batch, which
re-optimises the waiting requests together. Every move is stored with its event (the
outbox); the engine speaks to its ports (`ports`) over typed matches."""

from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta
from typing import TypeVar

from entraide.matching.domain import assign
from entraide.matching.domain.model import Family, History, Waiting
from entraide.matching.domain.regions import Regions, packed, reachable
from entraide.matching.domain.rules import Unfit
from entraide.matching.domain.views import family_of
from entraide.matching.usecases.changes import Changes
from entraide.matching.usecases.ports import Matches
from entraide.matching.usecases.proposals import DecisionError, Refused, waiting

__all__ = ["HALF_WRITTEN_AFTER", "DecisionError", "Engine"]
T = TypeVar("T")

# a place held this long by a match that is not open is a write half done (see matches)
HALF_WRITTEN_AFTER = timedelta(minutes=1)
# requests' views and histories read at once: a long `$in` costs far more (one of 10,000
# ids read their views in 8 s on mongo-java-server, 24 s at 20,000; 500 at a time, 0.8 s
# and 1 s), and MongoDB refuses a query past 16 MB (about 370,000 ids)
READ_CHUNK = 500
DONE_CHUNK = READ_CHUNK  # requests asked at once whether they were served, for as much
WAIT_CHUNK = 500  # waitlist entries written at once (one write each: minutes a round)
# families a flow is handed at once: small regions together, up to a chunk's reads (a
# larger region alone: the largest region bounds what a round holds)
REGION_PACK = READ_CHUNK
TOP_K = 25  # a family's best candidates the flow weighs (every one for a crisis)


class _Waitlist:
    """The round's waitlist entries, written `WAIT_CHUNK` at a time as they come."""

    def __init__(self, store: Matches) -> None:
        self.store = store
        self.entries: list[Waiting] = []

    async def add(self, entry: Waiting) -> None:
        self.entries.append(entry)
        if len(self.entries) >= WAIT_CHUNK:
            await self.flush()

    async def flush(self) -> None:
        if self.entries:
            await self.store.wait_many(self.entries)
            self.entries = []


class Engine(Changes):
    """Propose at once when a request arrives, re-optimise the waiting ones in batch, let
    coordinators decide, follow each match, and re-route when a family or a volunteer
    drops out."""

    async def rebalance(self) -> int:
        """Re-optimise every waiting request (min-cost flow), a region at a time; returns
        proposals made.

        A first pass reads the requests a chunk at a time, waitlists those nobody fits
        and joins the others into regions by their candidates (`regions`); a second reads
        each region again and optimises it alone (small ones together): the same
        proposals as one flow over the country (no support is shared between regions),
        holding one region's families instead of every waiting one."""
        ids = await self._unplaced()
        if not ids:
            return 0
        pool = await self.pool.current()
        pool.settle(await self.store.heal(HALF_WRITTEN_AFTER))  # other replicas' takes too
        now = self.clock()  # one moment for the round: the same priorities in every region
        waitlist = _Waitlist(self.store)
        joined = Regions()
        for n in range(0, len(ids), READ_CHUNK):
            await self._join(ids[n : n + READ_CHUNK], now, joined, waitlist)
        made: list[str] = []
        for pack in packed(joined.groups(), REGION_PACK):
            made += await self._optimise(pack, now, waitlist)
        await waitlist.flush()
        await self.ended_meanwhile(made)
        if self.metrics:
            self.metrics.waitlist.set(await self.store.waiting_count())
        return len(made)

    async def _join(
        self, ids: list[str], now: datetime, joined: Regions, waitlist: _Waitlist
    ) -> None:
        """The first pass over these requests: those nobody fits are waitlisted, the
        others joined to the regions of their candidates."""
        families, refused = await self._families(ids)
        pool = await self.pool.current()
        linked, blocked = reachable(families, pool.index, now=now, declined=refused, top_k=TOP_K)
        for f, rows in linked.items():
            joined.join(families[f].request_id, (pool.supports[s].key for s in rows))
        for f, why in blocked.items():
            await waitlist.add(waiting(families[f], why))

    async def _optimise(self, pack: list[str], now: datetime, waitlist: _Waitlist) -> list[str]:
        """One flow over these regions' requests: proposes, waitlists the others; returns
        the requests proposed to."""
        families, refused = await self._families(pack)
        pool = await self.pool.current()
        edges, blocked = assign.candidates(
            families, pool.index, now=now, declined=refused, top_k=TOP_K
        )
        supports = pool.supports  # as the edges number them (a rebuild replaces it)
        chosen = assign.optimise(families, supports, edges)
        made: list[str] = []
        for f, edge in chosen.items():
            support = supports[edge.support]
            proposal = await self._propose(
                families[f], support.key, support.association_id, edge.score, "batch"
            )
            if not isinstance(proposal, Refused):
                made.append(proposal.request_id)
        for f, family in enumerate(families):  # those who fit went to more urgent ones
            if f not in chosen:
                await waitlist.add(waiting(family, blocked.get(f, Unfit.CAPACITY)))
        return made

    async def _families(self, ids: list[str]) -> tuple[list[Family], dict[str, frozenset[str]]]:
        """These requests' families (those still consenting; the others leave the
        waitlist), and the supports each must not be offered again."""
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
        return families, refused

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
    """`read` of these ids, `READ_CHUNK` at a time, in one dict."""
    found: dict[str, T] = {}
    for n in range(0, len(ids), READ_CHUNK):
        found |= await read(ids[n : n + READ_CHUNK])
    return found
