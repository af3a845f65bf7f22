"""What intake's use cases need from the outside world: the ports.

The adapters implement them (`adapters.family_store` and `unit_of_work` on MongoDB,
`keys` on privacy's key vault, `audit_log`, `quotas`); the unit tests' fakes, in memory.
"""

from collections.abc import Mapping
from enum import StrEnum
from typing import Any, Protocol

from entraide.intake.domain.access import Scope
from entraide.intake.domain.family import Family, FamilySummary, MatchStep, Sharing
from entraide.intake.domain.partners import Partner
from entraide.kit.principal import Principal


class Families(Protocol):
    """The families: read whole or as summaries, shared, erased."""

    async def get(self, family_id: str) -> Family | None: ...

    async def by_ref(self, family_ref: str) -> Family | None:
        """The family known on the topics by this pseudonymous reference."""
        ...

    async def known(self, family_ids: list[str]) -> set[str]:
        """Which of these families are stored (one lookup, whatever their number)."""
        ...

    async def refs(self, family_ids: list[str]) -> dict[str, str]:
        """These families' pseudonymous references, by id (those still stored), in one
        read whatever their number: the lookups that answer with references only need
        no whole record."""
        ...

    async def similar(
        self, lookup: list[str], limit: int = 20, *, indexing: str | None = None
    ) -> list[FamilySummary]:
        """Families sharing one of these duplicate-search hashes, whatever their scope.
        `indexing`: the id of the new family about to be recorded with them, indexed by
        the same write (its `UnitOfWork.add` then indexes no more); `unindex` it if it is
        not recorded after all."""
        ...

    async def unindex(self, family_id: str) -> None:
        """A family indexed by `similar` and not recorded leaves the duplicate search."""
        ...

    async def summaries(self, family_ids: list[str]) -> list[FamilySummary]:
        """These families' summaries (those still stored), to check each one's scope."""
        ...

    async def recent(self, scope: Scope, limit: int = 50) -> list[FamilySummary]:
        """The latest families within a scope, newest first."""
        ...

    async def lookups(self, lookup: list[str], limit: int = 500) -> dict[str, list[str]]:
        """The hashes of the families sharing one of these (family id -> its hashes)."""
        ...

    async def share(
        self, family_ref: str, association_id: str, *, shared: bool, override: bool = False
    ) -> Sharing | None:
        """Open the family to an association (only if it consented to sharing, unless
        `override`), or close it; None for no such family."""
        ...

    async def note_steps(self, steps: list[tuple[str, MatchStep]]) -> int:
        """Note steps of requests' orientation (matching's events) on the records of the
        families they name (`family_ref`), in one write; how many were new (a family not
        here, or a step already noted, a redelivery, changes nothing)."""
        ...

    async def flag_rectification(self, family_ref: str, case_id: str) -> str | None:
        """Flag the record: privacy's rectification case is for its staff to act on (a
        case already done, in `rectifications_done`, is not flagged again); the family's
        id, or None for no such family."""
        ...

    async def withdraw_rectification(self, family_ref: str, case_id: str) -> bool:
        """Take the case's flag off (the officer closed it without the correction) and note
        it done, in one write; whether the record carried the flag."""
        ...

    async def delete(self, family_id: str) -> int:
        """Delete the family, its requests, contacts and pending events (erasure)."""
        ...


class UnitOfWork(Protocol):
    """Writes a family and the events it queued in one document write, then wakes the
    outbox relay so they are published at once."""

    @property
    def families(self) -> Families: ...

    async def add(self, family: Family) -> Family:
        """Store a new family with its events, and return it; if a family has this id
        already (a partner's resend), store nothing and return that one."""
        ...

    async def add_many(self, families: list[Family]) -> list[Family]:
        """Store new families with their events in one write and publish the events at
        once; return those stored by this call (one whose id is stored already, by a
        resend or another replica, is left as it is)."""
        ...

    async def commit(self, family: Family) -> None:
        """Store the family's changes with its events, unless it changed since it was read
        (`ConflictError`); the flags of the rectification cases in `family.rectified` go
        in the same write, which notes them done (`rectifications_done`)."""
        ...


class FamilyKeys(Protocol):
    lookup_key: bytes  # hashes what duplicate search compares (names, phones, e-mails)
    ids_key: bytes  # derives a partner family's reference and request id from its id

    async def key_for(self, family_id: str, family_ref: str) -> bytes:
        """The family's data key, created on first use (LookupError once destroyed)."""
        ...

    async def keys_for(self, families: dict[str, str]) -> dict[str, bytes]:
        """The data keys of these families (id -> family_ref), created at once where
        missing; a family whose key was destroyed gets none."""
        ...

    async def new_family_key(self) -> tuple[str, str, bytes]:
        """A new family's id, reference (`domain.new_family_ref`) and data key, stored
        before they are handed out (the adapter may make them ahead, many in one write)."""
        ...

    async def existing(self, family_id: str) -> bytes | None:
        """The family's data key, or None once it was destroyed (crypto-shredding)."""
        ...

    async def destroy(self, family_id: str) -> None:
        """Forget the key: every sealed copy of the family's identity becomes unreadable."""
        ...


class Action(StrEnum):
    READ = "family.read"
    SEARCH = "family.search"
    CREATE = "family.create"
    RECTIFY = "request.rectify"
    WITHDRAW = "request.withdraw"
    CONTACT = "family.contact"
    CONSENT = "family.consent"  # the parent's consent changed (withdrawn or given back)
    SHARE = "family.share"  # an accepted match opened the record to its association
    UNSHARE = "family.unshare"  # the match ended
    SHARE_REFUSED = "family.share-refused"  # ...but the family did not consent to sharing
    SHARE_OVERRIDE = "family.share-override"  # opened without consent, by permission


class AuditTrail(Protocol):
    """Who opened or changed which family: append only."""

    async def record(
        self,
        principal: Principal,
        action: Action,
        family_id: str | None,
        *,
        via: str,
        **details: str,
    ) -> None: ...

    async def record_event(
        self, action: Action, family_id: str, *, event_id: str, association_id: str
    ) -> None: ...

    async def for_family(self, family_id: str, limit: int = 200) -> list[dict[str, Any]]: ...


class QuotaBook(Protocol):
    """The partners' quotas on the HTTP door, shared by the replicas."""

    partners: Mapping[str, Partner]  # by key id

    async def retry_after(self, key: str, partner: Partner) -> int | None:
        """None if the partner's request is admitted (and counted), else the whole seconds
        to wait before the next one fits."""
        ...

    def known_over(self, key: str) -> float | None:
        """The seconds to wait if this replica already knows the partner `key` is past its
        quota (counted as a refusal, no store call), else None."""
        ...
