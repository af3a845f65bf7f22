"""The family's own door in Chromium, intake served over real HTTP: on a phone (390 px) and
a desktop (1280 px) a parent sends the form empty (the focus lands on the error summary),
fills it, keeps the code, follows the request on « Suivre ma demande »; staff of the
association confirm it on « À confirmer » and the status page says so. Every page passes
axe-core and fits the screen."""

import re
import uuid
from collections.abc import Iterator

import pytest
from playwright.async_api import Browser, Page
from playwright.async_api import TimeoutError as PlaywrightTimeoutError

from entraide.intake.app import create_app as intake_app
from entraide.intake.settings import IntakeSettings
from tests.auth_support import DEMO_PASSWORD, DevIssuer
from tests.browser import accessibility_violations, browser  # noqa: F401 (fixture)
from tests.infra import Endpoints, settings_on
from tests.servers import serve_in_thread
from tests.smtp_server import running_smtp_server

pytestmark = [pytest.mark.kafka, pytest.mark.store, pytest.mark.slow]
SIZES = {"telephone": {"width": 390, "height": 844}, "bureau": {"width": 1280, "height": 900}}
MIN_FILL_MS = 4500  # the form refuses what is posted faster (a script)


@pytest.fixture(scope="module")
def intake_url(infra: Endpoints, dev_issuer: DevIssuer) -> Iterator[str]:
    with running_smtp_server() as box, pytest.MonkeyPatch.context() as env:
        env.setenv("ENTRAIDE_SMTP_PORT", str(box.port))  # the notifier's mail goes there
        settings = settings_on(
            IntakeSettings, infra, f"test_intake_{uuid.uuid4().hex[:8]}", keys="local"
        )
        app = intake_app(dev_issuer.settings_for(settings))
        with serve_in_thread(app, name="intake") as url:
            yield url


async def _check(page: Page, where: str, problems: list[str]) -> None:
    problems += [f"{where}: axe {v}" for v in await accessibility_violations(page)]
    wide = await page.evaluate(
        "document.documentElement.scrollWidth > document.documentElement.clientWidth"
    )
    if wide:
        problems.append(f"{where}: scrolls sideways")


async def _ask(page: Page, base: str, phone: str, problems: list[str]) -> str:
    await page.goto(f"{base}/demander-aide?association=parrains-par-mille")
    await _check(page, "form", problems)
    await page.wait_for_timeout(MIN_FILL_MS)
    async with page.expect_navigation():
        await page.get_by_role("button", name="Envoyer ma demande").click()
    # `autofocus` moves the focus once the page is shown, which may come after its load
    # event on a loaded machine: waited for, a few seconds at most
    on_summary = "document.activeElement && document.activeElement.id === 'erreurs'"
    try:
        await page.wait_for_function(on_summary, timeout=5000)
    except PlaywrightTimeoutError:
        focused = await page.evaluate("document.activeElement && document.activeElement.id")
        problems.append(f"form: the focus is on {focused!r}, not the error summary")
    await _check(page, "form with errors", problems)
    await page.get_by_text("Répit, garde ponctuelle", exact=True).click()
    await page.locator("#ages").fill("2, 6")
    await page.locator("#postal_code").fill("44000")
    await page.locator("#commune").fill("Nantes")
    await page.locator("#parent-first_name").fill("Awa")
    await page.locator("#parent-last_name").fill("Traoré")
    await page.get_by_text("Un appel téléphonique", exact=True).click()
    await page.locator("#parent-phone").fill(phone)
    await page.get_by_text("J'accepte que ma demande soit relue", exact=False).click()
    await page.wait_for_timeout(MIN_FILL_MS)
    async with page.expect_navigation():
        await page.get_by_role("button", name="Envoyer ma demande").click()
    if not await page.locator("#code-suivi").count():
        shown = await page.locator("main").inner_text()
        raise AssertionError(f"the request was not received: {shown[:600]}")
    await _check(page, "received", problems)
    return (await page.locator("#code-suivi").inner_text()).strip()


async def _status(page: Page, base: str, code: str, problems: list[str], where: str) -> str:
    await page.goto(f"{base}/suivi")
    await _check(page, f"{where} status form", problems)
    await page.locator("#code").fill(code.lower())
    await page.get_by_role("button", name="Voir où en est ma demande").click()
    await page.locator("#statut").wait_for()
    await _check(page, f"{where} status", problems)
    return (await page.locator("#statut h2").inner_text()).strip()


async def _confirm(page: Page, base: str, problems: list[str]) -> None:
    await page.goto(f"{base}/connexion?suivant=/a-confirmer")
    await page.get_by_label("Identifiant").fill("ppm-nantes")
    await page.get_by_label("Mot de passe").fill(DEMO_PASSWORD)
    await page.get_by_role("button", name="Se connecter").click()
    await page.wait_for_url("**/a-confirmer")
    await _check(page, "queue", problems)
    await page.get_by_role("button", name="Confirmer la demande").first.click()
    await page.wait_for_url(re.compile(r".*/a-confirmer\?resultat="))
    await _check(page, "queue after", problems)


@pytest.mark.parametrize("size", SIZES)
async def test_a_parent_asks_follows_and_staff_confirm(
    size: str,
    intake_url: str,
    browser: Browser,  # noqa: F811
) -> None:
    problems: list[str] = []
    parent = await browser.new_context(locale="fr-FR", viewport=SIZES[size])
    page = await parent.new_page()
    phone = "06 " + " ".join(f"{n % 100:02d}" for n in uuid.uuid4().bytes[:4])  # one per run
    code = await _ask(page, intake_url, phone, problems)
    before = await _status(page, intake_url, code, problems, "before")
    await page.screenshot(path=f".run/screenshots/{size}-suivi.png", full_page=True)
    staff = await browser.new_context(locale="fr-FR", viewport=SIZES[size])
    await _confirm(await staff.new_page(), intake_url, problems)
    after = await _status(page, intake_url, code, problems, "after")
    await parent.close()
    await staff.close()

    assert problems == []
    assert before == "Votre demande est reçue"
    assert after == "Votre demande est confirmée"
