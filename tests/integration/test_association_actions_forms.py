"""The forms on an action's card in the association's space, on the real store and broker:
what the stale offer's reminder promises (confirm it, its places left, withdraw it), through
the staff API's use cases (rights, revision, outbox)."""

import html
import json
import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime, timedelta

from entraide.directory.adapters.offers.store import OfferStore
from entraide.directory.app import create_app
from entraide.directory.usecases import offer_reminders
from entraide.kit import formats
from entraide.kit.deps import lookup
from entraide.kit.notifications import Channel
from entraide.kit.notifications.templates import Renderer
from tests.integration.test_directory_offers import bearer, body, directory_settings  # noqa: F401
from tests.support import records, serving

DAYS = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")


def card(page: str, offer_id: str) -> str:
    """One action's card on the page, as read."""
    start = page.index(f'id="action-{offer_id}"')
    return page[start : page.index("</li>", page.index("fr-card__start", start))]


def grid(page: str) -> dict[str, tuple[str, str]]:
    """The week's grid as filled: `{"mercredi-1": ("14:00", "18:00")}`, its empty spans left
    out."""
    found = {}
    for span in re.findall(r'name="horaires-(\w+-\d)-de"', page):
        start, end = re.findall(rf'name="horaires-{span}-(?:de|a)" value="([^"]*)"', page)
        if start or end:
            found[span] = (start, end)
    return found


def week(**days: tuple[str, ...]) -> dict[str, str]:
    """The grid's inputs as sent: `mardi=("14:00", "18:00")`, the others empty."""
    sent = {f"horaires-{day}-{n}-{end}": "" for day in DAYS for n in (1, 2) for end in ("de", "a")}
    for day, times in days.items():
        for at, time in enumerate(times):
            sent[f"horaires-{day}-{at // 2 + 1}-{('de', 'a')[at % 2]}"] = time
    return sent


def said_as_read(page: str) -> str:
    return page.replace("\u00a0", " ")


def field(page: str, name: str) -> str:
    return html.unescape(re.search(rf'name="{name}" value="([^"]*)"', page).group(1))


async def stale_offer(app, client, ppm: dict[str, str], **changes) -> str:
    """An action of Parrains Par Mille in Nantes, last confirmed 200 days ago."""
    created = await client.post("/api/v1/staff/offers", json=body("Nantes", **changes), headers=ppm)
    assert created.status_code == 201, created.text
    offer_id = created.json()["offer_id"]
    old = datetime.now(UTC) - timedelta(days=200)
    await lookup(app, OfferStore).collection.update_one(
        {"_id": offer_id}, {"$set": {"updated_at": old}}
    )
    return offer_id


@asynccontextmanager
async def served(settings, dev_issuer, **changes) -> AsyncIterator[tuple]:
    """Directory served, a bearer of Parrains Par Mille's staff, and their stale action."""
    app = create_app(settings)
    async with serving(app) as client:
        ppm = await bearer(dev_issuer, "ppm-nantes")
        yield app, client, ppm, await stale_offer(app, client, ppm, **changes)


async def test_toujours_d_actualite_confirms_the_action_dated_today_and_announces_it(
    directory_settings,  # noqa: F811
    dev_issuer,
):
    async with served(directory_settings, dev_issuer) as (app, client, ppm, offer_id):
        for n in range(21):  # fresh ones after it: the stale one on page 1, these on 2
            await client.post(
                "/api/v1/staff/offers", json=body(nom=f"Atelier {n:02d}"), headers=ppm
            )
        await dev_issuer.sign_in(client, "ppm-nantes")
        page = html.unescape((await client.get("/association/actions")).text)
        before = card(page, offer_id)
        assert "À confirmer" in before
        assert "Toujours d'actualité" in before
        assert "Places libres" not in before  # no capacity: no places to set
        assert "Retirer l'action" in before

        done = await client.post(
            f"/association/actions/{offer_id}/confirmation",
            data={"csrf": field(page, "csrf"), "revision": "1", "retour": "page=2"},
        )
        assert done.status_code == 303, done.text
        assert done.headers["location"].startswith("/association/actions?page=2&resultat=")
        back = html.unescape((await client.get(done.headers["location"])).text)
        assert "L'action « Parrainage de proximité » est confirmée à jour." in back

        stored = await lookup(app, OfferStore).collection.find_one({"_id": offer_id})
        assert stored["revision"] == 2
        assert datetime.now(UTC) - stored["updated_at"].replace(tzinfo=UTC) < timedelta(minutes=5)
        # fresh now: by name among the others, after the 21 « Atelier »
        after = html.unescape((await client.get("/association/actions?page=2")).text)
        assert "À jour" in card(after, offer_id)
        assert f"mise à jour le {formats.day(formats.today())}" in card(after, offer_id)
        seen = await records(
            directory_settings.kafka_bootstrap,
            directory_settings.offers_topic,
            key=offer_id.encode(),
            at_least=2,
        )
        assert [json.loads(r.value)["type"] for r in seen] == [
            "fr.entraide.offer.published.v1",
            "fr.entraide.offer.updated.v1",
        ]


async def test_places_libres_sets_the_places_left_or_says_why_not_beside_the_field(
    directory_settings,  # noqa: F811
    dev_issuer,
):
    async with served(directory_settings, dev_issuer, capacity=10, current_load=7) as (
        app,
        client,
        _ppm,
        offer_id,
    ):
        await dev_issuer.sign_in(client, "ppm-nantes")
        page = html.unescape((await client.get("/association/actions")).text)
        assert "3 places libres sur 10" in card(page, offer_id)
        assert f'id="places-{offer_id}" name="places" value="3"' in card(page, offer_id)
        csrf = field(page, "csrf")

        for typed in ("11", "-1", "2,5", "beaucoup", ""):
            refused = await client.post(
                f"/association/actions/{offer_id}/places",
                data={"csrf": csrf, "revision": "1", "places": typed, "retour": ""},
            )
            assert refused.status_code == 422, typed
            shown = card(html.unescape(refused.text), offer_id)
            assert "Indiquez un nombre entier de places libres, de 0 à 10." in shown
            assert f'value="{typed}"' in shown
            assert 'aria-invalid="true"' in shown
        stored = await lookup(app, OfferStore).collection.find_one({"_id": offer_id})
        assert (stored["revision"], stored["current_load"]) == (1, 7)

        done = await client.post(
            f"/association/actions/{offer_id}/places",
            data={"csrf": csrf, "revision": "1", "places": "0", "retour": ""},
        )
        assert done.status_code == 303, done.text
        back = html.unescape((await client.get(done.headers["location"])).text)
        assert "Les places libres de l'action « Parrainage de proximité » sont mises à jour" in back
        assert "Complète (10 places)" in card(back, offer_id)
        assert "À jour" in card(back, offer_id)
        stored = await lookup(app, OfferStore).collection.find_one({"_id": offer_id})
        assert (stored["revision"], stored["current_load"]) == (2, 10)


async def test_retirer_l_action_asks_first_then_the_action_leaves_the_search(
    directory_settings,  # noqa: F811
    dev_issuer,
):
    async with served(directory_settings, dev_issuer) as (_app, client, _ppm, offer_id):
        await dev_issuer.sign_in(client, "ppm-nantes")
        page = html.unescape((await client.get("/association/actions")).text)
        link = re.search(r'href="(/association/actions/\w+/retrait[^"]*)"', page).group(1)
        asked = html.unescape((await client.get(link)).text)
        assert "Retirer « Parrainage de proximité » ?" in asked
        assert "Les familles ne la verront plus" in asked
        assert (await client.get("/api/v1/offers", params={"lieu": "Nantes"})).json()["total"] == 1

        done = await client.post(
            f"/association/actions/{offer_id}/retrait",
            data={"csrf": field(asked, "csrf"), "retour": field(asked, "retour")},
        )
        assert done.status_code == 303, done.text
        back = html.unescape((await client.get(done.headers["location"])).text)
        assert "L'action « Parrainage de proximité » est retirée" in back
        assert f'id="action-{offer_id}"' not in back
        assert (await client.get("/api/v1/offers", params={"lieu": "Nantes"})).json()["total"] == 0
        assert (await client.get(f"/api/v1/offers/{offer_id}")).status_code == 404


async def test_another_associations_staff_may_not_change_the_action(
    directory_settings,  # noqa: F811
    dev_issuer,
):
    async with served(directory_settings, dev_issuer, capacity=10) as (app, client, _ppm, offer_id):
        afev = await bearer(dev_issuer, "afev-lille")
        theirs = await client.post("/api/v1/staff/offers", json=body("Lille"), headers=afev)
        assert theirs.status_code == 201, theirs.text
        await dev_issuer.sign_in(client, "afev-lille")
        page = html.unescape((await client.get("/association/actions")).text)
        assert offer_id not in page
        csrf = field(page, "csrf")
        for path, data in [
            ("confirmation", {"revision": "1"}),
            ("places", {"revision": "1", "places": "4"}),
            ("places", {"revision": "1", "places": "oups"}),
            ("retrait", {}),
            ("modifier", {"revision": "1", "presentation": "Un après-midi par semaine."}),
        ]:
            tried = await client.post(
                f"/association/actions/{offer_id}/{path}", data={"csrf": csrf, **data}
            )
            assert tried.status_code == 403, (path, tried.status_code)
        for path in ("retrait", "modifier"):
            tried = await client.get(f"/association/actions/{offer_id}/{path}")
            assert tried.status_code == 403, (path, tried.status_code)
        stored = await lookup(app, OfferStore).collection.find_one({"_id": offer_id})
        assert stored["revision"] == 1
        assert (await client.get(f"/api/v1/offers/{offer_id}")).status_code == 200


async def test_an_action_changed_meanwhile_is_shown_as_it_now_is(
    directory_settings,  # noqa: F811
    dev_issuer,
):
    async with served(directory_settings, dev_issuer, capacity=10) as (app, client, ppm, offer_id):
        await dev_issuer.sign_in(client, "ppm-nantes")
        page = html.unescape((await client.get("/association/actions")).text)
        edited = await client.put(
            f"/api/v1/staff/offers/{offer_id}",
            json=body("Nantes", nom="Parrainage du mercredi", capacity=10),
            headers=ppm | {"If-Match": '"1"'},
        )
        assert edited.status_code == 200, edited.text
        edit = {"presentation": "Un après-midi.", "capacite": "10", "age_min": "", "age_max": ""}
        for path, data in [
            ("confirmation", {}),
            ("places", {"places": "5"}),
            ("modifier", edit | week()),
        ]:
            late = await client.post(
                f"/association/actions/{offer_id}/{path}",
                data={"csrf": field(page, "csrf"), "revision": "1", "retour": "page=2", **data},
            )
            assert late.status_code == 303, late.text
            where = late.headers["location"]  # the page the person was on, on the action's card
            assert where.startswith("/association/actions?page=2&resultat="), where
            assert where.endswith(f"#action-{offer_id}"), where
            shown = html.unescape((await client.get(late.headers["location"])).text)
            assert "L'action a changé entre-temps : voici sa version actuelle." in shown
            assert "Parrainage du mercredi" in card(shown, offer_id)
        stored = await lookup(app, OfferStore).collection.find_one({"_id": offer_id})
        assert (stored["revision"], stored.get("current_load")) == (2, None)


# what the reminder may promise, and the card's button that keeps each promise
PROMISES = {
    "confirmez": "Toujours d'actualité",
    "places libres": "Places libres",
    "retirez": "Retirer l'action",
    "modifiez": "Modifier",  # the card's edit form
}


async def test_the_stale_offers_reminder_promises_what_the_page_it_links_to_offers(
    directory_settings,  # noqa: F811
    dev_issuer,
):
    """Each thing the reminder asks of the association (e-mail and SMS) is a button on the
    stale action's card at its link; and no more than the page gives."""
    async with served(directory_settings, dev_issuer, capacity=10) as (
        _app,
        client,
        _ppm,
        offer_id,
    ):
        await dev_issuer.sign_in(client, "ppm-nantes")
        page = html.unescape((await client.get("/association/actions")).text)
        shown = card(page, offer_id)
        assert "À confirmer" in shown
        context = {
            "offer": "Parrainage de proximité",
            "association": "Parrains Par Mille",
            "confirmed_on": datetime.now(UTC) - timedelta(days=200),
            "link": "http://127.0.0.1:8010/association/actions",
        }
        for channel in (Channel.EMAIL, Channel.SMS):
            said = Renderer().render(offer_reminders.TEMPLATE, channel, context).text
            assert context["link"] in said
            asked = [verb for verb in PROMISES if verb in said.lower()]
            assert "confirmez" in asked, said
            for verb in asked:
                assert PROMISES[verb] in shown, (channel, verb)
            assert "en un clic" not in said  # a sign-in, a page, then a click


async def test_modifier_changes_the_main_fields_as_the_api_checks_them(
    directory_settings,  # noqa: F811
    dev_issuer,
):
    """The edit form: OfferFields' rules, each error beside its field in French; saved
    through the use case (revision +1, confirmed today); a stale revision refused."""
    async with served(directory_settings, dev_issuer, capacity=10) as (app, client, _ppm, offer_id):
        await dev_issuer.sign_in(client, "ppm-nantes")
        page = html.unescape((await client.get("/association/actions")).text)
        link = re.search(r'href="(/association/actions/\w+/modifier[^"]*)"', page).group(1)
        form = html.unescape((await client.get(link)).text)
        assert "Modifier « Parrainage de proximité »" in form
        assert grid(form) == {"mercredi-1": ("14:00", "18:00"), "samedi-1": ("10:00", "17:00")}
        sent = {
            "csrf": field(form, "csrf"),
            "revision": field(form, "revision"),
            "retour": field(form, "retour"),
            "presentation": "Un après-midi par semaine avec un parrain.",
            **week(mercredi=("14:00", "18:00"), samedi=("10:00", "")),
            "age_min": "12",
            "age_max": "8",
            "capacite": "beaucoup",
        }
        refused = await client.post(f"/association/actions/{offer_id}/modifier", data=sent)
        assert refused.status_code == 422
        said = html.unescape(refused.text)
        error = said.index('<p id="horaires-samedi-1-de-erreur" class="fr-error-text">')
        assert said.index('name="horaires-samedi-2-a"') < error  # under Saturday's inputs,
        assert error < said.index('name="horaires-dimanche-1-de"')  # before Sunday's
        assert said[error:].startswith(
            '<p id="horaires-samedi-1-de-erreur" class="fr-error-text">'
            "Samedi : indiquez l'heure de fin de la première plage.</p>"
        )
        saturday = re.search(r'<input [^>]*name="horaires-samedi-1-a"[^>]*>', said).group(0)
        assert 'aria-describedby="horaires-samedi-1-de-erreur"' in saturday
        assert '<a href="#horaires-samedi-1-de">Samedi : indiquez' in said  # the summary's link
        assert grid(said)["samedi-1"] == ("10:00", "")  # kept as typed
        assert 'id="capacite-erreur" class="fr-error-text">Indiquez un nombre entier' in said
        assert re.search(r'name="capacite"\s+value="beaucoup"', said)  # kept as typed
        stored = await lookup(app, OfferStore).collection.find_one({"_id": offer_id})
        assert stored["revision"] == 1

        weekdays = {day: ("16:30", "18:00") for day in ("lundi", "mardi", "mercredi", "jeudi")}
        ages = (
            sent
            | week(**weekdays, vendredi=("09:00", "12:00", "16:30", "18:00"))
            | {"capacite": "6"}
        )
        refused = await client.post(f"/association/actions/{offer_id}/modifier", data=ages)
        assert "L'âge minimum dépasse l'âge maximum." in html.unescape(refused.text)

        good = ages | {"age_max": "16"}
        done = await client.post(f"/association/actions/{offer_id}/modifier", data=good)
        assert done.status_code == 303, done.text
        back = html.unescape((await client.get(done.headers["location"])).text)
        assert "L'action « Parrainage de proximité » est modifiée" in back
        shown = card(back, offer_id)
        assert "Enfants de 12 à 16 ans" in shown
        assert "6 places libres sur 6" in shown
        assert "À jour" in shown
        stored = await lookup(app, OfferStore).collection.find_one({"_id": offer_id})
        assert stored["revision"] == 2
        assert stored["presentation"] == "Un après-midi par semaine avec un parrain."
        assert stored["horaires_accueil"] == "Mo-Th 16:30-18:00; Fr 09:00-12:00,16:30-18:00"
        assert "du lundi au jeudi de 16 h 30 à 18 h ; vendredi de 9 h à 12 h" in said_as_read(shown)

        late = await client.post(f"/association/actions/{offer_id}/modifier", data=good)
        assert "L'action a changé entre-temps : voici sa version actuelle." in html.unescape(
            (await client.get(late.headers["location"])).text
        )
        await dev_issuer.sign_in(client, "afev-lille")
        assert (await client.get(link)).status_code == 403


async def test_hours_the_grid_cannot_show_are_said_in_french_and_kept_until_it_is_filled(
    directory_settings,  # noqa: F811
    dev_issuer,
):
    """Three spans on a day (as the API may store them): the form says them in French above
    an empty grid; saved empty, they stay as they were; saved filled, the grid replaces them."""
    three = "Mo-Fr 08:00-10:00,11:00-13:00,14:00-16:00"
    async with served(directory_settings, dev_issuer, horaires_accueil=three) as (
        app,
        client,
        _ppm,
        offer_id,
    ):
        await dev_issuer.sign_in(client, "ppm-nantes")
        link = f"/association/actions/{offer_id}/modifier"
        form = html.unescape((await client.get(link)).text)
        assert grid(form) == {}
        assert (
            "Horaires enregistrés : du lundi au vendredi de 8 h à 10 h et de 11 h à 13 h et de"
            " 14 h à 16 h. La grille ne peut pas les montrer"
        ) in said_as_read(form)
        sent = {
            "csrf": field(form, "csrf"),
            "revision": field(form, "revision"),
            "presentation": "Trois temps par jour.",
            **week(),
            "age_min": "3",
            "age_max": "14",
            "capacite": "",
        }
        done = await client.post(link, data=sent)
        assert done.status_code == 303, done.text
        offers = lookup(app, OfferStore).collection
        stored = await offers.find_one({"_id": offer_id})
        assert (stored["horaires_accueil"], stored["presentation"]) == (three, sent["presentation"])

        sent["revision"] = str(stored["revision"])
        done = await client.post(link, data=sent | week(mardi=("09:00", "12:00")))
        assert done.status_code == 303, done.text
        assert (await offers.find_one({"_id": offer_id}))["horaires_accueil"] == "Tu 09:00-12:00"
        again = html.unescape((await client.get(link)).text)
        assert grid(again) == {"mardi-1": ("09:00", "12:00")}
        assert "Horaires enregistrés" not in again
