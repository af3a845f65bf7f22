"""A family withdrawn while matching places her: the engine read her request open, the
requests' consumer applied her withdrawal and found no match to end (nor a waitlist
entry), then the engine proposed her a volunteer, or waitlisted her. Nothing would ever
end that proposal but its expiry, days later (the volunteer's place held, a coordinator
asked about a family who left), nor take her off the waitlist. The scheduler's round
places her so, and so does a decision or a volunteer's change that places her again (a
decline, an expiry, a volunteer gone): each reads her view once more after proposing."""

from datetime import timedelta
from typing import Any

from entraide.matching.domain import request_view
from entraide.matching.usecases.engine import Engine
from entraide.matching.usecases.pool import SupportPool
from tests.matching_support import withdrawn
from tests.unit.matching.factories import NOW
from tests.unit.matching.test_engine_use_cases import FAR, NEAR, World, submitted

Doc = dict[str, Any]


def withdrawn_meanwhile(world: World, request_id: str, read: str = "many", nth: int = 1) -> None:
    """Once the engine has read the requests (`read`: the round's `many`, one placement's
    `get`; `nth`: that read's nth call), and before it goes on, the requests' consumer
    (another replica, or another task) applies the family's withdrawal and tells its
    engine, which finds nothing to end yet."""
    reading, consumer, pending = getattr(world.requests, read), world.engine(), [request_id]
    calls = [0]

    async def hooked(*args: Any) -> Any:
        found = await reading(*args)
        calls[0] += 1
        while pending and calls[0] >= nth:
            view = world.requests.views[pending.pop()]
            gone = withdrawn(submitted(request_id=view["_id"], family_ref=view["family_ref"]))
            view = view | request_view(gone, event_id="withdrawal")  # the read model's upsert
            world.requests.add(view)
            await consumer.request_changed(view)
        return found

    setattr(world.requests, read, hooked)


async def test_a_family_withdrawn_while_the_round_places_her_keeps_no_proposal() -> None:
    world = World(NEAR)
    family = submitted()
    world.arrives(family)  # open, not placed yet: the round's to place
    # after the round's second read (her region's), the one it proposes from
    withdrawn_meanwhile(world, family.request_id, nth=2)
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


async def proposed_to_near(world: World) -> tuple[str, str]:
    """A family proposed the nearest volunteer as her request arrived: hers and the match's
    ids."""
    family = submitted()
    await world.engine().request_changed(world.arrives(family), first_seen=True)
    match = await world.matches.open_for_request(family.request_id)
    assert match is not None
    assert match.support_key == NEAR.key
    return family.request_id, match.match_id


async def assert_gone_with_nothing_held(world: World, request_id: str) -> None:
    """Her next proposal was made, then ended as her withdrawal would have ended it."""
    assert await world.matches.open_for_request(request_id) is None
    assert await world.matches.held() == {NEAR.key: 0, FAR.key: 0}
    again = [m for m in world.matches.matches.values() if m.support_key == FAR.key]
    assert [(m.state, m.outcome) for m in again] == [("closed", "request-withdrawn")]
    assert world.matches.waitlist == {}


async def test_a_family_withdrawn_as_the_volunteer_declines_keeps_no_next_proposal() -> None:
    world = World(NEAR, FAR)
    request_id, match_id = await proposed_to_near(world)
    withdrawn_meanwhile(world, request_id, read="get")  # the decline's placement reads her
    assert await world.engine().decline(match_id, "volunteer-unavailable") is None
    await assert_gone_with_nothing_held(world, request_id)


async def test_a_family_withdrawn_as_her_proposal_expires_keeps_no_next_proposal() -> None:
    world = World(NEAR, FAR)
    request_id, _ = await proposed_to_near(world)
    withdrawn_meanwhile(world, request_id, read="get")
    pool = SupportPool(world.supports, world.matches)
    later = lambda: NOW + timedelta(days=6)  # noqa: E731  (the proposal stays open five)
    scheduler = Engine(world.requests, world.matches, pool, clock=later, relay=world.outbox)
    assert await scheduler.expire_due() == 1
    await assert_gone_with_nothing_held(world, request_id)


async def test_a_family_withdrawn_as_her_volunteer_leaves_keeps_no_next_proposal() -> None:
    world = World(NEAR, FAR)
    request_id, _ = await proposed_to_near(world)
    withdrawn_meanwhile(world, request_id, read="get")
    del world.supports.supports[NEAR.key]  # the volunteer left the network
    await world.engine().support_changed(NEAR.key, None, available=False)
    await assert_gone_with_nothing_held(world, request_id)
