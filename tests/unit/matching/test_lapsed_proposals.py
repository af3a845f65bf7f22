"""A volunteer whose honorability check lapsed holds no family waiting: the scheduler's
round ends their other pending proposals on its own, as an acceptance would (closed as a
volunteer's no longer available, the place given back, the family proposed its next
candidate), on the Paris day, once even when two replicas run it at the same time, and
without a read of the store when no volunteer's check lapsed lately."""

import asyncio
from datetime import UTC, date, datetime, timedelta
from typing import Any

from prometheus_client import CollectorRegistry

from entraide.kit.metrics import MATCH_CHECK_LAPSED_ENDED, matching_metrics
from entraide.matching.domain import rules
from entraide.matching.entrypoints.scheduler import tick
from entraide.matching.usecases.engine import Engine
from entraide.matching.usecases.pool import SupportPool
from tests.unit.matching.factories import NOW, volunteer
from tests.unit.matching.test_engine_use_cases import World, submitted

LAST_VALID = date(2026, 11, 30)  # the proposals, made on 28 November, stay open till 3 December
MIDNIGHT_PARIS = datetime(2026, 11, 30, 23, tzinfo=UTC)  # 1 December begins in Paris
NEAR = volunteer(key="volunteer:vol-near-reze", capacity=2, honorability_valid_until=LAST_VALID)
FAR = volunteer(key="volunteer:vol-far-carquefou", capacity=2, location=(47.32, -1.45))


class Clock:
    def __init__(self) -> None:
        self.now = NOW

    def __call__(self) -> datetime:
        return self.now


class Counting(World):
    """The fakes, counting the store's reads of proposals by support."""

    def __init__(self, *supports: Any) -> None:
        super().__init__(*supports)
        self.asked: list[list[str]] = []
        proposals_of = self.matches.proposals_of

        async def counted(keys: list[str]) -> Any:
            self.asked.append(keys)
            return await proposals_of(keys)

        self.matches.proposals_of = counted  # type: ignore[method-assign]


def replica(world: World, clock: Clock, registry: CollectorRegistry | None = None) -> Engine:
    pool = SupportPool(world.supports, world.matches)
    metrics = matching_metrics(registry) if registry is not None else None
    return Engine(
        world.requests, world.matches, pool, clock=clock, relay=world.outbox, metrics=metrics
    )


async def two_proposed_to_near() -> tuple[Counting, Clock, list[str]]:
    """Two families proposed the nearest volunteer (valid through 30 November, Paris)."""
    world, clock = Counting(NEAR, FAR), Clock()
    engine = replica(world, clock)
    families = [submitted(), submitted()]
    for family in families:
        await engine.request_changed(world.arrives(family), first_seen=True)
    assert {m.support_key for m in world.matches._open()} == {NEAR.key}
    return world, clock, [f.request_id for f in families]


async def test_the_round_ends_both_proposals_of_a_lapsed_volunteer_and_reroutes_the_families() -> (
    None
):
    world, clock, requests = await two_proposed_to_near()
    clock.now = datetime(2026, 12, 1, 9, tzinfo=UTC)  # the check lapsed yesterday
    engine = replica(world, clock)
    expired, lapsed, _ = await tick(engine)
    assert (expired, lapsed) == (0, 2)
    ended = [m for m in world.matches.matches.values() if m.support_key == NEAR.key]
    assert [(m.state, m.outcome) for m in ended] == [("closed", "volunteer-unavailable")] * 2
    for request_id in requests:
        again = await world.matches.open_for_request(request_id)
        assert again is not None
        assert again.support_key == FAR.key, "the next candidate, never the lapsed volunteer"
    assert await world.matches.held() == {NEAR.key: 0, FAR.key: 2}
    assert world.matches.event_types().count("closed") == 2
    assert await engine.close_lapsed() == 0, "nothing left to end"


async def test_a_check_valid_until_today_keeps_its_proposals_until_midnight_in_paris() -> None:
    world, clock, requests = await two_proposed_to_near()
    engine = replica(world, clock)
    clock.now = MIDNIGHT_PARIS - timedelta(seconds=1)  # 30 November, 23 h 59 59 in Paris
    assert await engine.close_lapsed() == 0
    assert [m.state for m in world.matches.matches.values()] == ["proposed"] * 2
    clock.now = MIDNIGHT_PARIS
    assert await engine.close_lapsed() == 2
    again = [await world.matches.open_for_request(r) for r in requests]
    assert [m.support_key if m else None for m in again] == [FAR.key, FAR.key]


async def test_two_replicas_ending_them_at_once_end_each_once_and_reroute_each_once() -> None:
    world, clock, requests = await two_proposed_to_near()
    clock.now = MIDNIGHT_PARIS
    ended = await asyncio.gather(
        replica(world, clock).close_lapsed(), replica(world, clock).close_lapsed()
    )
    assert sum(ended) == 2
    assert world.matches.event_types().count("closed") == 2
    at_once = [e.type.split(".")[3] for e in world.outbox.published]  # by the writer
    assert (at_once + world.matches.event_types()).count("proposed") == 4, "two, then two next"
    again = [await world.matches.open_for_request(r) for r in requests]
    assert [m.support_key if m else None for m in again] == [FAR.key, FAR.key]
    assert await world.matches.held() == {NEAR.key: 0, FAR.key: 2}


async def test_no_store_read_when_no_check_lapsed_lately() -> None:
    world, clock, _ = await two_proposed_to_near()
    clock.now = MIDNIGHT_PARIS - timedelta(seconds=1)
    assert await replica(world, clock).close_lapsed() == 0
    assert world.asked == [], "every check holds: the pool says so, the store is not asked"
    clock.now = MIDNIGHT_PARIS
    assert await replica(world, clock).close_lapsed() == 2
    assert world.asked == [[NEAR.key]], "only the lapsed volunteer's proposals are read"


async def test_operators_count_the_proposals_the_round_ended_for_a_lapsed_check() -> None:
    world, clock, _ = await two_proposed_to_near()
    registry = CollectorRegistry()
    engine = replica(world, clock, registry)

    def counted() -> float | None:
        return registry.get_sample_value(MATCH_CHECK_LAPSED_ENDED)

    assert await engine.close_lapsed() == 0
    assert counted() == 0, "exposed before any lapse, so a rate reads from zero"
    clock.now = MIDNIGHT_PARIS
    assert await engine.close_lapsed() == 2
    assert await engine.close_lapsed() == 0
    assert counted() == 2, "the two ended, once"


def test_a_check_is_looked_at_while_a_proposal_made_when_it_held_may_be_open() -> None:
    five_days = timedelta(hours=120)
    lapsed = volunteer(honorability_valid_until=LAST_VALID)
    assert not rules.check_lapsed_lately(lapsed, LAST_VALID, five_days), "valid today"
    for day in (1, 6):  # proposed at 23 h 59 on the 30th: open till 5 December (and DST)
        assert rules.check_lapsed_lately(lapsed, LAST_VALID + timedelta(days=day), five_days)
    assert not rules.check_lapsed_lately(lapsed, LAST_VALID + timedelta(days=7), five_days)
    unknown = volunteer(honorability_valid_until=None)
    assert rules.check_lapsed_lately(unknown, LAST_VALID, five_days), "none known: never holds"
