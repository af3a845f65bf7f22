"""On a right-to-left page an arrow points the way the page reads: the Arabic offer page's
« بحث جديد » (new search, back to the search) pointed left, away from where the search
is, and so did the results' « previous page »; « next page » pointed right. The kit's
right-to-left sheet mirrors the DSFR's arrows (once, for every page); French pages keep
them as they are. Checked in Chromium, whose computed style of the icon (a ::before or
::after) is what a reader sees; the pages come from the app in-process, handed to the
browser by Playwright's routing (no port opened)."""

from urllib.parse import urlsplit

import httpx
from playwright.async_api import Browser, Page, Route

from entraide.directory.app import create_app
from tests.browser import PHONE, screenshot
from tests.integration.test_directory_offers import bearer, body, directory_settings
from tests.support import serving

__all__ = ["directory_settings"]  # the fixture, shared with the offers' tests

SITE = "http://annuaire.test"
MIRRORED = "matrix(-1, 0, 0, 1, 0, 0)"
# the links whose arrow has a direction
BACK = 'a[href="/recherche"].fr-icon-arrow-left-line'
PREVIOUS = "a.fr-pagination__link--prev[href]"
NEXT = "a.fr-pagination__link--next[href]"


async def drawn(page: Page, link: str) -> dict[str, str]:
    """The computed transform and side margins of a link's icon: its ::before or ::after,
    whichever draws it (the DSFR's « next page » uses one or the other by screen width)."""
    return await page.eval_on_selector(
        link,
        """(a) => { for (const pseudo of ["::before", "::after"]) {
          const s = getComputedStyle(a, pseudo);
          if (s.content !== "none" && (s.maskImage !== "none" || s.backgroundImage !== "none"))
            return {transform: s.transform, left: s.marginLeft, right: s.marginRight};
        } return null; }""",
    )


async def test_arrows_point_back_to_the_right_on_an_arabic_page(
    directory_settings, dev_issuer, browser: Browser
) -> None:
    async with serving(create_app(directory_settings)) as client:
        ppm = await bearer(dev_issuer, "ppm-nantes")
        for n in range(21):  # two pages of results
            offer = body("Rezé", nom=f"Parrainage numéro {n}")
            created = await client.post("/api/v1/staff/offers", json=offer, headers=ppm)
            assert created.status_code == 201, created.text
        offer_id = created.json()["offer_id"]

        async def answer(route: Route) -> None:
            asked = urlsplit(route.request.url)
            got = await client.get(f"{asked.path}?{asked.query}")
            await route.fulfill(status=got.status_code, headers=_passed(got), body=got.content)

        seen: dict[str, dict[str, dict[str, str]]] = {}
        for code in ("fr", "ar"):
            context = await browser.new_context(locale=code, viewport=PHONE)
            page = await context.new_page()
            await page.route(f"{SITE}/**", answer)
            try:
                await page.goto(f"{SITE}/offres/{offer_id}?lang={code}")
                back = await drawn(page, BACK)
                await screenshot(page, f"offre-retour-{code}")
                await page.goto(f"{SITE}/recherche?lieu=Rez%C3%A9&lang={code}")
                following = await drawn(page, NEXT)
                await page.goto(f"{SITE}/recherche?lieu=Rez%C3%A9&page=2&lang={code}")
                previous = await drawn(page, PREVIOUS)
                await screenshot(page, f"recherche-page-2-{code}")
            finally:
                await context.close()
            seen[code] = {"back": back, "next": following, "previous": previous}

    for arrow in ("back", "next", "previous"):
        assert seen["fr"][arrow]["transform"] == "none", (arrow, seen["fr"])
        assert seen["ar"][arrow]["transform"] == MIRRORED, (arrow, seen["ar"])
    # the gap between the arrow and the words is on the words' side: after the arrow in
    # French (its right), before it in Arabic (its left)
    assert seen["fr"]["back"]["right"] == seen["ar"]["back"]["left"] == "8px"


def _passed(got: httpx.Response) -> dict[str, str]:
    """The answer's headers as the browser may take them (the body is already decoded)."""
    return {k: v for k, v in got.headers.items() if k not in ("content-encoding", "content-length")}
