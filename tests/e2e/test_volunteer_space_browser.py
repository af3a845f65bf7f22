"""A volunteer in a real browser (Chromium), on a phone (390 px) and a desktop (1280 px):
asks for the link on « Mon espace bénévole », opens it from the mail (a real SMTP server),
reads their status, pauses, comes back; matching, reading the volunteers topic, sees the
pause and the return. axe-core clean on every page of the space, no horizontal scroll."""

import re
from pathlib import Path

import httpx
import pytest
from playwright.async_api import Browser, Page, expect

from entraide.directory.app import create_app as directory_app
from entraide.matching.app import create_app as matching_app
from tests.browser import accessibility_violations
from tests.integration.test_directory_offers import directory_settings  # noqa: F401
from tests.servers import serve_in_thread
from tests.smtp_server import running_smtp_server
from tests.support import eventually

SHOTS = Path(__file__).resolve().parents[2] / ".run" / "screenshots"
EMAIL = "sacha.invente@example.org"
APPLICATION = {
    "identity": {"prenom": "Sacha", "nom": "Inventé", "courriel": EMAIL},
    "association_id": "parrains-par-mille",
    "code_postal": "44300",
    "needs": ["parrainage-de-proximite"],
    "availability": [{"day": "we", "part": "afternoon"}],
    "languages": ["fr"],
    "capacity": 1,
    "consent": True,
}


async def clean(page: Page, name: str, width: int) -> None:
    """No accessibility violation, nothing wider than the screen; a screenshot kept."""
    assert await accessibility_violations(page) == [], name
    scroll = await page.evaluate("document.documentElement.scrollWidth")
    assert scroll <= width, f"{name}: {scroll} px wide on a {width} px screen"
    SHOTS.mkdir(parents=True, exist_ok=True)
    await page.screenshot(path=SHOTS / f"espace-benevole-{name}-{width}.png", full_page=True)


@pytest.mark.parametrize("width", [390, 1280])
async def test_a_volunteer_signs_in_by_link_pauses_and_comes_back_seen_by_matching(
    browser: Browser,
    width: int,
    directory_settings,  # noqa: F811
    matching_settings,
    mongo,
    dev_issuer,
):
    with running_smtp_server() as mailbox:
        settings = directory_settings.model_copy(update={"smtp_port": mailbox.port})
        matching = matching_app(
            dev_issuer.settings_for(matching_settings).model_copy(
                update={"volunteers_topic": settings.volunteers_topic}
            )
        )
        with (
            serve_in_thread(directory_app(settings), name="directory") as directory,
            serve_in_thread(matching, name="matching"),
        ):
            staff = {"Authorization": f"Bearer {await dev_issuer.token_for('ppm-nantes')}"}
            async with httpx.AsyncClient(base_url=directory, headers=staff) as api:
                applied = await api.post("/api/v1/volunteers", json=APPLICATION)
                assert applied.status_code == 201, applied.text
                url = f"/api/v1/staff/volunteers/{applied.json()['volunteer_id']}"
                for change in (
                    {"status": "in-review", "honorability": "cleared"},
                    {"status": "approved"},
                ):
                    assert (await api.patch(url, json=change)).status_code == 200
                [listed] = (await api.get("/api/v1/staff/volunteers")).json()["volunteers"]
                ref = listed["volunteer_ref"]

            context = await browser.new_context(
                locale="fr-FR", viewport={"width": width, "height": 900}
            )
            page = await context.new_page()
            try:
                await page.goto(f"{directory}/espace-benevole")
                await clean(page, "connexion", width)
                ask = page.get_by_role("button", name="Recevoir mon lien de connexion")
                await ask.click()  # no address: the error summary takes the focus
                await expect(page.locator("#erreurs")).to_be_focused()
                await clean(page, "connexion-erreur", width)
                await page.get_by_label("Adresse électronique").fill(EMAIL)
                await page.get_by_role("button", name="Recevoir mon lien de connexion").click()
                await expect(page.locator(".fr-alert")).to_contain_text("Regardez votre messagerie")
                await clean(page, "lien-envoye", width)

                async def mail():  # the link (their application's statuses went before)
                    link = "Votre lien pour entrer dans votre espace bénévole"
                    return [m for m in mailbox.to(EMAIL) if m["Subject"] == link] or None

                [sent] = await eventually(mail, what="the mail with the link")
                link = re.search(r"(https?://\S+jeton=\S+)", sent.get_content()).group(1)
                await page.goto(link)
                await clean(page, "ouvrir", width)
                await page.get_by_role("button", name="Ouvrir mon espace").click()
                await expect(page.get_by_text("Acceptée", exact=True)).to_be_visible()
                await clean(page, "espace", width)

                views = mongo[matching_settings.database]["volunteers"]

                async def seen(active: bool):
                    view = await views.find_one({"_id": ref})
                    return view if view and view["active"] is active else None

                await eventually(lambda: seen(True), what="matching knows the volunteer")
                await page.get_by_role("button", name="Faire une pause").click()
                await expect(page.locator(".fr-alert--success")).to_contain_text(
                    "Votre pause est enregistrée"
                )
                await expect(page.get_by_text("En pause", exact=True)).to_be_visible()
                await clean(page, "pause", width)
                await eventually(lambda: seen(False), what="matching sees the pause")

                await page.get_by_role("button", name="Reprendre").click()
                await expect(page.locator(".fr-alert--success")).to_contain_text("Bon retour")
                await eventually(lambda: seen(True), what="matching sees the return")

                # an empty form: the error summary takes the focus, axe-core still clean
                for box in await page.locator("input[name=slots]:checked").all():
                    label = page.locator(f"label[for='{await box.get_attribute('id')}']")
                    await label.click()  # the DSFR's box is drawn by its label
                await page.get_by_role("button", name="Enregistrer").click()
                await expect(page.locator("#erreurs")).to_be_focused()
                await clean(page, "erreur", width)
            finally:
                await context.close()
