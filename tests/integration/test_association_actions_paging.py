"""The association's actions read a page at a time from the real store: its order (the
stalest first, then by name and commune as people order them), its counts, its filter by
state, the forms on a later page, the sort keys of offers stored before them, and what a
page reads."""

import html
import re
from datetime import UTC, datetime, timedelta

from entraide.directory.adapters.offers.store import OfferStore
from entraide.directory.app import create_app
from entraide.directory.domain.offers import listing, views
from entraide.directory.domain.offers.events import offer_document
from entraide.directory.usecases.ports import ListingQuery, OfferListing
from entraide.kit.deps import lookup
from entraide.kit.devissuer import PPM
from entraide.kit.outbox import DONE
from tests.integration.test_association_actions_forms import card, field
from tests.integration.test_directory_offers import bearer, body, directory_settings  # noqa: F401
from tests.support import pages, serving
from tests.unit.directory.offers import fields

# 45 actions of Parrains Par Mille in the Loire-Atlantique, names that sort only as people
# order them; every third not updated for 200 days (to confirm), every seventh for 300
NAMES = ["Paris 19e", "Paris 2e", "Île-de-France", "Igny", "Ivry", "Écoute", "Ecole", "eveil"]
WHERE = ["Nantes", "Rezé", "Saint-Nazaire"]


def name(n: int) -> str:
    return f"{NAMES[n % len(NAMES)]} {n // len(NAMES) + 1}"


async def published(app, client, ppm: dict[str, str]) -> list[str]:
    ids = []
    for n in range(45):
        offer = body(WHERE[n % 3], nom=name(n))
        created = await client.post("/api/v1/staff/offers", json=offer, headers=ppm)
        assert created.status_code == 201, created.text
        ids.append(created.json()["offer_id"])
    now = datetime.now(UTC)
    offers = lookup(app, OfferStore).collection
    for n, offer_id in enumerate(ids):
        days = 300 if n % 7 == 0 else 200 if n % 3 == 0 else 0
        if days:
            at = now - timedelta(days=days)
            await offers.update_one({"_id": offer_id}, {"$set": {"updated_at": at}})
    return ids


async def test_the_store_pages_the_actions_in_order_with_no_duplicate_and_no_gap(
    directory_settings,  # noqa: F811
    dev_issuer,
):
    app = create_app(directory_settings)
    async with serving(app) as client:
        ppm = await bearer(dev_issuer, "ppm-nantes")
        ids = await published(app, client, ppm)
        afev = await bearer(dev_issuer, "afev-lille")
        theirs = await client.post("/api/v1/staff/offers", json=body("Lille"), headers=afev)
        assert theirs.status_code == 201, theirs.text
        stored = await lookup(app, OfferStore).collection.find({"_id": {"$in": ids}}).to_list()
        now = datetime.now(UTC)
        actions = lookup(app, OfferListing)
        for state in (None, "hidden", "reminder", "fresh"):
            read = []
            for start in range(0, 60, 20):
                query = ListingQuery(PPM, ("44",), state, now, start, 20)
                page = await actions.page(query)
                assert len(page.docs) <= 20
                assert page.by_freshness == {"hidden": 7, "reminder": 12, "fresh": 26}
                read += [d["_id"] for d in page.docs]
            expected = [
                d["_id"]
                for d in listing.ordered(stored, now)
                if state is None or views.staff_offer(d, now)["fraicheur"] == state
            ]
            assert read == expected  # each once, none missed, in the space's order
        everything = [d["_id"] for d in listing.ordered(stored, now)]
        for at, doc_id in enumerate(everything):
            doc = next(d for d in stored if d["_id"] == doc_id)
            query = ListingQuery(PPM, ("44",), None, now, 0, 100, listing.mark_of(doc, now))
            after = await actions.page(query)
            assert [d["_id"] for d in after.docs] == everything[at + 1 :]
        # those up to date, as read
        named = [next(d["nom"] for d in stored if d["_id"] == i) for i in read]
        assert named.index("Paris 2e 1") < named.index("Paris 19e 2")  # 2 before 19
        assert named.index("Igny 2") < named.index("Île-de-France 1") < named.index("Ivry 1")
        # another territory's staff read none of them
        nord = await actions.page(ListingQuery(PPM, ("59",), None, now, 0, 20))
        assert nord.docs == []
        assert sum(nord.by_freshness.values()) == 0


async def test_the_actions_page_counts_filters_and_its_forms_work_on_page_2(
    directory_settings,  # noqa: F811
    dev_issuer,
    monkeypatch,
):
    app = create_app(directory_settings)
    async with serving(app) as client:
        ppm = await bearer(dev_issuer, "ppm-nantes")
        await published(app, client, ppm)
        await dev_issuer.sign_in(client, "ppm-nantes")
        made_views = []
        staff_offer = views.staff_offer
        monkeypatch.setattr(
            views, "staff_offer", lambda d, now: made_views.append(d["_id"]) or staff_offer(d, now)
        )
        first = html.unescape((await client.get("/association/actions")).text)
        assert len(made_views) == 20  # only the page's actions are read into views
        assert "45 actions, dont 19 à mettre à jour (listées d'abord), page 1 sur 3." in first
        assert '<option value="reminder">À confirmer (12)</option>' in first
        assert '<option value="hidden">Masquée (trop ancienne) (7)</option>' in first

        made_views.clear()
        asked = "/association/actions?etat=fresh&page=2"
        second = html.unescape((await client.get(asked)).text)
        assert len(made_views) == 6  # 26 up to date: 20, then 6
        assert "26 actions à jour, page 2 sur 2." in second
        assert '<option value="fresh" selected>' in second
        assert 'href="?etat=fresh&page=1"' in second  # the pager keeps the filter
        assert 'name="retour" value="etat=fresh&page=2"' in second
        offer_id = made_views[0]
        assert "Toujours d'actualité" in card(second, offer_id)
        assert "Modifier" in card(second, offer_id)
        assert f"/association/actions/{offer_id}/modifier?retour=etat%3Dfresh%26page%3D2" in second

        revision = re.search(r'name="revision" value="(\d+)"', card(second, offer_id)).group(1)
        done = await client.post(
            f"/association/actions/{offer_id}/confirmation",
            data={
                "csrf": field(second, "csrf"),
                "revision": revision,
                "retour": "etat=fresh&page=2",
            },
        )
        assert done.status_code == 303, done.text
        assert done.headers["location"].startswith(
            "/association/actions?etat=fresh&page=2&resultat="
        )
        assert done.headers["location"].endswith(f"#action-{offer_id}")
        back = html.unescape((await client.get(done.headers["location"])).text)
        assert "est confirmée à jour." in back

        retrait = await client.get(
            f"/association/actions/{offer_id}/retrait", params={"retour": "etat=fresh&page=2"}
        )
        assert retrait.status_code == 200
        gone = await client.post(
            f"/association/actions/{offer_id}/retrait",
            data={"csrf": field(second, "csrf"), "retour": "etat=fresh&page=2"},
        )
        assert gone.headers["location"].startswith("/association/actions?etat=fresh&page=2&")
        after = html.unescape((await client.get(gone.headers["location"])).text)
        assert "est retirée : les familles ne la verront plus." in after
        assert "25 actions à jour, page 2 sur 2." in after
        assert f'id="action-{offer_id}"' not in after

        # a filter with nothing in it says so; the page past the last is the last
        none = html.unescape((await client.get("/association/actions?etat=hidden&page=9")).text)
        assert "7 actions masquées aux familles." in none


async def test_a_page_s_forms_refused_come_back_to_that_page_and_filter(
    directory_settings,  # noqa: F811
    dev_issuer,
):
    app = create_app(directory_settings)
    async with serving(app) as client:
        ppm = await bearer(dev_issuer, "ppm-nantes")
        for n in range(25):
            offer = body("Nantes", nom=f"Atelier {n}", capacity=10, current_load=2)
            assert (await client.post("/api/v1/staff/offers", json=offer, headers=ppm)).is_success
        await dev_issuer.sign_in(client, "ppm-nantes")
        second = html.unescape((await client.get("/association/actions?etat=fresh&page=2")).text)
        names = re.findall(r'<a href="/offres/\w+">(Atelier \d+)</a>', second)
        assert names == [f"Atelier {n}" for n in range(20, 25)]  # 9 before 10, by value
        offer_id = re.search(r'id="action-(\w+)"', second).group(1)
        refused = await client.post(
            f"/association/actions/{offer_id}/places",
            data={
                "csrf": field(second, "csrf"),
                "revision": "1",
                "places": "12",
                "retour": "etat=fresh&page=2",
            },
        )
        assert refused.status_code == 422
        shown = html.unescape(refused.text)
        assert "Indiquez un nombre entier de places libres, de 0 à 10." in card(shown, offer_id)
        assert "25 actions à jour, page 2 sur 2." in shown


async def test_offers_stored_before_their_sort_key_get_it_at_start_once(
    directory_settings,  # noqa: F811
    dev_issuer,
):
    now = datetime.now(UTC)
    app = create_app(directory_settings)
    store = lookup(app, OfferStore)
    old = offer_document("old-offer", PPM, fields("Nantes", nom="Paris 2e"), revision=1, now=now)
    del old["sort_key"]  # stored before the key existed
    renamed = offer_document("renamed-offer", PPM, fields("Nantes", nom="Zoo"), revision=3, now=now)
    renamed["sort_key"] = listing.sort_key("Abeilles", "Nantes")  # an older replica's rename
    await store.collection.insert_many([old | DONE, renamed | DONE])
    async with serving(app) as client:
        keys = {d["_id"]: d["sort_key"] async for d in store.collection.find()}
        assert keys == {
            "old-offer": listing.sort_key("Paris 2e", "Nantes"),
            "renamed-offer": listing.sort_key("Zoo", "Nantes"),
        }
        assert await lookup(app, OfferListing).rekey() == 0  # once done, nothing to do
        ppm = await bearer(dev_issuer, "ppm-nantes")
        page = await client.get("/api/v1/staff/offers", headers=ppm)
        assert [o["nom"] for o in page.json()["offers"]] == ["Paris 2e", "Zoo"]
        # an update writes the key of its new name
        moved = await client.put(
            "/api/v1/staff/offers/renamed-offer", json=body("Nantes", nom="Aide"), headers=ppm
        )
        assert moved.status_code == 200, moved.text
        page = await client.get("/api/v1/staff/offers", headers=ppm)
        assert [o["nom"] for o in page.json()["offers"]] == ["Aide", "Paris 2e"]


async def test_the_staff_api_follows_a_cursor_and_the_export_streams_every_public_offer(
    directory_settings,  # noqa: F811
    dev_issuer,
):
    app = create_app(directory_settings)
    async with serving(app) as client:
        ppm = await bearer(dev_issuer, "ppm-nantes")
        ids = await published(app, client, ppm)
        hidden = body("Nantes", nom="Réservée", professionals_only=True)
        assert (await client.post("/api/v1/staff/offers", json=hidden, headers=ppm)).is_success
        first = await client.get("/api/v1/staff/offers", params={"limit": 20}, headers=ppm)
        assert first.status_code == 200, first.text
        assert first.json()["total"] == 46
        assert first.json()["by_freshness"] == {"hidden": 7, "reminder": 12, "fresh": 27}
        # published between two pages, first in its part: an offset would repeat one
        early = body("Nantes", nom="Aaa tout premier")
        newcomer = await client.post("/api/v1/staff/offers", json=early, headers=ppm)
        assert newcomer.status_code == 201, newcomer.text
        ids.append(newcomer.json()["offer_id"])
        rest = await pages(client, first.json()["next"], headers=ppm)
        assert [len(p["offers"]) for p in rest] == [20, 6]
        assert rest[-1]["next"] is None
        assert "limit=20" in first.json()["next"]
        read = [o["offer_id"] for p in [first.json(), *rest] for o in p["offers"]]
        assert len(read) == len(set(read)) == 46  # each once, the newcomer before the mark
        one = await client.get("/api/v1/staff/offers", headers=ppm)  # 50 by default
        assert len(one.json()["offers"]) == 47
        assert one.json()["next"] is None
        garbage = await client.get("/api/v1/staff/offers", params={"apres": "abc"}, headers=ppm)
        assert garbage.status_code == 422
        assert garbage.json()["detail"][0]["field"] == "query.apres"
        reminder = await client.get(
            "/api/v1/staff/offers", params={"etat": "reminder"}, headers=ppm
        )
        assert {o["fraicheur"] for o in reminder.json()["offers"]} == {"reminder"}
        assert len(reminder.json()["offers"]) == reminder.json()["total"] == 12
        unknown = await client.get("/api/v1/staff/offers", params={"etat": "old"}, headers=ppm)
        assert unknown.status_code == 422
        too_many = await client.get("/api/v1/staff/offers", params={"limit": 201}, headers=ppm)
        assert too_many.status_code == 422

        export = await client.get("/api/v1/export/data-inclusion/services")
        assert export.status_code == 200
        assert export.headers["content-type"].startswith("application/json")
        assert sorted(s["id"] for s in export.json()) == sorted(ids)  # not the professionals'
