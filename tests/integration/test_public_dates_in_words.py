"""A date in a sentence of a public page reads in words, in the page's language: /suivi's
« Demande reçue le 1er décembre 2026 » and an offer's « Mis à jour le … » read
« 01/12/2026 » in every language, which an English reader may take for 12 January."""

import html
import re
from datetime import UTC, datetime

from entraide.directory.app import create_app as directory_app
from entraide.intake.app import create_app as intake_app
from entraide.intake.usecases.self_requests import FamilyDoor
from entraide.kit import i18n
from entraide.kit.deps import lookup
from entraide.kit.formats import long_day
from tests.integration.test_directory_offers import bearer, body, directory_settings  # noqa: F401
from tests.integration.test_family_door import code_of, form
from tests.support import serving

LANGUAGES = ("fr", "falc", "en", "ar", "pt", "ro")


def said(page: str, pattern: str) -> str:
    found = re.search(pattern, html.unescape(page))
    assert found, page
    return found.group(1)


def today_in(language: str) -> str:
    return long_day(datetime.now(UTC), locale=i18n.locale_for(language))


async def test_suivi_says_the_day_the_request_was_received_in_words(intake_settings) -> None:
    app = intake_app(intake_settings)
    async with serving(app) as intake:
        sent = await intake.post("/demander-aide", data=form(lookup(app, FamilyDoor)))
        code = code_of(sent.text)
        pages = {
            language: (await intake.post(f"/suivi?lang={language}", data={"code": code})).text
            for language in LANGUAGES
        }
    days = {
        language: said(page, r'fr-text--sm">[^<]*?(\d[^<]*\d{4})\.?</p>')
        for language, page in pages.items()
    }
    assert days == {language: today_in(language) for language in LANGUAGES}


async def test_an_offer_says_when_it_was_updated_in_words(directory_settings, dev_issuer):  # noqa: F811
    async with serving(directory_app(directory_settings)) as client:
        ppm = await bearer(dev_issuer, "ppm-nantes")
        created = await client.post("/api/v1/staff/offers", json=body(), headers=ppm)
        offer_id = created.json()["offer_id"]
        pages = {
            language: (await client.get(f"/offres/{offer_id}", params={"lang": language})).text
            for language in ("fr", "en", "pt", "ro")
        }
    days = {
        language: said(page, r'<p class="fr-text--sm">[^<]*?(\d[^<]*\d{4})\.</p>')
        for language, page in pages.items()
    }
    assert days == {language: today_in(language) for language in ("fr", "en", "pt", "ro")}
