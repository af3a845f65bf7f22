"""A family and a would-be volunteer use directory's public pages in a real browser."""

import re

import httpx
from playwright.async_api import Page, expect

from entraide.directory.domain.offers.demo import demo_offers
from tests.browser import accessibility_violations
from tests.support import eventually


async def _load_demo(directory: str, dev_issuer) -> None:
    """The demo offers of Loire-Atlantique and Seine-Saint-Denis, as the network records them."""
    token = await dev_issuer.token_for("coordination-reseau")
    async with httpx.AsyncClient(base_url=directory, timeout=30) as client:
        await eventually(lambda: _ready(client), timeout=60, what="directory ready")
        for association, offer in demo_offers():
            if offer.zone_eligibilite[0] in ("44", "93"):
                answer = await client.post(
                    "/api/v1/staff/offers",
                    params={"association": association},
                    content=offer.model_dump_json(),
                    headers={
                        "authorization": f"Bearer {token}",
                        "content-type": "application/json",
                    },
                )
                answer.raise_for_status()


async def _ready(client: httpx.AsyncClient) -> bool:
    try:
        return (await client.get("/readyz")).status_code == 200
    except httpx.TransportError:  # not listening yet
        return False


async def test_a_family_and_a_volunteer_find_the_right_offers_first(
    processes, page: Page, dev_issuer
):
    directory = processes["directory"][0]
    await _load_demo(directory, dev_issuer)

    # a family: "parrainage près de Nantes pour un enfant de 8 ans"
    await page.goto(f"{directory}/")
    await page.get_by_label("Commune ou code postal").fill("Nantes")
    await page.get_by_label("Mots-clés").fill("parrainage")
    await page.get_by_label("Âge de l'enfant").fill("8")
    await page.get_by_role("button", name="Rechercher").click()
    async with httpx.AsyncClient(base_url=directory) as client:
        asked = {"lieu": "Nantes", "q": "parrainage", "age": 8}
        total = (await client.get("/api/v1/offers", params=asked)).json()["total"]
    await expect(page.locator("#resultats")).to_contain_text(f"{total} actions autour de Nantes")
    # parrainage first (Parrains Par Mille's or the Grands Parrains'), one card for each
    # association's actions in Nantes
    await expect(page.locator(".resultat").first).to_contain_text(re.compile("[Pp]arrain"))
    ppm = page.locator(".resultat").filter(has_text="Parrains Par Mille — Nantes")
    await expect(ppm).to_have_count(1)
    await expect(ppm).to_contain_text("Parrainage de proximité — Nantes")
    assert await accessibility_violations(page) == []
    await ppm.get_by_role("link").first.click()
    await expect(
        page.get_by_role("heading", name="Comment contacter l'association")
    ).to_be_visible()
    await expect(page.get_by_role("link", name="ppm-44@example.org")).to_be_visible()

    # a would-be volunteer in Saint-Denis who wants to help with homework
    await page.goto(f"{directory}/recherche")
    await page.get_by_label("Commune ou code postal").fill("93200")
    await page.get_by_label("Type d'accompagnement").select_option("accompagnement-scolaire")
    await page.get_by_role("button", name="Rechercher").click()
    await expect(page.locator(".resultat").first).to_contain_text("AFEV")
    await expect(page.locator(".resultat").first).to_contain_text("Saint-Denis")

    await page.goto(f"{directory}/devenir-benevole")
    await page.get_by_role("textbox", name="Prénom").fill("Sami")
    await page.get_by_role("textbox", name="Nom", exact=True).fill("Inventé")
    await page.get_by_label("Adresse électronique").fill("sami.invente@example.org")
    await page.get_by_label("Code postal").fill("93200")
    await page.get_by_role("combobox", name="Association", exact=True).select_option("afev")
    await page.get_by_role("button", name="Envoyer ma candidature").click()
    summary = page.get_by_role("alert").filter(has_text="Le formulaire contient 3 erreurs")
    await expect(summary).to_be_visible()
    assert await accessibility_violations(page) == []
    await page.get_by_label("Accompagnement scolaire").check(force=True)
    await page.get_by_label("mercredi après-midi").check(force=True)
    await page.get_by_label("J'accepte que l'association choisie").check(force=True)
    await page.get_by_role("button", name="Envoyer ma candidature").click()
    await expect(page.get_by_role("status")).to_contain_text("AFEV vous contactera")

    # the association's staff find the application in their space and start the review
    await page.goto(f"{directory}/association")
    await page.get_by_label("Identifiant").fill("afev-seine-saint-denis")
    await page.get_by_label("Mot de passe").fill("demo")
    await page.get_by_role("button", name="Se connecter").click()
    volunteer = page.locator(".benevole").filter(has_text="Sami Inventé")
    await expect(volunteer).to_contain_text("Candidature reçue")
    assert await accessibility_violations(page) == []
    await volunteer.get_by_label("Nouvel état").select_option("in-review")
    await volunteer.get_by_label("Attestation d'honorabilité").select_option("requested")
    await volunteer.get_by_role("button", name="Enregistrer").click()
    await expect(page.get_by_role("status")).to_contain_text("La fiche du bénévole est mise à jour")
    await expect(page.locator(".benevole").filter(has_text="Sami Inventé")).to_contain_text(
        "Demandée"
    )
