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


async def test_a_form_with_mistakes_sent_quickly_shows_its_field_errors_alone(
    intake_settings, mongo
) -> None:
    """A form with mistakes sent after 3 seconds was answered « sent too fast or expired »
    beside its field errors: two things at once for a person who has fields to correct. Now
    the field errors alone, in the page's language, and the form back with a fresh start
    time that the timing check takes once she has taken the time to correct. A correct form
    sent as fast is still refused as a script's. Nothing recorded."""
    app = intake_app(intake_settings)
    async with serving(app) as intake:
        door = lookup(app, FamilyDoor)
        quick = {"debut": door.form_token(time.time() - 3), "site_web": ""}
        answer = await intake.post("/demander-aide?lang=pt", data=quick)
        correct = form(door, debut=door.form_token(time.time() - 3))
        correct_but_fast = await intake.post("/demander-aide?lang=pt", data=correct)
    assert answer.status_code == 422
    assert "demasiado depressa" not in answer.text
    errors = errors_of(answer.text)
    assert {"parent-first_name", "ages", "commune", "needs", "consent-matching"} <= set(errors)
    assert '<p id="parent-first_name-erreur" class="fr-error-text">' in answer.text
    assert answer.text.count('id="erreurs"') == 1
    fresh = re.search(r'name="debut" value="([^"]+)"', answer.text)
    assert fresh is not None
    assert door.automated("", fresh.group(1), time.time()), "sent again at once: a script"
    assert not door.automated("", fresh.group(1), time.time() + 10), "corrected: taken"
    assert correct_but_fast.status_code == 422
    assert "O formulário foi enviado demasiado depressa ou expirou" in correct_but_fast.text
    assert errors_of(correct_but_fast.text) == {}
    assert await mongo[intake_settings.database]["self_requests"].count_documents({}) == 0
