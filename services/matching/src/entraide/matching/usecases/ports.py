"""What matching's use cases (the engine) need from the outside world, as typed ports: the
requests' read model, the store of matches (with their places, histories and waitlist),
the supports' read models and the outbox; and what the consumers and the pages read and
write through them (read models, the documents listed). The adapters are the only ones
knowing document shapes; tests use fakes."""

from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import date, datetime, timedelta
from enum import StrEnum
from typing import Any, Protocol, TypeVar

from entraide.contracts import CloudEvent
from entraide.contracts.events import OfferState, VolunteerAvailability
from entraide.matching.domain.followups import Followed, Schedule
from entraide.matching.domain.model import History, Match, Support, Waiting
from entraide.matching.domain.paging import Asked, Page
from entraide.matching.usecases.access import Scope

Doc = dict[str, Any]
T = TypeVar("T")


class Applied(StrEnum):
    """What an upsert of the requests' read model did (a stale revision applies nothing:
    None)."""

    NEW = "new"  # first seen: no match, history or waitlist entry of it can exist yet
    NEWER = "newer"


class SupportChanged(Protocol):
    """What matching does when a support changes: its key, capacity, whether still
    available, and whether it is a volunteer's pause (their accepted supports go on)."""

    async def __call__(
        self, key: str, capacity: int | None, available: bool, *, paused: bool = False
    ) -> None: ...


class Requests(Protocol):
    """The requests' read model (latest revision of each, pseudonymous)."""

    async def get(self, request_id: str) -> Doc | None: ...

    async def many(self, request_ids: list[str]) -> dict[str, Doc]: ...

    async def open_ids(self) -> set[str]:
        """The open requests whose family consented to matching."""
        ...


class Matches(Protocol):
    """Matches with their events, the places supports give, histories and the waitlist.
    Every write that must hold across replicas is atomic (see `matches`)."""

    async def take(self, key: str, capacity: int | None, match_id: str) -> bool: ...

    async def take_many(self, takes: list[tuple[str, int | None, str]]) -> set[str]:
        """`take` for several (support key, capacity, match id): the match ids served."""
        ...

    async def give_back(self, key: str, match_id: str) -> None: ...

    async def heal(self, grace: timedelta) -> dict[str, int]: ...

    async def held(self) -> dict[str, int]: ...

    async def propose(
        self, match: Match, event: CloudEvent[Any], leased: Doc | None = None
    ) -> bool:
        """Store the match, open, with its event for the relay, or with the outbox fields
        a writer publishing at once gives (`leased`, opaque); False if the request already
        has an open match."""
        ...

    async def propose_many(
        self, proposals: list[tuple[Match, CloudEvent[Any]]], leased: dict[str, Doc] | None = None
    ) -> set[str]:
        """`propose` for several matches in one write, each with its writer's outbox fields
        (`leased`, by match id); returns the ids of those stored."""
        ...

    async def move(
        self, match: Match, to: str, at: datetime, event: CloudEvent[Any], **details: str
    ) -> bool:
        """Move the match from its state to `to` with its event; False if it moved since.
        `details`: the decline's `reason`, the closing's `outcome`."""
        ...

    async def check_in(
        self, match: Match, kind: str, at: datetime, event: CloudEvent[Any]
    ) -> bool: ...

    async def done_among(self, request_ids: list[str]) -> set[str]:
        """Which of these requests have an open match or a support completed (a match
        closed `completed`): none to propose to."""
        ...

    async def open_requests(self, request_ids: list[str]) -> set[str]:
        """Which of these requests have an open match."""
        ...

    async def get(self, match_id: str) -> Match | None: ...

    async def open_for_request(self, request_id: str) -> Match | None: ...

    async def open_for_support(self, key: str) -> list[Match]: ...

    async def due_to_expire(self, now: datetime, limit: int = 500) -> list[Match]: ...

    async def proposals_of(self, keys: list[str]) -> list[Match]:
        """The proposals still open (not accepted yet) of these supports, read through the
        places they hold (by `_id`: never a scan of the matches)."""
        ...

    async def history(self, request_id: str) -> History: ...

    async def histories_of(self, request_ids: list[str]) -> dict[str, History]: ...

    async def first_proposal(self, request_id: str) -> bool: ...

    async def first_proposals(self, request_ids: list[str]) -> set[str]: ...

    async def remember(
        self, request_id: str, *, refused: str | None = None, known: str | None = None
    ) -> None: ...

    async def wait(self, entry: Waiting) -> None: ...

    async def wait_many(self, entries: list[Waiting]) -> None: ...

    async def unwait(self, request_id: str) -> None: ...

    async def unwait_many(self, request_ids: list[str]) -> None: ...

    async def waiting_ids(self) -> set[str]: ...

    async def waiting_count(self) -> int: ...


class Supports(Protocol):
    """The volunteers and offers matching may propose, from their read models."""

    async def every(self, held: dict[str, int]) -> list[Support]:
        """Every active support, its load from `held` (places taken per support key)."""
        ...

    async def one(self, key: str, load: int) -> Support | None:
        """One support as it is now (None when gone)."""
        ...


class Outbox(Protocol):
    """The relay: publishes what the store wrote; a writer may publish at once."""

    def wake(self) -> None: ...

    async def write_at_once(
        self, doc_id: Any, events: list[CloudEvent[Any]], write: Callable[[Doc], Awaitable[T]]
    ) -> T:
        """Run `write` (given the outbox fields to store) and publish `events` now."""
        ...

    async def write_many_at_once(
        self,
        events_by_id: dict[str, list[CloudEvent[Any]]],
        write: Callable[[dict[str, Doc]], Awaitable[set[str]]],
    ) -> set[str]:
        """Run `write` (given each document's outbox fields, by id), which returns the ids
        it stored, and publish those documents' events now, in order."""
        ...


class FollowUps(Protocol):
    """Active matches as follow-ups see them, the contacts logged per family, and each
    match's stored schedule (its due items)."""

    async def followed(
        self, *, match_ids: list[str] | None = None, family_refs: list[str] | None = None
    ) -> list[Followed]:
        """The accepted and started matches named (by id or by family)."""
        ...

    async def note_contacts(self, logged: dict[str, datetime]) -> None:
        """Keep each family's latest logged contact (by family_ref; an older one is kept
        out, so a redelivery changes nothing)."""
        ...

    async def contacts(self, family_refs: list[str]) -> dict[str, datetime]: ...

    def each_active(self, size: int) -> AsyncIterator[list[Followed]]:
        """Every accepted and started match, `size` at a time, through one read (not a
        query a chunk: a page after an id is a scan of every match on the store here)."""
        ...

    async def schedules_of(self, match_ids: list[str]) -> dict[str, Schedule]:
        """These matches' stored schedules, by match id."""
        ...

    def each_scheduled(self, size: int) -> AsyncIterator[list[str]]:
        """Every match id with a stored schedule, `size` at a time, through one read."""
        ...

    async def still_followed(self, match_ids: list[str]) -> set[str]:
        """Which of these matches are still accepted or started."""
        ...

    async def save(self, schedules: list[Schedule]) -> None: ...

    async def drop(self, match_ids: list[str]) -> None:
        """Forget the schedules of matches no longer followed (ended)."""
        ...


class RequestViews(Requests, Protocol):
    """The requests' read model as the requests consumer keeps it."""

    async def upsert_many(self, changes: list[tuple[str, Doc]]) -> list[Applied | None]:
        """Apply each change (request id, view) if its revision is newer, in order."""
        ...


class OfferViews(Protocol):
    """The offers' read model (directory's latest state per offer)."""

    async def upsert(self, data: OfferState) -> bool:
        """Apply a newer state; False for a redelivery."""
        ...

    async def remove(self, offer_id: str) -> None: ...

    async def many(self, offer_ids: list[str]) -> dict[str, Doc]: ...


class VolunteerViews(Protocol):
    """The volunteers' read model (directory's latest state per volunteer)."""

    async def upsert(self, data: VolunteerAvailability) -> bool:
        """Apply a newer state; False for a redelivery."""
        ...

    async def remove(self, volunteer_ref: str) -> None: ...

    async def many(self, refs: list[str]) -> dict[str, Doc]: ...

    async def checks_due(self, association_id: str, by: date) -> list[str]:
        """The association's volunteers whose honorability check ends by `by`, or is none."""
        ...


class MatchDocuments(Protocol):
    """The matches and the waitlist as the pages and the API list them (no outbox)."""

    async def document(self, match_id: str) -> Doc | None: ...

    async def documents(self, match_ids: list[str]) -> dict[str, Doc]:
        """These matches' documents, by id."""
        ...

    async def listing_in(self, scope: Scope, states: list[str], asked: Asked) -> Page:
        """The page `asked` of the matches in these states that the scope covers, oldest
        proposal first."""
        ...

    async def count_in(
        self, scope: Scope, states: list[str], supports: list[str] | None = None
    ) -> int:
        """How many matches in these states the scope covers (of these supports, if given)."""
        ...

    async def waiting_in(self, scope: Scope, asked: Asked) -> Page:
        """The page `asked` of the waitlist's entries that the scope covers, longest
        waiting first."""
        ...

    async def ended_in(self, scope: Scope, since: datetime, asked: Asked) -> Page:
        """The supports the scope covers that were agreed and ended since `since` (not a
        proposal withdrawn before acceptance), the latest first: the page `asked`."""
        ...

    async def open_for_request(self, request_id: str) -> Match | None: ...


class FollowUpDocuments(Protocol):
    """The stored schedules as the follow-ups page reads them."""

    async def due_kinds_in(self, scope: Scope, today: date) -> dict[str, int]:
        """How many items of each kind are due by `today` in the scope."""
        ...

    async def followed_in(self, scope: Scope, asked: Asked) -> Page:
        """The page `asked` of the schedules the scope covers, what is due first."""
        ...

    async def due_count_in(self, scope: Scope, today: date) -> int:
        """How many schedules the scope covers have something due by `today`."""
        ...
