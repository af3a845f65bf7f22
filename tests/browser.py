"""A real browser for the page tests: Debian's `chromium` driven by Playwright.

`playwright install` cannot download browsers here, so Playwright is pointed at the
system's Chromium (`make tools` installs it with apt). ENTRAIDE_CHROMIUM overrides the path.
"""

import os
import shutil
from collections.abc import AsyncIterator

import pytest
from playwright.async_api import Browser, Page, async_playwright


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
    """A fresh browser context (no cookies), French, phone-sized to check the pages fit."""
    context = await browser.new_context(locale="fr-FR", viewport={"width": 390, "height": 844})
    opened = await context.new_page()
    yield opened
    await context.close()
