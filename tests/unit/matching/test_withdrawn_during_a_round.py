"""A family withdrawn while the scheduler's round places her: the round read her request
open, the consumer applied her withdrawal and found no match to end (nor a waitlist
entry), then the round proposed her a volunteer, or waitlisted her. Nothing would ever
end that proposal but its expiry, days later (the volunteer's place held, a coordinator
asked about a family who left), nor take her off the waitlist."""

from typing import Any

from entraide.matching.domain import request_view
from tests.matching_support import withdrawn
from tests.unit.matching.test_engine_use_cases import NEAR, World, submitted

Doc = dict[str, Any]


def withdrawn_meanwhile(world: World, request_id: str) -> None:
    """Once the round has read the requests, and before it goes on, the requests' consumer
    (another replica, or another task) applies the family's withdrawal and tells its
    engine, which finds nothing to end yet."""
    read, consumer, pending = world.requests.many, world.engine(), [request_id]

    async def many(request_ids: list[str]) -> dict[str, Doc]:
        found = await read(request_ids)
        while pending:
            view = world.requests.views[pending.pop()]
            gone = withdrawn(submitted(request_id=view["_id"], family_ref=view["family_ref"]))
            view = view | request_view(gone, event_id="withdrawal")  # the read model's upsert
            world.requests.add(view)
            await consumer.request_changed(view)
        return found

    world.requests.many = many  # type: ignore[method-assign]


async def test_a_family_withdrawn_while_the_round_places_her_keeps_no_proposal() -> None:
    world = World(NEAR)
    family = submitted()
    world.arrives(family)  # open, not placed yet: the round's to place
    withdrawn_meanwhile(world, family.request_id)
    await world.engine().rebalance()

    assert await world.matches.open_for_request(family.request_id) is None
    assert world.matches.waitlist == {}
    assert await world.matches.held() == {NEAR.key: 0}
    ended = [(m.state, m.outcome) for m in world.matches.matches.values()]
    assert ended == [("closed", "request-withdrawn")]  # what the association was told


async def test_a_family_withdrawn_while_the_round_waitlists_her_is_off_it_next_round() -> None:
    world = World(NEAR)
    family = submitted(needs=["ecoute"])  # nobody offers it: she waits
    world.arrives(family)
    withdrawn_meanwhile(world, family.request_id)
    scheduler = world.engine()
    await scheduler.rebalance()  # waitlists her from its read
    await scheduler.rebalance()  # the next round

    assert world.matches.waitlist == {}
    assert world.matches.matches == {}
