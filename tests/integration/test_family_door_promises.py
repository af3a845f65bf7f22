"""The family door promises no call: a parent who chose e-mail or SMS only is not told she
will be called back. Its intro, its confirmation and « Suivre ma demande » for a request
just received say « prendre contact avec vous », in every language of the door."""

import re

import pytest

from entraide.intake.app import create_app as intake_app
from entraide.intake.usecases.self_requests import FamilyDoor
from entraide.kit.deps import lookup
from tests.integration.test_family_door import code_of, form
from tests.page_text import text_of
from tests.support import serving

# the words of a call, by the door's language (« contacter » and its likes are not)
CALL_WORDS = {
    "fr": ("rappel", "appel"),
    "falc": ("rappel", "appel"),
    "en": ("call", "phone you"),
    "pt": ("ligar", "telefon", "chamada"),
    "ro": ("suna", "apel", "telefon"),
    "ar": ("يتصل", "اتصال", "هاتف"),
}


def leads(page: str) -> str:
    """The lead paragraphs of a page: what the door says will happen."""
    return " ".join(text_of(p) for p in re.findall(r'<p class="fr-text--lead">.*?</p>', page, re.S))


def calls_in(text: str, language: str) -> list[str]:
    return [word for word in CALL_WORDS[language] if word in text.lower()]


@pytest.mark.parametrize("language", sorted(CALL_WORDS))
async def test_the_door_promises_contact_not_a_call(intake_settings, language: str) -> None:
    app = intake_app(intake_settings)
    async with serving(app) as intake:
        door_page = (await intake.get(f"/demander-aide?lang={language}")).text
        intro = leads(door_page)
        assert intro, "the door has an intro"
        assert calls_in(intro, language) == [], intro
        # the heading over her name and contacts (« Comment vous rappeler » was one)
        sections = re.findall(r'<legend class="[^"]*fr-h4[^"]*">(.*?)</legend>', door_page, re.S)
        over_contacts = text_of(sections[2])  # need, children, then her name and contacts
        assert calls_in(over_contacts, language) == [], over_contacts

        asked = form(lookup(app, FamilyDoor), contact_preferences=["email"])
        sent = await intake.post(f"/demander-aide?lang={language}", data=asked)
        assert sent.status_code == 200, sent.text
        confirmation = leads(sent.text)
        assert confirmation, "the confirmation says what happens next"
        assert calls_in(confirmation, language) == [], confirmation

        followed = await intake.post(f"/suivi?lang={language}", data={"code": code_of(sent.text)})
        callout = re.search(r'<div class="fr-callout"[^>]*>.*?</div>', followed.text, re.S)
        assert callout, followed.text
        assert calls_in(text_of(callout.group(0)), language) == [], callout.group(0)
