"""Privacy's public page « Vos données personnelles » (/vos-droits: the notice in plain
words and the rights form) in the families' languages, privacy served over real HTTP: each
language renders its own words and its errors; Arabic right to left and axe-core clean in
Chromium on a phone (390 px); the DPO's pages stay French."""

import uuid
from collections.abc import Iterator

import httpx
import pytest
from playwright.async_api import Browser, expect

from entraide.privacy.app import create_app as privacy_app
from entraide.privacy.settings import PrivacySettings
from tests.auth_support import DevIssuer
from tests.browser import (
    accessibility_violations,
    fits,
    html_attributes,
    phone,
    screenshot,
    written_in,
)
from tests.e2e.test_public_languages_door import FIGURES_AT, FIGURES_LINES
from tests.infra import Endpoints, settings_on
from tests.servers import serve_in_thread

pytestmark = [pytest.mark.kafka, pytest.mark.store, pytest.mark.slow]
# language → (the page's heading, the form's button, the error for a missing right)
WORDS = {
    "en": ("Your personal data", "Send me my code", "Choose the right you want to use."),
    "ar": ("بياناتك الشخصية", "أرسل لي رمزي", "اختر الحق الذي تريد ممارسته."),
    "pt": ("Os seus dados pessoais", "Receber o meu código", "Escolha o direito que quer exercer."),
    "ro": ("Datele dumneavoastră personale", "Primesc codul", "Alegeți dreptul pe care doriți să îl exercitați."),
}  # fmt: skip


@pytest.fixture(scope="module")
def privacy_url(infra: Endpoints, dev_issuer: DevIssuer) -> Iterator[str]:
    settings = settings_on(
        PrivacySettings, infra, f"test_privacy_{uuid.uuid4().hex[:8]}", sweep_interval_seconds=0
    )
    with serve_in_thread(privacy_app(dev_issuer.settings_for(settings)), name="privacy") as url:
        yield url


async def test_the_rights_page_speaks_each_language_and_dpo_pages_stay_french(
    privacy_url: str, browser: Browser
) -> None:
    async with httpx.AsyncClient(base_url=privacy_url, timeout=30) as client:
        for code, (heading, button, error) in WORDS.items():
            page = await client.get("/vos-droits", params={"lang": code})
            assert page.status_code == 200
            assert written_in(page.text, code)
            assert f"<h1>{heading}</h1>" in page.text
            assert f">{button}<" in page.text
            assert "Vos droits, en quelques mots" not in page.text
            refused = await client.post("/vos-droits", data={"contact": "x"})
            assert refused.status_code == 422
            assert error in refused.text
            client.cookies.clear()
        staff = await client.get(
            "/dossiers", headers={"accept-language": "ar"}, follow_redirects=True
        )
        assert html_attributes(staff.text) == {"lang": "fr", "data-fr-scheme": "system"}

    small = await phone(browser, "ar")
    await small.goto(f"{privacy_url}/vos-droits")
    await expect(small.locator("html")).to_have_attribute("dir", "rtl")
    await expect(small.get_by_role("heading", level=1)).to_have_text("بياناتك الشخصية")
    assert await accessibility_violations(small) == []
    assert await fits(small)
    await screenshot(small, "langues-ar-vos-droits-390")
    await small.context.close()


async def test_the_rights_form_keeps_its_phone_example_in_order_on_one_line_at_390_px(
    privacy_url: str, browser: Browser
) -> None:
    """In Arabic the phone example read « 78 56 34 12 06 » in the hint and the error, and
    the contact and follow-up code fields were right to left (a typed « 06 12 34 » showed
    « 34 12 06 »); in Romanian the field's error broke « 06 12 34 56 / 78 » over two lines.
    Now « 06 » is drawn left of « 78 », the five pairs on one line, the fields left to
    right."""
    pairs = ["06", "12", "34", "56", "78"]
    ar = await phone(browser, "ar")
    await ar.goto(f"{privacy_url}/vos-droits?lang=ar")
    await ar.locator("#contact").fill("x")
    await ar.get_by_role("button", name="أرسل لي رمزي").click()
    await expect(ar.locator("#erreurs")).to_be_focused()
    for field in ("#contact", "#code_suivi"):
        direction = await ar.locator(field).evaluate("e => getComputedStyle(e).direction")
        assert direction == "ltr", field
    for where in (
        "label[for=contact] .fr-hint-text",
        "#contact-erreur",
        "#erreurs a[href='#contact']",
    ):
        first, last = await ar.locator(where).evaluate(FIGURES_AT, ["06", "78"])
        assert first is not None, where
        assert last is not None, where
        assert first < last, (where, first, last)
        tops = await ar.locator(where).evaluate(FIGURES_LINES, pairs)
        assert len(tops) == len(pairs), (where, tops)
        assert len(set(tops)) == 1, (where, tops)  # one line
    assert await accessibility_violations(ar) == []
    await screenshot(ar, "langues-ar-vos-droits-erreurs-390")
    await ar.context.close()

    ro = await phone(browser, "ro")
    await ro.goto(f"{privacy_url}/vos-droits?lang=ro")
    await ro.locator("#contact").fill("x")
    await ro.get_by_role("button", name="Primesc codul").click()
    await expect(ro.locator("#erreurs")).to_be_focused()
    for where in ("#contact-erreur", "#erreurs a[href='#contact']"):
        tops = await ro.locator(where).evaluate(FIGURES_LINES, pairs)
        assert len(tops) == len(pairs), (where, tops)
        assert len(set(tops)) == 1, (where, tops)  # one line
    await ro.context.close()
