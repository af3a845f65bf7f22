"""The urgency policy: a family in crisis is served first whenever a place can take it; the
wait raises the others' turn, bounded below a crisis."""

import itertools
import random
from datetime import timedelta

from entraide.matching.domain import assign, policy
from entraide.matching.domain.score import priority
from tests.unit.matching.factories import NOW, family, volunteer
from tests.unit.matching.test_engine_use_cases import World, submitted

FAR = (47.30, -1.50)  # about 12 km from the volunteer in Rezé: a poorer fit


def _ids(families, chosen):
    return sorted(families[f].request_id for f in chosen)


def test_a_new_crisis_takes_the_place_a_medium_family_waiting_50_days_would_take() -> None:
    patient = family(request_id="patient", waiting_since=NOW - timedelta(days=50))
    crisis = family(request_id="crisis", urgency="critical", waiting_since=NOW)
    only = volunteer(capacity=1)
    families, supports = [patient, crisis], [only]
    edges, _ = assign.candidates(families, assign.SupportIndex(supports), now=NOW)
    assert priority(crisis, NOW) > priority(patient, NOW)
    assert _ids(families, assign.optimise(families, supports, edges)) == ["crisis"]
    alone, _ = assign.candidates([patient], assign.SupportIndex(supports), now=NOW)
    assert _ids([patient], assign.optimise([patient], supports, alone)) == ["patient"]


def test_no_wait_lifts_a_family_to_a_crisis_yet_a_long_wait_still_passes_a_new_high() -> None:
    assert policy.ceiling_below_crisis() < policy.crisis_weight()
    for urgency in ("low", "medium", "high"):
        forever = family(urgency=urgency, waiting_since=NOW - timedelta(days=3650))
        assert priority(forever, NOW) < priority(family(urgency="critical"), NOW)
    patient = family(urgency="low", waiting_since=NOW - timedelta(days=60))
    assert priority(patient, NOW) > priority(family(urgency="high"), NOW)


def test_a_crisis_is_never_outranked_by_fit() -> None:
    # the high family waiting 60 days fits far better: the old weighted rule gave it the place
    crisis = family(request_id="crisis", urgency="critical", location=FAR)
    better = family(
        request_id="better",
        urgency="high",
        waiting_since=NOW - timedelta(days=60),
        languages=frozenset({"fr", "ar"}),
        known_associations=frozenset({"parrains-par-mille"}),
    )
    only = volunteer(capacity=1, languages=frozenset({"fr", "ar"}))
    families, supports = [better, crisis], [only]
    edges, _ = assign.candidates(families, assign.SupportIndex(supports), now=NOW)
    weights = {families[e.family].request_id: e.score.weighted for e in edges}
    assert weights["better"] > weights["crisis"]
    assert _ids(families, assign.optimise(families, supports, edges)) == ["crisis"]
    assert assign.greedy_by_weight(families, supports, edges).keys() == {0}


def test_one_more_crisis_served_outweighs_any_fits_and_any_number_of_other_families() -> None:
    # the crisis (far) can only take A; m1 then moves to B, which m2 loses: the weighted
    # total alone would serve m1 and m2, two high families waiting 60 days, near
    long_ago = NOW - timedelta(days=60)
    crisis = family(
        request_id="crisis", urgency="critical", needs=frozenset({"ecoute"}), location=(47.5, -1.55)
    )
    both = frozenset({"ecoute", "parrainage-de-proximite"})
    m1 = family(request_id="m1", urgency="high", needs=both, waiting_since=long_ago)
    m2 = family(request_id="m2", urgency="high", waiting_since=long_ago)
    a = volunteer(key="volunteer:vol-a-ecoute", capacity=1, needs=frozenset({"ecoute"}))
    b = volunteer(key="volunteer:vol-b-parrain", capacity=1)
    families, supports = [crisis, m1, m2], [a, b]
    edges, _ = assign.candidates(families, assign.SupportIndex(supports), now=NOW)
    by_weight = assign.greedy_by_weight(families, supports, edges)
    assert _ids(families, by_weight) == ["m1", "m2"]
    chosen = assign.optimise(families, supports, edges)
    assert "crisis" in _ids(families, chosen)
    assert len(chosen) == 2
    assert assign.crises_passed_over(families, supports, edges, chosen) == []
    assert assign.crises_passed_over(families, supports, edges, by_weight) != []


def test_the_batch_is_the_exact_lexicographic_optimum_on_small_random_instances() -> None:
    rng = random.Random(13)
    urgencies = ("low", "medium", "high", "critical")
    for _ in range(60):
        families = [
            family(
                request_id=f"f{i}",
                urgency=rng.choice(urgencies),
                waiting_since=NOW - timedelta(days=rng.uniform(0, 90)),
                location=(47.2 + rng.uniform(-0.05, 0.05), -1.55 + rng.uniform(-0.05, 0.05)),
            )
            for i in range(rng.randint(2, 5))
        ]
        supports = [
            volunteer(
                key=f"volunteer:v{i}",
                capacity=rng.choice((1, 1, 2)),
                location=(47.2 + rng.uniform(-0.08, 0.08), -1.55 + rng.uniform(-0.08, 0.08)),
            )
            for i in range(rng.randint(1, 3))
        ]
        edges, _ = assign.candidates(families, assign.SupportIndex(supports), now=NOW)
        chosen = assign.optimise(families, supports, edges)
        best = max(assign.lexicographic(c) for c in _every_assignment(families, supports, edges))
        got = assign.lexicographic(chosen)
        assert got[0] == best[0]
        assert got[1] >= best[1] - 1e-3
        assert assign.crises_passed_over(families, supports, edges, chosen) == []


def test_the_batch_serves_every_crisis_with_a_candidate_before_less_critical_families() -> None:
    rng = random.Random(7)
    families = [
        family(
            request_id=f"f{i}",
            urgency="critical" if i % 5 == 0 else rng.choice(("low", "medium", "high")),
            waiting_since=NOW - timedelta(days=rng.uniform(0, 90)),
            location=(47.2 + rng.uniform(-0.05, 0.05), -1.55 + rng.uniform(-0.05, 0.05)),
        )
        for i in range(40)
    ]
    supports = [volunteer(key=f"volunteer:v{i}", capacity=2) for i in range(6)]
    edges, _ = assign.candidates(families, assign.SupportIndex(supports), now=NOW)
    crises = {e.family for e in edges if e.first}
    chosen = assign.optimise(families, supports, edges)
    assert crises <= chosen.keys()
    assert assign.crises_passed_over(families, supports, edges, chosen) == []
    greedy = assign.greedy_first_come(families, supports, edges)
    assert assign.crises_passed_over(families, supports, edges, greedy), "first-come does not"


async def test_new_requests_consumed_together_place_the_crisis_first_whatever_their_order() -> None:
    world = World(volunteer(key="volunteer:vol-only-reze", capacity=1))
    engine = world.engine()
    early = [submitted(urgency="high") for _ in range(3)]
    crisis = submitted(urgency="critical")
    await engine.requests_changed([(world.arrives(f), True) for f in [*early, crisis]])
    assert [m.request_id for m in world.matches._open()] == [crisis.request_id]
    assert set(world.matches.waitlist) == {f.request_id for f in early}


def _every_assignment(families, supports, edges):
    by_family = {f: [e for e in edges if e.family == f] for f in range(len(families))}
    for pick in itertools.product(*[[None, *by_family[f]] for f in by_family]):
        chosen = {e.family: e for e in pick if e is not None}
        used = [e.support for e in chosen.values()]
        if all(used.count(s) <= (supports[s].free or 0) for s in set(used)):
            yield chosen
