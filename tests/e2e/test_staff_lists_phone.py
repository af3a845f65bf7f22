"""Staff's lists on a phone (390 px) and a desktop (1280 px), in Chromium, each service served
over real HTTP with something in every list: no cell past the screen's right edge, no
sideways scroll, and each value still shown with its column's header.

On a phone the DSFR's tables scrolled sideways in their own box, which nothing announced:
intake's families (Association to « État » at 330-817 px), privacy's cases (« Sujet » to
« Ouvrir » at 203-724 px), matching's waiting list (« Raison » at 361-430 px)."""

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from playwright.async_api import Browser, Page, ViewportSize

from entraide.intake.app import create_app as intake_app
from entraide.intake.settings import IntakeSettings
from entraide.kit import formats
from entraide.matching.app import create_app as matching_app
from entraide.matching.settings import MatchingSettings
from entraide.privacy.app import create_app as privacy_app
from entraide.privacy.settings import PrivacySettings
from tests.auth_support import DEMO_PASSWORD, DevIssuer
from tests.browser import accessibility_violations, screenshot
from tests.infra import Endpoints, settings_on
from tests.integration.test_staff_pages import create, csrf_of
from tests.page_text import text_of
from tests.servers import serve_in_thread
from tests.support import eventually

pytestmark = [pytest.mark.kafka, pytest.mark.store, pytest.mark.slow]

SIZES = {"telephone": (390, 844), "bureau": (1280, 900)}
NOW = datetime.now(UTC).replace(microsecond=0)

# Each table's cells in `main` (those in a closed <details> apart): past the screen's edges,
# and for each cell under a header with visible text, whether that text is on screen for
# it: the header itself in view (a table), or written before the value (a card's line).
CELLS = """() => {
  const width = window.innerWidth;
  const found = [];
  const visible = th => {
    const text = th.textContent.trim();
    const hidden = [...th.querySelectorAll('.fr-sr-only')].map(e => e.textContent).join('').trim();
    return hidden === text ? '' : text;
  };
  for (const table of document.querySelectorAll('main table')) {
    if (table.closest('details:not([open])')) continue;
    const heads = [...table.querySelectorAll('thead th')];
    for (const row of table.querySelectorAll('tbody tr')) {
      [...row.cells].forEach((cell, i) => {
        const box = cell.getBoundingClientRect();
        const text = cell.innerText.trim().slice(0, 30);
        if (box.left < -0.5 || box.right > width + 0.5) {
          found.push(`« ${text} » at ${Math.round(box.left)}-${Math.round(box.right)} px`);
        }
        const th = heads[i];
        const header = th && cell.colSpan === 1 ? visible(th) : '';
        if (!header) return;
        const seen = th.getBoundingClientRect();
        const inView = seen.width > 1 && seen.height > 1 && seen.left >= -0.5
          && seen.right <= width + 0.5;
        const before = getComputedStyle(cell, '::before');
        const written = before.display !== 'none' && before.content === JSON.stringify(header);
        if (!inView && !written) found.push(`« ${text} » shown without « ${header} »`);
      });
    }
  }
  return found;
}"""


async def sign_in(page: Page, base: str, account: str) -> None:
    await page.goto(f"{base}/connexion?suivant=/")
    await page.get_by_label("Identifiant").fill(account)
    await page.get_by_label("Mot de passe").fill(DEMO_PASSWORD)
    await page.get_by_role("button", name="Se connecter").click()
    await page.wait_for_load_state()


async def problems_on(page: Page, size: str, url: str) -> list[str]:
    """What does not fit on this page; on the phone, what axe-core finds wrong too."""
    await page.goto(url)
    for summary in await page.locator("main details > summary").all():
        await summary.click()
    path = url.split("/", 3)[-1]
    await screenshot(page, f"{size}-liste-{path.replace('/', '-').replace('?', '-')}"[:80])
    where = f"{size} /{path}"
    found = [] if await page.locator("main table tbody tr").count() else [f"{where}: no table"]
    wide, width = await page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    if wide > width:
        found.append(f"{where}: the page is {wide} px wide in {width} px")
    found += [f"{where}: {p}" for p in await page.evaluate(CELLS)]
    if size == "telephone":
        found += [f"{where}: axe {v}" for v in await accessibility_violations(page)]
    return found


async def problems_of(
    browser: Browser, base: str, account: str, paths: list[str], signed_out: tuple[str, ...] = ()
) -> list[str]:
    """What does not fit, at each size, on the pages `signed_out` then, signed in as
    `account`, on `paths`."""
    found: list[str] = []
    for size, (width, height) in SIZES.items():
        viewport: ViewportSize = {"width": width, "height": height}
        context = await browser.new_context(locale="fr-FR", viewport=viewport)
        page = await context.new_page()
        try:
            for path in signed_out:
                found += await problems_on(page, size, f"{base}{path}")
            await sign_in(page, base, account)
            for path in paths:
                found += await problems_on(page, size, f"{base}{path}")
        finally:
            await context.close()
    return found


async def test_intake_s_families_and_journal_fit_a_phone(
    infra: Endpoints, dev_issuer: DevIssuer, browser: Browser
) -> None:
    """The families' Association, Besoins, Urgence and « État » were at 330-817 px; the
    sign-in page's demo accounts (the kit's) past the edge too."""
    name = f"test_intake_{uuid.uuid4().hex[:8]}"
    settings = settings_on(IntakeSettings, infra, name, keys="local")
    with serve_in_thread(intake_app(dev_issuer.settings_for(settings)), name="intake") as base:
        async with httpx.AsyncClient(base_url=base) as staff:
            await dev_issuer.sign_in(staff, "ppm-nantes")
            needs = ["parrainage-de-proximite", "repit-garde-ponctuelle", "ecoute"]
            for n in range(2):
                person = {
                    "parent.last_name": f"Diallo-Liste{n}",
                    "parent.email": "",
                    "children": "",
                }
                person |= {"parent.phone": f"06 12 34 56 7{n}", "children": "2012, 2016, 2019"}
                recorded = await create(staff, needs=needs, **person)
                assert recorded.status_code == 303, recorded.text
            family = recorded.headers["location"].split("?")[0].rsplit("/", 1)[-1]
        paths = ["/familles", f"/familles/{family}/journal"]
        problems = await problems_of(
            browser, base, "coordination-reseau", paths, signed_out=("/connexion",)
        )
    assert problems == [], "\n".join(problems)


async def test_privacy_s_cases_and_retention_fit_a_phone(
    infra: Endpoints, dev_issuer: DevIssuer, browser: Browser, mongo: Any
) -> None:
    """The cases' « Sujet » to « Ouvrir » were at 203-724 px."""
    name = f"test_privacy_{uuid.uuid4().hex[:8]}"
    settings = settings_on(PrivacySettings, infra, name, sweep_interval_seconds=0)
    db = mongo[name]
    ref = "fam-liste-telephone-0001"
    await db["subjects"].insert_one(
        {"_id": ref, "kind": "family", "last_contact_at": NOW, "first_seen_at": NOW}
        | {"departement": "44", "contact_channels": ["sms"]}
    )
    dimensions = {"year": NOW.year, "kind": "family", "departement": "44"}
    await db["statistics"].insert_one(
        {"_id": "stats"} | dimensions | {"reason": "retention", "years_followed": 3, "erased": 4}
    )
    with serve_in_thread(privacy_app(dev_issuer.settings_for(settings)), name="privacy") as base:
        async with httpx.AsyncClient(base_url=base) as dpo:
            await dev_issuer.sign_in(dpo, "dpo")
            listing = await dpo.get("/dossiers")
            form = {"kind": "erasure", "subject_kind": "family", "subject_ref": ref}
            opened = await dpo.post("/dossiers", data=form | {"csrf": csrf_of(listing.text)})
            assert opened.status_code == 303, opened.text
            case = opened.headers["location"]
        problems = await problems_of(browser, base, "dpo", ["/dossiers", case, "/conservation"])
    assert problems == [], "\n".join(problems)


def proposal(request_id: str, since: datetime) -> dict[str, Any]:
    """A proposal to a Parrains Par Mille volunteer, waiting for its answer."""
    parts = ("distance", "slots", "language", "continuity", "load", "skills")
    return {
        "_id": f"m-{request_id}",
        "request_id": request_id,
        "family_ref": f"fam-{request_id}",
        "support_key": "volunteer:vol-liste-telephone",
        "association_id": "parrains-par-mille",
        "departement": "44",
        "needs": ["parrainage-de-proximite"],
        "urgency": "high",
        "state": "proposed",
        "score": 0.82,
        "breakdown": {p: 0.5 for p in parts} | {"fit": 0.78, "priority": 0.9},
        "reasons": ["à 3 km", "créneaux communs"],
        "distance_km": 3.2,
        "proposed_by": "engine",
        "proposed_at": since,
        "expires_at": since + timedelta(days=7),
        "check_ins": [],
    }


async def test_matching_s_waiting_list_and_proposals_fit_a_phone(
    infra: Endpoints, dev_issuer: DevIssuer, browser: Browser, mongo: Any
) -> None:
    """The waiting list's « Raison » was at 361-430 px; a proposal's score detail (eight
    columns) past the card's edge."""
    name = f"test_matching_{uuid.uuid4().hex[:8]}"
    settings = settings_on(MatchingSettings, infra, name, retry_backoff_seconds=0.05)
    db = mongo[name]
    needs = ["parrainage-de-proximite", "repit-garde-ponctuelle", "accompagnement-scolaire"]
    await db["waitlist"].insert_many(
        [
            {"_id": f"req-liste-{n}", "departement": "44", "needs": needs, "urgency": "high"}
            | {"reason": "no-capacity", "family_ref": f"fam-liste-{n}"}
            | {"association_id": "parrains-par-mille", "since": NOW - timedelta(days=n)}
            | {"waiting_since": NOW - timedelta(days=n)}
            for n in (1, 2)
        ]
    )
    await db["matches"].insert_one(proposal("req-liste-3", NOW - timedelta(days=1)))
    with serve_in_thread(matching_app(dev_issuer.settings_for(settings)), name="matching") as base:
        problems = await problems_of(
            browser, base, "coordination-ppm", ["/attente", "/propositions"]
        )
    assert problems == [], "\n".join(problems)


async def test_matching_s_follow_ups_with_a_check_expired_fit_a_phone(
    infra: Endpoints, dev_issuer: DevIssuer, browser: Browser, mongo: Any
) -> None:
    """An ongoing support whose volunteer's honorability check expired says so on its card
    (/suivis), with no sideways scroll on a phone."""
    name = f"test_matching_{uuid.uuid4().hex[:8]}"
    settings = settings_on(MatchingSettings, infra, name, retry_backoff_seconds=0.05)
    db = mongo[name]
    lapsed = (NOW - timedelta(days=2)).date()
    await db["volunteers"].insert_one(
        {"_id": "vol-liste-telephone", "association_id": "parrains-par-mille"}
        | {"postal_code": "44000", "departement": "44", "needs": ["parrainage-de-proximite"]}
        | {"capacity": 1, "active": True, "honorability_valid_until": lapsed.isoformat()}
    )
    started = NOW - timedelta(days=40)
    await db["matches"].insert_one(
        proposal("req-suivi-1", started)
        | {"state": "started", "accepted_at": started, "started_at": started}
    )
    said = f"Attestation d'honorabilité expirée le {formats.long_day(lapsed)}"
    with serve_in_thread(matching_app(dev_issuer.settings_for(settings)), name="matching") as base:
        async with httpx.AsyncClient(base_url=base) as staff:
            await dev_issuer.sign_in(staff, "coordination-ppm")

            async def shown() -> bool:
                return said in text_of((await staff.get("/suivis")).text)

            await eventually(shown, what="the card's notice")
        context = await browser.new_context(locale="fr-FR", viewport={"width": 390, "height": 844})
        page = await context.new_page()
        try:
            await sign_in(page, base, "coordination-ppm")
            await page.goto(f"{base}/suivis")
            await screenshot(page, "telephone-suivis-attestation")
            wide, width = await page.evaluate(
                "[document.documentElement.scrollWidth, window.innerWidth]"
            )
            notice = await page.get_by_text(said).bounding_box()
            violations = await accessibility_violations(page)
        finally:
            await context.close()
    assert wide <= width, f"the page is {wide} px wide in {width} px"
    assert notice is not None
    assert notice["x"] >= 0
    assert notice["x"] + notice["width"] <= width
    assert violations == []
