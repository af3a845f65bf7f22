"""Noting a contact on a family's record, on the real store: a contact the server refuses
(a date in the future, posted past the browser's own check) shows the record again with
what was typed and the error beside its field, as the other forms do."""

import html
import re
from datetime import UTC, datetime, timedelta

from entraide.intake.app import create_app as intake_app
from entraide.kit import formats
from tests.integration.test_staff_pages import create, post_form
from tests.support import serving

NOTE = "Rappelée : la maman préfère les mercredis."


async def test_a_contact_in_the_future_keeps_what_was_typed(
    intake_settings, dev_issuer, mongo
) -> None:
    """It gave a page of its own, « Date dans le futur » with « Retour », and the typed
    note was lost."""
    async with serving(intake_app(dev_issuer.settings_for(intake_settings))) as intake:
        await dev_issuer.sign_in(intake, "ppm-nantes")
        family_url = (await create(intake)).headers["location"].split("?")[0]
        tomorrow = (formats.today() + timedelta(days=1)).isoformat()  # in Paris
        typed = {"canal": "visit", "date": tomorrow, "note": NOTE}
        answer = await post_form(intake, family_url, f"{family_url}/contacts", typed)

        assert answer.status_code == 422
        page = html.unescape(answer.text)
        assert "<h1>Fiche famille</h1>" in page  # the record, not an error page
        assert "Le formulaire contient 1 erreur" in page
        assert 'href="#date"' in page  # the summary leads to the field
        error = re.search(r'<p id="date-erreur" class="fr-error-text">([^<]*)</p>', page)
        assert error, "no error beside the date"
        assert error.group(1).startswith("Date du contact :")
        assert "pas dans le futur" in error.group(1)
        assert 'aria-describedby="date-erreur"' in page
        assert f'value="{tomorrow}"' in page
        assert re.search(r'<option value="visit" selected>', page)
        assert f">{NOTE}</textarea>" in page
        family = await mongo[intake_settings.database]["families"].find_one(
            {"_id": family_url.rsplit("/", 1)[1]}
        )
        assert not family.get("contacts")  # nothing noted

        no_channel = await post_form(
            intake, family_url, f"{family_url}/contacts", typed | {"canal": "", "date": ""}
        )
        assert no_channel.status_code == 422
        assert 'id="canal-erreur"' in no_channel.text
        assert NOTE in html.unescape(no_channel.text)


async def test_a_contact_on_a_past_day_is_kept_as_that_day(
    intake_settings, dev_issuer, mongo
) -> None:
    """A past day was stored as noon UTC: a time nobody gave, which the copies guessed
    back into a day. The record keeps the day typed, and when it was noted."""
    async with serving(intake_app(dev_issuer.settings_for(intake_settings))) as intake:
        await dev_issuer.sign_in(intake, "ppm-nantes")
        family_url = (await create(intake)).headers["location"].split("?")[0]
        day = formats.today() - timedelta(days=9)
        typed = {"canal": "phone", "date": day.isoformat(), "note": NOTE}
        answer = await post_form(intake, family_url, f"{family_url}/contacts", typed)
        assert answer.status_code == 303, answer.text

        page = html.unescape((await intake.get(family_url)).text)
        contacts = page.split("<h2>Contacts avec la famille</h2>", 1)[1]
        assert f"<li>{day:%d/%m/%Y} — Appel téléphonique par" in contacts
        family = await mongo[intake_settings.database]["families"].find_one(
            {"_id": family_url.rsplit("/", 1)[1]}
        )
        (contact,) = family["contacts"]
        assert contact["day"] == day.isoformat()
        assert "at" not in contact
        noted = contact["noted_at"].replace(tzinfo=UTC)  # the store's naive UTC, or aware
        assert datetime.now(UTC) - noted < timedelta(minutes=5)  # when it was noted
        last = family["last_contact_at"].replace(tzinfo=UTC)
        assert last <= noted  # a past day does not set the clock forward
