"""Directory's ports on MongoDB: the repositories and the unit of work of `ports`.

They turn aggregates into the documents, outbox entries and search cards that `store` and
`volunteer_store` write; each write is one atomic update of one document, the aggregate's
state and its events together, guarded by the revision it was read at (`store.append`).
"""

from collections.abc import Callable
from typing import Any

from entraide.directory import domain, search
from entraide.directory.associations import name_of
from entraide.directory.model import Offer, Outgoing, Tombstone, Volunteer
from entraide.directory.outbox import entry, tombstone
from entraide.directory.store import OfferStore
from entraide.directory.volunteer_store import VolunteerStore

Doc = dict[str, Any]


class MongoOffers:
    """`ports.Offers` over the offers' documents."""

    def __init__(self, store: OfferStore) -> None:
        self.store = store

    async def get(self, offer_id: str) -> Offer | None:
        doc = await self.store.get(offer_id)
        return None if doc is None else Offer.from_state(doc)


class MongoVolunteers:
    """`ports.Volunteers` over the volunteers' documents."""

    def __init__(self, store: VolunteerStore) -> None:
        self.store = store

    async def get(self, volunteer_id: str) -> Volunteer | None:
        doc = await self.store.get(volunteer_id)
        return None if doc is None else Volunteer.from_state(doc)


class MongoUnitOfWork:
    """`ports.UnitOfWork`: one document write per aggregate, then the relay is woken."""

    def __init__(
        self, offers: OfferStore, volunteers: VolunteerStore, wake: Callable[[], None]
    ) -> None:
        self.offer_store, self.volunteer_store, self.wake = offers, volunteers, wake
        self._offers, self._volunteers = MongoOffers(offers), MongoVolunteers(volunteers)

    @property
    def offers(self) -> MongoOffers:
        return self._offers

    @property
    def volunteers(self) -> MongoVolunteers:
        return self._volunteers

    async def add(self, aggregate: Offer | Volunteer) -> None:
        if isinstance(aggregate, Offer):
            state = aggregate.state()
            entries = _entries(aggregate.events, self.offer_store.topic)
            await self.offer_store.insert(state, entries, _card(state))
        else:
            entries = _entries(aggregate.events, self.volunteer_store.topic)
            await self.volunteer_store.insert(aggregate.state(), entries)
        self._written(aggregate)

    async def commit(self, aggregate: Offer | Volunteer) -> bool:
        if isinstance(aggregate, Offer):
            written = await self._commit_offer(aggregate)
        else:
            entries = _entries(aggregate.events, self.volunteer_store.topic)
            previous = {"revision": aggregate.read_revision}
            written = await self.volunteer_store.replace(aggregate.state(), entries, previous)
        if written:
            self._written(aggregate)
        return written

    async def _commit_offer(self, offer: Offer) -> bool:
        if offer.read_revision is None or offer.read_fields is None:
            raise ValueError(f"offer {offer.id} was never stored: add it")
        entries = _entries(offer.events, self.offer_store.topic)
        state = offer.state()
        previous = domain.offer_document(
            offer.id,
            offer.association_id,
            offer.read_fields,
            revision=offer.read_revision,
            now=offer.updated_at,
            created_at=offer.created_at,
        )  # where its cards are, and the revision the write is guarded by
        if offer.withdrawn:
            return await self.offer_store.delete(previous, entries)
        return await self.offer_store.replace(state, entries, _card(state), previous)

    def _written(self, aggregate: Offer | Volunteer) -> None:
        woken = bool(aggregate.events)
        aggregate.events.clear()
        aggregate.read_revision = aggregate.revision
        if isinstance(aggregate, Offer):
            aggregate.read_fields = aggregate.fields
        if woken:
            self.wake()


def _entries(events: list[Outgoing], topic: str) -> list[Doc]:
    """The kit's outbox entries for these events, sent to `topic` (the settings')."""
    return [
        tombstone(topic, e.key) if isinstance(e, Tombstone) else entry(e, topic) for e in events
    ]


def _card(state: Doc) -> search.Card:
    return search.card(state, name_of(state["association_id"]))
