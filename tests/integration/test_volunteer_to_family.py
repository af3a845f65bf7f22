"""Across directory and matching: a volunteer who applies on directory's public page and is
approved by the association with a cleared honorability check is proposed to a family.

Both services run on the real broker and store; matching reads directory's volunteers topic
and the family's request arrives on its requests topic, as intake publishes it.
"""

import html
import json
import re
from datetime import UTC, datetime

from entraide.directory.adapters.volunteers.store import VolunteerStore
from entraide.directory.app import create_app as directory_app
from entraide.intake.app import create_app as intake_app
from entraide.intake.usecases.casework import Casework
from entraide.kit.deps import lookup
from entraide.kit.outbox import DONE
from entraide.matching.adapters.matches import MatchStore
from entraide.matching.adapters.volunteers import VolunteerViews
from entraide.matching.app import create_app as matching_app
from tests.integration.test_directory_offers import directory_settings  # noqa: F401
from tests.matching_support import feed, request
from tests.support import eventually, records, request_body, serving

APPLICATION = {
    "prenom": "Camille",
    "nom": "Martin-Invente",
    "courriel": "camille.invente@example.org",
    "code_postal": "44300",
    "association_id": "parrains-par-mille",
    "needs": ["parrainage-de-proximite"],
    "slots": ["we-afternoon", "sa-morning"],
    "langues": ["fr", "ar"],
    "capacite": "1",
    "consent": "oui",
}


async def review(client, volunteer_id: str, **form: str) -> None:
    """The association's review on its page (/association), as its staff do it."""
    page = await client.get("/association")
    token = re.search(r'name="csrf" value="([^"]+)"', page.text)
    assert token, "the association's page has its form"
    answer = await client.post(
        f"/association/benevoles/{volunteer_id}", data={"csrf": token.group(1), **form}
    )
    assert answer.status_code == 303
    said = (await client.get(answer.headers["location"])).text
    assert "fr-alert--error" not in said, said  # no error said after the review


async def approved_volunteer(app, client, dev_issuer, form: dict = APPLICATION) -> dict:
    """A volunteer who applied on the public form (the store's only one), then was reviewed
    with a cleared check and approved on the association's page by its staff (the client
    stays signed in as them); their document as stored at the application."""
    assert (await client.post("/devenir-benevole", data=form)).status_code == 200
    [stored] = await lookup(app, VolunteerStore).all()
    await dev_issuer.sign_in(client, "ppm-nantes")
    await review(client, stored["_id"], statut="in-review", honorabilite="cleared")
    await review(client, stored["_id"], statut="approved")
    return stored


async def test_an_approved_volunteer_with_a_cleared_check_is_proposed_to_a_family(
    directory_settings,  # noqa: F811
    matching_settings,
    dev_issuer,
):
    directory = directory_app(directory_settings)
    async with (
        feed(matching_settings.kafka_bootstrap) as world,
        serving(directory) as staff,
    ):
        thanks = await staff.post("/devenir-benevole", data=APPLICATION)
        assert thanks.status_code == 200
        [applied] = await lookup(directory, VolunteerStore).all()
        await dev_issuer.sign_in(staff, "ppm-nantes")
        await review(staff, applied["_id"], statut="in-review", honorabilite="cleared")
        await review(staff, applied["_id"], statut="approved")
        ref = applied["volunteer_ref"]

        settings = world.settings(
            dev_issuer.settings_for(matching_settings),
            volunteers_topic=directory_settings.volunteers_topic,
        )
        matching = matching_app(settings)
        async with serving(matching) as coordinator:
            await eventually(
                lambda: lookup(matching, VolunteerViews).get(ref),
                what="matching knows the volunteer",
            )
            family = request(postal_code="44000")
            await world.send(world.requests, family, family.family_ref)
            store = lookup(matching, MatchStore)

            async def answered():
                proposed = await store.open_for_request(family.request_id)
                waiting = family.request_id in await store.waiting_ids()
                return proposed or waiting

            await eventually(answered, timeout=60, what="a proposal or a waitlist entry")
            waiting = await store.waiting({"_id": family.request_id})
            assert waiting == [], f"the family waits: {waiting[0].get('reason')}"
            proposal = await store.open_for_request(family.request_id)
            assert proposal.support_key == f"volunteer:{ref}"
            assert proposal.association_id == "parrains-par-mille"

            await dev_issuer.sign_in(coordinator, "coordination-ppm")
            page = (await coordinator.get("/propositions")).text
            assert "Bénévole de Parrains Par Mille : Nantes (44300) · parle français, arabe" in page
            assert "Famille à Nantes (44000)" in page
            # the buttons' hidden words name the commune as the page does, not « nantes »
            assert " la proposition pour la famille à Nantes (44000), demande du " in page
            assert "à nantes" not in page
            assert f"Famille {family.family_ref[:6]}" not in page  # names, not references
            intake, directory_url = settings.intake_url, settings.directory_url
            assert f'href="{intake}/familles/par-reference/{family.family_ref}"' in page
            link = f"{directory_url}/association?benevole={ref}"
            assert f'href="{html.escape(link)}"' in page

        # the link, followed with the same sign-in: the volunteer's record in directory
        shown = await staff.get("/association", params={"benevole": ref})
        assert "Camille Martin-Invente" in shown.text
        assert "Vos actions" not in shown.text


async def test_the_familys_reference_opens_its_record_in_intake_for_those_in_scope(
    intake_settings, dev_issuer
):
    app = intake_app(intake_settings)
    async with serving(app) as intake:
        staff = {"Authorization": f"Bearer {await dev_issuer.token_for('ppm-nantes')}"}
        created = await intake.post("/api/v1/requests", json=request_body(), headers=staff)
        request_id = created.json()["request_id"]
        family = await lookup(app, Casework).uow.families.families.find_one(
            {"requests.request_id": request_id}
        )
        family_id = family["_id"]
        url = f"/familles/par-reference/{family['family_ref']}"

        await dev_issuer.sign_in(intake, "afev-lille")
        assert (await intake.get(url)).status_code == 404
        await dev_issuer.sign_in(intake, "coordination-ppm")
        opened = await intake.get(url)
        assert opened.status_code == 303
        assert opened.headers["location"] == f"/familles/{family_id}"


async def test_volunteers_approved_before_the_validity_travelled_are_announced_again(
    directory_settings,  # noqa: F811
    mongo,
):
    """Volunteers approved by the code before this fix were announced without validity."""
    applied_at = datetime(2026, 9, 1, tzinfo=UTC)
    legacy = {
        "_id": "a" * 24,
        "volunteer_ref": "legacy-volunteer-ref-1",
        "association_id": "parrains-par-mille",
        "identity": {},
        "code_postal": "44000",
        "needs": ["parrainage-de-proximite"],
        "availability": [{"day": "we", "part": "afternoon"}],
        "languages": ["fr"],
        "skills": [],
        "capacity": 1,
        "active_families": 0,
        "status": "approved",
        "honorability": "cleared",
        "revision": 3,
        "applied_at": applied_at,
        "updated_at": applied_at,
        **DONE,  # its approval published long ago
    }
    await mongo[directory_settings.database]["volunteers"].insert_one(legacy)
    async with serving(directory_app(directory_settings)):
        [announced] = await records(
            directory_settings.kafka_bootstrap,
            directory_settings.volunteers_topic,
            key=legacy["volunteer_ref"].encode(),
        )
    data = json.loads(announced.value)["data"]
    assert data["revision"] == 4
    assert data["honorability_valid_until"] == "2029-08-31"
