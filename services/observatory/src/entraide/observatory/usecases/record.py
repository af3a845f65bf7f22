"""Recording: the network's events become anonymous facts (and transient episodes)."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from entraide.contracts.events import (
    ErasureRequested,
    EventData,
    RequestState,
    VolunteerApplicationChanged,
)
from entraide.observatory.domain.applications import Applicant, application_step, closed_months
from entraide.observatory.domain.episodes import Episode, request_of, step
from entraide.observatory.domain.facts import Fact, FactKind, month_of
from entraide.observatory.domain.supply import Supplier, carried, supplier_of, supply_step
from entraide.observatory.usecases.ports import (
    Applicants,
    CountedCases,
    Episodes,
    Parked,
    PendingFacts,
    SupplierId,
    Suppliers,
)

ROLL_CHUNK = 500  # applications or suppliers a roll-over reads at once


@dataclass(frozen=True)
class Incoming:
    """An event as the observatory receives it: its id, its time and its data."""

    event_id: str
    at: datetime
    data: EventData


class Recorder:
    """Applies batches of events to the episodes and suppliers, and keeps their facts."""

    def __init__(
        self,
        episodes: Episodes,
        suppliers: Suppliers,
        pending: PendingFacts,
        cases: CountedCases,
        parked: Parked,
        applicants: Applicants,
    ) -> None:
        self.episodes, self.suppliers, self.pending = episodes, suppliers, pending
        self.cases, self.parked, self.applicants = cases, parked, applicants

    async def record(self, batch: Sequence[Incoming]) -> int:
        """Record a batch in topic order; the number of facts it yielded."""
        request_ids = {r for item in batch if (r := request_of(item.data)) is not None}
        supplier_ids = {s for item in batch if (s := supplier_of(item.data)) is not None}
        refs = {
            i.data.volunteer_ref for i in batch if isinstance(i.data, VolunteerApplicationChanged)
        }
        applicants: dict[str, Applicant | None] = dict(await self.applicants.load(refs))
        changed_applicants: dict[str, Applicant | None] = {}
        episodes: dict[str, Episode | None] = dict(await self.episodes.load(request_ids))
        suppliers: dict[SupplierId, Supplier | None] = dict(await self.suppliers.load(supplier_ids))
        changed_episodes: dict[str, Episode | None] = {}
        changed_suppliers: dict[SupplierId, Supplier | None] = {}
        facts: list[Fact] = []
        opened: set[str] = set()
        for item in batch:
            if (request_id := request_of(item.data)) is not None:
                known = episodes.get(request_id)
                if known is None and not isinstance(item.data, RequestState):
                    # before its request (or after it closed): parked until it opens
                    await self.parked.park(request_id, getattr(item.data, "family_ref", ""), item)
                    continue
                if known is None:
                    opened.add(request_id)
                done = step(known, item.event_id, item.data)
                episodes[request_id] = changed_episodes[request_id] = done.episode
                facts += done.facts
            elif (supplier_id := supplier_of(item.data)) is not None:
                moved = supply_step(suppliers.get(supplier_id), item.data)
                suppliers[supplier_id] = changed_suppliers[supplier_id] = moved.supplier
                facts += moved.facts
            elif isinstance(item.data, VolunteerApplicationChanged):
                applied = application_step(applicants.get(item.data.volunteer_ref), item.data)
                ref = item.data.volunteer_ref
                # declined or left: nothing more to count, nothing kept by reference
                kept = None if applied.applicant.closed else applied.applicant
                applicants[ref] = changed_applicants[ref] = kept
                facts += applied.facts
            elif isinstance(item.data, ErasureRequested):
                facts += await self._erasure(item.data, item.at)
        await self.pending.add(facts)  # facts first: a crash here counts again, never less
        await self.applicants.save(changed_applicants)
        await self.episodes.save(changed_episodes)
        await self.suppliers.save(changed_suppliers)
        waiting = await self.parked.take(opened) if opened else []
        if waiting:
            return len(facts) + await self.record(sorted(waiting, key=lambda item: item.at))
        return len(facts)

    async def _erasure(self, command: ErasureRequested, at: datetime) -> list[Fact]:
        if not await self.cases.first_time(command.case_id):
            return []
        fact = Fact(
            kind=FactKind.ERASURE,
            month=month_of(at),
            reason=command.reason.value,
            outcome=command.subject_kind.value,
        )
        return [fact]

    async def roll_over(self, now: datetime, chunk: int = ROLL_CHUNK) -> int:
        """Count every known offer and volunteer in this month, event or not, and every
        open application at the ends of the months passed since its last event; `chunk`
        at a time, each chunk's facts kept before its changes are saved (as one event's)."""
        month, counted = month_of(now), 0
        async for applicants in self.applicants.open(chunk):
            facts, closed = list[Fact](), dict[str, Applicant | None]()
            for applicant in applicants:
                step = closed_months(applicant, now)
                if step.applicant is not applicant:
                    closed[applicant.volunteer_ref] = step.applicant
                    facts += step.facts
            await self.pending.add(facts)
            await self.applicants.save(closed)
            counted += len(facts)
        async for suppliers in self.suppliers.every(chunk):
            facts, changed = list[Fact](), dict[SupplierId, Supplier | None]()
            for supplier in suppliers:
                moved = carried(supplier, month)
                if moved.facts:
                    changed[(supplier.kind, supplier.key)] = moved.supplier
                    facts += moved.facts
            await self.pending.add(facts)
            await self.suppliers.save(changed)
            counted += len(facts)
        return counted
