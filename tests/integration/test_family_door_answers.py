"""What the family door answers a form it cannot take: every mistake at once, beside its
field and in the summary, so that a parent fixes everything in one go; nothing recorded."""

import re
import time

from entraide.intake.app import create_app as intake_app
from entraide.intake.usecases.self_requests import FamilyDoor
from entraide.kit.deps import lookup
from tests.integration.test_family_door import form
from tests.support import serving


def errors_of(page: str) -> dict[str, str]:
    """The summary's errors, field id → sentence."""
    return dict(re.findall(r'<li><a href="#([\w-]+)">([^<]+)</a></li>', page))


async def test_each_chosen_written_channel_needs_its_address(intake_settings, mongo) -> None:
    """SMS and e-mail chosen, neither given: both fields are named (only the phone was);
    e-mail chosen with a phone only: the e-mail field is named, nothing recorded."""
    app = intake_app(intake_settings)
    async with serving(app) as intake:
        door = lookup(app, FamilyDoor)
        neither = await intake.post(
            "/demander-aide",
            data=form(door, **{"parent.phone": "", "parent.email": ""}),
        )
        phone_only = await intake.post(
            "/demander-aide?lang=en",
            data=form(door, contact_preferences=["email"], **{"parent.email": ""}),
        )
        no_phone = await intake.post(
            "/demander-aide",
            data=form(door, contact_preferences=["sms"], **{"parent.phone": ""}),
        )
    assert [a.status_code for a in (neither, phone_only, no_phone)] == [422] * 3
    assert set(errors_of(neither.text)) == {"parent-phone", "parent-email"}
    assert '<p id="parent-email-erreur" class="fr-error-text">' in neither.text
    assert errors_of(phone_only.text) == {
        "parent-email": "Enter an email address to receive an email."
    }
    assert '<p id="parent-email-erreur" class="fr-error-text">' in phone_only.text
    assert set(errors_of(no_phone.text)) == {"parent-phone"}
    assert await mongo[intake_settings.database]["self_requests"].count_documents({}) == 0


async def test_a_form_sent_too_fast_shows_its_field_errors_as_well(intake_settings, mongo) -> None:
    """An empty form sent at once (the timing check) showed only « sent too fast »: now the
    notice and every field's error, in the page's language; nothing recorded."""
    app = intake_app(intake_settings)
    async with serving(app) as intake:
        door = lookup(app, FamilyDoor)
        fast = {"debut": door.form_token(time.time()), "site_web": ""}
        answer = await intake.post("/demander-aide?lang=pt", data=fast)
    assert answer.status_code == 422
    assert "O formulário foi enviado demasiado depressa ou expirou" in answer.text
    errors = errors_of(answer.text)
    assert {"parent-first_name", "ages", "commune", "needs", "consent-matching"} <= set(errors)
    assert '<p id="parent-first_name-erreur" class="fr-error-text">' in answer.text
    assert answer.text.count('id="erreurs"') == 1
    assert await mongo[intake_settings.database]["self_requests"].count_documents({}) == 0
