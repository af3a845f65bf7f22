"""A staff member, in a real browser, signs in, makes mistakes in the intake form, fixes
them, and the request reaches matching (the four services run as real processes)."""

import json

from playwright.async_api import Page, expect

from tests.browser import accessibility_violations
from tests.support import IDENTITY_VALUES, eventually


async def test_staff_fill_the_intake_form_and_the_request_reaches_matching(
    processes, page: Page
) -> None:
    intake, matching = processes["intake"][0], processes["matching"][0]
    await eventually(lambda: _ready(page, intake), timeout=60, what="intake ready")

    await page.goto(f"{intake}/familles/nouvelle")
    await expect(page).to_have_url(f"{intake}/connexion?suivant=%2Ffamilles%2Fnouvelle")
    await page.get_by_label("Identifiant").fill("ppm-nantes")
    await page.get_by_label("Mot de passe").fill("demo")
    await page.get_by_role("button", name="Se connecter").click()
    await expect(page).to_have_url(f"{intake}/familles/nouvelle")
    await expect(page.locator("#compte")).to_contain_text("(PPM) — Équipe")

    # a first try with mistakes: a short phone number, no need, no consent
    await page.get_by_role("textbox", name="Prénom").fill("Amina")
    await page.get_by_role("textbox", name="Nom", exact=True).fill("Diallo")
    await page.get_by_role("textbox", name="Téléphone").fill("06 12")
    await page.get_by_label("Années de naissance des enfants").fill("2019, 2023")
    await page.get_by_label("Code postal").fill("44000")
    await page.get_by_label("Commune").fill("Nantes")
    await page.get_by_role("button", name="Enregistrer la demande").click()

    summary = page.get_by_role("alert").filter(has_text="Le formulaire contient 3 erreurs")
    await expect(summary).to_be_visible()
    phone = page.get_by_role("textbox", name="Téléphone")
    await expect(phone).to_have_attribute("aria-invalid", "true")
    await expect(page.locator("#parent-phone-erreur")).to_have_text(
        "Numéro de téléphone invalide : 10 chiffres, par exemple 06 12 34 56 78."
    )
    await expect(page.locator("#needs-erreur")).to_contain_text("Choisissez au moins un besoin")
    await expect(page.locator("#consent-matching-erreur")).to_contain_text("accord du parent")
    await expect(page.get_by_role("textbox", name="Prénom")).to_have_value("Amina")
    assert await accessibility_violations(page) == []

    # fixed, as staff would: the error summary links lead to each field
    await summary.get_by_role("link", name="Numéro de téléphone invalide").click()
    await expect(phone).to_be_focused()
    await phone.fill("06 12 34 56 78")
    await page.get_by_label("Parrainage de proximité").check(force=True)
    await page.get_by_label("Mercredi après-midi").check(force=True)
    await page.get_by_label("Le parent dit être épuisé").check(force=True)
    await page.get_by_label("Aucun relais familial ou amical").check(force=True)
    await page.get_by_label("Le parent accepte que sa demande soit orientée").check(force=True)
    await page.get_by_role("button", name="Enregistrer la demande").click()

    await expect(page.get_by_role("status")).to_contain_text("La demande est enregistrée")
    await expect(page.locator("#nom-parent")).to_have_text("Amina Diallo")
    # the page says the short reference (« 006b 01dc »); the full id sits beside it
    request_id = await page.locator(".numero-demande").first.get_attribute("data-request-id")
    assert await accessibility_violations(page) == []

    async def in_matching() -> dict | None:
        answer = await page.request.get(f"{matching}/api/v1/requests/{request_id}")
        return await answer.json() if answer.ok else None

    view = await eventually(in_matching, what="the request in matching")
    assert view["departement"] == "44"
    assert view["urgency"] == "high"
    assert view["needs"] == ["parrainage-de-proximite"]
    assert not any(value in json.dumps(view) for value in IDENTITY_VALUES)


async def _ready(page: Page, url: str) -> bool:
    try:
        return (await page.request.get(f"{url}/readyz")).ok
    except Exception:
        return False
