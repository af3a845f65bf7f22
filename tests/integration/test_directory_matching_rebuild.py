"""Rebuilding matching's view from the compacted topic gives directory's offers."""

from entraide.directory.app import create_app as directory_app
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
        offers = app.state.offers
        await eventually(lambda: _relayed(offers), timeout=30, what="directory's outbox relayed")
        expected = {d["_id"]: as_directory_says(d) for d in await offers.all() if d["_id"] in ids}
    assert set(expected) == set(ids[:2])

    rebuilding = matching_app(matching_settings)
    async with serving(rebuilding):
        views = rebuilding.state.offer_views

        async def rebuilt():
            seen = {i: await views.get(i) for i in ids}
            got = {i: as_matching_says(v) for i, v in seen.items() if v is not None}
            return got == expected and got

        await eventually(rebuilt, timeout=60, what="matching's offers equal directory's")
        assert await views.get(ids[2]) is None


async def _relayed(offers) -> bool:
    return await offers.markers.count_documents({}) == 0
