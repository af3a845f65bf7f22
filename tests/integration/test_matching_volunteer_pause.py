"""A volunteer's pause on the real broker and store: a pause stops new proposals, it does
not end a support already agreed with a family. Their proposal not yet accepted is
withdrawn and its family proposed to someone else; the accepted one goes on, and /suivis
says the volunteer is on a pause; the withdrawn proposal, never agreed, is not listed
among the supports that ended. Leaving (the
inactive event, then the tombstone directory queues behind it) still ends everything."""

import html
import re

from entraide.kit import formats
from entraide.kit.deps import lookup
from entraide.matching.usecases.engine import Engine
from tests.integration.test_matching_engine import (  # noqa: F401
    proposed,
    running,
    seed_volunteers,
    world,
)
from tests.matching_support import request, volunteer
from tests.support import eventually

ENDED = re.compile(r'<section aria-labelledby="termines">(.*?)</section>', re.S)


async def test_a_pause_withdraws_the_proposal_and_keeps_the_accepted_support(
    world,  # noqa: F811
    dev_issuer,
) -> None:
    app, server = await running(world)
    async with server as client:
        engine = lookup(app, Engine)
        await seed_volunteers(world, app, volunteer("vol-pausing", capacity=2))
        kept_family, proposed_family = request(), request()
        await world.send(world.requests, kept_family, kept_family.family_ref)
        kept = await proposed(app, kept_family.request_id)
        await engine.accept(kept.match_id)
        await world.send(world.requests, proposed_family, proposed_family.family_ref)
        withdrawn = await proposed(app, proposed_family.request_id)
        assert withdrawn.support_key == kept.support_key == "volunteer:vol-pausing"
        await seed_volunteers(world, app, volunteer("vol-other", postal_code="44470"))

        paused = volunteer("vol-pausing", capacity=2, active=False, revision=2)
        await world.send(world.volunteers, paused, "vol-pausing")
        again = await proposed(app, proposed_family.request_id, not_key=kept.support_key)
        assert again.support_key == "volunteer:vol-other"
        ended = await engine.store.get(withdrawn.match_id)
        assert (ended.state, ended.outcome) == ("closed", "volunteer-unavailable")
        still = await engine.store.get(kept.match_id)
        assert (still.state, still.outcome) == ("accepted", None)
        assert (await engine.store.open_for_request(kept_family.request_id)).match_id == (
            kept.match_id
        )

        await dev_issuer.sign_in(client, "coordination-ppm")
        page = html.unescape((await client.get("/suivis")).text)
        assert "Bénévole en pause" in page  # the association checks in with them
        ended = ENDED.search(page)
        assert ended, "the « Terminés ces 30 derniers jours » section"
        assert formats.reference(proposed_family.request_id) not in ended.group(1)
        assert "Bénévole devenu indisponible" not in ended.group(1)

        # leaving: directory's tombstone behind the inactive event ends the rest
        await world.producer.send_and_wait(world.volunteers, None, key=b"vol-pausing")

        async def closed():
            match = await engine.store.get(kept.match_id)
            return match if match.state == "closed" else None

        gone = await eventually(closed, what="the accepted match ended on leaving")
        assert gone.outcome == "volunteer-unavailable"
