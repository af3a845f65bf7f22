"""What the observatory's use cases need from the outside (the adapters implement these)."""

from collections.abc import AsyncIterator, Collection, Mapping, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from entraide.observatory.domain.applications import Applicant
from entraide.observatory.domain.episodes import Episode
from entraide.observatory.domain.facts import Fact
from entraide.observatory.domain.indicators import Dimension, Indicator
from entraide.observatory.domain.protection import Key
from entraide.observatory.domain.supply import Supplier, SupplierKind

if TYPE_CHECKING:
    from entraide.observatory.usecases.record import Incoming

SupplierId = tuple[SupplierKind, str]


class Episodes(Protocol):
    """Open requests' episodes (transient, personal: erasure reaches them)."""

    async def load(self, request_ids: Collection[str]) -> dict[str, Episode]: ...

    async def save(self, changed: Mapping[str, Episode | None]) -> None:
        """Write each changed episode; None deletes it (closed, withdrawn)."""
        ...


class Suppliers(Protocol):
    """Offers' and volunteers' latest state and the months they were counted in."""

    async def load(self, ids: Collection[SupplierId]) -> dict[SupplierId, Supplier]: ...

    async def save(self, changed: Mapping[SupplierId, Supplier | None]) -> None: ...

    def every(self, size: int) -> AsyncIterator[list[Supplier]]:
        """Every supplier, `size` at a time (streamed: never all in memory)."""
        ...


class Applicants(Protocol):
    """Volunteers' applications as last seen, by pseudonymous reference (transient,
    personal: erasure reaches them)."""

    async def load(self, refs: Collection[str]) -> dict[str, Applicant]: ...

    async def save(self, changed: Mapping[str, Applicant | None]) -> None:
        """Write each changed application; None deletes it (declined or left)."""
        ...

    def open(self, size: int) -> AsyncIterator[list[Applicant]]:
        """The applications kept (neither declined nor left: the roll-over's), `size` at
        a time (streamed: never all in memory)."""
        ...


class PendingFacts(Protocol):
    """Anonymous facts recorded and not yet in the archive."""

    async def add(self, facts: Sequence[Fact]) -> None: ...

    async def take(self, limit: int) -> tuple[list[Fact], object]:
        """Up to `limit` facts, oldest first, and a token to `forget` them once archived."""
        ...

    async def forget(self, token: object) -> None: ...


class Parked(Protocol):
    """A request's events that arrived before the request itself (a replay reads the
    requests and matches topics side by side); personal (by family), erasable."""

    async def park(self, request_id: str, family_ref: str, item: "Incoming") -> None: ...

    async def take(self, request_ids: Collection[str]) -> list["Incoming"]:
        """The parked events of these requests, removed from the parking."""
        ...


class CountedCases(Protocol):
    """Erasure cases already counted (privacy resends a command to silent services)."""

    async def first_time(self, case_id: str) -> bool: ...


@dataclass(frozen=True)
class CubeRow:
    """One cell of an indicator's cube, as the archive computed it."""

    key: Key  # (territory, month, column value, filter value); `*` for a total
    count: int
    places: int = 0
    median: float | None = None
    p90: float | None = None


class Archive(Protocol):
    """The anonymous facts, month by month, and the indicators computed over them."""

    def append(self, facts: Sequence[Fact]) -> int: ...

    def compact(self) -> int:
        """Merge each partition's small files (one per flush) into one."""
        ...

    def loaded(self) -> AbstractContextManager[None]:
        """Within it, queries read the facts once loaded (a refresh's many queries)."""
        ...

    def years(self) -> list[str]: ...

    def families_by_departement(self, year: str) -> dict[str, int]: ...

    def cube(
        self,
        indicator: Indicator,
        year: str,
        by: Dimension | None,
        territories: frozenset[str],
    ) -> list[CubeRow]: ...
