"""In-memory stores with the ports' shapes: a replay without MongoDB (the benchmark's
national year, unit tests)."""

from collections.abc import AsyncIterator, Collection, Mapping, Sequence

from entraide.observatory.domain.applications import Applicant
from entraide.observatory.domain.episodes import Episode
from entraide.observatory.domain.facts import Fact
from entraide.observatory.domain.supply import Supplier
from entraide.observatory.usecases.ports import SupplierId
from entraide.observatory.usecases.record import Incoming


class MemoryEpisodes:
    def __init__(self) -> None:
        self.docs: dict[str, Episode] = {}

    async def load(self, request_ids: Collection[str]) -> dict[str, Episode]:
        return {r: self.docs[r] for r in request_ids if r in self.docs}

    async def save(self, changed: Mapping[str, Episode | None]) -> None:
        for rid, episode in changed.items():
            if episode is None:
                self.docs.pop(rid, None)
            else:
                self.docs[rid] = episode


class MemorySuppliers:
    def __init__(self) -> None:
        self.docs: dict[SupplierId, Supplier] = {}

    async def load(self, ids: Collection[SupplierId]) -> dict[SupplierId, Supplier]:
        return {i: self.docs[i] for i in ids if i in self.docs}

    async def save(self, changed: Mapping[SupplierId, Supplier | None]) -> None:
        for sid, supplier in changed.items():
            if supplier is None:
                self.docs.pop(sid, None)
            else:
                self.docs[sid] = supplier

    async def every(self, size: int) -> AsyncIterator[list[Supplier]]:
        found = list(self.docs.values())
        for n in range(0, len(found), size):
            yield found[n : n + size]


class MemoryPendingFacts:
    def __init__(self) -> None:
        self.facts: list[Fact] = []

    async def add(self, facts: Sequence[Fact]) -> None:
        self.facts += facts

    async def take(self, limit: int) -> tuple[list[Fact], object]:
        return self.facts[:limit], len(self.facts[:limit])

    async def forget(self, token: object) -> None:
        assert isinstance(token, int)
        del self.facts[:token]


class MemoryParked:
    def __init__(self) -> None:
        self.items: dict[str, list[Incoming]] = {}

    async def park(self, request_id: str, family_ref: str, item: Incoming) -> None:
        self.items.setdefault(request_id, []).append(item)

    async def take(self, request_ids: Collection[str]) -> list[Incoming]:
        return [item for r in request_ids for item in self.items.pop(r, [])]


class MemoryCountedCases:
    def __init__(self) -> None:
        self.seen: set[str] = set()

    async def first_time(self, case_id: str) -> bool:
        first = case_id not in self.seen
        self.seen.add(case_id)
        return first


class MemoryApplicants:
    def __init__(self) -> None:
        self.docs: dict[str, Applicant] = {}

    async def load(self, refs: Collection[str]) -> dict[str, Applicant]:
        return {r: self.docs[r] for r in refs if r in self.docs}

    async def save(self, changed: Mapping[str, Applicant | None]) -> None:
        for ref, applicant in changed.items():
            if applicant is None:
                self.docs.pop(ref, None)
            else:
                self.docs[ref] = applicant

    async def open(self, size: int) -> AsyncIterator[list[Applicant]]:
        found = [a for a in self.docs.values() if not a.closed]
        for n in range(0, len(found), size):
            yield found[n : n + size]
