"""The offers' sort keys are backfilled once per version of their recipe, on the real
store: the first start of a version repairs the keys, the next starts read no offer, a new
version runs it again, two replicas starting together both end right, and a backfill cut
short leaves no marker."""

import asyncio
from datetime import UTC, datetime

import pytest

from entraide.directory.adapters.offers.store import OfferStore
from entraide.directory.app import create_app
from entraide.directory.domain.offers import listing
from entraide.directory.domain.offers.events import offer_document
from entraide.directory.usecases.ports import OfferListing
from entraide.kit.deps import lookup
from entraide.kit.devissuer import PPM
from entraide.kit.outbox import DONE
from tests.integration.test_directory_offers import directory_settings  # noqa: F401
from tests.support import serving
from tests.unit.directory.offers import fields

WRONG = listing.sort_key("Abeilles", "Nantes")  # a key another recipe, or name, gave


async def stored(app, *names: str) -> None:
    """Offers of these names in Nantes, stored before the key existed (no key at all)."""
    now = datetime.now(UTC)
    docs = []
    for n, nom in enumerate(names):
        doc = offer_document(f"offer-{n}", PPM, fields("Nantes", nom=nom), revision=1, now=now)
        del doc["sort_key"]
        docs.append(doc | DONE)
    await lookup(app, OfferStore).collection.insert_many(docs)


async def keys(app) -> dict[str, str | None]:
    return {d["_id"]: d.get("sort_key") async for d in lookup(app, OfferStore).collection.find()}


async def spoil(app, offer_id: str) -> None:
    """A key only a read of the offers would see is wrong."""
    offers = lookup(app, OfferStore).collection
    await offers.update_one({"_id": offer_id}, {"$set": {"sort_key": WRONG}})


async def test_the_first_start_repairs_the_keys_and_the_next_reads_no_offer(
    directory_settings,  # noqa: F811
):
    first = create_app(directory_settings)
    await stored(first, "Paris 2e", "Zoo")
    async with serving(first, ready=False):
        assert await keys(first) == {
            "offer-0": listing.sort_key("Paris 2e", "Nantes"),
            "offer-1": listing.sort_key("Zoo", "Nantes"),
        }
    second = create_app(directory_settings)  # another start, of this version
    await spoil(second, "offer-1")
    async with serving(second, ready=False):
        assert (await keys(second))["offer-1"] == WRONG  # not read, so not repaired


async def test_a_new_version_of_the_recipe_runs_the_backfill_again_and_an_older_does_not(
    directory_settings,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
):
    app = create_app(directory_settings)
    await stored(app, "Paris 2e")
    async with serving(app, ready=False):
        pass
    monkeypatch.setattr(listing, "KEY_VERSION", listing.KEY_VERSION + 1)
    newer = create_app(directory_settings)
    await spoil(newer, "offer-0")
    async with serving(newer, ready=False):
        assert (await keys(newer))["offer-0"] == listing.sort_key("Paris 2e", "Nantes")
    monkeypatch.undo()  # a replica of the former version, during a rolling deploy
    older = create_app(directory_settings)
    await spoil(older, "offer-0")
    async with serving(older, ready=False):
        assert (await keys(older))["offer-0"] == WRONG  # it leaves the newer's keys alone


async def test_two_replicas_starting_together_both_backfill_and_end_right(
    directory_settings,  # noqa: F811
):
    one, other = create_app(directory_settings), create_app(directory_settings)
    await stored(one, *(f"Atelier {n}" for n in range(30)))
    await asyncio.gather(lookup(one, OfferListing).rekey(), lookup(other, OfferListing).rekey())
    assert await keys(one) == {
        f"offer-{n}": listing.sort_key(f"Atelier {n}", "Nantes") for n in range(30)
    }
    assert await lookup(one, OfferListing).rekey() == 0  # marked done


async def test_a_backfill_cut_short_runs_again_at_the_next_start(
    directory_settings,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
):
    app = create_app(directory_settings)
    await stored(app, "Paris 2e", "Zoo")
    recipe = listing.sort_key

    def crashing(nom: str, commune: str) -> str:
        if nom == "Zoo":
            raise RuntimeError("the replica stops here")
        return recipe(nom, commune)

    monkeypatch.setattr(listing, "sort_key", crashing)
    with pytest.raises(RuntimeError):
        await lookup(app, OfferListing).rekey()
    monkeypatch.undo()
    assert await lookup(app, OfferListing).rekey() == 1  # no marker: it ran again
    assert await keys(app) == {
        "offer-0": listing.sort_key("Paris 2e", "Nantes"),
        "offer-1": listing.sort_key("Zoo", "Nantes"),
    }
