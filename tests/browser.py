"""A real browser for the page tests: Debian's `chromium` driven by Playwright.

`playwright install` cannot download browsers here, so Playwright is pointed at the
system's Chromium (`make tools` installs it with apt). ENTRAIDE_CHROMIUM overrides the path.
"""

import os
import shutil
from collections.abc import AsyncIterator
from html.parser import HTMLParser
from pathlib import Path

import pytest
from playwright.async_api import Browser, Page, ViewportSize, async_playwright

AXE = Path(__file__).resolve().parents[1] / "web/node_modules/axe-core/axe.min.js"
# for a person to look at (`.run/` is ignored by git)
SHOTS = Path(__file__).resolve().parents[1] / ".run" / "screenshots"
PHONE: ViewportSize = {"width": 390, "height": 844}


async def accessibility_violations(page: Page) -> list[str]:
    """What axe-core (WCAG 2.x rules) finds wrong on the page as it is now."""
    # evaluated by the driver, not as an inline <script>, which the pages' CSP refuses
    await page.evaluate(AXE.read_text(encoding="utf-8"))
    found = await page.evaluate("axe.run()")
    return [f"{v['id']} ({v['impact']}): {v['nodes'][0]['target']}" for v in found["violations"]]


async def phone(browser: Browser, locale: str) -> Page:
    """A page in a fresh context, phone-sized (390 px), whose browser speaks `locale`; close
    it with `page.context.close()`."""
    context = await browser.new_context(locale=locale, viewport=PHONE)
    return await context.new_page()


async def fits(page: Page) -> bool:
    """No horizontal scroll of the page on the screen's width."""
    return bool(await page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"))


async def screenshot(page: Page, name: str) -> None:
    """The whole page, as `.run/screenshots/<name>.png`."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    await page.screenshot(path=SHOTS / f"{name}.png", full_page=True)


class _Root(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.html: dict[str, str | None] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "html":
            self.html = dict(attrs)


def html_attributes(text: str) -> dict[str, str | None]:
    """The attributes of a page's <html> element (its lang, its dir)."""
    root = _Root()
    root.feed(text)
    return root.html


def written_in(text: str, code: str) -> bool:
    """Whether a page says it is in language `code` (<html lang>), right to left for Arabic
    only."""
    root = html_attributes(text)
    return root.get("lang") == code and (root.get("dir") == "rtl") is (code == "ar")


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
    context = await browser.new_context(locale="fr-FR", viewport=PHONE)
    opened = await context.new_page()
    refused: list[str] = []
    opened.on(
        "console",
        lambda m: refused.append(m.text) if "Content Security Policy" in m.text else None,
    )
    yield opened
    await context.close()
    assert not refused, f"the page broke its own Content-Security-Policy: {refused}"
