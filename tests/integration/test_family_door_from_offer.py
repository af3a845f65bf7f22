"""From an offer found on directory's search to intake's « Demander de l'aide » with the
offer and its association preselected (both services running, intake at the address
directory's settings name)."""

import html
import re

from entraide.directory.app import create_app as directory_app
from entraide.intake.app import create_app as intake_app
from tests.integration.test_directory_offers import bearer, body, directory_settings
from tests.support import serving

__all__ = ["directory_settings"]  # the fixture, shared with the offers' tests


async def test_an_offers_page_leads_to_the_family_door_with_its_association(
    directory_settings, intake_settings, dev_issuer
) -> None:
    settings = directory_settings.model_copy(update={"intake_url": "http://intake.test/"})
    async with serving(directory_app(settings)) as directory:
        ppm = await bearer(dev_issuer, "ppm-nantes")
        created = await directory.post("/api/v1/staff/offers", json=body(), headers=ppm)
        assert created.status_code == 201, created.text
        offer_id = created.json()["offer_id"]
        page = (await directory.get(f"/offres/{offer_id}")).text
    link = re.search(r'href="(http://intake\.test/demander-aide\?[^"]+)"', page)
    assert link is not None, page
    address = html.unescape(link.group(1))
    assert address == (
        f"http://intake.test/demander-aide?association=parrains-par-mille&offre={offer_id}"
    )

    async with serving(intake_app(intake_settings)) as intake:
        door = await intake.get(address.removeprefix("http://intake.test"))
    assert door.status_code == 200
    assert 'name="association_id" value="parrains-par-mille"' in door.text
    assert f'name="offer_id" value="{offer_id}"' in door.text
    assert "Votre demande sera d'abord lue par : Parrains Par Mille." in html.unescape(door.text)


async def test_an_offers_page_in_english_leads_to_the_family_door_in_english(
    directory_settings, intake_settings, dev_issuer
) -> None:
    settings = directory_settings.model_copy(update={"intake_url": "http://intake.test/"})
    async with serving(directory_app(settings)) as directory:
        ppm = await bearer(dev_issuer, "ppm-nantes")
        created = await directory.post("/api/v1/staff/offers", json=body(), headers=ppm)
        offer_id = created.json()["offer_id"]
        page = (await directory.get(f"/offres/{offer_id}", params={"lang": "en"})).text
    link = re.search(r'href="(http://intake\.test/demander-aide\?[^"]+)"', page)
    assert link is not None, page
    address = html.unescape(link.group(1))
    assert address == (
        f"http://intake.test/demander-aide?association=parrains-par-mille&offre={offer_id}&lang=en"
    )

    async with serving(intake_app(intake_settings)) as intake:  # no cookie of directory's
        door = await intake.get(address.removeprefix("http://intake.test"))
    assert door.status_code == 200
    assert '<html lang="en"' in door.text
