"""The association's space (`/association`, its actions on `/association/actions`) on a
phone (390 px) and a desktop (1280 px), in Chromium, directory served over real HTTP: with
long titles, a long association name, actions in every state and several volunteers,
nothing is past the screen's right edge."""

import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from playwright.async_api import Browser, Page

from entraide.directory.app import create_app as directory_app
from entraide.directory.settings import DirectorySettings
from tests.auth_support import DEMO_PASSWORD, DevIssuer
from tests.browser import accessibility_violations, screenshot
from tests.infra import Endpoints, settings_on
from tests.servers import serve_in_thread
from tests.unit.directory.offers import fields

pytestmark = [pytest.mark.kafka, pytest.mark.store, pytest.mark.slow]

STAFF = "fpe-paris"  # « Yanis (Fondation pour l'Enfance) »: the longest name in the header
ASSOCIATION = "fondation-pour-l-enfance"
TITLES = [
    "Accompagnement aux devoirs et sorties culturelles pour les enfants de 6 à 10 ans",
    "Parrainage de proximité pour les enfants de familles monoparentales du quartier",
    "Permanence d'écoute et d'orientation des parents solos, sans rendez-vous",
    "Ateliers parents-enfants du mercredi après-midi à la médiathèque",
]
# an action's age: fresh, to confirm (six months), hidden from families (nine months)
AGES = [timedelta(0), timedelta(days=200), timedelta(days=400), timedelta(0)]
VOLUNTEERS = [
    ("Marie-Bernadette", "Dupont-Laurent-Inventé", "marie-bernadette.dupont-laurent@example.org"),
    ("Jean-Christophe", "Nguyen-Van-Inventé", "jean-christophe.nguyen-van@example.org"),
    ("Aïssatou", "Diallo-Inventée", "aissatou.diallo@example.org"),
]
SIZES = {"telephone": (390, 844), "bureau": (1280, 900)}


async def seed(base: str, issuer: DevIssuer, mongo: Any, database: str) -> None:
    """Four actions in Paris, one of them for professionals only, of every freshness; three
    volunteers who applied through the public form."""
    token = await issuer.token_for(STAFF)
    async with httpx.AsyncClient(base_url=base, timeout=30) as client:
        for title, professionals in zip(TITLES, [False, False, True, False], strict=True):
            # capacity: the card's « Places libres » form laid out too
            body = fields("Paris", nom=title, capacity=12, current_load=5).model_dump(mode="json")
            created = await client.post(
                "/api/v1/staff/offers",
                json=body | {"professionals_only": professionals},
                headers={"Authorization": f"Bearer {token}"},
            )
            assert created.status_code == 201, created.text
        for first, last, mail in VOLUNTEERS:
            form = {
                "prenom": first,
                "nom": last,
                "courriel": mail,
                "telephone": "06 12 34 56 78",
                "code_postal": "75019",
                "association_id": ASSOCIATION,
                "needs": ["parrainage-de-proximite", "accompagnement-scolaire"],
                "slots": ["we-afternoon", "sa-morning", "su-afternoon"],
                "langues": ["fr", "ar", "pt"],
                "capacite": "2",
                "consent": "oui",
            }
            applied = await client.post("/devenir-benevole", data=form)
            assert applied.status_code == 200, applied.text
    offers = mongo[database]["offers"]
    now = datetime.now(UTC)
    for title, age in zip(TITLES, AGES, strict=True):
        await offers.update_one({"nom": title}, {"$set": {"updated_at": now - age}})


async def signed_in(browser: Browser, base: str, size: tuple[int, int]) -> Page:
    width, height = size
    context = await browser.new_context(locale="fr-FR", viewport={"width": width, "height": height})
    page = await context.new_page()
    await page.goto(f"{base}/connexion?suivant=/association")
    await page.get_by_label("Identifiant").fill(STAFF)
    await page.get_by_label("Mot de passe").fill(DEMO_PASSWORD)
    await page.get_by_role("button", name="Se connecter").click()
    await page.wait_for_url("**/association")
    return page


# Each action shown: its name's and its state's boxes, and whether the state is inside a
# container that scrolls sideways and says so (a label or a description).
ROWS = """() => [...document.querySelectorAll('main a[href^="/offres/"]')]
  .filter(link => link.offsetParent !== null)
  .map(link => {
    const row = link.closest('tr, li');
    const cell = row.querySelector('.fr-badge');
    let box = cell.parentElement;
    let scroller = null;
    while (box && box !== document.body) {
      const overflow = getComputedStyle(box).overflowX;
      if ((overflow === 'auto' || overflow === 'scroll') && box.scrollWidth > box.clientWidth) {
        scroller = box;
        break;
      }
      box = box.parentElement;
    }
    const state = cell.getBoundingClientRect();
    const name = link.getBoundingClientRect();
    const said = element => !!element && ['aria-label', 'aria-labelledby', 'aria-describedby']
      .some(attribute => element.hasAttribute(attribute));
    return {
      title: link.innerText,
      state: [state.left, state.right],
      name: [name.left, name.right],
      scroller: scroller && (scroller.className || scroller.tagName),
      scroller_labelled: said(scroller) || said(scroller && scroller.querySelector('table')),
    };
  })"""


@asynccontextmanager
async def on_a_phone(
    infra: Endpoints, dev_issuer: DevIssuer, browser: Browser, mongo: Any
) -> AsyncIterator[tuple[str, Page, str]]:
    """Directory served and seeded, its staff signed in at 390 px: its address, the page
    and the database's name."""
    database = f"test_directory_{uuid.uuid4().hex[:8]}"
    settings = settings_on(DirectorySettings, infra, database, keys="local")
    app = directory_app(dev_issuer.settings_for(settings))
    with serve_in_thread(app, name="directory") as base:
        await seed(base, dev_issuer, mongo, database)
        page = await signed_in(browser, base, SIZES["telephone"])
        try:
            yield base, page, database
        finally:
            await page.context.close()


async def page_width(page: Page, where: str) -> list[str]:
    """The page's horizontal scroll, if any, and what axe-core finds wrong."""
    found = []
    width, wide = await page.evaluate("[window.innerWidth, document.documentElement.scrollWidth]")
    if wide > width:
        found.append(f"{where}: the page is {wide} px wide in {width} px")
    return found + [f"{where}: axe {v}" for v in await accessibility_violations(page)]


async def volunteer_ref(base: str, issuer: DevIssuer) -> str:
    """The first volunteer's reference (matching's link to their card alone)."""
    token = await issuer.token_for(STAFF)
    async with httpx.AsyncClient(base_url=base) as client:
        listed = await client.get(
            "/api/v1/staff/volunteers", headers={"Authorization": f"Bearer {token}"}
        )
    return str(listed.json()["volunteers"][0]["volunteer_ref"])


async def volunteers_past(page: Page, size: str) -> list[str]:
    """What is past the screen's edge on the space's volunteers' page."""
    found = await page_width(page, size)
    width = await page.evaluate("window.innerWidth")
    cards = await page.locator(".benevole").all()
    if len(cards) != len(VOLUNTEERS):
        found.append(f"{size}: {len(cards)} volunteers shown, not {len(VOLUNTEERS)}")
    for card in cards:
        box = await card.bounding_box()
        assert box is not None
        if box["x"] < 0 or box["x"] + box["width"] > width:
            found.append(f"{size}: a volunteer's card is at {box['x']:.0f}+{box['width']:.0f}")
    return found


async def actions_past(page: Page, size: str) -> list[str]:
    """What is past the screen's edge on the space's actions' page."""
    found = await page_width(page, f"{size} actions")
    width = await page.evaluate("window.innerWidth")
    rows = await page.evaluate(ROWS)
    if len(rows) != len(TITLES):
        found.append(f"{size}: {len(rows)} actions shown, not {len(TITLES)}")
    for control in await page.locator(".action button, .action input, .action a.fr-btn").all():
        box = await control.bounding_box()
        if box is not None and (box["x"] < 0 or box["x"] + box["width"] > width):
            label = await control.text_content() or await control.get_attribute("name") or ""
            found.append(
                f"{size}: « {label.strip()[:40]} » is at {box['x']:.0f}+{box['width']:.0f}"
            )
    if len(await page.locator(".action form.places").all()) != len(TITLES):
        found.append(f"{size}: not every card has its « Places libres » form")
    for row in rows:
        title = row["title"][:40]
        for what in ("name", "state"):
            left, right = row[what]
            if (left < 0 or right > width) and not row["scroller_labelled"]:
                found.append(
                    f"{size}: the {what} of « {title} » is at {left:.0f}-{right:.0f}"
                    f" (scrolling in {row['scroller']})"
                )
    return found


async def test_the_association_s_space_fits_a_phone_and_a_desktop(
    infra: Endpoints, dev_issuer: DevIssuer, browser: Browser, mongo: Any
) -> None:
    """On a phone the actions table's last column (« État ») was past the right edge (at
    370-490 px of 390), cut by the table's own sideways scroll, which nothing announced."""
    database = f"test_directory_{uuid.uuid4().hex[:8]}"
    settings = settings_on(DirectorySettings, infra, database, keys="local")
    app = directory_app(dev_issuer.settings_for(settings))
    problems: list[str] = []
    with serve_in_thread(app, name="directory") as base:
        await seed(base, dev_issuer, mongo, database)
        for size, viewport in SIZES.items():
            page = await signed_in(browser, base, viewport)
            try:
                text = await page.locator("main").text_content() or ""
                assert "Marie-Bernadette Dupont-Laurent-Inventé" in text
                await screenshot(page, f"{size}-association")
                problems += await volunteers_past(page, size)
                await page.get_by_role("link", name="Actions", exact=True).click()
                await page.wait_for_url("**/association/actions")
                text = await page.locator("main").text_content() or ""
                for label in ("À jour", "À confirmer", "Masquée (trop ancienne)"):
                    assert label in text, label
                await screenshot(page, f"{size}-association-actions")
                problems += await actions_past(page, size)
                # where the page leads: an action, its edit form and withdrawal's
                # confirmation, a volunteer alone (matching's link)
                for other in (
                    page.get_by_role("link", name=TITLES[0]).first,
                    page.get_by_role("link", name=TITLES[1]).first,
                    page.locator("a.modifier").first,
                    page.locator("a.retirer").first,
                ):
                    await other.click()
                    await page.wait_for_load_state()
                    problems += await page_width(page, f"{size} {page.url}")
                    await page.go_back()
                ref = await volunteer_ref(base, dev_issuer)
                await page.goto(f"{base}/association?benevole={ref}")
                problems += await page_width(page, f"{size} a volunteer alone")
            finally:
                await page.context.close()
    assert problems == [], "\n".join(problems)


async def test_a_volunteers_correction_form_fits_a_phone(
    infra: Endpoints, dev_issuer: DevIssuer, browser: Browser, mongo: Any
) -> None:
    """« Corriger ses coordonnées » from a volunteer's card, at 390 px: the form, then its
    errors beside their fields, within the screen and without axe-core's complaints."""
    async with on_a_phone(infra, dev_issuer, browser, mongo) as (_, page, _database):
        await page.get_by_role("link", name="Corriger ses coordonnées").first.click()
        await page.wait_for_load_state()
        problems = await page_width(page, "the form")
        await page.get_by_label("Prénom").fill("")
        await page.get_by_label("Code postal de sa commune").fill("99999")
        await page.get_by_role("button", name="Enregistrer la correction").click()
        await page.wait_for_load_state()
        errors = await page.locator(".fr-error-text").all_text_contents()
        problems += await page_width(page, "the form with its errors")
        await screenshot(page, "telephone-association-correction-erreurs")
    assert problems == [], "\n".join(problems)
    assert errors == [
        "Indiquez le prénom de la personne.",
        "Ce code postal ne correspond à aucune commune : vérifiez-le, par exemple 44000.",
    ]
