"""The family door (« Demander de l'aide ») and the status page (« /suivi ») in the
families' languages, intake served over real HTTP: each language renders its own words and
errors; the easy-to-read French (FALC) version says the door in short sentences; in
Chromium on a phone (390 px) a parent whose browser speaks Arabic asks for help right to
left, keeps the code and follows the request on the status page, axe-core clean."""

import uuid
from collections.abc import Iterator

import httpx
import pytest
from playwright.async_api import Browser, expect

from entraide.intake.app import create_app as intake_app
from entraide.intake.settings import IntakeSettings
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
from tests.smtp_server import running_smtp_server

pytestmark = [pytest.mark.kafka, pytest.mark.store, pytest.mark.slow]
MIN_FILL_MS = 4500  # the door refuses a form posted faster (a script)
FRENCH = ["Vous élevez seul ou seule vos enfants", "Envoyer ma demande", "Vos données personnelles"]
# language → (the door's heading, its send button, the status page's error for a wrong code)
WORDS = {
    "en": ("Ask for help", "Send my request", "This code matches no request"),
    "ar": ("اطلب المساعدة", "أرسل طلبي", "هذا الرمز لا يطابق أي طلب"),
    "pt": ("Pedir ajuda", "Enviar o meu pedido", "Este código não corresponde a nenhum pedido"),
    "ro": ("Cereți ajutor", "Trimite cererea", "Acest cod nu corespunde niciunei cereri"),
}


@pytest.fixture(scope="module")
def intake_url(infra: Endpoints, dev_issuer: DevIssuer) -> Iterator[str]:
    with running_smtp_server() as box, pytest.MonkeyPatch.context() as env:
        env.setenv("ENTRAIDE_SMTP_PORT", str(box.port))
        settings = settings_on(
            IntakeSettings, infra, f"test_intake_{uuid.uuid4().hex[:8]}", keys="local"
        )
        with serve_in_thread(intake_app(dev_issuer.settings_for(settings)), name="intake") as url:
            yield url


async def test_the_door_and_status_page_speak_each_language_and_easy_french(
    intake_url: str,
) -> None:
    async with httpx.AsyncClient(base_url=intake_url, timeout=30) as client:
        for code, (heading, button, wrong_code) in WORDS.items():
            door = await client.get("/demander-aide", params={"lang": code})
            assert door.status_code == 200
            assert written_in(door.text, code)
            assert f"<h1>{heading}</h1>" in door.text
            assert f">{button}<" in door.text
            for french in FRENCH:
                assert french not in door.text, (code, french)
            status = await client.post("/suivi", data={"code": "AAAA-BBBB-CCCC-DDDD"})
            assert status.status_code == 422
            assert wrong_code in status.text  # the language remembered by the cookie
            client.cookies.clear()

        easy = await client.get("/demander-aide", params={"lang": "falc"})
        assert html_attributes(easy.text)["lang"] == "fr"
        assert "Vous vivez seul ou seule avec vos enfants. Vous avez besoin d'aide." in easy.text
        assert "C'est gratuit. Vous ne payez rien." in easy.text
        assert "Français facile" in easy.text  # offered where intake has a FALC catalog
        received = await client.get("/suivi")
        assert "Écrivez le code de suivi. Vous avez reçu ce code après votre demande." in (
            received.text
        )
        client.cookies.clear()
        # ordinary French stays as written
        french = await client.get("/demander-aide")
        assert "Vous élevez seul ou seule vos enfants" in french.text
        # staff pages stay French, whatever the browser asks
        staff = await client.get(
            "/a-confirmer", headers={"accept-language": "ar"}, follow_redirects=True
        )
        assert html_attributes(staff.text) == {"lang": "fr", "data-fr-scheme": "system"}
        assert 'id="langues"' not in staff.text


async def test_a_parent_asks_for_help_in_arabic_on_a_phone_and_follows_it(
    intake_url: str, browser: Browser
) -> None:
    page = await phone(browser, "ar")
    await page.goto(f"{intake_url}/demander-aide?association=parrains-par-mille")
    await expect(page.locator("html")).to_have_attribute("dir", "rtl")
    await expect(page.get_by_role("heading", level=1)).to_have_text("اطلب المساعدة")
    assert await accessibility_violations(page) == []
    assert await fits(page)
    await page.wait_for_timeout(MIN_FILL_MS)
    await page.get_by_role("button", name="أرسل طلبي").click()
    await expect(page.locator("#erreurs")).to_be_focused()
    await expect(page.locator("#erreurs")).to_contain_text("في الاستمارة")
    assert await accessibility_violations(page) == []
    await screenshot(page, "langues-ar-demander-aide-390")

    await page.get_by_text("استراحة للوالد، رعاية عرضية للأطفال", exact=True).click()
    await page.locator("#ages").fill("2, 6")
    await page.locator("#postal_code").fill("44000")
    await page.locator("#commune").fill("Nantes")
    await page.locator("#parent-first_name").fill("Awa")
    await page.locator("#parent-last_name").fill("Traoré")
    await page.get_by_text("مكالمة هاتفية", exact=True).click()
    number = "07 " + " ".join(f"{n % 100:02d}" for n in uuid.uuid4().bytes[:4])
    await page.locator("#parent-phone").fill(number)
    await page.get_by_text("أوافق على أن يُقرأ طلبي", exact=False).click()
    await page.wait_for_timeout(MIN_FILL_MS)
    await page.get_by_role("button", name="أرسل طلبي").click()
    await expect(page.get_by_role("heading", level=1)).to_have_text("تم استلام طلبك")
    assert await accessibility_violations(page) == []
    code = (await page.locator("#code-suivi").inner_text()).strip()

    await page.get_by_role("link", name="متابعة طلبي").click()
    await page.locator("#code").fill(code)
    await page.get_by_role("button", name="اعرف مرحلة طلبي").click()
    await expect(page.locator("#statut h2")).to_have_text("تم استلام طلبك")
    await expect(page.locator("html")).to_have_attribute("lang", "ar")
    assert await accessibility_violations(page) == []
    assert await fits(page)
    await screenshot(page, "langues-ar-suivi-390")
    await page.context.close()


# each checkbox of a fieldset: where its drawn box is (the label's ::before, placed
# against the label, its containing block) and where its label's words are
BOXES_AND_WORDS = """fieldset => [...fieldset.querySelectorAll('.fr-checkbox-group label')]
  .map(label => {
    const rect = label.getBoundingClientRect();
    const box = getComputedStyle(label, '::before');
    const left = rect.left + label.clientLeft + parseFloat(box.left);
    const words = document.createRange();
    words.selectNodeContents(label);
    const text = words.getBoundingClientRect();
    return {label: label.textContent.trim(), box: [left, left + parseFloat(box.width)],
            words: [text.left, text.right]};
  })"""


async def test_on_the_arabic_door_each_checkbox_sits_beside_its_label(
    intake_url: str, browser: Browser
) -> None:
    """At 390 px right to left, the needs' and the half-days' boxes sat on the far left,
    a screen's width from their right-aligned words (the DSFR places them by physical
    sides): each box is now on its label's right, within 40 px of its first word."""
    page = await phone(browser, "ar")
    await page.goto(f"{intake_url}/demander-aide?lang=ar")
    await expect(page.locator("html")).to_have_attribute("dir", "rtl")
    far = []
    for fieldset in ("#needs", "#availability"):
        found = await page.locator(fieldset).evaluate(BOXES_AND_WORDS)
        assert found, f"no checkbox in {fieldset}"
        for one in found:
            (box_left, box_right), (words_left, words_right) = one["box"], one["words"]
            gap = box_left - words_right  # right to left: the box after the words' right end
            if not (-1 <= gap <= 40) or box_right > 390:
                far.append(
                    f"{fieldset} {one['label']}: box {box_left:.0f}-{box_right:.0f}, "
                    f"words {words_left:.0f}-{words_right:.0f}"
                )
    await screenshot(page, "langues-ar-cases-390")
    await page.context.close()
    assert far == [], "\n".join(far)


# where each of two figures of an element's text is drawn: [left of `first`, left of `last`]
FIGURES_AT = """(element, [first, last]) => {
  const walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT);
  const at = figure => {
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const index = node.data.indexOf(figure);
      if (index < 0) continue;
      const range = document.createRange();
      range.setStart(node, index);
      range.setEnd(node, index + figure.length);
      return range.getBoundingClientRect().left;
    }
    return null;
  };
  const left = at(first);
  walker.currentNode = element;
  return [left, at(last)];
}"""


async def test_on_the_arabic_door_numbers_read_left_to_right(
    intake_url: str, browser: Browser
) -> None:
    """Right to left, the phone example read « 78 56 34 12 06 » and the ages typed « 6, 9,
    12 » showed « 12 ,9 ,6 »: the example's « 06 » is now drawn left of its « 78 », and the
    number inputs are laid out left to right."""
    page = await phone(browser, "ar")
    await page.goto(f"{intake_url}/demander-aide?lang=ar")
    await expect(page.locator("html")).to_have_attribute("dir", "rtl")
    hint = page.locator("label[for=parent-phone] .fr-hint-text")
    first, last = await hint.evaluate(FIGURES_AT, ["06", "78"])
    assert first is not None, "no « 06 » in the phone's hint"
    assert last is not None, "no « 78 » in the phone's hint"
    assert first < last, (first, last)
    await page.locator("#ages").fill("6, 9, 12")
    for field in ("#ages", "#postal_code", "#parent-phone", "#parent-email"):
        direction = await page.locator(field).evaluate("e => getComputedStyle(e).direction")
        assert direction == "ltr", field
    await page.context.close()


FIGURES_LINES = """(element, figures) => {
  const tops = [];
  const walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT);
  for (const figure of figures) {
    walker.currentNode = element;
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const index = node.data.indexOf(figure);
      if (index < 0) continue;
      const range = document.createRange();
      range.setStart(node, index);
      range.setEnd(node, index + figure.length);
      tops.push(Math.round(range.getBoundingClientRect().top));
      break;
    }
  }
  return tops;
}"""


async def test_on_the_arabic_door_the_phone_error_reads_its_example_in_order(
    intake_url: str, browser: Browser
) -> None:
    """The wrong phone's error, beside the field and in the summary, showed its example
    « 06 12 34 56 78 » reversed and split over two lines at 390 px: now « 06 » is drawn
    left of « 78 » and the five pairs on one line, in both places."""
    page = await phone(browser, "ar")
    await page.goto(f"{intake_url}/demander-aide?lang=ar")
    await page.locator("#parent-phone").fill("12")
    await page.wait_for_timeout(MIN_FILL_MS)
    await page.get_by_role("button", name="أرسل طلبي").click()
    await expect(page.locator("#erreurs")).to_be_focused()
    pairs = ["06", "12", "34", "56", "78"]
    for where in ("#parent-phone-erreur", "#erreurs a[href='#parent-phone']"):
        error = page.locator(where)
        await expect(error).to_be_visible()
        first, last = await error.evaluate(FIGURES_AT, ["06", "78"])
        assert first is not None, f"no « 06 » in {where}"
        assert last is not None, f"no « 78 » in {where}"
        assert first < last, (where, first, last)
        tops = await error.evaluate(FIGURES_LINES, pairs)
        assert len(tops) == len(pairs), (where, tops)
        assert len(set(tops)) == 1, (where, tops)  # one line
    await page.context.close()


WORDS_AT = """(element, words) => words.map(word => {
  const walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const index = node.data.indexOf(word);
    if (index < 0) continue;
    const range = document.createRange();
    range.setStart(node, index);
    range.setEnd(node, index + word.length);
    const rect = range.getBoundingClientRect();
    return [rect.left, rect.right];
  }
  return null;
})"""


async def test_numbers_in_the_door_errors_stay_whole_and_spaced_at_390_px(
    intake_url: str, browser: Browser
) -> None:
    """At 390 px the Portuguese summary broke the phone example « 06 12 | 34 56 78 » over
    two lines; in Arabic, a field's error (a flex box: its icon, its words) drew « 17 » and
    « 10 » glued to the words around them, each <bdi> an item of its own. Now the example
    stays on one line in Portuguese, beside the field and in the summary, and in Arabic a
    space shows on each side of the number."""
    pt = await phone(browser, "pt")
    await pt.goto(f"{intake_url}/demander-aide?lang=pt")
    await pt.locator("#parent-phone").fill("12")
    await pt.get_by_role("button", name="Enviar o meu pedido").click()
    await expect(pt.locator("#erreurs")).to_be_focused()
    pairs = ["06", "12", "34", "56", "78"]
    for where in ("#erreurs a[href='#parent-phone']", "#parent-phone-erreur"):
        tops = await pt.locator(where).evaluate(FIGURES_LINES, pairs)
        assert len(tops) == len(pairs), (where, tops)
        assert len(set(tops)) == 1, (where, tops)  # one line
    await pt.context.close()

    ar = await phone(browser, "ar")
    await ar.goto(f"{intake_url}/demander-aide?lang=ar")
    await ar.locator("#ages").fill("3, 20")
    await ar.locator("#parent-phone").fill("12")
    await ar.get_by_role("button", name="أرسل طلبي").click()
    await expect(ar.locator("#erreurs")).to_be_focused()
    # right to left: the word before the number is drawn right of it, the one after left
    for where, words in (
        ("#ages-erreur", ["يتجاوز", "17", "سنة"]),
        ("#parent-phone-erreur", ["صالح", "10", "أرقام"]),
        ("#erreurs a[href='#ages']", ["يتجاوز", "17", "سنة"]),
    ):
        found = await ar.locator(where).evaluate(WORDS_AT, words)
        assert None not in found, (where, found)
        before, figure, after = found
        assert before[0] - figure[1] >= 2, f"{where}: no space after « {words[0]} »"
        assert figure[0] - after[1] >= 2, f"{where}: no space before « {words[2]} »"
    assert await accessibility_violations(ar) == []
    await screenshot(ar, "langues-ar-erreurs-nombres-390")
    await ar.context.close()


async def test_the_status_page_keeps_its_example_code_whole_at_390_px(
    intake_url: str, browser: Browser
) -> None:
    """A wrong code's error split the example « K7QD-9XRA-M3TE- | HW2C » at a hyphen at
    390 px (English, Portuguese, FALC, Arabic), and in Arabic the halves then read right to
    left. Now the code is on one line, beside the field and in the summary, « K7QD » drawn
    left of « HW2C » in Arabic too."""
    for code, button in (("en", "See where my request stands"), ("ar", "اعرف مرحلة طلبي")):
        page = await phone(browser, code)
        await page.goto(f"{intake_url}/suivi?lang={code}")
        await page.locator("#code").fill("AAAA-BBBB-CCCC-DDDD")
        await page.get_by_role("button", name=button).click()
        await expect(page.locator("#erreurs")).to_be_focused()
        for where in ("#code-erreur", "#erreurs a[href='#code']", "label[for=code] .fr-hint-text"):
            groups = ["K7QD", "9XRA", "M3TE", "HW2C"]
            tops = await page.locator(where).evaluate(FIGURES_LINES, groups)
            assert len(tops) == len(groups), (code, where, tops)
            assert len(set(tops)) == 1, (code, where, tops)  # one line
            first, last = await page.locator(where).evaluate(FIGURES_AT, ["K7QD", "HW2C"])
            assert first is not None, (code, where)
            assert last is not None, (code, where)
            assert first < last, (code, where, first, last)
        assert await accessibility_violations(page) == []
        await screenshot(page, f"langues-{code}-suivi-code-faux-390")
        await page.context.close()
