"""Staff's family list on a phone (390 px), in Chromium, intake served over real HTTP: the
way to open a family's record is on screen without scrolling the table sideways."""

import uuid

import httpx
import pytest
from playwright.async_api import Browser

from entraide.intake.app import create_app as intake_app
from entraide.intake.settings import IntakeSettings
from tests.auth_support import DEMO_PASSWORD, DevIssuer
from tests.browser import PHONE
from tests.infra import Endpoints, settings_on
from tests.integration.test_staff_pages import create
from tests.servers import serve_in_thread

pytestmark = [pytest.mark.kafka, pytest.mark.store, pytest.mark.slow]


async def test_a_family_record_opens_from_the_list_without_scrolling_sideways(
    infra: Endpoints, dev_issuer: DevIssuer, browser: Browser
) -> None:
    """« Ouvrir la fiche » was the table's last column: on a phone it sat past the right
    edge, inside the table's own sideways scroll, so a record could not be opened from
    what the screen shows."""
    settings = settings_on(
        IntakeSettings, infra, f"test_intake_{uuid.uuid4().hex[:8]}", keys="local"
    )
    app = intake_app(dev_issuer.settings_for(settings))
    with serve_in_thread(app, name="intake") as base:
        async with httpx.AsyncClient(base_url=base) as staff:
            await dev_issuer.sign_in(staff, "ppm-nantes")
            recorded = await create(staff)
            assert recorded.status_code == 303, recorded.text
            family_id = recorded.headers["location"].split("?")[0].rsplit("/", 1)[-1]

        context = await browser.new_context(locale="fr-FR", viewport=PHONE)
        page = await context.new_page()
        try:
            await page.goto(f"{base}/connexion?suivant=/familles")
            await page.get_by_label("Identifiant").fill("ppm-nantes")
            await page.get_by_label("Mot de passe").fill(DEMO_PASSWORD)
            await page.get_by_role("button", name="Se connecter").click()
            await page.wait_for_url("**/familles")
            link = page.locator(f'table a[href="/familles/{family_id}"]').first
            box = await link.bounding_box()
            assert box is not None, "no link to the family's record"
            assert box["x"] >= 0
            assert box["x"] + box["width"] <= PHONE["width"], box
            await link.click()
            await page.wait_for_url(f"**/familles/{family_id}")
        finally:
            await context.close()
