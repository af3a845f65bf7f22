"""The association corrects a volunteer's name, contact details or commune from its space
(« Corriger ses coordonnées »): there was no form for it, though a rectification asked of
the data-protection officer told its staff to correct the card. The sign-up form's rules,
each mistake said beside its field, what was typed kept; once saved, the card reads the
corrected details and the corrected address alone opens the volunteer's space."""

import contextlib
import html
import re

from entraide.directory.adapters.volunteers.store import VolunteerStore
from entraide.directory.app import create_app as directory_app
from entraide.directory.domain.volunteers import access_links
from entraide.directory.usecases.volunteer_space import VolunteerSpace
from entraide.kit.deps import lookup
from tests.integration.test_directory_offers import directory_settings  # noqa: F401
from tests.integration.test_volunteer_to_family import APPLICATION
from tests.page_text import text_of
from tests.support import serving

CORRECTED = {
    "prenom": "Camille",
    "nom": "Martin",
    "courriel": "camille.martin@example.org",
    "telephone": "06 11 22 33 44",
    "code_postal": "44400",
}


async def post(client, url: str, **form: str):
    page = await client.get(url)
    assert page.status_code == 200, page.text
    token = re.search(r'name="csrf" value="([^"]+)"', page.text)
    assert token, "the form has its token"
    return await client.post(url, data={"csrf": token.group(1), **form})


def error_of(html: str, field: str) -> str:
    """The error said beside a field (`<field>-erreur`, the field pointing at it)."""
    assert f'aria-describedby="{field}-erreur"' in html, field
    found = re.search(rf'id="{field}-erreur"[^>]*>(.*?)</p>', html, re.S)
    assert found, field
    return text_of(found.group(1))


@contextlib.asynccontextmanager
async def applied(settings, dev_issuer):
    """Directory serving, a volunteer applied, their association's staff signed in: the
    app, its client, the volunteer as stored and their correction form's address."""
    async with serving(app := directory_app(settings)) as directory:
        assert (await directory.post("/devenir-benevole", data=APPLICATION)).status_code == 200
        [stored] = await lookup(app, VolunteerStore).all()
        await dev_issuer.sign_in(directory, "ppm-nantes")
        yield app, directory, stored, f"/association/benevoles/{stored['_id']}/coordonnees"


async def test_mistakes_are_said_beside_their_fields_and_nothing_is_changed(
    directory_settings,  # noqa: F811
    dev_issuer,
) -> None:
    async with applied(directory_settings, dev_issuer) as (app, directory, stored, url):
        card = (await directory.get("/association")).text
        shown = (await directory.get(url)).text
        wrong = {"prenom": " ", "courriel": "camille@@example", "code_postal": "99999"}
        wrong |= {"telephone": "", "sms": "oui"}  # SMS, and no phone to send it to
        refused = await post(directory, url, **(CORRECTED | wrong))
        [after] = await lookup(app, VolunteerStore).all()
        await dev_issuer.sign_in(directory, "afev-lille")
        elsewhere = await directory.get(url)

    assert f'href="{url}"' in card, "the card leads to the form"
    assert 'value="camille.invente@example.org"' in shown, "the details as they stand"
    assert refused.status_code == 422
    html = refused.text
    assert "Le formulaire contient 4 erreurs" in text_of(html)
    assert error_of(html, "prenom") == "Indiquez le prénom de la personne."
    assert error_of(html, "courriel").startswith("Indiquez une adresse électronique valide")
    assert error_of(html, "code_postal").startswith("Ce code postal ne correspond à aucune")
    assert "Par SMS" in error_of(html, "telephone")
    assert 'value="camille@@example"' in html, "what was typed is kept"
    assert after["identity"] == stored["identity"]
    assert after["revision"] == stored["revision"]
    assert elsewhere.status_code == 403, "another association's staff"


async def test_a_correction_is_saved_and_the_card_reads_it(
    directory_settings,  # noqa: F811
    dev_issuer,
) -> None:
    async with applied(directory_settings, dev_issuer) as (app, directory, stored, url):
        saved = await post(directory, url, **CORRECTED)
        assert saved.status_code == 303, saved.text
        card = text_of((await directory.get(saved.headers["location"])).text)
        [after] = await lookup(app, VolunteerStore).all()
        space = lookup(app, VolunteerSpace)
        old = await space.index.find(
            access_links.email_lookup(space.lookup_secret, APPLICATION["courriel"])
        )
        new = await space.index.find(
            access_links.email_lookup(space.lookup_secret, CORRECTED["courriel"])
        )

    assert saved.headers["location"].startswith("/association?resultat=")
    assert "Les coordonnées du bénévole sont corrigées." in card
    assert "Camille Martin" in card
    assert "Martin-Invente" not in card
    assert "camille.martin@example.org" in card
    assert "06 11 22 33 44" in card
    assert "(44400)" in card
    assert (after["code_postal"], after["revision"]) == ("44400", stored["revision"] + 1)
    assert (old, new) == (None, stored["_id"]), "the corrected address alone opens the space"


async def test_a_save_that_changes_nothing_leaves_the_rectification_flagged(
    directory_settings,  # noqa: F811
    dev_issuer,
) -> None:
    """A rectification flagged on the card, the form saved as it stands: the page says
    nothing changed and the case waits; privacy is told nothing, the flag stays."""
    async with applied(directory_settings, dev_issuer) as (app, directory, stored, url):
        volunteers = lookup(app, VolunteerStore)
        await volunteers.note(stored["volunteer_ref"], "rectifications", "case-0042")
        form = (await directory.get(url)).text
        as_it_stands = {
            name: html.unescape(re.search(rf'name="{name}"[^>]*value="([^"]*)"', form).group(1))
            for name in ("prenom", "nom", "courriel", "code_postal")
        }
        same = await post(directory, url, **as_it_stands)
        [after] = await volunteers.all()

    assert same.status_code == 200, same.headers
    said = text_of(same.text)
    assert "Rien n'a changé dans la fiche : la rectification demandée reste signalée." in said
    assert "dites-le au délégué à la protection des données, qui peut clore la demande" in said
    assert after["rectifications"] == ["case-0042"]
    assert after.get("rectifications_done", []) == [], "no completion written with the save"
