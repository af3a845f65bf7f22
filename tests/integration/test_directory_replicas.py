"""Two replicas of directory on one store database and one Kafka, writing the same offer and
the same volunteer at once, both relaying: no update is lost, no event goes out twice; and
each replica's search cards, cached, show what the other wrote at its next search."""

import asyncio
import json
from collections import Counter
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import httpx
from prometheus_client import CollectorRegistry

from entraide.directory.adapters.offers.card_cache import CELLS_READ, CardCache
from entraide.directory.adapters.offers.store import OfferStore, places, search_collections
from entraide.directory.adapters.volunteers.store import VolunteerStore
from entraide.directory.app import create_app
from entraide.directory.domain.offers import events, search
from entraide.directory.domain.offers.fields import OfferFields
from entraide.directory.domain.places import find
from entraide.kit.deps import lookup
from tests.integration.test_directory_offers import bearer, body, directory_settings  # noqa: F401
from tests.support import eventually, everything, serving
from tests.unit.directory.offers import fields

ROUNDS = 5  # successful edits per editor
VOLUNTEER = {
    "identity": {"prenom": "Dominique", "nom": "Inventé", "courriel": "d@example.org"},
    "association_id": "parrains-par-mille",
    "code_postal": "44000",
    "needs": ["parrainage-de-proximite"],
    "availability": [{"day": "we", "part": "afternoon"}],
    "capacity": 1,
    "consent": True,
}


def moved(where: str) -> dict[str, Any]:
    place = find(where)
    assert place is not None
    return {
        "commune": place.commune,
        "code_postal": place.postal_code,
        "latitude": place.latitude,
        "longitude": place.longitude,
        "zone_eligibilite": [place.departement],
    }


EDITS: dict[str, Callable[[int], dict[str, Any]]] = {
    "nom": lambda n: {"nom": f"Parrainage du mercredi {n}"},
    "telephone": lambda n: {"telephone": f"02 40 00 00 {n:02}"},
    "capacity": lambda n: {"capacity": 10 + n},
    "place": lambda n: moved("Saint-Nazaire" if n % 2 else "Rezé"),  # another H3 cell each time
}


async def edit_offer(
    client: httpx.AsyncClient, app: Any, headers: dict, offer_id: str, edit: str
) -> list[int]:
    """One editor: read the offer, change its own fields, save with the revision it read
    (If-Match), again on a conflict; the revisions its saves got."""
    got = []
    while len(got) < ROUNDS:
        doc = await lookup(app, OfferStore).get(offer_id)
        fields = {k: doc[k] for k in OfferFields.model_fields if k in doc}
        sent = OfferFields(**fields | EDITS[edit](len(got))).model_dump(mode="json")
        saved = await client.put(
            f"/api/v1/staff/offers/{offer_id}",
            json=sent,
            headers=headers | {"If-Match": f'"{doc["revision"]}"'},
        )
        assert saved.status_code in (200, 409), saved.text
        if saved.status_code == 200:
            got.append(saved.json()["revision"])
    return got


async def review(client: httpx.AsyncClient, url: str, headers: dict, changes: list[dict]) -> list:
    """One reviewer's changes in turn (again on a conflict); the revisions they got."""
    got = []
    for change in changes:
        while (done := await client.patch(url, json=change, headers=headers)).status_code == 409:
            assert "changé" in done.text, done.text  # a conflict, not a refused transition
        assert done.status_code == 200, done.text
        got.append(done.json()["revision"])
    return got


async def test_two_replicas_writing_one_offer_and_one_volunteer_lose_nothing_and_repeat_nothing(
    directory_settings,  # noqa: F811
    dev_issuer,
):
    one, two = create_app(directory_settings), create_app(directory_settings)
    async with serving(one) as a, serving(two) as b:
        ppm = await bearer(dev_issuer, "ppm-nantes")
        created = await a.post("/api/v1/staff/offers", json=body("Rezé"), headers=ppm)
        offer_id = created.json()["offer_id"]
        applied = await b.post("/api/v1/volunteers", json=VOLUNTEER)
        url = f"/api/v1/staff/volunteers/{applied.json()['volunteer_id']}"

        editors = [
            edit_offer(a, one, ppm, offer_id, "nom"),
            edit_offer(b, two, ppm, offer_id, "telephone"),
            edit_offer(a, one, ppm, offer_id, "capacity"),
            edit_offer(b, two, ppm, offer_id, "place"),
        ]
        slots = [[{"day": d, "part": "morning"}] for d in ("mo", "tu", "we", "th", "fr")]
        reviewers = [
            review(a, url, ppm, [{"status": "in-review", "honorability": "requested"},
                                 {"honorability": "cleared"}, {"status": "approved"}]),
            review(b, url, ppm, [{"capacity": n} for n in (2, 3, 4, 5, 1)]),
            review(a, url, ppm, [{"availability": s} for s in slots]),
            review(b, url, ppm, [{"active_families": n} for n in range(5)]),
        ]  # fmt: skip
        edits, reviews = await asyncio.gather(asyncio.gather(*editors), asyncio.gather(*reviewers))

        for app in (one, two):  # both relays drained
            for store in (lookup(app, OfferStore), lookup(app, VolunteerStore)):
                await eventually(lambda s=store: _relayed(s), what="both outboxes relayed")
        offer = await lookup(one, OfferStore).get(offer_id)
        volunteer = await lookup(two, VolunteerStore).get(url.rsplit("/", 1)[1])
        published = sum([_published((await c.get("/metrics")).text) for c in (a, b)])
        rezé = (await b.get("/api/v1/offers", params={"lieu": "Rezé"})).json()["results"]
        nazaire = (await a.get("/api/v1/offers", params={"lieu": "Saint-Nazaire"})).json()[
            "results"
        ]

    # no lost update: every save got its own revision, every editor's last value is there
    saved = sorted(r for got in edits for r in got)
    assert saved == list(range(2, 2 + 4 * ROUNDS))
    assert offer["revision"] == 1 + 4 * ROUNDS
    last = ROUNDS - 1
    assert offer["nom"] == f"Parrainage du mercredi {last}"
    assert offer["telephone"] == f"02 40 00 00 {last:02}"
    assert offer["capacity"] == 10 + last
    assert offer["commune"] == moved("Saint-Nazaire" if last % 2 else "Rezé")["commune"]
    # and the search shows that revision, in its cell only
    assert [r["nom"] for r in rezé if r["offer_id"] == offer_id] == [offer["nom"]]
    assert [r for r in nazaire if r["offer_id"] == offer_id] == []

    reviewed = sorted(r for got in reviews for r in got)
    assert reviewed == list(range(2, 2 + len(reviewed)))
    assert volunteer["revision"] == 1 + len(reviewed)
    assert (volunteer["status"], volunteer["honorability"]) == ("approved", "cleared")
    assert (volunteer["capacity"], volunteer["active_families"]) == (1, 4)
    assert volunteer["availability"] == slots[-1]

    # no event twice: one per revision of the offer, one per revision since the approval
    kafka = directory_settings.kafka_bootstrap
    offers = await _events(kafka, directory_settings.offers_topic, offer_id)
    assert Counter(e["id"] for e in offers).most_common(1)[0][1] == 1
    assert sorted(e["data"]["revision"] for e in offers) == list(range(1, 2 + 4 * ROUNDS))
    approved = reviews[0][-1]
    announced = await _events(
        kafka, directory_settings.volunteers_topic, volunteer["volunteer_ref"]
    )
    assert Counter(e["id"] for e in announced).most_common(1)[0][1] == 1
    assert sorted(e["data"]["revision"] for e in announced) == list(
        range(approved, volunteer["revision"] + 1)
    )
    assert json.dumps(announced).count("Dominique") == 0
    # and each change of the application once, on the observatory's topic
    applications = await _events(
        kafka, directory_settings.volunteer_applications_topic, volunteer["volunteer_ref"]
    )
    assert Counter(e["id"] for e in applications).most_common(1)[0][1] == 1
    assert applications[-1]["data"]["status"] == "approved"
    assert json.dumps(applications).count("Dominique") == 0
    # what the two relays counted
    assert published == len(offers) + len(announced) + len(applications)


def _published(metrics: str) -> float:
    """Events the replica's relays published, all its outboxes added up."""
    lines = [
        x for x in metrics.splitlines() if x.startswith("entraide_outbox_published_events_total")
    ]
    assert lines, "no outbox series on /metrics"
    return sum(float(line.split()[-1]) for line in lines)


def _now() -> datetime:
    return datetime.now(UTC)


async def _relayed(store: Any) -> bool:
    return await store.collection.count_documents({"outbox_pending": True}) == 0


async def _events(bootstrap: str, topic: str, key: str) -> list[dict]:
    """The events (not tombstones) on the topic under this key."""
    found = await everything(bootstrap, topic)
    return [json.loads(r.value) for r in found if r.key == key.encode() and r.value is not None]


async def test_a_late_writer_of_an_older_revision_does_not_bring_its_card_back(mongo, unique):
    """A replica placing revision 2's card after another placed revision 3's (or withdrew
    the offer) leaves the newer card, or its `gone` mark, in place."""
    db = mongo[f"test_directory_cards_{unique}"]
    store = OfferStore(db)
    doc = events.offer_document("c" * 24, "afev", fields("Rezé"), revision=1, now=_now())
    try:
        rev = {n: search.card(doc | {"revision": n, "nom": f"R{n}"}, "AFEV") for n in (1, 2, 3)}
        [cell] = places(doc)
        await store.insert(doc | {"revision": 3}, [], rev[3])
        await store._place(rev[2], old=None)
        assert (await db[cell].find_one({"_id": doc["_id"]}))["r"] == 3

        assert await store.delete(doc | {"revision": 3}, [])  # withdrawn at revision 4
        await store._place(rev[2], old=None)
        assert await store.cards([cell]) == []
        assert (await db[cell].find_one({"_id": doc["_id"]}))["r"] == 4
    finally:
        await mongo.drop_database(db.name)


async def test_a_card_written_by_one_replica_is_seen_by_the_others_next_search(
    directory_settings,  # noqa: F811
    dev_issuer,
):
    """Each replica caches the cards it read; a write through the other replica counts a
    change of the card's cell, so the next search reads that cell again."""
    one, two = create_app(directory_settings), create_app(directory_settings)
    async with serving(one) as a, serving(two) as b:
        ppm = await bearer(dev_issuer, "ppm-nantes")

        async def found_by_two() -> list[dict]:
            response = await b.get("/api/v1/offers", params={"lieu": "Rezé"})
            return response.json()["results"]

        assert await found_by_two() == []  # two has read and cached Rezé's cells
        assert len(lookup(two, CardCache)) > 0
        created = await a.post("/api/v1/staff/offers", json=body("Rezé"), headers=ppm)
        offer_id = created.json()["offer_id"]
        assert [r["offer_id"] for r in await found_by_two()] == [offer_id]

        renamed = body("Rezé", nom="Parrainage du jeudi")
        saved = await a.put(
            f"/api/v1/staff/offers/{offer_id}", json=renamed, headers=ppm | {"If-Match": '"1"'}
        )
        assert saved.status_code == 200, saved.text
        assert [r["nom"] for r in await found_by_two()] == ["Parrainage du jeudi"]

        nazaire = body("Saint-Nazaire")  # another cell: Rezé's shows it no more
        saved = await a.put(
            f"/api/v1/staff/offers/{offer_id}", json=nazaire, headers=ppm | {"If-Match": '"2"'}
        )
        assert saved.status_code == 200, saved.text
        assert await found_by_two() == []

        assert (await a.delete(f"/api/v1/staff/offers/{offer_id}", headers=ppm)).status_code == 204
        assert await found_by_two() == []
        metrics = (await b.get("/metrics")).text
        assert 'entraide_directory_search_cells_total{result="hit"}' in metrics


async def test_the_card_cache_reads_again_only_the_cells_that_changed(mongo, unique):
    """Counts of hits and misses per collection: a second search takes everything from the
    cache, a write in one cell makes the next search read that cell alone, and the cache
    never keeps more collections than it is sized for."""
    db = mongo[f"test_directory_cache_{unique}"]
    store, registry = OfferStore(db), CollectorRegistry()
    cache = CardCache(store, cells=1000, max_age_seconds=600, registry=registry)
    near = search.Query(latitude=47.2172, longitude=-1.5534, radius_km=15, departement="44")

    def read(result: str) -> float:
        value = registry.get_sample_value(f"{CELLS_READ}", {"result": result})
        return value or 0.0

    try:
        doc = events.offer_document("d" * 24, "afev", fields("Rezé"), revision=1, now=_now())
        await store.insert(doc, [], search.card(doc, "AFEV"))
        reach = len(search_collections(near.latitude, near.longitude, 15, "44"))
        assert [c.id for c in await cache.near(near)] == [doc["_id"]]
        assert (read("hit"), read("miss")) == (0, reach)
        await cache.near(near)
        assert (read("hit"), read("miss")) == (reach, reach)

        renamed = doc | {"revision": 2, "nom": "Parrainage du jeudi"}
        await store.replace(renamed, [], search.card(renamed, "AFEV"), doc)
        [prepared] = await cache.near(near)
        assert prepared.card["d"].startswith("Parrainage du jeudi")
        assert (read("hit"), read("miss")) == (2 * reach - 1, reach + 1)

        small = CardCache(store, cells=3, max_age_seconds=600)
        assert [c.id for c in await small.near(near)] == [doc["_id"]]
        assert len(small) == 3
        registry = CollectorRegistry()
        stale = CardCache(store, cells=1000, max_age_seconds=1e-9, registry=registry)
        await stale.near(near)
        await stale.near(near)  # too old: read again although no count moved
        assert (read("hit"), read("miss")) == (0, 2 * reach)
    finally:
        await mongo.drop_database(db.name)
