"""The scheduler's round ends the pending proposals of a volunteer whose honorability check
lapsed (here directory's next revision says it ended yesterday), on the real broker and
store, with two replicas running the round at the same moment: each proposal closed once
as a volunteer's no longer available, its place given back, its family proposed the next
volunteer once, each event on the matches topic once, and the pages' lists (what /suivis
and the digest count) no longer showing them as waiting for an answer."""

import asyncio
from collections import Counter
from datetime import UTC, datetime, timedelta

from entraide.contracts import parse_event
from entraide.contracts.paris import paris_day
from entraide.contracts.topics import MATCHES
from entraide.kit.deps import lookup
from entraide.matching.adapters.volunteers import VolunteerViews
from entraide.matching.app import create_app
from entraide.matching.usecases.engine import Engine
from tests.matching_support import feed, request, volunteer
from tests.support import eventually, everything, serving

LAPSED, NEXT = "vol-lapse-round", "vol-next-round"


async def test_two_replicas_rounds_end_a_lapsed_volunteer_s_proposals_once(
    matching_settings, dev_issuer
) -> None:
    today = paris_day(datetime.now(UTC))
    async with feed(matching_settings.kafka_bootstrap) as world:
        settings = world.settings(dev_issuer.settings_for(matching_settings))
        one, two = create_app(settings), create_app(settings)  # one database, one group
        engines = (lookup(one, Engine), lookup(two, Engine))
        store, views = engines[0].store, lookup(one, VolunteerViews)
        async with serving(one), serving(two):
            lapsing = volunteer(LAPSED, capacity=2, honorability=today)
            await world.send(world.volunteers, lapsing, LAPSED)
            await eventually(lambda: views.get(LAPSED), what="the volunteer")
            families = [request(), request()]
            for family in families:
                await world.send(world.requests, family, family.family_ref)

            async def both_proposed() -> list | None:
                found = [await store.open_for_request(f.request_id) for f in families]
                return found if all(found) else None

            first = await eventually(both_proposed, what="two proposals")
            assert {m.support_key for m in first} == {f"volunteer:{LAPSED}"}
            await world.send(world.volunteers, volunteer(NEXT, capacity=2), NEXT)
            lapsed = volunteer(LAPSED, capacity=2, honorability=today - timedelta(days=1))
            await world.send(world.volunteers, lapsed.model_copy(update={"revision": 2}), LAPSED)

            async def read() -> bool:
                doc, other = await views.get(LAPSED), await views.get(NEXT)
                return bool(doc and doc["revision"] == 2 and other)

            await eventually(read, what="the check's new day and the next volunteer")
            for engine in engines:  # each replica's pool as the read model says now
                engine.pool.invalidate()
            ended = await asyncio.gather(*(e.close_lapsed() for e in engines))
            again = [await store.open_for_request(f.request_id) for f in families]
            closed = [await store.get(m.match_id) for m in first]
            pending = await store.listing({"state": "proposed"})
            held = {p["_id"]: len(p["taken"]) async for p in store.places.find()}

            async def relayed() -> bool:
                return await store.matches.count_documents({"outbox_pending": True}) == 0

            await eventually(relayed, what="both relays drained")

    assert sorted(ended) in ([0, 2], [1, 1]), "each proposal ended by one replica"
    assert [(m.state, m.outcome) for m in closed if m] == [("closed", "volunteer-unavailable")] * 2
    assert [m.support_key if m else None for m in again] == [f"volunteer:{NEXT}"] * 2
    assert sorted(m["_id"] for m in pending) == sorted(m.match_id for m in again if m)
    assert held == {f"volunteer:{LAPSED}": 0, f"volunteer:{NEXT}": 2}
    refs = {f.family_ref.encode() for f in families}
    events = [
        parse_event(r.value)
        for r in await everything(settings.kafka_bootstrap, MATCHES.name)
        if r.key in refs
    ]
    assert not [i for i, n in Counter(e.id for e in events).items() if n > 1], "twice"
    story = Counter((e.data.match_id, e.type.split(".")[3]) for e in events)
    assert all(story[(m.match_id, "closed")] == 1 for m in first)
    assert sum(n for (_, kind), n in story.items() if kind == "proposed") == 4
