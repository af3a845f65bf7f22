"""Offers' use cases against the fakes: no Kafka, no store."""

import asyncio

import pytest

from entraide.contracts.events import OfferPublished, OfferUpdated, OfferWithdrawn
from entraide.directory.domain.offers.search import Query
from entraide.directory.domain.places import find
from entraide.directory.domain.records import ConflictError, ForbiddenError, Tombstone
from entraide.directory.usecases import offers as service
from entraide.kit.principal import Principal, Role
from tests.unit.directory.fakes import FakeUnitOfWork
from tests.unit.directory.offers import fields

PPM = Principal(subject="s", name="Claire", role=Role.STAFF, association_id="parrains-par-mille")
AFEV = Principal(subject="t", name="Tom", role=Role.STAFF, association_id="afev")


async def test_a_published_offer_is_stored_with_its_event_in_one_write_and_found() -> None:
    uow = FakeUnitOfWork()
    offer = await service.create_offer(uow, PPM, fields("Nantes"))
    assert (offer.revision, offer.association_id) == (1, "parrains-par-mille")
    assert (uow.writes, uow.wakes) == (1, 1)
    [event] = uow.events()
    assert isinstance(event, OfferPublished)
    assert (event.offer_id, event.revision) == (offer.id, 1)
    nantes = find("Nantes")
    assert nantes is not None
    query = Query(latitude=nantes.latitude, longitude=nantes.longitude)
    [hit] = await service.find_offers(uow.offers, query)
    assert hit.card["_id"] == offer.id


async def test_an_offer_of_another_association_is_refused() -> None:
    uow = FakeUnitOfWork()
    with pytest.raises(ForbiddenError):
        await service.create_offer(uow, PPM, fields(), association_id="afev")
    offer = await service.create_offer(uow, PPM, fields())
    with pytest.raises(ForbiddenError):
        await service.update_offer(uow, AFEV, offer.id, fields(nom="Pris"))
    assert uow.writes == 1


async def test_an_update_is_a_new_revision_announced() -> None:
    uow = FakeUnitOfWork()
    offer = await service.create_offer(uow, PPM, fields())
    updated = await service.update_offer(uow, PPM, offer.id, fields(nom="Goûters"), revision=1)
    assert updated is not None
    assert updated.revision == 2
    stored = uow.offers.stored[offer.id]
    assert (stored.fields.nom, stored.revision, stored.created_at) == (
        "Goûters",
        2,
        offer.created_at,
    )
    event = uow.events()[-1]
    assert isinstance(event, OfferUpdated)
    assert (event.revision, event.nom) == (2, "Goûters")
    assert await service.update_offer(uow, PPM, "unknown", fields()) is None


async def test_an_update_from_a_stale_revision_is_refused_and_writes_nothing() -> None:
    uow = FakeUnitOfWork()
    offer = await service.create_offer(uow, PPM, fields())
    await service.update_offer(uow, PPM, offer.id, fields(nom="Première"), revision=1)
    with pytest.raises(ConflictError):
        await service.update_offer(uow, PPM, offer.id, fields(nom="Seconde"), revision=1)
    stored = uow.offers.stored[offer.id]
    assert (stored.fields.nom, stored.revision, uow.writes) == ("Première", 2, 2)


async def test_two_editors_saving_at_once_one_is_refused() -> None:
    uow = FakeUnitOfWork()
    offer = await service.create_offer(uow, PPM, fields())
    results = await asyncio.gather(
        service.update_offer(uow, PPM, offer.id, fields(nom="Par Claire")),
        service.update_offer(uow, PPM, offer.id, fields(nom="Par Inès")),
        return_exceptions=True,
    )
    assert sorted(type(r).__name__ for r in results) == ["ConflictError", "Offer"]
    assert uow.offers.stored[offer.id].revision == 2
    assert uow.refused == 1


async def test_a_withdrawn_offer_is_announced_then_tombstoned_and_no_longer_found() -> None:
    uow = FakeUnitOfWork()
    offer = await service.create_offer(uow, PPM, fields())
    assert await service.withdraw_offer(uow, PPM, offer.id)
    *_, withdrawn, tombstone = uow.published
    assert isinstance(withdrawn.data, OfferWithdrawn)  # type: ignore[union-attr]
    assert withdrawn.data.revision == 2  # type: ignore[union-attr]
    assert tombstone == Tombstone(offer.id)
    assert await uow.offers.get(offer.id) is None
    assert await uow.offers.near(Query(latitude=47.2, longitude=-1.55)) == []
    assert not await service.withdraw_offer(uow, PPM, offer.id)
