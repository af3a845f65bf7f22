"""A page of the network says what a form did only when the service itself said it to the
person viewing it (`kit.flash`): a link crafted elsewhere — the old `?fait=retire&nom=…`,
`?erreur=<any sentence>`, matching's `?ok=acceptee` — shows nothing, while a real form's
outcome reads as before. Directory's association space (its actions, its volunteers), the
volunteer's own space, matching's queue and intake's « À confirmer » and family record, on
the real store and broker."""

import html
import re

from entraide.directory.app import create_app as directory_app
from entraide.directory.usecases import volunteers as volunteer_service
from entraide.directory.usecases.ports import UnitOfWork, VolunteerKeyStore
from entraide.intake.app import create_app as intake_app
from entraide.intake.usecases.self_requests import FamilyDoor
from entraide.kit.deps import lookup
from entraide.matching.adapters.volunteers import VolunteerViews
from entraide.matching.app import create_app as matching_app
from entraide.matching.usecases.engine import Engine
from tests.integration.test_association_actions_forms import field, served
from tests.integration.test_confirmation_queue_pages import _queued
from tests.integration.test_directory_offers import directory_settings  # noqa: F401
from tests.integration.test_volunteer_space import (  # noqa: F401
    EMAIL,
    csrf,
    mailbox,
    signed_in,
    space_settings,
)
from tests.integration.test_volunteer_to_family import APPLICATION
from tests.matching_support import feed, request, volunteer
from tests.support import eventually, serving
from tests.unit.directory.test_volunteer_use_cases import FORM

SPOOF = "Appelez le 01 23 45 67 89 pour réactiver votre compte"
FLASH = re.compile(
    r'fr-alert--(?:success|error) fr-alert--sm fr-mb-3w" role="status"'
)  # base.html's


async def read(client, url: str) -> str:
    answer = await client.get(url)
    assert answer.status_code == 200, answer.text  # no error page either
    return html.unescape(answer.text)


async def test_the_actions_page_says_a_real_withdrawal_and_nothing_of_a_crafted_link(
    directory_settings,  # noqa: F811
    dev_issuer,
):
    async with served(directory_settings, dev_issuer) as (_app, client, _ppm, offer_id):
        await dev_issuer.sign_in(client, "ppm-nantes")
        for query in ("fait=retire&nom=" + SPOOF, "erreur=" + SPOOF, "fait=confirme&nom=x"):
            page = await read(client, f"/association/actions?{query}")
            assert SPOOF not in page
            assert not FLASH.search(page)  # no alert box at all

        page = await read(client, "/association/actions")
        withdrawn = await client.post(
            f"/association/actions/{offer_id}/retrait",
            data={"csrf": field(page, "csrf"), "retour": "page=1"},
        )
        assert withdrawn.status_code == 303, withdrawn.text
        assert SPOOF not in withdrawn.headers["location"]
        done = withdrawn.headers["location"]
        said = "L'action « Parrainage de proximité » est retirée : les familles ne la verront plus."
        assert said in await read(client, done)
        # the real outcome's link, sent on to a colleague: nothing said to them
        client.cookies.clear()
        await dev_issuer.sign_in(client, "coordination-ppm")
        assert said not in await read(client, done)

        gone = await client.get(f"/association/actions/{offer_id}/retrait")  # withdrawn
        assert gone.status_code == 303
        assert "n'est plus publiée : elle a été retirée entre-temps" in await read(
            client, gone.headers["location"]
        )


async def test_the_volunteers_page_says_a_real_review_and_nothing_of_a_crafted_link(
    directory_settings,  # noqa: F811
    dev_issuer,
):
    app = directory_app(directory_settings)
    async with serving(app) as client:
        uow, keys = lookup(app, UnitOfWork), lookup(app, VolunteerKeyStore)  # type: ignore[type-abstract]
        volunteer_id = await volunteer_service.apply(uow, keys, FORM)
        await dev_issuer.sign_in(client, "ppm-nantes")
        for query in ("fait=ok", "erreur=" + SPOOF, "fait=rectifie&erreur=" + SPOOF):
            page = await read(client, f"/association?{query}")
            assert SPOOF not in page
            assert not FLASH.search(page)

        page = await read(client, "/association")
        token = field(page, "csrf")
        reviewed = await client.post(
            f"/association/benevoles/{volunteer_id}", data={"csrf": token, "statut": "in-review"}
        )
        assert reviewed.status_code == 303
        assert "La fiche du bénévole est mise à jour." in await read(
            client, reviewed.headers["location"]
        )
        refused = await client.post(
            f"/association/benevoles/{volunteer_id}",
            data={"csrf": token, "valable_jusqu_au": "demain"},
        )
        assert "La date de validité de l'attestation n'est pas une date." in await read(
            client, refused.headers["location"]
        )


async def test_the_volunteers_space_says_what_they_did_and_nothing_of_a_crafted_link(
    space_settings,  # noqa: F811
    mailbox,  # noqa: F811
):
    async with serving(directory_app(space_settings)) as client:
        assert (await client.post("/devenir-benevole", data=APPLICATION)).status_code == 200
        await signed_in(mailbox, client)
        for action in ("offre", "pause", "reprise"):
            assert not FLASH.search(await read(client, f"/espace-benevole?fait={action}"))

        space = await read(client, "/espace-benevole")
        changed = await client.post(
            "/espace-benevole/offre",
            data={"csrf": csrf(space), "slots": ["mo-evening"], "langues": ["fr"]},
        )
        assert changed.status_code == 303, changed.text
        said = "Vos disponibilités, langues et savoir-faire sont enregistrés."
        assert said in await read(client, changed.headers["location"])


async def test_the_proposals_queue_says_a_real_acceptance_and_nothing_of_a_crafted_link(
    matching_settings, dev_issuer
):
    async with feed(matching_settings.kafka_bootstrap) as world:
        app = matching_app(world.settings(dev_issuer.settings_for(matching_settings)))
        async with serving(app) as matching:
            await world.send(world.volunteers, volunteer("vol-flash1"), "vol-flash1")
            await eventually(
                lambda: lookup(app, VolunteerViews).get("vol-flash1"), what="the volunteer"
            )
            req = request()
            await world.send(world.requests, req, req.family_ref)
            match = await eventually(
                lambda: lookup(app, Engine).store.open_for_request(req.request_id), what="proposal"
            )
            await dev_issuer.sign_in(matching, "coordination-ppm")
            for query in ("ok=acceptee", "ok=acceptee-action&association=afev", "ok=close"):
                for path in ("/propositions", "/suivis"):
                    assert not FLASH.search(await read(matching, f"{path}?{query}"))

            page = await read(matching, "/propositions")
            token = re.search(r'name="csrf" value="([0-9a-f]+)"', page).group(1)
            accepted = await matching.post(
                f"/propositions/{match.match_id}/accepter", data={"csrf": token}
            )
            assert accepted.status_code == 303, accepted.text
            said = "Proposition acceptée : prenez contact avec la famille et le bénévole."
            assert said in await read(matching, accepted.headers["location"])
            matching.cookies.clear()
            await dev_issuer.sign_in(matching, "ppm-nantes")  # the link sent on: not theirs
            assert said not in await read(matching, accepted.headers["location"])


async def test_intakes_queue_and_record_say_a_real_decision_and_nothing_of_a_crafted_link(
    intake_settings, mongo, dev_issuer
):
    app = intake_app(intake_settings)
    async with serving(app) as intake:
        _, self_id, csrf = await _queued(intake, lookup(app, FamilyDoor), dev_issuer)
        crafted = f"ok=confirmee&famille={'ab' * 12}&demande={'cd' * 12}"
        page = await read(intake, f"/a-confirmer?{crafted}")
        assert not FLASH.search(page)
        assert "ab" * 12 not in page  # no link to a family of the sender's choosing

        confirmed = await intake.post(
            f"/a-confirmer/{self_id}", data={"csrf": csrf, "action": "confirmer"}
        )
        assert confirmed.status_code == 303, confirmed.text
        said = "Demande confirmée : la famille a sa fiche"
        assert said in await read(intake, confirmed.headers["location"])
        [family] = await mongo[intake_settings.database]["families"].find({}).to_list()
        for ok in ("cree", "retiree", "contact"):
            record = await read(intake, f"/familles/{family['_id']}?ok={ok}")
            assert not FLASH.search(record)
        intake.cookies.clear()
        await dev_issuer.sign_in(intake, "coordination-ppm")  # the link sent on: not theirs
        assert said not in await read(intake, confirmed.headers["location"])
