"""What directory's use cases need from the outside world: the ports.

The adapters implement them on MongoDB (`adapters.offers.store`, `adapters.volunteers.store`,
which alone know the documents, their filters and the search cards; `card_cache` the
cards; `unit_of_work` the writes), privacy's key vault or directory's own keys
(`adapters.volunteers.local_keys`); the unit tests' fakes implement them in memory.
"""

from collections.abc import AsyncIterator, Collection, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, NamedTuple, Protocol

from entraide.contracts.events import MatchProposed
from entraide.directory.domain.offers.listing import Mark as ListingMark
from entraide.directory.domain.offers.offer import Offer
from entraide.directory.domain.offers.search import Prepared, Query
from entraide.directory.domain.volunteers.roster import Mark
from entraide.directory.domain.volunteers.status_news import StatusNews
from entraide.directory.domain.volunteers.volunteer import Volunteer

Doc = dict[str, Any]


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

    async def owing_news(self, limit: int) -> list[Volunteer]:
        """The volunteers whose status's news is still owed (`news_owed`), oldest first."""
        ...

    async def told(self, volunteer_id: str, news: StatusNews) -> bool:
        """Clear the news owed in one write guarded by it (still this news: a later status's
        stays); whether this call cleared it."""
        ...


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


class OfferDocuments(Protocol):
    """The offers as stored (`events.offer_document`), for reading: pages, API, export."""

    async def get(self, offer_id: str) -> Doc | None:
        """The offer, unless unknown or withdrawn."""
        ...

    def every(self) -> AsyncIterator[Doc]:
        """Every live offer, read as it goes (a cursor: never all of them at once)."""
        ...


@dataclass(frozen=True)
class ListingQuery:
    """Which actions: an association's, serving one of these départements (none named:
    all), in this state at `now` (None: all), in the order of `domain.offers.listing`;
    from `start` (or those after the mark `after`), at most `size`."""

    association_id: str
    territories: Sequence[str]
    freshness: str | None
    now: datetime
    start: int
    size: int
    after: ListingMark | None = None


@dataclass(frozen=True)
class ListingPage:
    """One page of the actions as stored, and how many there are in each state (whatever
    the state asked)."""

    docs: list[Doc]
    by_freshness: dict[str, int]


class OfferListing(Protocol):
    """The port: the store filters, orders (`domain.offers.listing`) and pages."""

    async def page(self, query: ListingQuery) -> ListingPage: ...


class VolunteerLookup(Protocol):
    """A volunteer as stored, by the pseudonymous reference the other services know."""

    async def by_ref(self, volunteer_ref: str) -> Doc | None: ...


class VolunteerDocuments(VolunteerLookup, Protocol):
    """The volunteers as stored (`Volunteer.state`), for reading."""

    async def by_refs(self, volunteer_refs: Collection[str]) -> dict[str, Doc]:
        """The volunteers known by these references, by reference: one read, however many
        (a batch of events)."""
        ...

    async def without_validity(self) -> list[str]:
        """Volunteers announced with a cleared check but no validity stored."""
        ...

    def every(self) -> AsyncIterator[Doc]:
        """Every volunteer, read as it goes (a cursor, at start only: never all at once)."""
        ...

    async def note(
        self, volunteer_ref: str, field: str, case_id: str, *, unless_in: str | None = None
    ) -> bool:
        """Add a privacy case's id to one of the record's notes (`objections`,
        `rectifications`), unless it is in the note `unless_in` (`rectifications_done`);
        False if it was there already, or in `unless_in`, or the volunteer is unknown."""
        ...

    async def move(self, volunteer_ref: str, case_id: str, *, out_of: str, into: str) -> bool:
        """Take a privacy case's id out of one note and add it to another, in one write;
        whether it was in `out_of` (False too for an unknown volunteer)."""
        ...


@dataclass(frozen=True)
class RosterPage:
    """One page of the volunteers as stored, and how many there are in all (with the
    status asked), per status (whatever was asked) and per tier (the order's parts,
    `domain.volunteers.roster.TIERS`)."""

    docs: list[Doc]
    total: int
    by_status: dict[str, int]
    by_tier: dict[str, int]


@dataclass(frozen=True)
class RosterQuery:
    """Which volunteers: an association's, living in these départements (none named: all),
    of this status (None: all), in the order of `today`; from `start` (or those after the
    mark `after`, in the order of its day), at most `size`."""

    association_id: str
    territories: Sequence[str]
    status: str | None
    today: date
    start: int
    size: int
    after: Mark | None = None


class Roster(Protocol):
    """The port: the store filters, orders (`domain.volunteers.roster.TIERS`) and pages."""

    async def page(self, query: RosterQuery) -> RosterPage: ...


class VolunteerKeyStore(Protocol):
    """The volunteers' own data keys (`domain.volunteers.sealing`)."""

    async def create(self, volunteer_id: str, volunteer_ref: str) -> bytes:
        """A new volunteer's data key (LookupError if it has one already)."""
        ...

    async def existing(self, volunteer_id: str) -> bytes | None:
        """The volunteer's key, or None once destroyed (crypto-shredding)."""
        ...

    async def destroy(self, volunteer_id: str) -> None: ...


class SupportMove(NamedTuple):
    """A volunteer's match moving on: to which state (`accepted`, `started`, or one that
    ends it), and when."""

    match_id: str
    state: str
    at: datetime


class VolunteerSupports(Protocol):
    """The volunteers' matches as heard on the matches topic (`adapters.volunteers.supports`)."""

    async def heard(self, changes: Sequence[MatchProposed | SupportMove]) -> None:
        """A batch's proposals (each once however often it comes) and moves (never back:
        a redelivered event changes nothing; a move before its proposal finds nothing),
        written at once, each match's in the order given."""
        ...

    async def current(self, volunteer_ref: str) -> list[Doc]:
        """The volunteer's supports under way (accepted or started), the oldest first."""
        ...
