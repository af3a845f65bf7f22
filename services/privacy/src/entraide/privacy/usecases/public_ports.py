"""The ports of the public rights channel (`public_requests`): the requests, the contact and
the statement sealed until they have served, the services owning contact data."""

from datetime import datetime
from typing import Protocol

from entraide.contracts.vocab import SubjectKind
from entraide.privacy.domain.requests_from_people import Contact, PersonRequest


class PersonRequests(Protocol):
    async def add(self, request: PersonRequest) -> None: ...

    async def get(self, request_id: str) -> PersonRequest | None: ...

    async def save(self, request: PersonRequest) -> None: ...

    async def started_since(
        self, *, contact_hash: str, address_hash: str, since: datetime
    ) -> tuple[int, int]:
        """How many requests this contact, and this address, started since `since`."""
        ...

    async def awaiting_answer(self) -> list[PersonRequest]:
        """Proven requests with cases, not answered yet (no link, no « done », no answer)."""
        ...

    async def stale(self, before: datetime) -> list[PersonRequest]:
        """Requests never proved whose code expired before `before`."""
        ...

    async def opening(self, before: datetime) -> list[PersonRequest]:
        """Proved requests whose cases a stop left unrecorded (`Status.OPENING`), whose
        code expired before `before` (no proof of them is under way any more)."""
        ...


class ContactSeal(Protocol):
    """The contact, sealed with a key of its own (the vault's), until it has served."""

    async def seal(self, request_id: str, contact: Contact) -> None: ...

    async def open(self, request_id: str) -> Contact | None: ...

    async def forget(self, request_id: str) -> None: ...


class StatementSeal(Protocol):
    """A rectification's statement, sealed with a key of its own (the vault's) under `ref`
    (`request-<id>`, then `case-<id>`), until its case is closed."""

    async def seal(self, ref: str, text: str, *, subject_ref: str) -> None: ...

    async def open(self, ref: str) -> str | None: ...

    async def forget(self, ref: str) -> None: ...


class Owners(Protocol):
    async def subjects_of(self, contact: Contact, kind: SubjectKind) -> list[str]:
        """The references of the subjects of this kind the contact names, asked of the
        services owning contact data; OwnersUnavailableError if one cannot answer."""
        ...


class OwnersUnavailableError(RuntimeError):
    """A service owning contact data did not answer: try again later."""
