"""A real browser for the page tests: Debian's `chromium` driven by Playwright.

`playwright install` cannot download browsers here, so Playwright is pointed at the
system's Chromium (`make tools` installs it with apt). ENTRAIDE_CHROMIUM overrides the path.
"""

import os
import shutil
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from playwright.async_api import Browser, Page, async_playwright

AXE = Path(__file__).resolve().parents[1] / "web/node_modules/axe-core/axe.min.js"


async def accessibility_violations(page: Page) -> list[str]:
    """What axe-core (WCAG 2.x rules) finds wrong on the page as it is now."""
    # evaluated by the driver, not as an inline <script>, which the pages' CSP refuses
    await page.evaluate(AXE.read_text(encoding="utf-8"))
    found = await page.evaluate("axe.run()")
    return [f"{v['id']} ({v['impact']}): {v['nodes'][0]['target']}" for v in found["violations"]]


def chromium_path() -> str:
    found = os.environ.get("ENTRAIDE_CHROMIUM") or shutil.which("chromium")
    if not found:
        pytest.fail("chromium is not installed: run `make tools` (apt-get install chromium)")
    return found


@pytest.fixture(scope="session")
async def browser() -> AsyncIterator[Browser]:
    async with async_playwright() as playwright:
        launched = await playwright.chromium.launch(
            executable_path=chromium_path(), headless=True, args=["--no-sandbox"]
        )
        yield launched
        await launched.close()


@pytest.fixture
async def page(browser: Browser) -> AsyncIterator[Page]:
    """A fresh browser context (no cookies), French, phone-sized to check the pages fit;
    a Content-Security-Policy refusal on any page fails the test."""
    context = await browser.new_context(locale="fr-FR", viewport={"width": 390, "height": 844})
    opened = await context.new_page()
    refused: list[str] = []
    opened.on(
        "console",
        lambda m: refused.append(m.text) if "Content Security Policy" in m.text else None,
    )
    yield opened
    await context.close()
    assert not refused, f"the page broke its own Content-Security-Policy: {refused}"
