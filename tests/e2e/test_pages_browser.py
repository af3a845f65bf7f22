"""Every page of every role, in Chromium, on a phone (390 px) and a desktop (1280 px).

The four services run as processes on the real Kafka and store (the journey's fixture),
with a few invented offers, a volunteer of UNAF in Nevers, two families the centres sociaux
record there (one proposed to the volunteer and accepted, one waiting for the
coordinator's answer) and a DPO's access case. Each role signs in once per screen size, in
a browser context of its own, then every page it uses is opened and must have:

- no console error and no uncaught exception (the DSFR's script included);
- no horizontal scroll of the page (`scrollWidth <= innerWidth`): wide tables scroll in
  their own container;
- sign-out (signed-in pages) or staff sign-in (the sign-in pages themselves) reachable:
  visible, or in the header's menu once its button is pressed (phones); a public page
  (a parent's or a volunteer's, in their language) offers no staff sign-in at all;
- no axe-core violation (WCAG 2.x rules, none excluded);
- forms whose submission failed: the focus on the error summary.

Screenshots of every page go to `.run/screenshots/` (`.run/` is ignored by git) for a person
to review: `telephone-familles.png`, `bureau-dossier.png`...
All failures are gathered and reported together.
"""

import asyncio
import contextlib
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
from playwright.async_api import Browser, Locator, Page, expect
from playwright.async_api import TimeoutError as PlaywrightTimeoutError

from entraide.directory.domain.offers.demo import demo_offers
from tests.auth_support import DevIssuer
from tests.browser import accessibility_violations
from tests.e2e.test_journey import (
    SERVICES,
    STEP,
    Journey,
    apply_as_volunteer,
    approve_with_cleared_check,
    family,
    journey,  # noqa: F401  (the fixture: four services as processes)
    open_signed_in,
    ready,
    signed_in,
)
from tests.support import eventually, pages

SCREENSHOTS = Path(__file__).resolve().parents[2] / ".run/screenshots"
SIZES = {"telephone": (390, 844), "bureau": (1280, 900)}


@dataclass
class Visit:
    """One page as a role sees it; with `failed_form`, as it answers that form sent empty."""

    name: str
    url: str
    failed_form: str = ""  # the submit button's name: sent empty, the summary gets the focus
    search: dict[str, str] = field(default_factory=dict)  # labels filled, then « Chercher »
    check: Callable[[Page], Awaitable[list[str]]] | None = None  # what else this page must show


@dataclass
class Role:
    name: str
    account: str | None  # None: the public, signed in nowhere
    visits: list[Visit] = field(default_factory=list)


async def seed(api: Journey, browser: Browser, dev_issuer: DevIssuer) -> dict[str, Any]:
    """Something on every page: offers, a volunteer, two families, a proposal accepted and
    one waiting, a DPO's closed access case."""
    urls = api.urls
    network = {"Authorization": f"Bearer {await dev_issuer.token_for('coordination-reseau')}"}
    for association, offer in [o for o in demo_offers() if o[1].zone_eligibilite[0] == "44"][:6]:
        answer = await api.http.post(
            f"{urls['directory']}/api/v1/staff/offers",
            params={"association": association},
            content=offer.model_dump_json(),
            headers=network | {"content-type": "application/json"},
        )
        assert answer.status_code in (200, 201), answer.text
    offers = (await api.http.get(f"{urls['directory']}/api/v1/offers?lieu=Nantes")).json()
    offer_id = offers["results"][0]["offer_id"]

    await apply_as_volunteer(browser, urls["directory"])
    await approve_with_cleared_check(browser, urls["directory"])
    first = await api.record(family("Pagesun", "06 10 20 30 40"))
    accepted = await eventually(lambda: api.proposal(first["request_id"]), timeout=STEP, what="1st")
    decided = await api.http.post(
        f"{urls['matching']}/api/v1/proposals/{accepted['match_id']}",
        json={"decision": "accept"},
        headers=api.as_("coordinator"),
    )
    assert decided.status_code == 200, decided.text
    second = await api.record(family("Pagesdeux", "06 50 60 70 80"))
    await eventually(lambda: api.proposal(second["request_id"]), timeout=STEP, what="2nd")

    dpo = api.as_("dpo")
    opened = await api.http.post(
        f"{urls['privacy']}/api/v1/cases",
        json={"kind": "access", "subject_ref": first["ref"]},
        headers=dpo,
    )
    assert opened.status_code == 201, opened.text
    case_id = opened.json()["case_id"]

    async def closed(case_id: str) -> bool:
        case = await api.http.get(f"{urls['privacy']}/api/v1/cases/{case_id}", headers=dpo)
        return bool(case.json()["status"] == "closed")

    await eventually(lambda: closed(case_id), timeout=90, what="the access case closes")
    # the volunteer asked the DPO for a correction: their card says it (directory answers)
    unaf = api.as_("coordinator")
    listed = await pages(api.http, f"{urls['directory']}/api/v1/staff/volunteers", unaf)
    everyone = [v for page in listed for v in page["volunteers"]]
    ref = next(v["volunteer_ref"] for v in everyone if v["identity"]["prenom"] == "Rose")
    asked = {"kind": "rectification", "subject_ref": ref, "subject_kind": "volunteer"}
    routed = await api.http.post(f"{urls['privacy']}/api/v1/cases", json=asked, headers=dpo)
    assert routed.status_code == 201, routed.text
    correction = routed.json()["case_id"]

    async def flagged(case_id: str) -> bool:
        case = await api.http.get(f"{urls['privacy']}/api/v1/cases/{case_id}", headers=dpo)
        return "directory" in case.json()["acks"]  # the case waits for the correction

    await eventually(lambda: flagged(correction), timeout=90, what="the correction is noted")
    return {"offer_id": offer_id, "first": first, "case_id": case_id}


def roles(urls: dict[str, str], seeded: dict[str, Any]) -> list[Role]:
    d, i, m, p = (urls[s] for s in SERVICES)
    first, case = seeded["first"], seeded["case_id"]
    record = f"{i}/familles/{first['family_id']}"
    return [
        Role(
            "public",
            None,
            [
                Visit("annuaire-accueil", f"{d}/"),
                Visit("annuaire-recherche", f"{d}/recherche?lieu=Nantes&q=parrainage"),
                Visit("annuaire-offre", f"{d}/offres/{seeded['offer_id']}"),
                Visit("annuaire-benevole", f"{d}/devenir-benevole"),
                Visit(
                    "annuaire-benevole-erreurs",
                    f"{d}/devenir-benevole",
                    failed_form="Envoyer ma candidature",
                ),
                *(Visit(f"{s}-connexion", f"{urls[s]}/connexion") for s in SERVICES),
                Visit("accueil-connexion-erreurs", f"{i}/connexion", failed_form="Se connecter"),
            ],
        ),
        Role(
            "equipe",  # staff of the centres sociaux in the Nièvre
            "centres-sociaux-nievre",
            [
                Visit("familles", f"{i}/familles"),
                Visit(
                    "familles-recherche",
                    f"{i}/familles",  # a POST: no name in the address
                    search={"Nom": "Pagesun", "Prénom": "Amina"},
                ),
                Visit("famille-nouvelle", f"{i}/familles/nouvelle"),
                Visit(
                    "famille-nouvelle-erreurs",
                    f"{i}/familles/nouvelle",
                    failed_form="Enregistrer la demande",
                ),
                Visit("famille", record),
                Visit(
                    "famille-modifier",
                    f"{record}/demandes/{first['request_id']}/modifier",
                ),
                Visit("famille-par-reference", f"{i}/familles/par-reference/{first['ref']}"),
            ],
        ),
        Role(
            "espace-association",
            "unaf-nievre",
            [
                Visit("association", f"{d}/association", check=volunteers_first),
                Visit("association-actions", f"{d}/association/actions"),
                # signed in, the public pages offer to sign out
                Visit("association-recherche", f"{d}/recherche?lieu=Nantes"),
                Visit("association-benevole", f"{d}/devenir-benevole"),
            ],
        ),
        Role(
            "coordination",
            "coordination-unaf",
            [
                Visit("propositions", f"{m}/propositions"),
                Visit("attente", f"{m}/attente"),
                Visit("suivis", f"{m}/suivis"),
            ],
        ),
        Role(
            "reseau",
            "coordination-reseau",
            [
                Visit("reseau-propositions", f"{m}/propositions"),
                Visit("reseau-attente", f"{m}/attente"),
                Visit("reseau-journal", f"{record}/journal"),
            ],
        ),
        Role(
            "dpo",
            "dpo",
            [
                Visit("dossiers", f"{p}/dossiers"),
                Visit("dossiers-erreurs", f"{p}/dossiers", failed_form="Ouvrir le dossier"),
                Visit("dossier", f"{p}/dossiers/{case}"),
                Visit("dossier-export", f"{p}/dossiers/{case}/export.html"),
                Visit("conservation", f"{p}/conservation"),
                Visit("journal", f"{record}/journal"),
            ],
        ),
    ]


async def volunteers_first(page: Page) -> list[str]:
    """The association's space: the volunteers to review, the actions on a page of their
    own (the space's menu), each volunteer's name above their review form and above the
    notes on them (a correction asked through the DPO, on the first page: it waits)."""
    found = []
    if await page.get_by_role("heading", name="Vos actions").count():
        found.append("the actions are still below the volunteers, not on their own page")
    menu = page.get_by_role("navigation", name="Rubriques de l'espace association")
    if not await menu.get_by_role("link", name="Actions").count():
        found.append("the space's menu does not lead to the actions")
    card = page.locator(".benevole").first
    name = await _top(card.get_by_role("heading"))
    if name > await _top(card.locator("form")):
        found.append("a volunteer's review form is above their name")
    rose = page.locator(".benevole").filter(has_text="Rose Parcours-Inventé")
    if not await rose.locator(".rectification").count():
        found.append("the correction the volunteer asked for is not said on their card")
    for note in await rose.locator(".fr-alert").all():
        if await _top(note) < await _top(rose.get_by_role("heading")):
            found.append("a note on a volunteer is above their name")
    return found


async def _top(locator: Locator) -> float:
    box = await locator.bounding_box()
    assert box is not None, locator
    return float(box["y"])


class Walk:
    """The pages of one role at one size, in one browser context; what went wrong."""

    def __init__(self, size: str, role: Role):
        self.size, self.role = size, role
        self.problems: list[str] = []

    async def visit(self, page: Page, visit: Visit, errors: list[str]) -> None:
        errors.clear()
        where = f"{self.size} {self.role.name} {visit.name}"
        answer = await page.goto(visit.url)
        assert answer is not None
        if answer.status != 200:
            self.problems.append(f"{where}: HTTP {answer.status} at {page.url}")
            return
        if visit.failed_form:
            try:
                async with page.expect_navigation(timeout=10_000):
                    await page.get_by_role("button", name=visit.failed_form, exact=True).click()
            except PlaywrightTimeoutError:
                self.problems.append(f"{where}: the form was not sent (no `novalidate`?)")
                return
            await expect(page.locator("#erreurs")).to_be_visible()
        if visit.search:
            for label, value in visit.search.items():
                await page.get_by_label(label, exact=True).fill(value)
            async with page.expect_navigation(timeout=10_000):
                await page.get_by_role("button", name="Chercher", exact=True).click()
            await expect(
                page.get_by_role("heading", name="Résultats de la recherche")
            ).to_be_visible()
        await expect(page.locator("html")).to_have_attribute("data-fr-js", "true")
        await page.screenshot(path=SCREENSHOTS / f"{self.size}-{visit.name}.png", full_page=True)
        if visit.failed_form:
            focused = await page.evaluate("document.activeElement && document.activeElement.id")
            if focused != "erreurs":
                self.problems.append(f"{where}: focus on {focused!r}, not the error summary")
        wide = await page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
        if wide[0] > wide[1]:
            self.problems.append(f"{where}: the page is {wide[0]} px wide in {wide[1]} px")
        signed_in = self.role.account is not None
        public = "content-language" in answer.headers  # a parent's page (kit/i18n.py)
        if public and not signed_in:
            staff = page.get_by_role("banner").locator('a[href^="/connexion"]')
            if await staff.count():
                self.problems.append(f"{where}: a public page offers the staff's sign-in")
        elif not await self.reachable(
            page,
            "button" if signed_in else "link",
            "Se déconnecter" if signed_in else "Se connecter",
            SCREENSHOTS / f"{self.size}-{visit.name}-menu.png",
        ):
            self.problems.append(f"{where}: sign-{'out' if signed_in else 'in'} not reachable")
        self.problems += [f"{where}: axe {v}" for v in await accessibility_violations(page)]
        if visit.check:
            self.problems += [f"{where}: {p}" for p in await visit.check(page)]
        if visit.failed_form:  # the form's answer itself is a 4xx, by design
            errors[:] = [e for e in errors if not e.endswith(f"({page.url})")]
        self.problems += [f"{where}: console {e}" for e in errors]

    async def reachable(self, page: Page, kind: str, name: str, shot: Path) -> bool:
        """Visible in the header, or in its menu once the menu button is pressed (then
        screenshot with the menu open)."""
        header = page.get_by_role("banner")
        if await header.get_by_role(kind, name=name).first.is_visible():  # type: ignore[arg-type]
            return True
        menu = header.get_by_role("button", name="Menu")
        if not await menu.is_visible():
            return False
        await menu.click()
        shown = page.locator("#menu-principal").get_by_role(kind, name=name)  # type: ignore[arg-type]
        try:
            await expect(shown).to_be_visible(timeout=3000)
            await page.screenshot(path=shot)
            return True
        except AssertionError:
            return False
        finally:
            await page.get_by_role("button", name="Fermer").click()


@contextlib.asynccontextmanager
async def context_for(
    browser: Browser, size: tuple[int, int], errors: list[str]
) -> AsyncIterator[Page]:
    width, height = size
    context = await browser.new_context(locale="fr-FR", viewport={"width": width, "height": height})
    page = await context.new_page()
    page.on(
        "console",
        lambda m: errors.append(f"{m.text} ({m.location['url']})") if m.type == "error" else None,
    )
    page.on("pageerror", lambda e: errors.append(f"uncaught {e}"))
    try:
        yield page
    finally:
        await context.close()


async def test_every_page_of_every_role_on_a_phone_and_a_desktop(
    journey: dict[str, str],  # noqa: F811
    browser: Browser,
    dev_issuer: DevIssuer,
    mongo: Any,
) -> None:
    urls, run = journey, journey["run"]
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    db = {s: mongo[f"{run}_{s}"] for s in SERVICES}
    async with httpx.AsyncClient(timeout=30) as http:
        await eventually(lambda: ready(http, urls), timeout=90, what="four services ready")
        api = await signed_in(http, urls, dev_issuer, db)
        began = time.monotonic()
        try:
            seeded = await seed(api, browser, dev_issuer)
            started = time.monotonic()
            # the two sizes at once, each role in a context of its own
            walked = await asyncio.gather(
                *(
                    walk_at(browser, name, size, roles(urls, seeded), urls)
                    for name, size in SIZES.items()
                )
            )
            print(
                f"seeded in {started - began:.0f} s, walked in {time.monotonic() - started:.0f} s"
            )
            problems = [problem for found in walked for problem in found]
        finally:
            await api.withdraw_all()
    assert problems == [], "\n".join(problems)


async def walk_at(
    browser: Browser, size_name: str, size: tuple[int, int], walks: list[Role], urls: dict[str, str]
) -> list[str]:
    """Every role's pages at one size; the problems found."""
    problems: list[str] = []
    for role in walks:
        errors: list[str] = []
        async with context_for(browser, size, errors) as page:
            walk = Walk(size_name, role)
            if role.account:  # one session cookie for every port of 127.0.0.1
                await open_signed_in(page, f"{urls['intake']}/connexion", role.account)
            for visit in role.visits:
                await walk.visit(page, visit, errors)
            problems += walk.problems
    return problems
