"""What privacy's use cases need from the outside world, as protocols over the domain's
aggregates: the adapters (`adapters.store`, MongoDB; `adapters.commands`, Kafka;
`adapters.vault`, the key vault) implement them, the unit tests' fakes too. Nothing here
knows a document, a filter or a topic.
"""

from collections.abc import AsyncIterator, Sequence
from datetime import datetime
from typing import Any, Protocol

from entraide.contracts.vocab import SubjectKind
from entraide.privacy.domain.cases import Ack, Case
from entraide.privacy.domain.contacts import Contact
from entraide.privacy.domain.keys import Batch, KeyTrace
from entraide.privacy.domain.subjects import Notice, Subject

Row = dict[str, Any]  # an audit entry or a statistics row: read as it was written


class Subjects(Protocol):
    """The subject registry, its erasure tombstones and the anonymous statistics."""

    async def record_contact(self, contact: Contact) -> bool:
        """Apply `domain.with_contact` atomically; False (and nothing kept) once erased."""
        ...

    async def record_contacts(self, contacts: Sequence[Contact]) -> int:
        """`record_contact` for each, in their order, in one write; how many were kept."""
        ...

    async def get(self, subject_ref: str) -> Subject | None: ...

    async def registered(self, kind: SubjectKind) -> int:
        """How many subjects of `kind` the registry holds (not erased)."""
        ...

    def candidates(self, kind: SubjectKind, cutoff: datetime) -> AsyncIterator[Subject]:
        """Subjects of `kind` last contacted at or before `cutoff`, not being erased."""
        ...

    async def claim_for_erasure(
        self, subject_refs: Sequence[str], *, claim: str, at: datetime
    ) -> list[str]:
        """Mark the subjects as being erased; those this `claim` marked first. Two sweeps
        (or replicas) claiming one subject at once: exactly one of them gets it."""
        ...

    async def mark_warned(self, subject_ref: str, warning: str, last_contact: datetime) -> None:
        """Note a warning as sent for this last contact (a newer contact keeps it unsent)."""
        ...

    async def tombstone(self, subject_ref: str, *, case_id: str, at: datetime) -> None:
        """Remember the subject as erased, for good: later contacts are refused."""
        ...

    async def delete(self, subject_ref: str) -> int: ...

    async def erased_at(self, subject_ref: str) -> datetime | None:
        """When the subject was erased (its tombstone), if it was."""
        ...

    async def count_erasure(self, dimensions: Row) -> None:
        """One more erased subject with these dimensions (`domain.erasure_count`)."""
        ...

    async def statistics(self) -> list[Row]: ...


class Cases(Protocol):
    """Rights cases; each change of a case is one atomic update of it."""

    async def add(self, cases: Sequence[Case]) -> set[str]:
        """Store the new cases; the ids of those already stored (kept as they were)."""
        ...

    async def get(self, case_id: str) -> Case | None: ...

    async def add_ack(self, case_id: str, ack: Ack) -> bool:
        """Keep a service's first acknowledgement, if the case expects it; whether kept."""
        ...

    async def mark_rectified(self, case_id: str, done: Ack) -> bool:
        """Keep the owner's first word that a rectification's record is corrected, if the
        case is a live rectification expecting that service; whether kept."""
        ...

    async def mark_sent(self, case_id: str, at: datetime) -> None: ...

    async def escalate(self, case_id: str) -> None: ...

    async def close(
        self,
        case_id: str,
        *,
        at: datetime,
        decision: str | None = None,
        withdraw: Case | None = None,
    ) -> bool:
        """Close a case still open or escalated; False if it was closed already. With
        `withdraw` (that rectification case), its owner is told the case is withdrawn
        (`RectificationWithdrawn`, the decision with it) in the same write."""
        ...

    async def due(self, sent_before: datetime) -> list[Case]:
        """Live commanded cases last sent at or before `sent_before` (the watchdog's)."""
        ...

    async def recent(self, limit: int) -> list[Case]:
        """The latest cases, newest first, with their acknowledgements' times and counts
        but not the sealed exports they may carry (heavy)."""
        ...

    async def of_subject(self, subject_ref: str) -> list[Case]:
        """The subject's cases, without their acknowledgements."""
        ...


class Notices(Protocol):
    """The retention warnings' outbox."""

    async def add(self, notices: Sequence[Notice]) -> None: ...

    async def pending(self) -> list[Notice]: ...

    async def mark_sent(self, notice_ids: Sequence[str], at: datetime) -> None: ...

    async def forget(self, subject_ref: str) -> int: ...

    async def of_subject(self, subject_ref: str) -> list[Notice]: ...


class AuditLog(Protocol):
    """Append-only: case, action, actor, counts; never personal data."""

    async def record(
        self,
        case_id: str | None,
        action: str,
        *,
        actor: str,
        at: datetime | None = None,
        **details: Any,
    ) -> None: ...

    async def record_many(self, entries: Sequence[Row]) -> None:
        """Write the entries; one under an `_id` the trail holds already is not written."""
        ...

    async def of_case(self, case_id: str) -> list[Row]: ...

    async def last_at(self, action: str) -> datetime | None:
        """When the latest entry of `action` was written (None: never)."""
        ...


class Keys(Protocol):
    """The key vault, as the cases use it."""

    async def get_or_create(
        self,
        owner: str,
        key_id: str,
        *,
        subject_ref: str,
        subject_kind: str,
        material: bytes | None = None,
    ) -> tuple[bytes, bool]: ...

    async def get(self, owner: str, key_id: str) -> bytes | None:
        """The key, None if unknown; the vault's `KeyDestroyedError` (a LookupError) once
        destroyed."""
        ...

    async def destroyed(self, owner: str, key_id: str) -> bool:
        """Whether the key was destroyed (its tombstone is there, its material gone)."""
        ...

    async def destroy_subject(self, subject_ref: str) -> int:
        """Destroy every key of the subject; how many were live."""
        ...

    async def traces_of(self, subject_ref: str) -> list[KeyTrace]:
        """The services' keys naming the subject, live or destroyed (not cases' keys)."""
        ...


class KeyStore(Protocol):
    """The key vault, as the services use it through its internal API: each service reaches
    only the keys it created (`owner`). A destroyed key raises the vault's
    `KeyDestroyedError` (`entraide.kit.keyvault_client`): never created again."""

    async def get_or_create(
        self,
        owner: str,
        key_id: str,
        *,
        subject_ref: str,
        subject_kind: str,
        material: bytes | None = None,
    ) -> tuple[bytes, bool]: ...

    async def get_or_create_many(
        self, owner: str, subjects: dict[str, str], *, subject_kind: str
    ) -> Batch: ...

    async def get(self, owner: str, key_id: str) -> bytes | None: ...

    async def destroy(self, owner: str, key_id: str) -> bool: ...

    async def destroy_many(self, owner: str, key_ids: list[str]) -> int: ...


class Commands(Protocol):
    """Sends cases' commands (erasure, access) to every service."""

    async def send(self, cases: Sequence[Case]) -> None: ...


class Sender(Protocol):
    """Delivers a retention warning to the subject."""

    async def send(self, notice: Notice) -> None: ...
