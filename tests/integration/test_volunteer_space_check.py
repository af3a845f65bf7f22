"""A volunteer's space tells them what matching does with an expired honorability check: it
proposes them no family (its `rules.support_unfit`), so the space says the check is to be
renewed and whom to ask, not « l'association peut vous proposer une famille ». Directory
and matching on the real broker and store, matching reading directory's volunteers topic."""

import html
from datetime import timedelta

from entraide.directory.adapters.volunteers.store import VolunteerStore
from entraide.directory.app import create_app as directory_app
from entraide.kit import formats
from entraide.kit.deps import lookup
from entraide.matching.adapters.matches import MatchStore
from entraide.matching.adapters.volunteers import VolunteerViews
from entraide.matching.app import create_app as matching_app
from tests.integration.test_directory_offers import directory_settings  # noqa: F401
from tests.integration.test_volunteer_space import csrf, mailbox, signed_in, space_settings  # noqa: F401
from tests.integration.test_volunteer_to_family import APPLICATION, review
from tests.matching_support import feed, request
from tests.support import eventually, serving

PROMISE = "l'association peut vous proposer une famille"


async def test_a_volunteer_whose_check_expired_is_told_to_renew_it_and_is_proposed_no_family(
    directory_settings,  # noqa: F811
    space_settings,  # noqa: F811
    matching_settings,
    mailbox,  # noqa: F811
    dev_issuer,
):
    yesterday = formats.today() - timedelta(days=1)
    app = directory_app(space_settings)
    async with feed(matching_settings.kafka_bootstrap) as world, serving(app) as client:
        assert (await client.post("/devenir-benevole", data=APPLICATION)).status_code == 200
        [stored] = await lookup(app, VolunteerStore).all()
        await dev_issuer.sign_in(client, "ppm-nantes")
        cleared = {"honorabilite": "cleared", "valable_jusqu_au": yesterday.isoformat()}
        await review(client, stored["_id"], statut="in-review", **cleared)
        await review(client, stored["_id"], statut="approved")

        await signed_in(mailbox, client)
        french = html.unescape((await client.get("/espace-benevole")).text)
        english = html.unescape((await client.get("/espace-benevole?lang=en")).text)
        assert PROMISE not in french
        assert (
            f"Votre attestation d'honorabilité a expiré le {formats.day(yesterday)} : aucune "
            "famille ne peut vous être proposée avant son renouvellement. Pour la renouveler, "
            "contactez Parrains Par Mille."
        ) in french
        assert "can propose a family to you" not in english
        assert "contact Parrains Par Mille" in english
        # back from a pause, families are not promised either
        assert (
            await client.post("/espace-benevole/pause", data={"csrf": csrf(french)})
        ).is_redirect
        paused = html.unescape((await client.get("/espace-benevole?lang=fr")).text)
        assert "avant son renouvellement" in paused
        back = await client.post("/espace-benevole/reprise", data={"csrf": csrf(paused)})
        welcomed = html.unescape((await client.get(back.headers["location"])).text)
        assert "Bon retour : votre pause est finie." in welcomed
        assert "les familles peuvent de nouveau vous être proposées" not in welcomed

        # what the space says is what matching does: the family waits, for the check
        ref = stored["volunteer_ref"]
        [last] = await lookup(app, VolunteerStore).all()  # resumed: its last revision
        settings = world.settings(
            dev_issuer.settings_for(matching_settings),
            volunteers_topic=directory_settings.volunteers_topic,
        )
        matching = matching_app(settings)
        async with serving(matching):
            views = lookup(matching, VolunteerViews)

            async def heard_back():
                view = await views.get(ref)
                return view is not None and view.get("revision") == last["revision"]

            await eventually(heard_back, what="matching knows the volunteer, back from pause")
            assert (await views.get(ref))["active"] is True
            family = request(postal_code="44000")
            await world.send(world.requests, family, family.family_ref)
            store = lookup(matching, MatchStore)

            async def waits():
                return family.request_id in await store.waiting_ids()

            await eventually(waits, timeout=60, what="the family on the waitlist")
            [waiting] = await store.waiting({"_id": family.request_id})
            assert waiting["reason"] == "honorability-check-missing"
            assert await store.open_for_request(family.request_id) is None

        client.cookies.clear()  # the association renews the check: the promise is true again
        await dev_issuer.sign_in(client, "ppm-nantes")
        renewed = (formats.today() + timedelta(days=365)).isoformat()
        await review(client, stored["_id"], honorabilite="cleared", valable_jusqu_au=renewed)
        await signed_in(mailbox, client)
        again = html.unescape((await client.get("/espace-benevole")).text)
    assert PROMISE in again
    assert "avant son renouvellement" not in again
