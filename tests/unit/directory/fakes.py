"""In-memory implementations of directory's ports, for use-case tests without Kafka or a store.

They keep copies, as a store would: a use case changing an aggregate it read changes
nothing until its unit of work commits. Every call yields to the other tasks first, and
each write is atomic (its revision check and its write with no await between), so two
use cases run side by side interleave as replicas do.
"""

import asyncio
import copy
from typing import Any

from entraide.contracts.events import VolunteerApplicationChanged
from entraide.directory.domain.associations import name_of
from entraide.directory.domain.offers import search
from entraide.directory.domain.offers.offer import Offer
from entraide.directory.domain.records import Outgoing
from entraide.directory.domain.volunteers.status_news import StatusNews
from entraide.directory.domain.volunteers.volunteer import Volunteer


class FakeOffers:
    """`ports.Offers` and `ports.Cards` over a dict of stored offers."""

    def __init__(self) -> None:
        self.stored: dict[str, Offer] = {}

    async def get(self, offer_id: str) -> Offer | None:
        await asyncio.sleep(0)
        offer = self.stored.get(offer_id)
        return None if offer is None or offer.withdrawn else copy.deepcopy(offer)

    async def near(self, query: search.Query) -> list[search.Prepared]:
        """Every live offer's card: `search.best` keeps those within reach."""
        await asyncio.sleep(0)
        live = [o.state() for o in self.stored.values() if not o.withdrawn]
        return [search.prepare(search.card(s, name_of(s["association_id"]))) for s in live]


class FakeVolunteers:
    """`ports.Volunteers` over a dict of stored volunteers."""

    def __init__(self) -> None:
        self.stored: dict[str, Volunteer] = {}

    async def get(self, volunteer_id: str) -> Volunteer | None:
        await asyncio.sleep(0)
        volunteer = self.stored.get(volunteer_id)
        return None if volunteer is None else copy.deepcopy(volunteer)

    async def owing_news(self, limit: int) -> list[Volunteer]:
        await asyncio.sleep(0)
        owing = [v for v in self.stored.values() if v.news_owed is not None]
        owing.sort(key=lambda v: v.news_owed.since if v.news_owed else 0)
        return copy.deepcopy(owing[:limit])

    async def told(self, volunteer_id: str, news: StatusNews) -> bool:
        await asyncio.sleep(0)
        stored = self.stored.get(volunteer_id)  # as the store: guarded by the note
        if stored is None or stored.news_owed is None:
            return False
        if stored.news_owed.revision != news.revision:
            return False
        stored.news_owed = None
        return True


class FakeUnitOfWork:
    """`ports.UnitOfWork`: keeps what was written and what the relay would publish."""

    def __init__(self) -> None:
        self._offers, self._volunteers = FakeOffers(), FakeVolunteers()
        self.published: list[Outgoing] = []  # the outbox, in order (but the applications')
        self.applications: list[Outgoing] = []  # applications' changes, on their own topic
        self.wakes = 0
        self.writes = 0
        self.refused = 0

    @property
    def offers(self) -> FakeOffers:
        return self._offers

    @property
    def volunteers(self) -> FakeVolunteers:
        return self._volunteers

    async def add(self, aggregate: Offer | Volunteer) -> None:
        await asyncio.sleep(0)
        if aggregate.id in self._stored(aggregate):
            raise ValueError(f"{aggregate.id} is stored already")
        self._write(aggregate)

    async def commit(self, aggregate: Offer | Volunteer) -> bool:
        await asyncio.sleep(0)
        current = self._stored(aggregate).get(aggregate.id)
        if current is None or current.revision != aggregate.read_revision:
            self.refused += 1
            return False
        self._write(aggregate)
        return True

    def _stored(self, aggregate: Offer | Volunteer) -> dict[str, Any]:
        return self._offers.stored if isinstance(aggregate, Offer) else self._volunteers.stored

    def _write(self, aggregate: Offer | Volunteer) -> None:
        self.writes += 1
        for event in aggregate.events:
            kind = getattr(event, "type", "")
            to_observatory = kind == VolunteerApplicationChanged.EVENT_TYPE
            (self.applications if to_observatory else self.published).append(event)
        self.wakes += bool(aggregate.events)
        aggregate.events.clear()
        aggregate.read_revision = aggregate.revision
        if isinstance(aggregate, Offer):
            aggregate.read_fields = aggregate.fields
        else:  # the cases a correction acted on lose their flags and are noted done,
            # in the same write
            done = aggregate.rectified
            aggregate.rectifications = [c for c in aggregate.rectifications if c not in done]
            new = [c for c in done if c not in aggregate.rectifications_done]
            aggregate.rectifications_done = [*aggregate.rectifications_done, *new]
            aggregate.rectified = []
        written = copy.deepcopy(aggregate)
        if isinstance(aggregate, Volunteer) and isinstance(written, Volunteer):
            stored = self._volunteers.stored.get(aggregate.id)
            if not aggregate.news_noted and stored is not None:  # a write changing no status
                written.news_owed = stored.news_owed  # leaves the note as it is stored
            aggregate.news_noted = written.news_noted = False
        self._stored(aggregate)[aggregate.id] = written

    def events(self) -> list[Any]:
        """The events' data published so far (tombstones left out)."""
        return [e.data for e in self.published if hasattr(e, "data")]


class FakeKeys:
    """`ports.VolunteerKeyStore` in memory."""

    def __init__(self) -> None:
        self.keys: dict[str, bytes] = {}

    async def create(self, volunteer_id: str, volunteer_ref: str) -> bytes:
        if volunteer_id in self.keys:
            raise LookupError("the volunteer already has a key")
        self.keys[volunteer_id] = key = bytes(range(32))
        return key

    async def existing(self, volunteer_id: str) -> bytes | None:
        return self.keys.get(volunteer_id)

    async def destroy(self, volunteer_id: str) -> None:
        self.keys.pop(volunteer_id, None)
