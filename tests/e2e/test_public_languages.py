"""Directory's public pages in the families' languages, served by the real process: each
language renders its own words (none of the French left), Arabic right to left, the
browser's language first then the switcher's choice remembered, axe-core clean in Chromium
on a phone (390 px) in Arabic and English; staff pages stay French."""

import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from playwright.async_api import Browser, expect

from entraide.directory.domain.offers.demo import demo_offers
from tests.auth_support import DevIssuer
from tests.browser import (
    accessibility_violations,
    fits,
    html_attributes,
    phone,
    screenshot,
    written_in,
)
from tests.infra import Endpoints, free_port

# what the search page says in French and must not say in another language
FRENCH = ["Trouver un accompagnement près de chez vous", "Commune ou code postal", "Rechercher<"]
# the volunteer form's heading, an empty form's summary (8 errors) and one of them
VOLUNTEER = {
    "en": ("Become a volunteer for a family", "The form has 8 errors", "Enter your first name."),
    "ar": ("كن متطوعًا لمساندة عائلة", "في الاستمارة 8 أخطاء", "اكتب اسمك."),
    "pt": ("Tornar-se voluntário junto de uma família", "O formulário tem 8 erros", "Indique o seu nome próprio."),
    "ro": ("Deveniți voluntar pentru o familie", "Formularul conține 8 erori", "Scrieți prenumele dumneavoastră."),
}  # fmt: skip
# the volunteer space's sign-in button, by language
SPACE = {
    "en": "Send me my sign-in link",
    "ar": "أرسل لي رابط الدخول",
    "pt": "Receber a minha ligação de acesso",
    "ro": "Primesc linkul de conectare",
}
# language → (the search page's heading, the search button, the results' "near", an error)
WORDS = {
    "en": ("Find support near you", "Search", "near Nantes", "Unknown town or postcode"),
    "ar": ("ابحث عن مساندة قريبة منك", "بحث", "بالقرب من Nantes", "البلدية أو الرمز البريدي غير معروف"),
    "pt": ("Encontrar apoio perto de si", "Pesquisar", "perto de Nantes", "Localidade ou código postal desconhecido"),
    "ro": ("Găsiți sprijin aproape de casă", "Căutare", "în jurul localității Nantes", "Localitate sau cod poștal necunoscut"),
}  # fmt: skip


@pytest.fixture
def directory(infra: Endpoints, tmp_path: Path, dev_issuer: DevIssuer) -> Iterator[str]:
    """Directory alone as a process (its volunteers' keys in its own database)."""
    port = free_port()
    env = {
        **os.environ,
        "ENTRAIDE_KAFKA_BOOTSTRAP": infra.kafka_bootstrap,
        "ENTRAIDE_MONGODB_URI": infra.mongodb_uri,
        "ENTRAIDE_CONSUMER_GROUP_PREFIX": f"languages-{uuid.uuid4().hex[:8]}",
        "ENTRAIDE_DIRECTORY_PORT": str(port),
        "ENTRAIDE_DIRECTORY_DATABASE": f"languages_{uuid.uuid4().hex[:8]}",
        "ENTRAIDE_KEYS": "local",
        **{f"ENTRAIDE_{k.upper()}": v or "" for k, v in dev_issuer.auth_settings().items()},
    }
    log = tmp_path / "directory.log"
    with log.open("wb") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "entraide.directory"], env=env, stdout=out, stderr=out
        )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while not _answers(url):
            if proc.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"directory did not start: {log.read_text()[-2000:]}")
            time.sleep(0.5)
        yield url
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()


def _answers(url: str) -> bool:
    try:
        return httpx.get(f"{url}/readyz", timeout=5).status_code == 200
    except httpx.TransportError:
        return False


async def _load_offers(directory: str, dev_issuer: DevIssuer) -> None:
    """Loire-Atlantique's demo offers, as the network records them."""
    token = await dev_issuer.token_for("coordination-reseau")
    headers = {"authorization": f"Bearer {token}", "content-type": "application/json"}
    async with httpx.AsyncClient(base_url=directory, timeout=30) as client:
        for association, offer in demo_offers():
            if offer.zone_eligibilite[0] == "44":
                answer = await client.post(
                    "/api/v1/staff/offers",
                    params={"association": association},
                    content=offer.model_dump_json(),
                    headers=headers,
                )
                answer.raise_for_status()


async def test_each_language_renders_its_own_words_and_staff_pages_stay_french(
    directory: str, dev_issuer: DevIssuer
) -> None:
    await _load_offers(directory, dev_issuer)
    async with httpx.AsyncClient(base_url=directory, timeout=30) as client:
        for code, (heading, button, near, error) in WORDS.items():
            found = await client.get("/recherche", params={"lieu": "Nantes", "lang": code})
            assert found.status_code == 200
            assert written_in(found.text, code)
            assert found.headers["content-language"] == code
            assert heading in found.text
            assert f">{button}<" in found.text
            assert near in found.text
            for french in FRENCH:
                assert french not in found.text, (code, french)
            wrong = await client.get("/recherche", params={"lieu": "Zzzz", "lang": code})
            assert wrong.status_code == 422
            assert error in wrong.text
            # the volunteer form, then its errors in the language the cookie remembers
            heading, summary, first_name = VOLUNTEER[code]
            form = await client.get("/devenir-benevole", params={"lang": code})
            assert heading in form.text
            assert "Envoyer ma candidature" not in form.text
            refused = await client.post("/devenir-benevole", data={"consent": ""})
            assert refused.status_code == 422
            assert html_attributes(refused.text)["lang"] == code
            assert summary in refused.text
            assert first_name in refused.text
            # the volunteer's space: its sign-in page
            space = await client.get("/espace-benevole")
            assert html_attributes(space.text)["lang"] == code
            assert SPACE[code] in space.text
            assert "Recevoir mon lien de connexion" not in space.text
            no_address = await client.post("/espace-benevole/lien", data={"courriel": ""})
            assert no_address.status_code == 422
            assert "Indiquez votre adresse électronique" not in no_address.text
            assert html_attributes(no_address.text)["lang"] == code
            client.cookies.clear()
        # a browser that asks for Arabic, on a staff page: French, left to right, no switcher
        staff = await client.get(  # the association's space, or its sign-in page
            "/association", headers={"accept-language": "ar"}, follow_redirects=True
        )
        assert staff.status_code == 200
        assert html_attributes(staff.text) == {"lang": "fr", "data-fr-scheme": "system"}
        assert 'id="langues"' not in staff.text
        # and with no Accept-Language at all, the public pages read as before: French
        french = await client.get("/recherche", params={"lieu": "Nantes"})
        assert "Trouver un accompagnement près de chez vous" in french.text
        assert html_attributes(french.text)["lang"] == "fr"


async def test_a_parent_reads_the_search_in_arabic_on_a_phone_then_switches(
    directory: str, dev_issuer: DevIssuer, browser: Browser
) -> None:
    await _load_offers(directory, dev_issuer)
    page = await phone(browser, "ar-MA")  # the browser says Arabic: no choice made yet
    await page.goto(f"{directory}/recherche")
    await expect(page.locator("html")).to_have_attribute("dir", "rtl")
    await expect(page.get_by_role("heading", level=1)).to_have_text("ابحث عن مساندة قريبة منك")
    await page.get_by_label("البلدية أو الرمز البريدي").fill("Nantes")
    await page.get_by_label("نوع المساندة").select_option(
        label="كفالة محلية (مرافقة من متطوع قريب)"
    )
    await page.get_by_role("button", name="بحث", exact=True).click()
    await expect(page.locator("#resultats")).to_contain_text("بالقرب من Nantes")
    assert await accessibility_violations(page) == []
    assert await fits(page)
    # right to left: the heading starts at the right edge of the screen
    box = await page.get_by_role("heading", level=1).bounding_box()
    assert box is not None
    assert box["x"] + box["width"] > 390 - 40
    await screenshot(page, "langues-ar-recherche-390")

    await page.locator(".resultat a").first.click()
    await expect(page.get_by_role("heading", name="كيف تتواصل مع الجمعية")).to_be_visible()
    await expect(page.locator("html")).to_have_attribute("lang", "ar")
    assert await accessibility_violations(page) == []
    assert await fits(page)
    await screenshot(page, "langues-ar-offre-390")

    # the switcher: English, remembered on the next page though the browser says Arabic
    await page.get_by_role("navigation", name="اللغة").get_by_role("link", name="English").click()
    await expect(page.locator("html")).to_have_attribute("lang", "en")
    await expect(page.get_by_role("heading", name="How to contact the association")).to_be_visible()
    assert await accessibility_violations(page) == []
    await page.goto(f"{directory}/recherche?lieu=Nantes")
    await expect(page.locator("html")).to_have_attribute("lang", "en")
    assert await page.locator("html").get_attribute("dir") is None
    await expect(page.locator("#resultats")).to_contain_text("near Nantes")
    assert await accessibility_violations(page) == []
    assert await fits(page)
    await screenshot(page, "langues-en-recherche-390")

    # back to Arabic: the volunteer form refused empty, its summary focused, axe-core clean
    await page.goto(f"{directory}/devenir-benevole?lang=ar")
    await page.get_by_role("button", name="أرسل طلبي").click()
    await expect(page.locator("#erreurs")).to_be_focused()
    await expect(page.locator("#erreurs")).to_contain_text("في الاستمارة 8 أخطاء")
    assert await accessibility_violations(page) == []
    assert await fits(page)
    await screenshot(page, "langues-ar-benevole-390")
    await page.goto(f"{directory}/espace-benevole")
    await expect(page.get_by_role("heading", level=1)).to_have_text("فضائي كمتطوع")
    assert await accessibility_violations(page) == []
    assert await fits(page)
    await page.context.close()


async def test_arabic_volunteer_forms_take_addresses_and_numbers_left_to_right(
    directory: str, browser: Browser
) -> None:
    """On /devenir-benevole and /espace-benevole in Arabic the e-mail, phone and postal-code
    fields were right to left: a typed « 06 12 34 » showed « 34 12 06 ». Now they are
    left to right; a name is typed in the page's direction."""
    page = await phone(browser, "ar")
    await page.goto(f"{directory}/devenir-benevole?lang=ar")
    await page.locator("#telephone").fill("06 12 34")
    for field, direction in (
        ("#courriel", "ltr"), ("#telephone", "ltr"), ("#code_postal", "ltr"), ("#prenom", "rtl"),
    ):  # fmt: skip
        shown = await page.locator(field).evaluate("e => getComputedStyle(e).direction")
        assert shown == direction, field
    await page.goto(f"{directory}/espace-benevole")
    shown = await page.locator("#courriel").evaluate("e => getComputedStyle(e).direction")
    assert shown == "ltr"
    assert await accessibility_violations(page) == []
    await page.context.close()
