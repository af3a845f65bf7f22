"""Two replicas of matching on one store database and one set of topics, placing many
families at once on volunteers with one or two places, declining the same proposals from
both sides, then placing the waiting families and re-optimising the waitlist on both at
once: no volunteer gets more families than places, no family two open matches, no place
lost or leaked, and no event goes out twice."""

import asyncio
from collections import Counter, defaultdict

import pytest

from entraide.contracts import parse_event
from entraide.contracts.topics import MATCHES
from entraide.contracts.vocab import MatchOutcome
from entraide.kit.deps import lookup
from entraide.matching.adapters.volunteers import VolunteerViews
from entraide.matching.app import create_app
from entraide.matching.domain.lifecycle import OPEN
from entraide.matching.usecases.engine import DecisionError, Engine
from tests.matching_support import feed, request, volunteer
from tests.support import eventually, everything, serving

FAMILIES = 40
VOLUNTEERS = {f"vol-rep-{n}": 1 + n % 2 for n in range(8)}  # 12 places for 40 families
OPEN_STATES = [s.value for s in OPEN]
ROUNDS, DECLINED = 4, 6


@pytest.fixture
async def world(matching_settings, dev_issuer):
    async with feed(matching_settings.kafka_bootstrap) as topics:
        topics.base = dev_issuer.settings_for(matching_settings)
        yield topics


async def test_two_replicas_never_overfill_never_match_twice_and_repeat_no_event(world) -> None:
    settings = world.settings(world.base, outbox_idle_poll_seconds=0.1)
    one, two = create_app(settings), create_app(settings)  # one database, one consumer group
    engines = (lookup(one, Engine), lookup(two, Engine))
    store = lookup(one, Engine).store
    async with serving(one), serving(two):
        for ref, places in VOLUNTEERS.items():
            await world.send(world.volunteers, volunteer(ref, capacity=places), ref)

        async def volunteers_known():
            found = await lookup(one, VolunteerViews).collection.count_documents({})
            return found == len(VOLUNTEERS)

        await eventually(volunteers_known, what="volunteers in the read model")

        # 1. online: the requests' two partitions are shared by the replicas, each placing
        # the families it consumes with its own pool (stale about the other's places)
        families = [request() for _ in range(FAMILIES)]
        await asyncio.gather(*(world.send(world.requests, f, f.family_ref) for f in families))
        ids = [f.request_id for f in families]

        async def all_handled():
            matched, waiting = await store.matched(), await store.waiting({})
            return set(ids) <= matched | {w["_id"] for w in waiting}

        await eventually(all_handled, timeout=60, what="every family matched or waiting")
        await _check(store, ids)

        for _ in range(ROUNDS):
            # 2. both replicas decline the same proposals at once: one wins each, the family
            # gets the next candidate (or waits), the place is given back
            proposals = await store.listing({"state": "proposed"})
            declines = [
                engine.decline(m["_id"], "volunteer-unavailable")
                for m in proposals[:DECLINED]
                for engine in engines
            ]
            results = await asyncio.gather(*declines, return_exceptions=True)
            lost = [r for r in results if isinstance(r, DecisionError)]
            assert len(lost) == DECLINED, results
            assert not [r for r in results if isinstance(r, Exception) and r not in lost]
            await _check(store, ids)

            # 3. both batches at once, and both replicas placing each waiting family, over the
            # same freed places
            waiting = [w["_id"] for w in await store.waiting({})]
            await asyncio.gather(
                *(engine.rebalance() for engine in engines),
                *(engine.place(r) for r in waiting for engine in engines),
            )
            await _check(store, ids)
            await lookup(one, Engine).rebalance()  # what a replica's stale pool left free
            full = await store.matches.count_documents({"state": {"$in": OPEN_STATES}})
            assert full == sum(VOLUNTEERS.values()), "a place lost"

        # 4. two coordinators on the two replicas propose by hand at once: two families for
        # one freed place, and one family for two freed places
        late = [request() for _ in range(3)]
        await asyncio.gather(*(world.send(world.requests, f, f.family_ref) for f in late))
        ids += [f.request_id for f in late]
        await eventually(all_handled, timeout=60, what="the late families waiting")
        freed = []
        for match in await store.listing({"state": {"$in": OPEN_STATES}}):
            if match["support_key"] not in freed and len(freed) < 3:
                await lookup(one, Engine).close(match["_id"], MatchOutcome.COMPLETED)
                freed.append(match["support_key"])
        for engine in engines:  # both replicas see the freed places (as after a batch)
            engine.pool.settle(await store.held())
        pairs = await asyncio.gather(
            _at_once(engines, (late[0], freed[0]), (late[1], freed[0])),
            _at_once(engines, (late[2], freed[1]), (late[2], freed[2])),
        )
        assert [sum(made is not None for made in pair) for pair in pairs] == [1, 1]
        await _check(store, ids)

        async def relayed():
            return await store.matches.count_documents({"outbox_pending": True}) == 0

        await eventually(relayed, what="both relays drained")
        matches = await store.matches.find({}, {"outbox": 0}).to_list()

    # no event twice, and each match's events on the topic tell its story in the store
    refs = {f.family_ref.encode() for f in families + late}
    events = [
        parse_event(r.value)
        for r in await everything(world.base.kafka_bootstrap, MATCHES.name)
        if r.key in refs
    ]
    twice = [i for i, n in Counter(e.id for e in events).items() if n > 1]
    assert not twice, f"{len(twice)} events published twice"
    story = defaultdict(list)
    for event in events:
        story[event.data.match_id].append(event.type.split(".")[3])
    assert set(story) == {m["_id"] for m in matches}, "a match and its events apart"
    for match in matches:
        expected = ["proposed"] if match["state"] == "proposed" else ["proposed", match["state"]]
        assert story[match["_id"]] == expected, match["_id"]


async def _at_once(engines, *proposals) -> list:
    """Each replica proposes one (family, support) by hand, at the same moment."""
    return await asyncio.gather(
        *(
            engine.propose_by_hand(family.request_id, key, by="coordinator")
            for engine, (family, key) in zip(engines, proposals, strict=True)
        )
    )


async def _check(store, ids: list[str]) -> None:
    """The invariants, as the store holds them now."""
    open_ = await store.matches.find({"state": {"$in": OPEN_STATES}}, {"outbox": 0}).to_list()
    per_request = Counter(m["request_id"] for m in open_)
    assert max(per_request.values(), default=0) <= 1, "a family with two open matches"
    per_support = Counter(m["support_key"] for m in open_)
    over = {k: n for k, n in per_support.items() if n > VOLUNTEERS[k.split(":", 1)[1]]}
    assert not over, f"volunteers over-filled: {over}"
    # no place lost or leaked: each support's places are exactly its open matches
    places = {
        p["_id"]: sorted(t["match_id"] for t in p["taken"]) async for p in store.places.find()
    }
    held = {k: v for k, v in places.items() if v}
    by_support = defaultdict(list)
    for m in open_:
        by_support[m["support_key"]].append(m["_id"])
    assert held == {k: sorted(v) for k, v in by_support.items()}
    # none forgotten: each family is matched or waiting (or its match is over)
    waiting = {w["_id"] for w in await store.waiting({})}
    closed = {m["request_id"] async for m in store.matches.find({"state": "closed"})}
    assert set(ids) <= set(per_request) | waiting | closed
