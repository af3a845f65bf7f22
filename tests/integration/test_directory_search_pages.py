"""The public search as a family uses it: pages of results grouped by association and
commune with the API's count, criteria that do not fit said in the form, a withdrawn
offer's page in French (the API keeps JSON)."""

import html
import re

from entraide.directory.app import create_app
from tests.integration.test_directory_offers import bearer, body, directory_settings
from tests.support import serving

__all__ = ["directory_settings"]  # the fixture, shared with the offers' tests


def text(page) -> str:
    return html.unescape(re.sub(r"\s+", " ", page.text))


async def test_results_come_in_pages_grouped_by_association_and_commune_with_the_api_count(
    directory_settings, dev_issuer
):
    async with serving(create_app(directory_settings)) as client:
        ppm = await bearer(dev_issuer, "ppm-nantes")
        network = await bearer(dev_issuer, "coordination-reseau")
        for n in range(21):  # one association's 21 actions in Rezé
            offer = body("Rezé", nom=f"Parrainage numéro {n}")
            answer = await client.post("/api/v1/staff/offers", json=offer, headers=ppm)
            assert answer.status_code == 201, answer.text
        offer = body(
            "Nantes", nom="Aide aux devoirs", thematiques=["entraide--accompagnement-scolaire"]
        )
        afev = {"association": "afev"}
        answer = await client.post("/api/v1/staff/offers", json=offer, headers=network, params=afev)
        assert answer.status_code == 201, answer.text

        api = (await client.get("/api/v1/offers", params={"lieu": "Rezé", "limit": 20})).json()
        second = await client.get("/api/v1/offers", params={"lieu": "Rezé", "offset": 20})
        first_page = await client.get("/recherche", params={"lieu": "Rezé"})
        last_page = await client.get("/recherche", params={"lieu": "Rezé", "page": "2"})
        beyond = await client.get("/recherche", params={"lieu": "Rezé", "page": "9"})

    assert api["total"] == 22
    assert len(api["results"]) == 20
    assert len(second.json()["results"]) == 2
    ids = {r["offer_id"] for r in api["results"]} | {
        r["offer_id"] for r in second.json()["results"]
    }
    assert len(ids) == 22  # no hit on both pages
    for page in (first_page, last_page):
        assert page.status_code == 200
        assert "22 actions autour de Rezé (44400)" in text(page)
    assert "page 1 sur 2" in text(first_page)
    assert text(first_page).count('class="action"') == 20
    assert text(last_page).count('class="action"') == 2
    assert "page 2 sur 2" in text(beyond)  # past the last page: the last one
    # one card per association and commune, its actions listed inside
    titles = re.findall(
        r'<h3 class="fr-card__title">(.*?)</h3>', text(first_page) + text(last_page)
    )
    assert titles.count("Parrains Par Mille — Rezé") == 2  # once a page
    assert "AFEV — Nantes" in titles
    assert 'href="?lieu=Rez%C3%A9&amp;page=2"' in first_page.text


async def test_criteria_that_do_not_fit_are_said_in_the_form_not_in_english_json(
    directory_settings,
):
    async with serving(create_app(directory_settings)) as client:
        bad = await client.get(
            "/recherche", params={"lieu": "Nantes", "rayon_km": "abc", "jour": "9"}
        )
        unknown = await client.get("/recherche", params={"lieu": "Atlantide"})
        homonym = await client.get("/recherche", params={"lieu": "Sainte-Marie"})
    assert bad.status_code == 422
    assert bad.headers["content-type"].startswith("text/html")
    assert "La distance est un nombre de kilomètres de 1 à 100, par exemple 15." in text(bad)
    assert "Choisissez un jour dans la liste." in text(bad)
    assert "Commune ou code postal inconnu" in text(unknown)
    assert homonym.status_code == 200
    assert "D'autres communes répondent à « Sainte-Marie »" in text(homonym)
    assert "Sainte-Marie (58330)" in text(homonym)


async def test_the_error_summary_follows_the_forms_fields_from_the_top(directory_settings):
    """An unknown place, an age in letters and a distance of 0 were summed up as distance,
    age, then the place, the form's first field (the checks' order): now from the top."""
    async with serving(create_app(directory_settings)) as client:
        page = await client.get(
            "/recherche", params={"lieu": "Atlantide", "age": "huit", "rayon_km": "0"}
        )
    assert page.status_code == 422
    summary = text(page).split('id="erreurs"', 1)[-1]
    linked = re.findall(r'<li><a href="#(\w+)">', summary)
    assert linked[:3] == ["lieu", "age", "rayon_km"]


async def test_a_withdrawn_or_unknown_offer_has_a_french_page_and_the_api_json(
    directory_settings, dev_issuer
):
    async with serving(create_app(directory_settings)) as client:
        ppm = await bearer(dev_issuer, "ppm-nantes")
        created = await client.post("/api/v1/staff/offers", json=body(), headers=ppm)
        offer_id = created.json()["offer_id"]
        assert (await client.get(f"/offres/{offer_id}")).status_code == 200
        await client.delete(f"/api/v1/staff/offers/{offer_id}", headers=ppm)
        withdrawn = await client.get(f"/offres/{offer_id}")
        unknown = await client.get("/offres/inconnue")
        api = await client.get(f"/api/v1/offers/{offer_id}")
    for page in (withdrawn, unknown):
        assert page.status_code == 404
        assert page.headers["content-type"].startswith("text/html")
        assert "<h1>Page introuvable</h1>" in page.text
        assert "Cette action n'est pas ou plus proposée" in text(page)
    assert api.status_code == 404
    assert api.headers["content-type"] == "application/json"


async def test_distances_read_with_the_decimal_of_the_pages_language(
    directory_settings, dev_issuer
):
    async with serving(create_app(directory_settings)) as client:
        ppm = await bearer(dev_issuer, "ppm-nantes")
        created = await client.post("/api/v1/staff/offers", json=body("Rezé"), headers=ppm)
        assert created.status_code == 201, created.text
        english = text(await client.get("/recherche", params={"lieu": "Nantes", "lang": "en"}))
        french = text(await client.get("/recherche", params={"lieu": "Nantes", "lang": "fr"}))
        portuguese = text(await client.get("/recherche", params={"lieu": "Nantes", "lang": "pt"}))
    # (`text` makes the no-break space before « km » a space)
    [english_km] = re.findall(r"(\d+[.,]\d) km away", english)
    assert "." in english_km  # « 4.2 km away », never « 4,2 km »
    [french_km] = re.findall(r"à (\d+[.,]\d) km", french)
    assert french_km == english_km.replace(".", ",")
    assert f"a {french_km} km" in portuguese  # Babel's pt_PT: a decimal comma


async def test_an_offers_opening_hours_read_in_the_pages_language(directory_settings, dev_issuer):
    async with serving(create_app(directory_settings)) as client:
        ppm = await bearer(dev_issuer, "ppm-nantes")
        offer = body(horaires_accueil="Tu,Th 14:00-17:00; Fr 09:00-12:00,13:30-17:00")
        created = await client.post("/api/v1/staff/offers", json=offer, headers=ppm)
        offer_id = created.json()["offer_id"]
        english = await client.get(f"/offres/{offer_id}", params={"lang": "en"})
        french = await client.get(f"/offres/{offer_id}", params={"lang": "fr"})
        arabic = await client.get(f"/offres/{offer_id}", params={"lang": "ar"})

    def hours(page) -> list[str]:
        listed = re.search(r"<h2>[^<]*</h2><ul( lang=\"fr\")?>(.*?)</ul>", text(page))
        assert listed is not None
        assert listed.group(1) is None  # generated, so not marked French
        return re.findall(r"<li>(.*?)</li>", listed.group(2))

    assert "Opening hours" in text(english)
    assert hours(english) == [
        "Tuesday: 14:00 to 17:00",
        "Thursday: 14:00 to 17:00",
        "Friday: 09:00 to 12:00 and 13:30 to 17:00",
    ]
    assert hours(french) == [
        "Mardi de 14 h à 17 h",
        "Jeudi de 14 h à 17 h",
        "Vendredi de 9 h à 12 h et de 13 h 30 à 17 h",
    ]
    assert hours(arabic)[0] == "الثلاثاء: من 14:00 إلى 17:00"


async def test_what_the_association_wrote_reads_left_to_right_on_an_arabic_page(
    directory_settings, dev_issuer
):
    """On /offres/<id>?lang=ar the association's French sentences took the page's right to
    left: « .Écrire à l'antenne, qui rappelle sous une semaine » (their final stop at the
    left end); in the results, each action's name and commune ran into the Arabic distance.
    Each is now French and laid out on its own (dir="auto": left to right for French)."""
    async with serving(create_app(directory_settings)) as client:
        ppm = await bearer(dev_issuer, "ppm-nantes")
        created = await client.post("/api/v1/staff/offers", json=body("Rezé"), headers=ppm)
        offer_id = created.json()["offer_id"]
        offer = text(await client.get(f"/offres/{offer_id}", params={"lang": "ar"}))
        found = text(await client.get("/recherche", params={"lieu": "Nantes", "lang": "ar"}))
    french = '<{tag} lang="fr" dir="auto">{start}'
    assert french.format(tag="h1", start="Parrainage de proximité") in offer
    assert french.format(tag="p", start="Un parrain ou une marraine") in offer
    assert french.format(tag="p", start="Écrire à l'antenne") in offer
    assert '<p class="fr-text--lead" lang="fr" dir="auto">Parrains Par Mille — Rezé' in offer
    [row] = re.findall(r'<li class="action">(.*?)</li>', found)
    assert re.match(r'<bdi lang="fr"><a href="[^"]+">Parrainage de proximité</a> — Rezé', row)
    assert "(44400)</bdi>\u060c " in row  # the distance after the French part, outside it


async def test_an_actions_place_distance_and_ages_are_set_apart_by_the_languages_comma(
    directory_settings, dev_issuer
):
    """The Arabic results joined an action's place, distance and ages with Latin commas
    (« (44400)</bdi>, على بعد… , للأطفال… »); Arabic's comma is « ، » (U+060C). French,
    English and the others keep « , »."""
    async with serving(create_app(directory_settings)) as client:
        ppm = await bearer(dev_issuer, "ppm-nantes")
        created = await client.post("/api/v1/staff/offers", json=body("Rezé"), headers=ppm)
        assert created.status_code == 201, created.text
        rows = {}
        for code in ("fr", "ar", "en", "ro"):
            page = await client.get("/recherche", params={"lieu": "Nantes", "lang": code})
            [rows[code]] = re.findall(r'<li class="action">.*?</bdi>(.*?)</li>', text(page))
    assert re.fullmatch(r", à \d+,\d km, enfants de 3 à 14 ans", rows["fr"]), rows["fr"]
    assert re.fullmatch(r"\u060c [^,]+\u060c [^,]+", rows["ar"]), rows["ar"]
    assert re.fullmatch(r", \d+\.\d km away, children aged 3 to 14", rows["en"]), rows["en"]
    assert re.fullmatch(r", la \d+,\d km, copii între 3 și 14 ani", rows["ro"]), rows["ro"]
