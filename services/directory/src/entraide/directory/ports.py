"""What directory's use cases need from the outside world: the ports.

`repositories` implements them on MongoDB (over `store` and `volunteer_store`, which alone
know the documents, their filters and the search cards; `card_cache` the cards); the unit tests' fakes implement
them in memory. The volunteers' data keys are `sealing.VolunteerKeyStore`.
"""

from typing import Protocol

from entraide.directory.model import Offer, Volunteer
from entraide.directory.search import Prepared, Query


class Cards(Protocol):
    """The offers' search cards."""

    async def near(self, query: Query) -> list[Prepared]:
        """The cards within reach of the query's point and radius (and of its
        département, for the offers served at a distance), prepared, not yet ranked."""
        ...


class Offers(Protocol):
    async def get(self, offer_id: str) -> Offer | None:
        """The offer, unless unknown or withdrawn."""
        ...


class Volunteers(Protocol):
    async def get(self, volunteer_id: str) -> Volunteer | None: ...


class UnitOfWork(Protocol):
    """Writes an aggregate and the events it queued in one document write, guarded by the
    revision it was read at, then wakes the outbox relay so they are published at once."""

    @property
    def offers(self) -> Offers: ...

    @property
    def volunteers(self) -> Volunteers: ...

    async def add(self, aggregate: Offer | Volunteer) -> None:
        """Store a new offer or volunteer, with its events."""
        ...

    async def commit(self, aggregate: Offer | Volunteer) -> bool:
        """Store the aggregate's new revision with its events, unless another revision was
        written since it was read (False; nothing written)."""
        ...
