"""What goes wrong on a public page is said in the visitor's language (kit/errors.py), in
Chromium on a phone (390 px), axe-core clean: an offer that is not (or no longer) online on
directory, a follow-up code that matches nothing on intake's status page, in Arabic (right
to left) and English; and a parent who sends the family door's form too often reads the
wait in English."""

import uuid
from collections.abc import Iterator

import pytest
from playwright.async_api import Browser, expect

from entraide.directory.app import create_app as directory_app
from entraide.directory.settings import DirectorySettings
from entraide.intake.app import create_app as intake_app
from entraide.intake.settings import IntakeSettings
from tests.auth_support import DevIssuer
from tests.browser import accessibility_violations, fits, phone, screenshot
from tests.infra import Endpoints, settings_on
from tests.servers import serve_in_thread
from tests.smtp_server import running_smtp_server

pytestmark = [pytest.mark.kafka, pytest.mark.store, pytest.mark.slow]
POSTS_PER_MINUTE = 3  # the public forms' limit per address, low for the test
# language → (the missing offer's heading, its message, the home link, a wrong code's error)
WORDS = {
    "ar": ("الصفحة غير موجودة", "ربما سحبته الجمعية", "العودة إلى الصفحة الرئيسية",
           "هذا الرمز لا يطابق أي طلب"),
    "en": ("Page not found", "the association may have withdrawn it",
           "Back to the home page", "This code matches no request"),
}  # fmt: skip


@pytest.fixture(scope="module")
def servers(infra: Endpoints, dev_issuer: DevIssuer) -> Iterator[tuple[str, str]]:
    """Directory and intake over real HTTP, each on its own database."""
    name = uuid.uuid4().hex[:8]
    with running_smtp_server() as box, pytest.MonkeyPatch.context() as env:
        env.setenv("ENTRAIDE_SMTP_PORT", str(box.port))
        directory = settings_on(DirectorySettings, infra, f"test_errors_d_{name}", keys="local")
        intake = settings_on(
            IntakeSettings,
            infra,
            f"test_errors_i_{name}",
            keys="local",
            public_rate_limit=f"{POSTS_PER_MINUTE}/minute",
        )
        with (
            serve_in_thread(directory_app(dev_issuer.settings_for(directory)), name="dir") as d,
            serve_in_thread(intake_app(dev_issuer.settings_for(intake)), name="intake") as i,
        ):
            yield d, i


@pytest.mark.parametrize("code", sorted(WORDS))
async def test_a_missing_offer_and_a_wrong_code_are_said_in_the_visitors_language(
    servers: tuple[str, str], browser: Browser, code: str
) -> None:
    directory, intake = servers
    heading, withdrawn, home, wrong_code = WORDS[code]
    page = await phone(browser, code)  # the browser's language, nothing chosen
    answer = await page.goto(f"{directory}/offres/{uuid.uuid4().hex}")
    assert answer is not None
    assert answer.status == 404
    await expect(page.locator("html")).to_have_attribute("lang", code)
    if code == "ar":
        await expect(page.locator("html")).to_have_attribute("dir", "rtl")
    else:
        assert await page.locator("html").get_attribute("dir") is None
    await expect(page.get_by_role("heading", level=1)).to_have_text(heading)
    await expect(page.locator("main")).to_contain_text(withdrawn)
    await expect(page.get_by_role("link", name=home)).to_be_visible()
    await expect(page.locator("main")).not_to_contain_text("Erreur")
    assert await accessibility_violations(page) == []
    assert await fits(page)
    await screenshot(page, f"langues-{code}-offre-introuvable-390")

    await page.goto(f"{intake}/suivi")
    await page.locator("#code").fill("AAAA-BBBB-CCCC-DDDD")
    await page.locator("#code").press("Enter")
    await expect(page.locator("main")).to_contain_text(wrong_code)
    await expect(page.locator("html")).to_have_attribute("lang", code)
    assert await accessibility_violations(page) == []
    await page.context.close()


async def test_a_parent_who_sends_the_door_too_often_reads_the_wait_in_english(
    servers: tuple[str, str], browser: Browser
) -> None:
    _, intake = servers
    page = await phone(browser, "en")
    await page.goto(f"{intake}/demander-aide")
    send = page.get_by_role("button", name="Send my request")
    for _ in range(POSTS_PER_MINUTE):  # refused (empty: its field errors), but counted
        await send.click()
        await expect(send).to_be_visible()
    await send.click()
    await expect(page.get_by_role("heading", level=1)).to_have_text("Too many requests")
    main = page.locator("main")
    await expect(main).to_contain_text("Too many requests came from your connection")
    await expect(main).to_contain_text(" seconds, then try again: nothing was saved.")
    await expect(main).not_to_contain_text("Attendez")
    await expect(page.locator("html")).to_have_attribute("lang", "en")
    assert await accessibility_violations(page) == []
    await screenshot(page, "langues-en-trop-de-demandes-390")
    await page.context.close()
