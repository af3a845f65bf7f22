"""The observatory's pages in Chromium, over a generated year at the five territories'
scale: as a funder sees them (every territory, anonymous figures), with no axe-core
violation; each chart beside its table; the CSV export; the monthly report, whose PDF is
rendered to PNG here to check it is a real, readable page."""

import asyncio
import csv
import io
import uuid
from collections.abc import Iterator
from pathlib import Path

import httpx
import pypdfium2
import pytest
from playwright.async_api import Browser, expect

from entraide.contracts.events import RequestSubmitted
from entraide.observatory.adapters.archive import ParquetArchive
from entraide.observatory.adapters.simulation import year_of_activity
from entraide.observatory.app import create_app
from entraide.observatory.settings import ObservatorySettings
from tests.auth_support import DevIssuer
from tests.browser import (  # noqa: F401 (fixture)
    accessibility_violations,
    browser,
    fits,
    screenshot,
)
from tests.infra import Endpoints, settings_on
from tests.servers import serve_in_thread
from tests.unit.observatory.svg_text import from_data_uri, smallest_px
from tests.unit.observatory.year import replayed

pytestmark = [pytest.mark.kafka, pytest.mark.store, pytest.mark.slow]
# A past year: the observatory also consumes the session's shared topics, where other
# tests publish requests dated today; they must not land in the generated year's cells.
YEAR = 2025
PAGES = [
    "/",
    f"/indicateurs/demande-besoin?annee={YEAR}",
    f"/indicateurs/delai-proposition?annee={YEAR}&mois={YEAR}-03&filtre=association&valeur=afev",
    f"/indicateurs/attente-motif?annee={YEAR}&mois=*&filtre=need&valeur=ecoute",
    f"/indicateurs/benevoles-parcours?annee={YEAR}&mois={YEAR}-06&filtre=association&valeur=afev",
    f"/rapport?territoire=58&mois={YEAR}-03",
]
GENERATED = year_of_activity(YEAR)


@pytest.fixture(scope="module")
def observatory_url(
    infra: Endpoints, dev_issuer: DevIssuer, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    """The observatory serving a generated year (replayed into its archive, then refreshed)."""
    data = tmp_path_factory.mktemp("observatory")
    replayed(GENERATED, data, refresh=False)  # the year's Parquet files
    assert list(Path(ParquetArchive(data).facts).glob("kind=*"))
    settings = dev_issuer.settings_for(
        settings_on(
            ObservatorySettings,
            infra,
            f"test_observatory_{uuid.uuid4().hex[:8]}",
            data_dir=data,
            refresh_interval_seconds=0,
        )
    )
    with serve_in_thread(create_app(settings), name="observatory") as url:
        token = asyncio.run(dev_issuer.token_for("coordination-reseau"))
        answer = httpx.post(
            f"{url}/api/actualiser", headers={"Authorization": f"Bearer {token}"}, timeout=600
        )
        assert answer.status_code == 200, answer.text
        yield url


async def funder(dev_issuer: DevIssuer) -> dict[str, str]:
    return {"Authorization": f"Bearer {await dev_issuer.token_for('financeur')}"}


async def test_pages_pass_axe_core_as_a_funder_sees_them(
    observatory_url: str,
    dev_issuer: DevIssuer,
    browser: Browser,  # noqa: F811
) -> None:
    failures: list[str] = []
    for size in ({"width": 390, "height": 844}, {"width": 1280, "height": 900}):
        context = await browser.new_context(
            locale="fr-FR", viewport=size, extra_http_headers=await funder(dev_issuer)
        )
        page = await context.new_page()
        for path in PAGES:
            answer = await page.goto(observatory_url + path)
            assert answer is not None
            assert answer.status == 200, path
            failures += [
                f"{path} ({size['width']}px): {v}" for v in await accessibility_violations(page)
            ]
            if not await fits(page):  # the chart was 670 px wide at 390
                failures.append(f"{path} ({size['width']}px): wider than the screen")
        await context.close()
    assert not failures, failures


SHOWN_CHARTS = """[...document.querySelectorAll("figure img")]
    .filter((img) => img.getClientRects().length > 0)
    .map((img) => ({src: img.src, natural: img.naturalWidth, width: img.clientWidth}))"""


async def test_a_phone_shows_the_narrow_chart_its_text_at_least_11_px_and_a_computer_the_wide(
    observatory_url: str,
    dev_issuer: DevIssuer,
    browser: Browser,  # noqa: F811
) -> None:
    path = f"/indicateurs/attente-motif?annee={YEAR}"  # the longest names: the reasons
    shown = {}
    for width in (390, 1280):
        context = await browser.new_context(
            locale="fr-FR",
            viewport={"width": width, "height": 900},
            extra_http_headers=await funder(dev_issuer),
        )
        page = await context.new_page()
        answer = await page.goto(observatory_url + path)
        assert answer is not None
        assert answer.status == 200
        [shown[width]] = await page.evaluate(SHOWN_CHARTS)  # one chart shown, not both
        assert await fits(page), f"{width} px: wider than the screen"
        await screenshot(page, f"observatoire-graphique-{width}")
        await context.close()
    phone, computer = shown[390], shown[1280]
    assert phone["natural"] < 390 <= computer["natural"], (phone["natural"], computer["natural"])
    assert phone["width"] <= 390
    for chart in (phone, computer):
        assert smallest_px(from_data_uri(chart["src"]), chart["width"]) >= 11


async def test_each_chart_sits_beside_its_table_and_the_view_exports_as_csv(
    observatory_url: str, dev_issuer: DevIssuer
) -> None:
    headers = await funder(dev_issuer)
    async with httpx.AsyncClient(base_url=observatory_url, headers=headers, timeout=60) as client:
        page = (await client.get("/indicateurs/demande-besoin", params={"annee": str(YEAR)})).text
        assert '<img src="data:image/svg+xml;base64,' in page
        assert 'alt="Graphique en barres' in page
        assert '<table id="chiffres" tabindex="0"' in page
        assert "Loire-Atlantique" in page
        assert "Autres territoires" in page
        exported = await client.get(
            "/api/indicateurs/demande-besoin.csv", params={"annee": str(YEAR)}
        )
        assert exported.headers["content-type"].startswith("text/csv")
        rows = list(csv.DictReader(io.StringIO(exported.text), delimiter=";"))
        total = [r for r in rows if r["territoire"] == "*" and r["valeur"] == "*"]
        submitted = sum(isinstance(e.data, RequestSubmitted) for e in GENERATED)
        assert total[0]["nombre"] == str(submitted)
        assert all(
            r["nombre"] == "" or int(r["nombre"]) == 0 or int(r["nombre"]) >= 5 for r in rows
        )


async def test_the_monthly_report_pdf_renders_to_a_page(
    observatory_url: str, dev_issuer: DevIssuer, tmp_path: Path
) -> None:
    headers = await funder(dev_issuer)
    async with httpx.AsyncClient(base_url=observatory_url, headers=headers, timeout=60) as client:
        html = await client.get("/rapport", params={"territoire": "58", "mois": f"{YEAR}-03"})
        assert f"Nièvre, mars {YEAR}" in html.text
        assert "Bénévoles agréés dans le mois, par besoin" in html.text
        assert "Candidatures de bénévoles : reçues, agréées, refusées" in html.text
        assert "Candidatures reçues" in html.text  # the funnel's first stage
        pdf = await client.get("/rapport.pdf", params={"territoire": "58", "mois": f"{YEAR}-03"})
    assert pdf.headers["content-type"] == "application/pdf"
    document = pypdfium2.PdfDocument(pdf.content)
    assert len(document) >= 1
    text = document[0].get_textpage().get_text_range()
    assert f"Nièvre, mars {YEAR}" in text
    assert "Demandes par besoin" in text
    image = document[0].render(scale=1).to_pil()
    image.save(tmp_path / "rapport-page-1.png")
    assert image.size[0] > 500
    assert image.size[1] > 700
    grey = image.convert("L")
    dark = sum(grey.histogram()[:128])
    assert dark > 2000  # text and the tables' headers, not a blank page


async def test_the_volunteers_funnel_has_its_page_and_its_csv(
    observatory_url: str, dev_issuer: DevIssuer
) -> None:
    headers = await funder(dev_issuer)
    year = {"annee": str(YEAR)}
    async with httpx.AsyncClient(base_url=observatory_url, headers=headers, timeout=60) as client:
        page = (await client.get("/indicateurs/benevoles-parcours", params=year)).text
        assert '<table id="chiffres" tabindex="0"' in page
        for stage in ("Candidatures reçues", "Agréées", "Refusées", "honorabilité en attente"):
            assert stage in page, stage
        exported = await client.get("/api/indicateurs/benevoles-parcours.csv", params=year)
        delays = await client.get("/api/indicateurs/benevoles-parcours-accord.csv", params=year)
    rows = list(csv.DictReader(io.StringIO(exported.text), delimiter=";"))
    assert {"received", "approved", "declined", "active", "check-pending"} <= {
        r["valeur"] for r in rows
    }
    assert all(r["nombre"] == "" or int(r["nombre"]) == 0 or int(r["nombre"]) >= 5 for r in rows)
    whole = [r for r in csv.DictReader(io.StringIO(delays.text), delimiter=";")]
    assert any(r["territoire"] == "*" and r["valeur"] == "*" and r["mediane_jours"] for r in whole)


SCROLLED = """() => {
    const table = document.querySelector("#chiffres");
    let box = table;  // the box that scrolls sideways: the table or one of its wrappers
    while (box && box.scrollWidth <= box.clientWidth) box = box.parentElement;
    if (!box || box === document.documentElement || box === document.body) return null;
    box.scrollLeft = box.scrollWidth;  // to the right end, as a thumb would
    const edge = box.getBoundingClientRect();
    const first = table.querySelector("tbody th").getBoundingClientRect();
    return {left: first.left - edge.left, right: edge.right - first.right};
}"""
HINT = "#chiffres-defiler"


async def test_a_wide_table_on_a_phone_says_it_scrolls_and_keeps_its_territories(
    observatory_url: str,
    dev_issuer: DevIssuer,
    browser: Browser,  # noqa: F811
) -> None:
    """At 390 px the durations' table was cut at the screen's edge and scrolled in its box
    with nothing saying so, its territories scrolling away with the figures: a phone now
    reads a hint above it and the territory column stays in view."""
    wide = f"/indicateurs/delai-proposition?annee={YEAR}"
    narrow = f"/indicateurs/suivis?annee={YEAR}"  # two columns and their total
    for width in (390, 1280):
        context = await browser.new_context(
            locale="fr-FR",
            viewport={"width": width, "height": 900},
            extra_http_headers=await funder(dev_issuer),
        )
        page = await context.new_page()
        await page.goto(observatory_url + wide)
        hint = page.locator(HINT)
        if width == 390:
            await expect(hint).to_be_visible()
            await expect(hint).to_contain_text("faites défiler le tableau")
            scrolled = await page.evaluate(SCROLLED)
            assert scrolled is not None, "the table does not scroll at 390 px"
            assert scrolled["left"] >= -1, scrolled  # the territory stays in view
            assert scrolled["right"] >= 0, scrolled
            assert await fits(page)
            await screenshot(page, "observatoire-tableau-390")
            await page.goto(observatory_url + narrow)  # a hint only where it scrolls
            scrolls = await page.evaluate(SCROLLED) is not None
            assert (await page.locator(HINT).count() == 1) == scrolls
        else:
            await expect(hint).to_be_hidden()
        await context.close()
