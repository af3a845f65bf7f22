"""Intake's staff pages by role: casework (recording, the list, the queue) is for
associations' staff and coordinators and the network's coordination; the DPO and a funder
are refused it and not shown it in the menu; network staff choose an association by name."""

import pytest

from entraide.intake.app import create_app as intake_app
from tests.page_text import text_of
from tests.support import serving

CASEWORK_MENU = ('href="/familles"', 'href="/familles/nouvelle"', 'href="/a-confirmer"')


@pytest.fixture
async def intake(intake_settings, dev_issuer):
    async with serving(intake_app(dev_issuer.settings_for(intake_settings))) as client:
        yield client


@pytest.mark.parametrize("account", ["financeur", "dpo"])
async def test_a_funder_and_the_dpo_are_refused_casework_and_not_offered_it(
    intake, dev_issuer, account: str
) -> None:
    await dev_issuer.sign_in(intake, account)
    for path in ("/familles/nouvelle", "/familles", "/a-confirmer"):
        answer = await intake.get(path)
        assert answer.status_code == 403, path
        assert "Accès refusé" in text_of(answer.text), path
        assert "Ce code postal" not in answer.text
        shown = [entry for entry in CASEWORK_MENU if entry in answer.text]
        assert shown == [], f"{path} offers {shown} in its menu"


async def test_association_staff_are_shown_the_casework_menu(intake, dev_issuer) -> None:
    await dev_issuer.sign_in(intake, "ppm-nantes")
    answer = await intake.get("/familles/nouvelle")
    assert answer.status_code == 200
    assert all(entry in answer.text for entry in CASEWORK_MENU)


async def test_network_staff_choose_the_association_by_its_name(intake, dev_issuer) -> None:
    await dev_issuer.sign_in(intake, "coordination-reseau")
    answer = await intake.get("/familles/nouvelle")
    assert answer.status_code == 200
    text = text_of(answer.text)
    for name in ("Parrains Par Mille", "AFEV", "Fondation pour l'Enfance", "UNAF"):
        assert name in text
    for code in ("parrains-par-mille", "france-parrainages", "fondation-pour-l-enfance"):
        assert code not in text
    assert 'value="parrains-par-mille"' in answer.text, "the form still sends the id"
