"""The score explains itself; the batch beats first-come-first-served where it matters."""

from dataclasses import replace
from datetime import timedelta

from entraide.matching.domain import assign
from entraide.matching.domain.score import priority, score
from tests.unit.matching.factories import NOW, REZE, family, volunteer


def test_the_score_says_why_and_prefers_near_volunteers_speaking_the_familys_language() -> None:
    fam = family(languages=frozenset({"fr", "ar"}))
    near = score(fam, volunteer(languages=frozenset({"fr", "ar"})), now=NOW)
    assert near.reasons[0].startswith("à ")
    assert "km" in near.reasons[0]
    assert "parle ar" in near.reasons
    assert set(near.breakdown()) >= {
        "distance",
        "slots",
        "language",
        "continuity",
        "load",
        "priority",
    }
    farther = score(fam, volunteer(location=(47.3, -1.45), languages=frozenset({"fr"})), now=NOW)
    assert near.fit > farther.fit


def test_continuity_with_a_known_association_counts() -> None:
    known = family(known_associations=frozenset({"parrains-par-mille"}))
    assert score(known, volunteer(), now=NOW).fit > score(family(), volunteer(), now=NOW).fit


def test_urgency_comes_first_and_waiting_raises_priority_so_nobody_waits_forever() -> None:
    assert priority(family(urgency="critical"), NOW) > priority(family(urgency="high"), NOW)
    patient = family(urgency="low", waiting_since=NOW - timedelta(days=60))
    assert priority(patient, NOW) > priority(family(urgency="high"), NOW)


def test_the_batch_serves_the_urgent_family_first_come_gives_the_place_away() -> None:
    early = family(request_id="early", urgency="low", waiting_since=NOW - timedelta(hours=2))
    urgent = family(request_id="urgent", urgency="critical", waiting_since=NOW)
    only = volunteer(capacity=1)
    families, supports = [early, urgent], [only]
    edges, blocked = assign.candidates(families, assign.SupportIndex(supports), now=NOW)
    assert not blocked
    best = assign.optimise(families, supports, edges)
    greedy = assign.greedy_first_come(families, supports, edges)
    assert [families[f].request_id for f in best] == ["urgent"]
    assert [families[f].request_id for f in greedy] == ["early"]
    assert assign.objective(best) > assign.objective(greedy)


def test_the_batch_respects_capacities_and_finds_the_optimum() -> None:
    # two families, two volunteers: A near both but one place; B reaches only family 1
    f1 = family(request_id="f1")
    f2 = family(request_id="f2", location=(47.30, -1.50))
    a = volunteer(key="volunteer:a", capacity=1, location=REZE)
    b = volunteer(key="volunteer:b", capacity=1, location=(47.14, -1.60))
    edges, _ = assign.candidates([f1, f2], assign.SupportIndex([a, b]), now=NOW)
    chosen = assign.optimise([f1, f2], [a, b], edges)
    assert len(chosen) == 2
    assert len({e.support for e in chosen.values()}) == 2
    every = [
        {0: x, 1: y}
        for x in edges
        if x.family == 0
        for y in edges
        if y.family == 1 and y.support != x.support
    ]
    assert assign.objective(chosen) >= max(assign.objective(c) for c in every) - 1e-9


def test_a_family_nobody_fits_gets_its_reason() -> None:
    fam = family()
    busy = replace(volunteer(), load=2)
    edges, blocked = assign.candidates([fam], assign.SupportIndex([busy]), now=NOW)
    assert edges == []
    assert blocked[0].value == "no-capacity"


def test_ranking_by_fit_alone_ranks_as_the_explained_score_does() -> None:
    """`fit` (no reasons) ranks many pairs; `score` explains the kept ones: they agree."""
    from entraide.contracts.geography import distance_km
    from entraide.matching.domain.score import fit

    families = [
        family(),
        family(languages=frozenset({"fr", "ar"})),
        family(known_associations=frozenset({"parrains-par-mille"})),
        family(location=None),
    ]
    supports = [
        volunteer(),
        volunteer(location=(47.3, -1.45), languages=frozenset({"ar"})),
        volunteer(capacity=4, load=3, languages=frozenset()),
        volunteer(location=None),
    ]
    for fam in families:
        for sup in supports:
            km = distance_km(fam.location, sup.location) if fam.location and sup.location else None
            assert fit(fam, sup, km) == score(fam, sup, now=NOW).fit


def test_top_k_keeps_each_familys_best_candidates_in_order() -> None:
    supports = [
        volunteer(key=f"volunteer:v{i}", location=(47.2 + i / 200, -1.55)) for i in range(8)
    ]
    index = assign.SupportIndex(supports)
    every, _ = assign.candidates([family()], index, now=NOW)
    best, _ = assign.candidates([family()], index, now=NOW, top_k=3)
    ranked = sorted(every, key=lambda e: e.score.fit, reverse=True)
    assert [e.support for e in best] == [e.support for e in ranked[:3]]
    assert len(every) == 8
