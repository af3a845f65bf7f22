"""The unit of work of `usecases.ports` on MongoDB, over the offers' and the volunteers' stores.

It turns aggregates into the documents, outbox entries and search cards those stores
write; each write is one atomic update of one document, the aggregate's state and its
events together, guarded by the revision it was read at (`writes.append`).
"""

from collections.abc import Callable
from typing import Any

from entraide.contracts.events import RectificationCompleted, VolunteerApplicationChanged
from entraide.contracts.topics import PRIVACY_ACKS
from entraide.directory.adapters.offers.store import MongoOffers, OfferStore
from entraide.directory.adapters.outbox import entry, tombstone
from entraide.directory.adapters.volunteers.store import (
    NEWS,
    NOTE,
    OWING,
    MongoVolunteers,
    VolunteerStore,
)
from entraide.directory.domain.associations import name_of
from entraide.directory.domain.offers import events as offer_events
from entraide.directory.domain.offers import search
from entraide.directory.domain.offers.offer import Offer
from entraide.directory.domain.records import Outgoing, Tombstone
from entraide.directory.domain.volunteers.volunteer import Volunteer

Doc = dict[str, Any]


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
            entries = _volunteer_entries(aggregate.events, self.volunteer_store)
            await self.volunteer_store.insert(aggregate.state() | _news(aggregate), entries)
        self._written(aggregate)

    async def commit(self, aggregate: Offer | Volunteer) -> bool:
        if isinstance(aggregate, Offer):
            written = await self._commit_offer(aggregate)
        else:
            entries = _volunteer_entries(aggregate.events, self.volunteer_store)
            previous = {"revision": aggregate.read_revision}
            state, rectified = aggregate.state() | _news(aggregate), aggregate.rectified
            cancelled = aggregate.news_noted and aggregate.news_owed is None  # leaving
            written = await self.volunteer_store.replace(
                state, entries, previous, rectified, unset=NOTE if cancelled else ()
            )
        if written:
            self._written(aggregate)
        return written

    async def _commit_offer(self, offer: Offer) -> bool:
        if offer.read_revision is None or offer.read_fields is None:
            raise ValueError(f"offer {offer.id} was never stored: add it")
        entries = _entries(offer.events, self.offer_store.topic)
        state = offer.state()
        previous = offer_events.offer_document(
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
        else:
            done = aggregate.rectified
            aggregate.rectifications = [c for c in aggregate.rectifications if c not in done]
            new = [c for c in done if c not in aggregate.rectifications_done]
            aggregate.rectifications_done = [*aggregate.rectifications_done, *new]
            aggregate.rectified = []
            aggregate.news_noted = False
        if woken:
            self.wake()


def _news(volunteer: Volunteer) -> Doc:
    """The news of a status this change noted, and its marker (the volunteer's id, which the
    pass reads by), in its write (`status_news`); a write that changed no status leaves the
    note as it is in the store (cleared meanwhile, or not)."""
    if not volunteer.news_noted or volunteer.news_owed is None:
        return {}
    return {NEWS: volunteer.news_owed.document(), OWING: volunteer.id}


def _entries(events: list[Outgoing], topic: str) -> list[Doc]:
    """The kit's outbox entries for these events, sent to `topic` (the settings')."""
    return [
        tombstone(topic, e.key) if isinstance(e, Tombstone) else entry(e, topic) for e in events
    ]


def _volunteer_entries(events: list[Outgoing], store: VolunteerStore) -> list[Doc]:
    """The availability to the volunteers' topic, the application's changes to theirs, a
    rectification done to privacy's acknowledgements."""
    return [_volunteer_entry(e, store) for e in events]


def _volunteer_entry(event: Outgoing, store: VolunteerStore) -> Doc:
    if isinstance(event, Tombstone):
        return tombstone(store.topic, event.key)
    if event.type == VolunteerApplicationChanged.EVENT_TYPE:
        return entry(event, store.applications_topic)
    if event.type == RectificationCompleted.EVENT_TYPE:
        return entry(event, PRIVACY_ACKS.name)
    return entry(event, store.topic)


def _card(state: Doc) -> search.Card:
    return search.card(state, name_of(state["association_id"]))
