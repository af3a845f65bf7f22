"""The volunteers' funnel on a generated year: applications received, approved, declined,
volunteers active and honorability checks pending at each month's end, and the days from
the application to the approval, each published figure against a count made here from
the same events; protected as every other view (no shown count from 1 to 4)."""

import statistics
from collections import Counter, defaultdict
from collections.abc import AsyncIterator
from datetime import UTC, datetime

import pytest

from entraide.contracts.events import RequestSubmitted, VolunteerApplicationChanged
from entraide.observatory.adapters.memory import (
    MemoryApplicants,
    MemoryCountedCases,
    MemoryEpisodes,
    MemoryParked,
    MemoryPendingFacts,
    MemorySuppliers,
)
from entraide.observatory.adapters.simulation import Event, year_of_activity
from entraide.observatory.domain.applications import Applicant
from entraide.observatory.domain.indicators import BY_KEY, Dimension
from entraide.observatory.domain.protection import TOTAL
from entraide.observatory.usecases.publish import Observatory
from entraide.observatory.usecases.record import Incoming, Recorder
from tests.unit.observatory.year import replayed

YEAR = "2026"
UNTIL = datetime(2026, 12, 31, 23, tzinfo=UTC)  # November's end is the last one passed
Count = Counter[tuple[str, str, str, str]]  # (month, territory, association, stage)


@pytest.fixture(scope="module")
def events() -> list[Event]:
    return year_of_activity(2026)


@pytest.fixture(scope="module")
def observatory(events: list[Event], tmp_path_factory: pytest.TempPathFactory) -> Observatory:
    return replayed(events, tmp_path_factory.mktemp("funnel"), until=UNTIL)


def month(at: datetime) -> str:
    return at.strftime("%Y-%m")


def expected(events: list[Event]) -> tuple[Count, dict[str, list[float]]]:
    """The funnel counted from each application's own events, month by month."""
    per = Counter(e.data.departement for e in events if isinstance(e.data, RequestSubmitted))
    where = {d: d if n >= 30 else "autres" for d, n in per.items()}
    lives: dict[str, list[VolunteerApplicationChanged]] = defaultdict(list)
    for e in events:
        if isinstance(e.data, VolunteerApplicationChanged):
            lives[e.data.volunteer_ref].append(e.data)
    counts: Count = Counter()
    days: dict[str, list[float]] = defaultdict(list)
    months = [f"2026-{m:02d}" for m in range(1, 12)]
    for life in lives.values():
        first = life[0]
        at = (where.get(first.departement, "autres"), first.association_id)
        counts[(month(first.applied_at), *at, "received")] += 1
        approved = next((c for c in life if c.approved_at), None)
        if approved is not None and approved.approved_at is not None:
            counts[(month(approved.approved_at), *at, "approved")] += 1
            days[at[0]].append((approved.approved_at - first.applied_at).total_seconds() / 86400)
        declined = next((c for c in life if c.status == "declined"), None)
        if declined is not None:
            counts[(month(declined.changed_at), *at, "declined")] += 1
        for m in months:
            if m < month(first.changed_at):
                continue
            state = [c for c in life if month(c.changed_at) <= m][-1]
            if state.status == "approved":
                counts[(m, *at, "active")] += 1
            if state.honorability == "pending" and state.status not in ("declined", "left"):
                counts[(m, *at, "check-pending")] += 1
    return counts, days


def agrees(observatory: Observatory, counts: Count, when: str, association: str = TOTAL) -> int:
    """Every shown cell of one view equals the count; how many were shown."""
    by = Dimension.ASSOCIATION if association != TOTAL else None
    table = observatory.table(BY_KEY["benevoles-parcours"], YEAR, when, by, association)
    assert table is not None
    shown = 0
    for (row, column), cell in table.cells.items():
        if cell.hidden:
            continue
        assert cell.count is not None
        assert cell.count == 0 or cell.count >= 5, (when, row, column)
        want = sum(
            n
            for (m, territory, assoc, stage), n in counts.items()
            if when in (TOTAL, m)
            and row in (TOTAL, territory)
            and association in (TOTAL, assoc)
            and column in (TOTAL, stage)
        )
        assert cell.count == want, (when, association, row, column)
        shown += 1
    return shown


def test_the_year_has_applications_declined_and_waiting(events: list[Event]) -> None:
    counts, _ = expected(events)
    stages = Counter()
    for (_, _, _, stage), n in counts.items():
        stages[stage] += n
    assert stages["received"] > 1000
    assert stages["declined"] > 100
    assert stages["received"] - stages["approved"] - stages["declined"] > 200  # still waiting
    assert stages["check-pending"] > 100
    assert stages["active"] > stages["approved"]  # approved ones stay active month after month


def test_the_funnel_agrees_with_an_independent_count(
    events: list[Event], observatory: Observatory
) -> None:
    counts, _ = expected(events)
    shown = agrees(observatory, counts, TOTAL)
    shown += agrees(observatory, counts, "2026-06")
    shown += agrees(observatory, counts, "2026-11")
    assert shown > 40
    table = observatory.table(BY_KEY["benevoles-parcours"], YEAR, "2026-06")
    assert table is not None
    assert {c for _, c in table.cells} >= {"received", "approved", "active", "check-pending"}
    # read as a path, in its order; no « Ensemble » column (received then approved is one
    # person, not two)
    order = ["received", "approved", "declined", "active", "check-pending"]
    assert table.columns == [c for c in order if c in table.columns]
    assert len(table.columns) >= 4
    assert TOTAL not in table.columns


def test_the_funnel_filtered_by_association_agrees_and_hides_small_cells(
    events: list[Event], observatory: Observatory
) -> None:
    counts, _ = expected(events)
    associations = sorted({assoc for (_, _, assoc, _) in counts})
    shown = sum(agrees(observatory, counts, TOTAL, a) for a in associations)
    assert shown > 40
    hidden = 0
    for association in associations:
        table = observatory.table(
            BY_KEY["benevoles-parcours"], YEAR, "2026-03", Dimension.ASSOCIATION, association
        )
        assert table is not None
        hidden += sum(cell.hidden for cell in table.cells.values())
    assert hidden > 0  # small cells exist at that grain, and they are not shown


def test_days_from_application_to_approval_agree(
    events: list[Event], observatory: Observatory
) -> None:
    _, days = expected(events)
    table = observatory.table(BY_KEY["benevoles-parcours-accord"], YEAR)
    assert table is not None
    checked = 0
    for territory, values in days.items():
        cell = table.cell(territory, TOTAL)
        if len(values) < 5:
            assert cell.hidden
            continue
        assert cell.count == len(values)
        assert cell.median == pytest.approx(statistics.median(values))
        p90 = statistics.quantiles(values, n=10, method="inclusive")[8]
        assert cell.p90 == pytest.approx(p90)
        checked += 1
    assert checked >= 4


async def test_month_ends_are_counted_once_and_a_closed_application_is_forgotten() -> None:
    applicants, pending = MemoryApplicants(), MemoryPendingFacts()
    recorder = Recorder(
        MemoryEpisodes(),
        MemorySuppliers(),
        pending,
        MemoryCountedCases(),
        MemoryParked(),
        applicants,
    )
    applied = datetime(2026, 3, 10, tzinfo=UTC)
    common = {
        "volunteer_ref": "ref-of-a-volunteer",
        "association_id": "afev",
        "departement": "59",
        "needs": ["parrainage-de-proximite"],
        "applied_at": applied,
    }

    def change(n: int, at: datetime, status: str, check: str) -> Incoming:
        data = VolunteerApplicationChanged.model_validate(
            common | {"revision": n, "changed_at": at, "status": status, "honorability": check}
        )
        return Incoming(f"e{n}", at, data)

    await recorder.record([change(1, applied, "applied", "none")])
    await recorder.record([change(2, applied.replace(day=20), "in-review", "pending")])
    await recorder.roll_over(datetime(2026, 5, 2, tzinfo=UTC))  # March and April ended
    await recorder.roll_over(datetime(2026, 5, 20, tzinfo=UTC))  # nothing more
    assert [(f.month, f.outcome) for f in pending.facts] == [
        ("2026-03", "received"),
        ("2026-03", "check-pending"),
        ("2026-04", "check-pending"),
    ]
    assert applicants.docs["ref-of-a-volunteer"].counted_through == "2026-04"
    await recorder.record([change(3, datetime(2026, 6, 3, tzinfo=UTC), "declined", "none")])
    assert [(f.month, f.outcome) for f in pending.facts[3:]] == [
        ("2026-05", "check-pending"),
        ("2026-06", "declined"),
    ]
    assert applicants.docs == {}  # nothing kept by reference once it is closed
    assert all(f.departement == "59" and f.association == "afev" for f in pending.facts)


async def test_the_roll_over_reads_a_chunk_at_a_time_and_counts_every_application() -> None:
    """Before, the monthly roll-over read every open application and every supplier of the
    country into one list; now a chunk at a time, each chunk saved before the next is read,
    and none is counted twice or missed."""

    class Counted(MemoryApplicants):
        def __init__(self) -> None:
            super().__init__()
            self.chunks: list[int] = []

        async def open(self, size: int) -> AsyncIterator[list[Applicant]]:
            async for chunk in super().open(size):
                self.chunks.append(len(chunk))
                yield chunk

    applicants, pending = Counted(), MemoryPendingFacts()
    recorder = Recorder(
        MemoryEpisodes(),
        MemorySuppliers(),
        pending,
        MemoryCountedCases(),
        MemoryParked(),
        applicants,
    )
    applied = datetime(2026, 3, 10, tzinfo=UTC)
    for n in range(5):
        data = VolunteerApplicationChanged.model_validate(
            {"volunteer_ref": f"ref-of-volunteer-{n}", "association_id": "afev", "departement": "59",
             "needs": ["parrainage-de-proximite"], "applied_at": applied, "revision": 1,
             "changed_at": applied, "status": "in-review", "honorability": "pending"}
        )  # fmt: skip
        await recorder.record([Incoming(f"e{n}", applied, data)])
    before = len(pending.facts)
    assert await recorder.roll_over(datetime(2026, 5, 2, tzinfo=UTC), chunk=2) == 10
    assert applicants.chunks == [2, 2, 1]
    months = Counter(f.month for f in pending.facts[before:] if f.outcome == "check-pending")
    assert months == {"2026-03": 5, "2026-04": 5}
    assert await recorder.roll_over(datetime(2026, 5, 20, tzinfo=UTC), chunk=2) == 0
