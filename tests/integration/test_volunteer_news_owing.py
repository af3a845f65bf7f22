"""The volunteers whose status's news is owed are found by a marker, on the real store:
their own id in `news_owing`, under a unique sparse index (what mongo-java-server serves
without reading the whole collection), set by the very write that notes the news and
cleared by the one that clears it (told, or cancelled by leaving). A note the earlier code
left without its marker is marked by a process's first pass, a marker it left without its
note taken off."""

from entraide.directory.adapters.offers.store import OfferStore
from entraide.directory.adapters.unit_of_work import MongoUnitOfWork
from entraide.directory.adapters.volunteers.store import MongoVolunteers, VolunteerStore
from entraide.directory.domain.volunteers.rules import Honorability, Status
from entraide.directory.domain.volunteers.status_news import StatusNews
from entraide.directory.usecases import volunteers
from entraide.directory.usecases.volunteers import Review
from tests.unit.directory.fakes import FakeKeys
from tests.unit.directory.test_volunteer_use_cases import FORM, PPM

IN_REVIEW = Review(status=Status.IN_REVIEW, honorability=Honorability.CLEARED)


async def wired(mongo, unique) -> tuple[VolunteerStore, MongoUnitOfWork]:
    db = mongo[f"test_directory_{unique}"]
    store = VolunteerStore(db)
    await store.ensure_indexes()
    return store, MongoUnitOfWork(OfferStore(db), store, lambda: None)


async def noted(store: VolunteerStore, volunteer_id: str) -> tuple[object, object]:
    doc = await store.get(volunteer_id)
    assert doc is not None
    return doc.get("news_owed", {}).get("status"), doc.get("news_owing")


async def test_the_news_owed_is_listed_by_its_marker_set_and_cleared_with_the_note(
    mongo, unique
) -> None:
    store, uow = await wired(mongo, unique)
    assert await uow.volunteers.owing_news(100) == []  # a process's first pass: nothing noted yet
    index = (await store.collection.index_information())["news_owing_1"]
    assert (index.get("unique"), index.get("sparse")) == (True, True)
    first = await volunteers.apply(uow, FakeKeys(), FORM)
    second = await volunteers.apply(uow, FakeKeys(), FORM)
    assert await noted(store, first) == ("applied", first), "in the application's write"

    await volunteers.change(uow, PPM, first, IN_REVIEW)
    await volunteers.change(uow, PPM, second, Review(capacity=2))  # no new status

    assert await noted(store, first) == ("in-review", first), "the note replaced, marked"
    assert await noted(store, second) == ("applied", second), "left as it was"
    owing = await uow.volunteers.owing_news(100)
    assert [v.id for v in owing] == [second, first], "the oldest note first"
    news = owing[1].news_owed
    assert isinstance(news, StatusNews)

    assert await uow.volunteers.told(first, news)
    await volunteers.change(uow, PPM, second, Review(status=Status.LEFT))

    assert await noted(store, first) == (None, None), "told: the note and its marker"
    assert await noted(store, second) == (None, None), "leaving cancels both"
    assert await uow.volunteers.owing_news(100) == []


async def test_the_first_pass_marks_a_note_left_unmarked_and_unmarks_a_told_one(
    mongo, unique
) -> None:
    """The earlier code (before the marker, or after a rollback to it) wrote the note
    without the marker, and cleared the note alone when told."""
    store, uow = await wired(mongo, unique)
    unmarked = await volunteers.apply(uow, FakeKeys(), FORM)
    told = await volunteers.apply(uow, FakeKeys(), FORM)
    await store.collection.update_one({"_id": unmarked}, {"$unset": {"news_owing": ""}})
    await store.collection.update_one({"_id": told}, {"$unset": {"news_owed": ""}})

    restarted = MongoVolunteers(VolunteerStore(store.collection.database))  # the next process
    [owing] = await restarted.owing_news(100)

    assert owing.id == unmarked
    assert await noted(store, unmarked) == ("applied", unmarked)
    assert await noted(store, told) == (None, None)
