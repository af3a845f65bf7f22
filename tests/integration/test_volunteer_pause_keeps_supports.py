"""A volunteer's pause across directory and matching, both running on the real broker and
store (the seam of `test_volunteer_space`, one step further): the family a coordinator
accepted the volunteer for keeps them, and their space lists that support (as the
proposal's e-mail described it: the kind of help, the département, since when) and says
that a pause stops new proposals only; the proposal they had not yet accepted is
withdrawn and its family placed again."""

import html

from entraide.directory.adapters.volunteers.store import VolunteerStore
from entraide.directory.app import create_app as directory_app
from entraide.kit import formats
from entraide.kit.deps import lookup
from entraide.matching.adapters.matches import MatchStore
from entraide.matching.app import create_app as matching_app
from entraide.matching.usecases.engine import Engine
from tests.integration.test_directory_offers import directory_settings  # noqa: F401
from tests.integration.test_volunteer_space import (  # noqa: F401
    csrf,
    mailbox,
    signed_in,
    space_settings,
)
from tests.integration.test_volunteer_to_family import APPLICATION, review
from tests.matching_support import feed, request
from tests.support import eventually, serving

PAUSE_SAYS = "elle ne met pas fin à vos accompagnements en cours"
ASK = "Pour arrêter un accompagnement, parlez-en à votre association."


async def _proposed(store: MatchStore, request_id: str):
    match = await store.open_for_request(request_id)
    return match if match and match.state == "proposed" else None


async def test_a_pause_in_the_space_keeps_the_accepted_family_and_withdraws_the_proposal(
    space_settings,  # noqa: F811
    mailbox,  # noqa: F811
    matching_settings,
    dev_issuer,
):
    directory = directory_app(space_settings)
    async with feed(matching_settings.kafka_bootstrap) as world, serving(directory) as client:
        application = APPLICATION | {"capacite": "2"}
        assert (await client.post("/devenir-benevole", data=application)).status_code == 200
        [applied] = await lookup(directory, VolunteerStore).all()
        await dev_issuer.sign_in(client, "ppm-nantes")
        await review(client, applied["_id"], statut="in-review", honorabilite="cleared")
        await review(client, applied["_id"], statut="approved")
        key = f"volunteer:{applied['volunteer_ref']}"

        settings = world.settings(
            dev_issuer.settings_for(matching_settings),
            volunteers_topic=space_settings.volunteers_topic,
        )
        matching = matching_app(settings)
        async with serving(matching):
            store, engine = lookup(matching, MatchStore), lookup(matching, Engine)
            amina, other = request(postal_code="44000"), request(postal_code="44000")
            await world.send(world.requests, amina, amina.family_ref)
            accepted = await eventually(
                lambda: _proposed(store, amina.request_id), timeout=60, what="a proposal"
            )
            assert accepted.support_key == key
            await engine.accept(accepted.match_id)
            await world.send(world.requests, other, other.family_ref)
            pending = await eventually(
                lambda: _proposed(store, other.request_id), timeout=60, what="a 2nd proposal"
            )
            assert pending.support_key == key

            space = await signed_in(mailbox, client)

            async def supported():
                page = html.unescape((await client.get("/espace-benevole")).text)
                return page if "accompagnement en cours depuis le" in page else None

            page = await eventually(supported, what="the support in the space")
            since = formats.day((await store.document(accepted.match_id))["accepted_at"])
            assert f"accompagnement en cours depuis le {since}" in page
            assert "Parrainage de proximité" in page
            assert "Loire-Atlantique (44)" in page
            assert amina.family_ref not in page
            assert amina.request_id not in page
            assert page.count("accompagnement en cours depuis") == 1  # not the proposal
            assert PAUSE_SAYS in page
            assert ASK in page

            space = (await client.get("/espace-benevole")).text
            paused = await client.post("/espace-benevole/pause", data={"csrf": csrf(space)})
            assert paused.is_redirect
            page = html.unescape((await client.get(paused.headers["location"])).text)
            assert "aucune nouvelle famille ne vous sera proposée" in page
            assert PAUSE_SAYS in page
            assert ASK in page
            assert f"accompagnement en cours depuis le {since}" in page

            async def withdrawn():
                match = await store.get(pending.match_id)
                return match if match.state == "closed" else None

            ended = await eventually(withdrawn, timeout=60, what="the proposal withdrawn")
            assert ended.outcome == "volunteer-unavailable"
            await eventually(
                lambda: _waiting(store, other.request_id), timeout=60, what="placed again"
            )
            kept = await store.get(accepted.match_id)
            assert (kept.state, kept.outcome) == ("accepted", None)
            assert (await store.open_for_request(amina.request_id)).match_id == kept.match_id

            english = html.unescape((await client.get("/espace-benevole?lang=en")).text)
            assert "support under way since" in english
            assert "it does not end the support you are already giving" in english


async def _waiting(store: MatchStore, request_id: str) -> bool:
    return request_id in await store.waiting_ids()
