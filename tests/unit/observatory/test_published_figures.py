"""A generated year at the five territories' scale: every published figure agrees with a
count made here, independently, from the same events; none describes fewer than 5
families; no hidden figure can be recovered by subtraction."""

import statistics
from collections import Counter, defaultdict
from pathlib import Path

import duckdb
import pytest

from entraide.contracts.events import (
    ErasureRequested,
    MatchClosed,
    MatchDeclined,
    MatchProposed,
    MatchWaitlisted,
    OfferState,
    RequestSubmitted,
    VolunteerAvailability,
)
from entraide.observatory.adapters.simulation import Event, year_of_activity
from entraide.observatory.domain.indicators import BY_KEY, INDICATORS, Measure
from entraide.observatory.domain.protection import TOTAL, recoverable
from entraide.observatory.usecases.publish import Observatory
from tests.unit.observatory.year import replayed

YEAR = "2026"


@pytest.fixture(scope="module")
def events() -> list[Event]:
    return year_of_activity(2026)


@pytest.fixture(scope="module")
def observatory(events: list[Event], tmp_path_factory: pytest.TempPathFactory) -> Observatory:
    return replayed(events, tmp_path_factory.mktemp("archive"))


def test_the_year_is_at_the_five_territories_scale(events: list[Event]) -> None:
    kinds = Counter(type(e.data).__name__ for e in events)
    assert kinds["RequestSubmitted"] == 5000
    assert (
        len({e.data.volunteer_ref for e in events if isinstance(e.data, VolunteerAvailability)})
        == 2000
    )
    assert len({e.data.offer_id for e in events if isinstance(e.data, OfferState)}) == 300


def territory_of(events: list[Event]) -> dict[str, str]:
    """Départements with 30 requests or more stand alone; the others are « autres »."""
    per = Counter(e.data.departement for e in events if isinstance(e.data, RequestSubmitted))
    return {d: d if n >= 30 else "autres" for d, n in per.items()}


def month(e: Event) -> str:
    return e.time.strftime("%Y-%m")


def assert_agrees(
    observatory: Observatory, key: str, expected: dict[tuple[str, str], int], when: str = TOTAL
) -> None:
    """Each shown cell of the view equals the independent count (hidden ones are skipped)."""
    table = observatory.table(BY_KEY[key], YEAR, when)
    assert table is not None
    shown = 0
    for (row, column), cell in table.cells.items():
        if row == TOTAL or column == TOTAL or cell.hidden:
            continue
        figure = cell.places if table.measure is Measure.PLACES else cell.count
        assert figure == expected.get((row, column), 0), (key, row, column)
        shown += 1
    assert shown > 0, key


def test_demand_supply_flow_and_outcomes_agree_with_an_independent_count(
    events: list[Event], observatory: Observatory
) -> None:
    where = territory_of(events)
    requests = {e.data.request_id: e.data for e in events if isinstance(e.data, RequestSubmitted)}
    by_need: Counter[tuple[str, str]] = Counter()
    by_urgency_in_march: Counter[tuple[str, str]] = Counter()
    for e in events:
        if isinstance(e.data, RequestSubmitted):
            for need in e.data.needs:
                by_need[(where[e.data.departement], need)] += 1
            if month(e) == "2026-03":
                by_urgency_in_march[(where[e.data.departement], e.data.urgency)] += 1
    assert_agrees(observatory, "demande-besoin", by_need)
    assert_agrees(observatory, "demande-urgence", by_urgency_in_march, "2026-03")

    def of_request(kind: type, value: str) -> Counter[tuple[str, str]]:
        found: Counter[tuple[str, str]] = Counter()
        for e in events:
            if isinstance(e.data, kind):
                found[(where[requests[e.data.request_id].departement], getattr(e.data, value))] += 1
        return found

    assert_agrees(observatory, "refus-motif", of_request(MatchDeclined, "reason_code"))
    assert_agrees(observatory, "attente-motif", of_request(MatchWaitlisted, "reason_code"))
    assert_agrees(observatory, "issues-fin", of_request(MatchClosed, "outcome"))

    places: Counter[tuple[str, str]] = Counter()
    counted: set[tuple[str, str]] = set()
    volunteers: Counter[tuple[str, str]] = Counter()
    seen: set[tuple[str, str]] = set()
    for e in events:
        if (
            isinstance(e.data, OfferState)
            and month(e) == "2026-06"
            and e.data.offer_id not in counted
        ):
            counted.add(e.data.offer_id)
            for d in e.data.departements:
                for need in e.data.needs:
                    places[(where.get(d, "autres"), need)] += e.data.capacity or 0
        v = e.data
        if (
            isinstance(v, VolunteerAvailability)
            and month(e) == "2026-06"
            and (v.volunteer_ref, "06") not in seen
        ):
            seen.add((v.volunteer_ref, "06"))
            if v.active:
                for need in v.needs:
                    volunteers[(where.get(v.departement, "autres"), need)] += 1
    assert_agrees(observatory, "offre-places", places, "2026-06")
    assert_agrees(observatory, "offre-benevoles", volunteers, "2026-06")

    erased = Counter(
        ("reseau", e.data.reason.value) for e in events if isinstance(e.data, ErasureRequested)
    )
    assert_agrees(observatory, "effacements", erased)


def test_time_to_first_proposal_agrees(events: list[Event], observatory: Observatory) -> None:
    where = territory_of(events)
    submitted = {e.data.request_id: e.data for e in events if isinstance(e.data, RequestSubmitted)}
    days: dict[str, list[float]] = defaultdict(list)
    first: set[str] = set()
    for e in events:
        if isinstance(e.data, MatchProposed) and e.data.request_id not in first:
            first.add(e.data.request_id)
            request = submitted[e.data.request_id]
            days[where[request.departement]].append(
                (e.data.proposed_at - request.submitted_at).total_seconds() / 86400
            )
    table = observatory.table(BY_KEY["delai-proposition"], YEAR)
    assert table is not None
    for territory, values in days.items():
        cell = table.cell(territory, TOTAL)
        assert cell.count == len(values)
        assert cell.median == pytest.approx(statistics.median(values))
        p90 = statistics.quantiles(values, n=10, method="inclusive")[8]
        assert cell.p90 == pytest.approx(p90)


def test_no_published_figure_describes_fewer_than_five(observatory: Observatory) -> None:
    for published in observatory.cache.values():
        if published.indicator.measure is Measure.PLACES:
            continue  # associations' places, not families
        for cell in published.cells.values():
            assert cell.hidden or cell.count == 0 or cell.count >= 5


def test_no_hidden_figure_can_be_recovered_by_subtraction(observatory: Observatory) -> None:
    """The attacker subtracts along every line (months from the year, one association's
    view from the whole, territories from the network...)."""
    checked = 0
    for published in observatory.cache.values():
        indicator = published.indicator
        if indicator.measure is not Measure.COUNT or {"need", "situation"} & {
            indicator.column,
            published.by,
        }:
            continue  # a family asking for two needs counts under both: not additive
        figures = {k: c.count for k, c in published.cells.items()}
        hidden = {k for k, n in figures.items() if n is None}
        assert not hidden & set(recoverable(figures)), (indicator.key, published.by)
        checked += bool(hidden)
    assert checked > 10


def test_the_archive_holds_no_reference(events: list[Event], observatory: Observatory) -> None:
    archive = observatory.archive
    text = "\n".join(
        str(row)
        for row in duckdb.sql(f"SELECT * FROM read_parquet('{archive.files()}')").fetchall()  # type: ignore[attr-defined]
    )
    references = set()
    for e in events:
        for name in (
            "request_id",
            "family_ref",
            "volunteer_ref",
            "match_id",
            "offer_id",
            "subject_ref",
            "case_id",
        ):
            if (value := getattr(e.data, name, None)) is not None:
                references.add(value)
    assert len(references) > 9000
    assert not [r for r in references if r in text]
    assert not [e.id for e in events[:2000] if e.id in text]
    assert Path(archive.files()).parts[-3] == "kind=*"
    assert INDICATORS


def test_coverage_is_supply_per_request_where_all_three_are_shown(
    observatory: Observatory,
) -> None:
    """Places offered plus volunteers available, per request (each checked above against
    an independent count); hidden wherever the requests or volunteers are."""
    month = "2026-06"
    coverage = observatory.table(BY_KEY["couverture"], YEAR, month)
    places = observatory.table(BY_KEY["offre-places"], YEAR, month)
    volunteers = observatory.table(BY_KEY["offre-benevoles"], YEAR, month)
    demand = observatory.table(BY_KEY["demande-besoin"], YEAR, month)
    assert coverage
    assert places
    assert volunteers
    assert demand
    shown = 0
    for (row, column), cell in coverage.cells.items():
        asked, people = demand.cell(row, column), volunteers.cell(row, column)
        if asked.hidden or people.hidden:
            assert cell.hidden
            continue
        if not asked.count:
            continue
        supply = (places.cell(row, column).places or 0) + (people.count or 0)
        assert cell.ratio == pytest.approx(supply / asked.count)
        shown += 1
    assert shown > 20


def test_signs_noted_and_volunteers_approved_agree_with_an_independent_count(
    events: list[Event], observatory: Observatory
) -> None:
    where = territory_of(events)
    signs: Counter[tuple[str, str]] = Counter()
    for e in events:
        if isinstance(e.data, RequestSubmitted):
            for sign in e.data.signs:
                signs[(where[e.data.departement], sign)] += 1
    assert len({sign for _, sign in signs}) == 7
    assert_agrees(observatory, "demande-situations", signs)
    requests = Counter(
        where[e.data.departement] for e in events if isinstance(e.data, RequestSubmitted)
    )
    table = observatory.table(BY_KEY["demande-situations"], YEAR)
    assert table is not None
    for territory, n in requests.items():  # the total column: every request, signs or not
        assert table.cell(territory, TOTAL).count == n

    approved: Counter[tuple[str, str]] = Counter()
    days: dict[str, list[float]] = defaultdict(list)
    first: set[str] = set()
    for e in events:
        v = e.data
        if isinstance(v, VolunteerAvailability) and v.volunteer_ref not in first:
            first.add(v.volunteer_ref)
            assert v.approved_at is not None
            assert v.applied_at is not None
            if v.approved_at.year != int(YEAR):
                continue
            territory = where.get(v.departement, "autres")
            for need in v.needs:
                approved[(territory, need)] += 1
            days[territory].append((v.approved_at - v.applied_at).total_seconds() / 86400)
    assert sum(len(d) for d in days.values()) > 500
    assert_agrees(observatory, "benevoles-accordes", approved)
    delay = observatory.table(BY_KEY["delai-accord"], YEAR)
    assert delay is not None
    for territory, values in days.items():
        cell = delay.cell(territory, TOTAL)
        assert cell.count == len(values)
        assert cell.median == pytest.approx(statistics.median(values))
