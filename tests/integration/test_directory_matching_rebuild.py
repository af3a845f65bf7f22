"""Rebuilding matching's view from the compacted topic gives directory's offers."""

from entraide.directory.adapters.offers.store import OfferStore
from entraide.directory.adapters.volunteers.store import VolunteerStore
from entraide.directory.app import create_app as directory_app
from entraide.kit.deps import lookup
from entraide.matching.adapters.offers import OfferViews
from entraide.matching.adapters.volunteers import VolunteerViews
from entraide.matching.app import create_app as matching_app
from tests.integration.test_directory_offers import bearer, body, directory_settings  # noqa: F401
from tests.support import eventually, serving

FIELDS = ("association_id", "revision", "nom", "needs", "postal_code", "age_min", "age_max")


def as_directory_says(doc: dict) -> dict:
    view = {k: doc[k] for k in FIELDS if k in doc}
    return view | {"postal_code": doc["code_postal"], "departements": doc["zone_eligibilite"]}


def as_matching_says(view: dict) -> dict:
    return {k: view[k] for k in (*FIELDS, "departements")}


async def test_rebuilding_matching_from_the_offers_topic_gives_directorys_offers(
    directory_settings,  # noqa: F811
    matching_settings,
    dev_issuer,
):
    app = directory_app(directory_settings)
    async with serving(app) as directory:
        ppm = await bearer(dev_issuer, "ppm-nantes")
        ids = []
        for where in ("Rezé", "Nantes", "Saint-Herblain"):
            created = await directory.post("/api/v1/staff/offers", json=body(where), headers=ppm)
            ids.append(created.json()["offer_id"])
        await directory.put(
            f"/api/v1/staff/offers/{ids[0]}", json=body(nom="Parrainage du mercredi"), headers=ppm
        )
        await directory.delete(f"/api/v1/staff/offers/{ids[2]}", headers=ppm)
        refs = [await _vetted_volunteer(directory, app, ppm, n) for n in range(2)]
        offers = lookup(app, OfferStore)
        await eventually(lambda: _relayed(offers), timeout=90, what="directory's outbox relayed")
        await eventually(
            lambda: _relayed(lookup(app, VolunteerStore)), timeout=90, what="volunteers relayed"
        )
        expected = {d["_id"]: as_directory_says(d) async for d in offers.every() if d["_id"] in ids}
        volunteers = {
            v["volunteer_ref"]: {
                "revision": v["revision"],
                "capacity": v["capacity"],
                "active": v["status"] == "approved",
            }
            for v in await lookup(app, VolunteerStore).all()
            if v["volunteer_ref"] in refs
        }
    assert set(expected) == set(ids[:2])
    assert len(volunteers) == 2

    topics = {k: getattr(directory_settings, k) for k in ("offers_topic", "volunteers_topic")}
    rebuilding = matching_app(matching_settings.model_copy(update=topics))
    async with serving(rebuilding):
        views = lookup(rebuilding, OfferViews)

        async def rebuilt():
            seen = {i: await views.get(i) for i in ids}
            got = {i: as_matching_says(v) for i, v in seen.items() if v is not None}
            return got == expected and got

        await eventually(rebuilt, timeout=60, what="matching's offers equal directory's")
        assert await views.get(ids[2]) is None

        async def volunteers_rebuilt():
            seen = {r: await lookup(rebuilding, VolunteerViews).get(r) for r in refs}
            got = {
                r: {k: v[k] for k in ("revision", "capacity", "active")}
                for r, v in seen.items()
                if v
            }
            return got == volunteers

        await eventually(
            volunteers_rebuilt, timeout=60, what="matching's volunteers equal directory's"
        )


async def _relayed(store) -> bool:
    return await store.collection.count_documents({"outbox_pending": True}) == 0


async def _vetted_volunteer(client, app, headers, n: int) -> str:
    """A volunteer who applied, was reviewed, cleared and approved (one paused)."""
    form = {
        "identity": {"prenom": f"Bénévole {n}", "nom": "Inventé", "courriel": f"b{n}@example.org"},
        "association_id": "parrains-par-mille",
        "code_postal": "44000",
        "needs": ["parrainage-de-proximite"],
        "availability": [{"day": "we", "part": "afternoon"}],
        "capacity": 1 + n,
        "consent": True,
    }
    volunteer_id = (await client.post("/api/v1/volunteers", json=form)).json()["volunteer_id"]
    url = f"/api/v1/staff/volunteers/{volunteer_id}"
    await client.patch(
        url, json={"status": "in-review", "honorability": "cleared"}, headers=headers
    )
    await client.patch(url, json={"status": "approved"}, headers=headers)
    if n:
        await client.patch(url, json={"status": "paused"}, headers=headers)
    return (await lookup(app, VolunteerStore).get(volunteer_id))["volunteer_ref"]
