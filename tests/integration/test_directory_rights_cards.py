"""Privacy's commands to directory read the collections that may name a person, not the
search cards: one collection per map cell holding offers, by the thousand across the
country (each export and erasure read them all before)."""

from datetime import UTC, datetime, timedelta

from entraide.contracts.events import AccessRequested, ErasureRequested
from entraide.contracts.vocab import ErasureReason, SubjectKind
from entraide.directory.adapters.offers.store import OfferStore
from entraide.directory.adapters.rights import DirectoryRights
from entraide.directory.app import create_app
from entraide.kit.deps import lookup
from tests.integration.test_directory_offers import bearer, body, directory_settings  # noqa: F401
from tests.support import serving


async def test_an_access_and_an_erasure_leave_the_search_cards_unread(
    directory_settings,  # noqa: F811
    dev_issuer,
):
    app = create_app(directory_settings)
    async with serving(app) as client:
        ppm = await bearer(dev_issuer, "ppm-nantes")
        created = await client.post("/api/v1/staff/offers", json=body("Nantes"), headers=ppm)
        assert created.status_code == 201, created.text
        db = lookup(app, OfferStore).db
        cards = [n for n in await db.list_collection_names() if n.startswith(("cell_", "dep_"))]
        assert cards  # the offer's card is in its cell
        ref = "vol-cards-unread"
        for name in [*cards, "card_versions"]:  # were they read, these would be found
            await db[name].insert_one({"_id": ref, "volunteer_ref": ref})
        ask = {"case_id": "case-cards", "subject_ref": ref, "subject_kind": SubjectKind.VOLUNTEER,
               "deadline": datetime.now(UTC) + timedelta(days=30)}  # fmt: skip
        rights = lookup(app, DirectoryRights)
        assert await rights.export(AccessRequested(**ask)) == {}
        erased = await rights.erase(ErasureRequested(reason=ErasureReason.RIGHTS_REQUEST, **ask))
        assert not set(erased) & {*cards, "card_versions"}
        for name in [*cards, "card_versions"]:
            assert await db[name].count_documents({"_id": ref}) == 1
