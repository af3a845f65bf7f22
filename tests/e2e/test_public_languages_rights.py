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
