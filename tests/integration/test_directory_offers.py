"""Directory on the real broker and store: staff publish, the public finds, Kafka hears."""

import json
import re

import pytest

from entraide.directory.adapters.offers.store import OfferStore
from entraide.directory.app import create_app
from entraide.directory.settings import DirectorySettings
from entraide.kit.deps import lookup
from tests.infra import Endpoints, settings_on
from tests.support import eventually, records, scratch_topic, serving
from tests.unit.directory.offers import fields


@pytest.fixture
async def directory_settings(infra: Endpoints, unique: str, dev_issuer):
    """Directory on its own database and its own offers and volunteers topics."""
    settings = settings_on(
        DirectorySettings,
        infra,
        f"test_directory_{unique}",
        outbox_idle_poll_seconds=0.2,
        keys="local",
    )
    async with (
        scratch_topic(infra.kafka_bootstrap, "entraide.test.offers") as offers,
        scratch_topic(infra.kafka_bootstrap, "entraide.test.volunteers") as volunteers,
    ):
        yield dev_issuer.settings_for(settings).model_copy(
            update={"offers_topic": offers, "volunteers_topic": volunteers}
        )


async def bearer(dev_issuer, username: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {await dev_issuer.token_for(username)}"}


def body(where: str = "Rezé", **changes) -> dict:
    return fields(where, **changes).model_dump(mode="json")


async def test_an_offer_published_by_staff_is_found_near_nantes_and_announced_on_its_topic(
    directory_settings, dev_issuer
):
    async with serving(create_app(directory_settings)) as client:
        ppm = await bearer(dev_issuer, "ppm-nantes")
        created = await client.post("/api/v1/staff/offers", json=body(), headers=ppm)
        assert created.status_code == 201, created.text
        offer_id = created.json()["offer_id"]

        found = await client.get(
            "/api/v1/offers", params={"lieu": "44000", "age": 8, "q": "parrainage"}
        )
        assert [r["offer_id"] for r in found.json()["results"]] == [offer_id]
        assert found.json()["results"][0]["association"] == "Parrains Par Mille"
        assert (await client.get("/api/v1/offers", params={"lieu": "Lille"})).json()[
            "results"
        ] == []

        [record] = await records(
            directory_settings.kafka_bootstrap,
            directory_settings.offers_topic,
            key=offer_id.encode(),
        )
        event = json.loads(record.value)
        assert event["type"] == "fr.entraide.offer.published.v1"
        assert event["data"]["association_id"] == "parrains-par-mille"

        page = await client.get("/recherche", params={"lieu": "Nantes", "age": "8"})
        assert page.status_code == 200
        assert "Parrainage de proximité" in page.text


async def test_staff_of_another_association_cannot_edit_or_withdraw_the_offer(
    directory_settings, dev_issuer
):
    async with serving(create_app(directory_settings)) as client:
        ppm, afev = await bearer(dev_issuer, "ppm-nantes"), await bearer(dev_issuer, "afev-lille")
        offer_id = (await client.post("/api/v1/staff/offers", json=body(), headers=ppm)).json()[
            "offer_id"
        ]

        edit = await client.put(
            f"/api/v1/staff/offers/{offer_id}", json=body(nom="Détourné"), headers=afev
        )
        assert edit.status_code == 403
        assert (
            await client.delete(f"/api/v1/staff/offers/{offer_id}", headers=afev)
        ).status_code == 403
        assert (await client.get(f"/api/v1/offers/{offer_id}")).json()[
            "nom"
        ] == "Parrainage de proximité"
        assert (await client.post("/api/v1/staff/offers", json=body())).status_code == 401

        mine = await client.put(
            f"/api/v1/staff/offers/{offer_id}", json=body(nom="Parrainage"), headers=ppm
        )
        assert mine.status_code == 200
        assert mine.json()["revision"] == 2


async def test_a_withdrawn_offer_leaves_the_search_and_its_key_gets_a_tombstone(
    directory_settings, dev_issuer
):
    app = create_app(directory_settings)
    async with serving(app) as client:
        ppm = await bearer(dev_issuer, "ppm-nantes")
        offer_id = (await client.post("/api/v1/staff/offers", json=body(), headers=ppm)).json()[
            "offer_id"
        ]
        assert (
            await client.delete(f"/api/v1/staff/offers/{offer_id}", headers=ppm)
        ).status_code == 204

        assert (await client.get("/api/v1/offers", params={"lieu": "Rezé"})).json()["results"] == []
        assert (await client.get(f"/api/v1/offers/{offer_id}")).status_code == 404
        seen = await records(
            directory_settings.kafka_bootstrap,
            directory_settings.offers_topic,
            key=offer_id.encode(),
            at_least=3,
        )
        types = [json.loads(r.value)["type"] if r.value is not None else None for r in seen]
        assert types[0] == "fr.entraide.offer.published.v1"
        assert types[-2:] == ["fr.entraide.offer.withdrawn.v1", None], types

        offers = lookup(app, OfferStore)  # its events out, the sweep deletes it and its card's mark
        relayed = {"_id": offer_id, "outbox_pending": False}
        await eventually(lambda: offers.collection.find_one(relayed), what="withdrawal relayed")
        [cell] = [c for c in await offers.db.list_collection_names() if c.startswith("cell_")]
        assert await offers.db[cell].count_documents({"_id": offer_id, "gone": True}) == 1
        assert await offers.sweep() == 1
        assert await offers.collection.count_documents({"_id": offer_id}) == 0
        assert await offers.db[cell].count_documents({}) == 0


async def test_the_association_space_lists_its_actions_in_natural_order(
    directory_settings, dev_issuer
):
    """Paris's arrondissements by number (1er, 2e, 19e, 20e), not as text (19e before 1er)."""
    async with serving(create_app(directory_settings)) as client:
        ppm = await bearer(dev_issuer, "ppm-paris")
        for where in ("Paris 2e", "Paris 20e", "Paris 1er", "Paris 19e"):  # neither order
            offer = body(where, nom=f"Parrainage de proximité — {where}")
            created = await client.post("/api/v1/staff/offers", json=offer, headers=ppm)
            assert created.status_code == 201, created.text
        await dev_issuer.sign_in(client, "coordination-ppm")
        space = await client.get("/association/actions")
    assert space.status_code == 200
    listed = re.findall(r"Parrainage de proximité — (Paris \d+\w+)</a>", space.text)
    assert listed == ["Paris 1er", "Paris 2e", "Paris 19e", "Paris 20e"]


async def test_an_associations_staff_of_one_departement_sees_its_actions_there(
    directory_settings, dev_issuer
):
    """UNAF's staff of the Nièvre saw every UNAF action, the Nord's included: they see
    their territories' (the principal's `territories`), their coordinator of both sees all."""
    async with serving(create_app(directory_settings)) as client:
        for who, where in (("unaf-nievre", "Nevers"), ("unaf-lille", "Roubaix")):
            offer = body(where, nom=f"Écoute des parents — {where}")
            created = await client.post(
                "/api/v1/staff/offers", json=offer, headers=await bearer(dev_issuer, who)
            )
            assert created.status_code == 201, created.text
        await dev_issuer.sign_in(client, "unaf-nievre")
        nievre = await client.get("/association/actions")
        await dev_issuer.sign_in(client, "coordination-unaf")
        both = await client.get("/association/actions")
    assert nievre.status_code == 200
    assert re.findall(r"Écoute des parents — (\w+)</a>", nievre.text) == ["Nevers"]
    assert re.findall(r"Écoute des parents — (\w+)</a>", both.text) == ["Nevers", "Roubaix"]


async def test_two_actions_of_one_name_in_one_commune_differ_on_their_cards(
    directory_settings, dev_issuer
):
    """The walk saw four cards « Parrainage de proximité — Nantes / Nantes » and nothing
    else: each card now says the help, the ages, the hours, the places left, the audience."""
    one = body("Nantes", capacity=10, current_load=7)
    other = body(
        "Nantes",
        thematiques=["entraide--parrainage-de-proximite", "entraide--repit-parental"],
        age_min=0,
        age_max=6,
        horaires_accueil="Mo-Fr 09:00-12:00,14:00-17:00",
        capacity=5,
        current_load=5,
        professionals_only=True,
    )
    async with serving(create_app(directory_settings)) as client:
        ppm = await bearer(dev_issuer, "ppm-nantes")
        for offer in (one, other):
            created = await client.post("/api/v1/staff/offers", json=offer, headers=ppm)
            assert created.status_code == 201, created.text
        await dev_issuer.sign_in(client, "ppm-nantes")
        space = await client.get("/association/actions")
    assert space.status_code == 200
    cards = re.findall(r'<ul class="fr-card__desc action-details">(.*?)</ul>', space.text, re.S)
    read = sorted([re.findall(r"<li>(.*?)</li>", card.replace("\u00a0", " ")) for card in cards])
    assert read == [
        [
            "Parrainage de proximité",
            "Enfants de 3 à 14 ans",
            "Horaires : mercredi de 14 h à 18 h ; samedi de 10 h à 17 h",
            "3 places libres sur 10",
            "Ouverte aux familles",
        ],
        [
            "Parrainage de proximité ; Répit parental",
            "Enfants de 0 à 6 ans",
            "Horaires : du lundi au vendredi de 9 h à 12 h et de 14 h à 17 h",
            "Complète (5 places)",
            "Réservée aux professionnels",
        ],
    ]
