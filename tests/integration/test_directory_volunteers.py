"""Volunteers on the real store and broker: apply, review, announce pseudonymously, leave."""

import html
import json
import re

from entraide.directory.adapters.volunteers.store import VolunteerStore
from entraide.directory.app import create_app
from entraide.kit import formats
from entraide.kit.auth import SESSION_COOKIE
from entraide.kit.deps import lookup
from entraide.kit.web import csrf_token
from tests.integration.test_directory_offers import bearer, directory_settings  # noqa: F401
from tests.support import records, serving

FORM = {
    "prenom": "Camille",
    "nom": "Martin-Invente",
    "courriel": "camille.invente@example.org",
    "code_postal": "44300",
    "association_id": "parrains-par-mille",
    "needs": ["parrainage-de-proximite"],
    "slots": ["we-afternoon", "sa-morning"],
    "capacite": "2",
    "consent": "oui",
}


async def test_a_volunteer_applies_is_vetted_announced_without_identity_then_leaves(
    directory_settings,  # noqa: F811
    dev_issuer,
):
    app = create_app(directory_settings)
    async with serving(app) as client:
        refused = await client.post(
            "/devenir-benevole", data=FORM | {"courriel": "pas-une-adresse", "consent": ""}
        )
        assert refused.status_code == 422
        assert 'aria-describedby="courriel-erreur"' in refused.text
        assert "Votre accord" in refused.text
        thanks = await client.post("/devenir-benevole", data=FORM)
        assert thanks.status_code == 200
        assert "Parrains Par Mille vous contactera" in thanks.text

        [stored] = await lookup(app, VolunteerStore).all()
        assert "Camille" not in json.dumps(stored, default=str)  # sealed at rest
        ppm, afev = await bearer(dev_issuer, "ppm-nantes"), await bearer(dev_issuer, "afev-lille")
        [listed] = (await client.get("/api/v1/staff/volunteers", headers=ppm)).json()["volunteers"]
        assert listed["identity"]["prenom"] == "Camille"
        assert listed["status"] == "applied"
        url = f"/api/v1/staff/volunteers/{stored['_id']}"

        assert (
            await client.patch(url, json={"status": "in-review"}, headers=afev)
        ).status_code == 403
        assert (
            await client.patch(
                url, json={"status": "in-review", "honorability": "requested"}, headers=ppm
            )
        ).status_code == 200
        early = await client.patch(url, json={"status": "approved"}, headers=ppm)
        assert early.status_code == 409  # the honorability check is not cleared yet
        approved = await client.patch(
            url, json={"honorability": "cleared", "status": "approved"}, headers=ppm
        )
        assert approved.json()["status"] == "approved"

        ref = stored["volunteer_ref"].encode()
        [announced] = await records(
            directory_settings.kafka_bootstrap, directory_settings.volunteers_topic, key=ref
        )
        assert b"Camille" not in announced.value
        assert b"example.org" not in announced.value
        data = json.loads(announced.value)["data"]
        assert data["active"] is True
        assert data["capacity"] == 2
        assert data["postal_code"] == "44300"

        assert (await client.patch(url, json={"status": "left"}, headers=ppm)).status_code == 200
        seen = await records(
            directory_settings.kafka_bootstrap,
            directory_settings.volunteers_topic,
            key=ref,
            at_least=3,
        )
        assert json.loads(seen[-2].value)["data"]["active"] is False
        assert seen[-1].value is None


async def test_the_association_reviews_its_volunteers_in_its_space_and_no_one_elses(
    directory_settings,  # noqa: F811
    dev_issuer,
):
    app = create_app(directory_settings)
    async with serving(app) as client:
        assert (await client.post("/devenir-benevole", data=FORM)).status_code == 200
        [stored] = await lookup(app, VolunteerStore).all()
        await dev_issuer.sign_in(client, "ppm-nantes")
        space = await client.get("/association")
        assert "Camille Martin-Invente" in space.text
        assert "Candidature reçue" in space.text
        csrf = re.search(r'name="csrf" value="([^"]+)"', space.text).group(1)
        url = f"/association/benevoles/{stored['_id']}"

        done = await client.post(
            url, data={"csrf": csrf, "statut": "in-review", "honorabilite": "requested"}
        )
        assert done.status_code == 303
        assert "Candidature en cours d'examen" in html.unescape(
            (await client.get("/association")).text
        )
        refused = await client.post(url, data={"csrf": csrf, "statut": "approved"})
        said = html.unescape((await client.get(refused.headers["location"])).text)
        assert "doit être validée avant l'accord" in said  # the check is not cleared
        assert (await client.post(url, data={"statut": "declined"})).status_code == 403  # no CSRF

        client.cookies.clear()
        await dev_issuer.sign_in(client, "afev-lille")
        assert "Camille" not in (await client.get("/association")).text
        secret = directory_settings.session_secret.get_secret_value().encode()
        csrf = csrf_token(secret, client.cookies[SESSION_COOKIE])  # a valid form of hers
        assert (
            await client.post(url, data={"csrf": csrf, "statut": "declined"})
        ).status_code == 403


async def test_the_association_s_staff_see_how_to_reach_its_applicant_and_no_one_else_does(
    directory_settings,  # noqa: F811
    dev_issuer,
):
    app = create_app(directory_settings)
    applied = FORM | {"telephone": "0612345678", "sms": "oui", "langues": ["fr", "ar"]}
    async with serving(app) as client:
        assert (await client.post("/devenir-benevole", data=applied)).status_code == 200
        [stored] = await lookup(app, VolunteerStore).all()
        await dev_issuer.sign_in(client, "ppm-nantes")
        card = html.unescape((await client.get("/association")).text)
        assert 'href="mailto:camille.invente@example.org"' in card
        assert 'href="tel:0612345678">06 12 34 56 78</a>' in card
        assert "Préférence de contact : par SMS" in card
        assert "Souhaite aider : parrainage de proximité" in card
        assert "Disponible : mercredi après-midi ; samedi matin" in card
        assert "Langues : français ; arabe" in card
        assert "Commune : Nantes (44300)" in card
        assert f"Candidature du {formats.when(stored['applied_at'])}" in card
        ref = stored["volunteer_ref"]
        proposed = html.unescape((await client.get(f"/association?benevole={ref}")).text)
        assert 'href="mailto:camille.invente@example.org"' in proposed  # matching's link

        client.cookies.clear()
        await dev_issuer.sign_in(client, "afev-lille")
        for other in (
            await client.get("/association"),
            await client.get(f"/association?benevole={ref}"),
        ):
            assert "Camille" not in other.text
            assert "example.org" not in other.text
            assert "06 12" not in other.text


async def test_the_volunteer_form_refuses_a_wrong_phone_as_intake_s_forms_do(
    directory_settings,  # noqa: F811
):
    """« 06 12 34 56 7 » (a digit short) passed: directory checked 30 characters at most."""
    app = create_app(directory_settings)
    wrong = FORM | {"telephone": "06 12 34 56 7"}
    async with serving(app) as client:
        french = await client.post("/devenir-benevole", data=wrong)
        portuguese = await client.post("/devenir-benevole?lang=pt", data=wrong)
        assert await lookup(app, VolunteerStore).all() == []
    assert french.status_code == portuguese.status_code == 422
    assert "Indiquez un numéro de téléphone à 10 chiffres" in html.unescape(french.text)
    assert "Indique um número de telefone com 10 algarismos" in html.unescape(portuguese.text)


async def test_the_volunteer_form_writes_half_days_and_languages_as_intake_does(
    directory_settings,  # noqa: F811
):
    """A box stands alone: « Mercredi après-midi », « Français », as intake's forms write
    them (directory wrote « mercredi après-midi », « français »); in English too."""
    async with serving(create_app(directory_settings)) as client:
        french = html.unescape((await client.get("/devenir-benevole")).text)
        english = html.unescape((await client.get("/devenir-benevole?lang=en")).text)
    boxes = re.findall(r'<label class="fr-label" for="[^"]+">\s*([^<]+?)\s*<', french)
    assert {"Lundi matin", "Mercredi après-midi", "Français", "Arabe"} <= set(boxes)
    assert {"Wednesday afternoon", "French"} <= set(
        re.findall(r'<label class="fr-label" for="[^"]+">\s*([^<]+?)\s*<', english)
    )


async def test_the_volunteer_form_promises_contact_not_a_call(directory_settings):  # noqa: F811
    """The phone is optional and nobody chooses a call: « vous rappelle » was a promise
    made to volunteers who gave only an e-mail."""
    async with serving(create_app(directory_settings)) as client:
        french = html.unescape((await client.get("/devenir-benevole")).text)
        english = html.unescape((await client.get("/devenir-benevole?lang=en")).text)
    assert "L'association choisie prend contact avec vous pour vous rencontrer." in french
    assert "rappelle" not in french
    assert "The association you choose gets in touch with you to meet you." in english
    assert "calls you" not in english
