"""An action's opening hours on its edit form, at 390 px in Chromium, directory served over
real HTTP: the week's grid stacks, a keyboard reaches each time input by its name, an error
shows beside its day, and what is saved is the opening_hours the rest of the code reads."""

from typing import Any

import pytest
from playwright.async_api import Browser, Page

from tests.auth_support import DevIssuer
from tests.browser import screenshot
from tests.e2e.test_association_phone import on_a_phone, page_width
from tests.infra import Endpoints

pytestmark = [pytest.mark.kafka, pytest.mark.store, pytest.mark.slow]


async def next_field(page: Page) -> str:
    """Tab past the focused time input's parts (hours, minutes, and AM/PM where the
    browser's language has it) to the next field: its id."""
    here = await page.evaluate("document.activeElement.id")
    for _ in range(3):
        await page.keyboard.press("Tab")
        there = str(await page.evaluate("document.activeElement.id"))
        if there != here:
            return there
    return here


async def test_an_actions_hours_are_typed_in_a_week_grid_on_a_phone(
    infra: Endpoints, dev_issuer: DevIssuer, browser: Browser, mongo: Any
) -> None:
    """The edit form's hours at 390 px: a week's grid whose time inputs a keyboard reaches
    by their names (« Mardi, première plage, de »), a day's two spans one under the other,
    an error beside its day, then saved as the opening_hours the rest of the code reads."""
    async with on_a_phone(infra, dev_issuer, browser, mongo) as (base, page, database):
        await page.goto(f"{base}/association/actions")
        await page.locator("a.modifier").first.click()
        await page.wait_for_url("**/modifier*")
        offer_id = page.url.split("/actions/")[1].split("/")[0]
        problems = await page_width(page, "the grid")
        assert await page.get_by_label("Mercredi, première plage, de").input_value() == "14:00"
        first = await page.get_by_label("Mardi, première plage, de").bounding_box()
        second = await page.get_by_label("Mardi, deuxième plage, de").bounding_box()
        assert first is not None
        assert second is not None
        assert second["y"] >= first["y"] + first["height"]  # stacked, not side by side

        start = page.get_by_label("Mardi, première plage, de")
        await start.focus()
        await page.keyboard.type("1400")
        assert await start.input_value() == "14:00"
        assert await next_field(page) == "horaires-mardi-1-a"
        await page.keyboard.type("1300")  # after noon: no AM/PM to choose, where it is asked
        await page.keyboard.press("Enter")
        await page.wait_for_load_state()
        error = page.locator("#horaires-mardi-1-de-erreur")
        assert await error.text_content() == (
            "Mardi : l'heure de fin doit suivre l'heure de début."
        )
        end = page.get_by_label("Mardi, première plage, à")
        assert await end.get_attribute("aria-describedby") == "horaires-mardi-1-de-erreur"
        problems += await page_width(page, "the grid with its error")
        await screenshot(page, "telephone-association-horaires-erreur")

        await end.focus()
        await page.keyboard.type("1800")
        await page.keyboard.press("Enter")
        await page.wait_for_url("**/association/actions*")
    assert problems == [], "\n".join(problems)
    stored = await mongo[database]["offers"].find_one({"_id": offer_id})
    assert stored["horaires_accueil"] == "Tu,We 14:00-18:00; Sa 10:00-17:00"
