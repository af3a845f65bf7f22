"""The scheduler's round at the network's scale: the families it cannot place (most of the
waitlist, every round), and those leaving the list, are written a batch at a time, never
one store write each; their requests and histories are read a chunk at a time, never in
one `$in` of every id. Measured on the real store at 10,000 waiting families: 10,000
writes and a read of 8 s (24 s at 20,000), 21 s a round; tens of thousands wait
nationally, a round every 5 minutes."""

from typing import Any

from entraide.matching.domain import request_view
from entraide.matching.domain.model import Waiting
from entraide.matching.usecases.engine import READ_CHUNK, WAIT_CHUNK
from tests.matching_support import withdrawn
from tests.unit.matching.test_engine_use_cases import NEAR, World, submitted

FAMILIES = 2 * WAIT_CHUNK + 1  # three batches


def counting(world: World) -> dict[str, int]:
    """How many times the round calls each of the waitlist's writes."""
    calls = dict.fromkeys(("wait", "wait_many", "unwait", "unwait_many"), 0)
    for name in calls:
        write = getattr(world.matches, name)

        def counted(*args: Any, _name: str = name, _write: Any = write) -> Any:
            calls[_name] += 1
            return _write(*args)

        setattr(world.matches, name, counted)
    return calls


def nobody_fits(world: World) -> list[str]:
    """Families needing what no one offers: the round waitlists them all."""
    families = [submitted(needs=["ecoute"]) for _ in range(FAMILIES)]
    for family in families:
        world.arrives(family)
    return [f.request_id for f in families]


async def test_the_families_nobody_fits_are_waitlisted_a_batch_at_a_time() -> None:
    world = World(NEAR)
    ids = nobody_fits(world)
    calls = counting(world)

    assert await world.engine().rebalance() == 0

    assert sorted(world.matches.waitlist) == sorted(ids)
    entry = world.matches.waitlist[ids[0]]
    assert isinstance(entry, Waiting)
    assert entry.reason == "too-far"  # the reason one placement gives her
    assert calls["wait"] == 0
    assert calls["wait_many"] == 3, "one write per batch of waiting families"


async def test_withdrawn_families_leave_the_waitlist_a_batch_at_a_time() -> None:
    world = World(NEAR)
    ids = nobody_fits(world)
    scheduler = world.engine()
    await scheduler.rebalance()
    for request_id in ids:  # the consumer's upsert of each withdrawal, the list not told
        view = world.requests.views[request_id]
        gone = withdrawn(submitted(request_id=request_id, family_ref=view["family_ref"]))
        world.requests.add(view | request_view(gone, event_id="withdrawal"))
    calls = counting(world)

    await scheduler.rebalance()

    assert world.matches.waitlist == {}
    assert (calls["unwait"], calls["unwait_many"]) == (0, 3)


async def test_families_placed_meanwhile_leave_the_waitlist_a_batch_at_a_time() -> None:
    world = World(NEAR)
    ids = nobody_fits(world)
    scheduler = world.engine()
    await scheduler.rebalance()
    assert sorted(world.matches.waitlist) == sorted(ids)

    async def all_done(request_ids: list[str]) -> set[str]:  # proposed by another replica
        return set(request_ids)

    world.matches.done_among = all_done  # type: ignore[method-assign]
    calls = counting(world)

    assert await scheduler.rebalance() == 0

    assert world.matches.waitlist == {}
    assert (calls["unwait"], calls["unwait_many"]) == (0, 3)
    assert calls["wait_many"] == 0, "nobody left to place"


async def test_the_round_reads_requests_and_histories_a_chunk_at_a_time() -> None:
    world = World(NEAR)
    ids = nobody_fits(world)
    asked: list[int] = []
    for port, name in ((world.requests, "many"), (world.matches, "histories_of")):
        read = getattr(port, name)

        def sized(request_ids: list[str], _read: Any = read) -> Any:
            asked.append(len(request_ids))
            return _read(request_ids)

        setattr(port, name, sized)

    await world.engine().rebalance()

    assert max(asked) <= READ_CHUNK
    assert sum(asked) == 2 * len(ids), "each request's view and history read once"
    assert sorted(world.matches.waitlist) == sorted(ids)
