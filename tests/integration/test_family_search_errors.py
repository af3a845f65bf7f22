"""The family search on /familles tells staff what is wrong with what they typed: a last
name alone, a phone or an e-mail that cannot be one searched nothing and answered
« Aucune famille correspondante dans votre périmètre », which invites recording the family
again (a duplicate). Each error is beside its field, what was typed is kept, and a phone
however written (dots, +33) still finds the family."""

from entraide.intake.app import create_app as intake_app
from tests.integration.test_staff_pages import create, search
from tests.page_text import text_of
from tests.support import serving

NOTHING = "Aucune famille correspondante"


async def test_a_search_that_cannot_find_says_why(intake_settings, dev_issuer) -> None:
    async with serving(intake_app(dev_issuer.settings_for(intake_settings))) as intake:
        await dev_issuer.sign_in(intake, "ppm-nantes")
        assert (await create(intake)).status_code == 303  # Amina Diallo, 06 12 34 56 78
        alone = await search(intake, nom="Diallo")
        wrong = await search(intake, telephone="06 12 3", email="amina@@example")
        dotted = await search(intake, telephone="+33 6.12.34.56.78")

    assert alone.status_code == 422
    said = text_of(alone.text)
    assert "Indiquez aussi le prénom" in said
    assert NOTHING not in said
    assert 'value="Diallo"' in alone.text
    assert 'id="prenom-erreur"' in alone.text
    assert wrong.status_code == 422
    assert "Numéro de téléphone invalide" in text_of(wrong.text)
    assert "Adresse e-mail invalide" in text_of(wrong.text)
    assert NOTHING not in text_of(wrong.text)
    assert dotted.status_code == 200
    assert "Ouvrir la fiche" in dotted.text
