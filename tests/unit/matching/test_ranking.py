"""The candidates ranked at once (`ranking`, over the supports' columns) are exactly the
ones ranked pair by pair (`rules.pair_check`, `score.fit`): the same edges, scores, order
(ties included) and waitlist reasons, on generated pools."""

import random
from dataclasses import replace
from datetime import date, timedelta

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from entraide.matching.domain import assign
from entraide.matching.domain.model import Family, Support
from entraide.matching.domain.ranking import _round, rank
from entraide.matching.domain.rules import Unfit
from entraide.matching.domain.score import score
from tests.benchmarks import matching_data as data
from tests.unit.matching.factories import NOW, family, volunteer

NEEDS = ("parrainage-de-proximite", "accompagnement-scolaire", "ecoute", "acces-aux-droits")
SLOTS = [(d, p) for d in ("mo", "sa") for p in ("morning", "evening")]
# few places, so many pairs are exactly as far apart: ties in the fit
POINTS = [(47.218, -1.554), (47.19, -1.57), (47.25, -1.50), (47.40, -1.30), (48.0, -1.0)]
LANGUAGES = ("fr", "ar", "en")
SKILLS = ("aide-aux-devoirs", "ecoute-active", "jardinage")
ASSOCIATIONS = ("a1", "a2")
BANDS = ("0-2", "6-10", "15-17", "adulte")


def pairwise(families, supports, **kwargs):
    """`assign.candidates` pair by pair (the columns told they cannot serve), each edge
    with its score explained as `score.score` explains a pair alone."""
    index = assign.SupportIndex(supports)
    index.columns.languages.full = True
    assert not index.columns.usable
    edges, blocked = assign.candidates(families, index, now=NOW, **kwargs)
    alone = [score(families[e.family], supports[e.support], now=NOW) for e in edges]
    return edges, blocked, [(s.fit, s.priority, s.parts, s.reasons) for s in alone]


def at_once(families, supports, **kwargs):
    index = assign.SupportIndex(supports)
    assert index.columns.usable
    edges, blocked = assign.candidates(families, index, now=NOW, **kwargs)
    return (
        edges,
        blocked,
        [(e.score.fit, e.score.priority, e.score.parts, e.score.reasons) for e in edges],
    )


def subset(draw, values, min_size=0):
    return frozenset(draw(st.sets(st.sampled_from(values), min_size=min_size)))


@st.composite
def supports(draw) -> Support:
    capacity = draw(st.sampled_from((None, 0, 1, 2, 3)))
    age_min = draw(st.sampled_from((None, 0, 3, 11)))
    return Support(
        key=f"{draw(st.sampled_from(('volunteer', 'offer')))}:{draw(st.integers(0, 10**6))}",
        association_id=draw(st.sampled_from(ASSOCIATIONS)),
        needs=subset(draw, NEEDS, 1),
        departements=subset(draw, ("44", "49", "75")),
        location=draw(st.sampled_from([*POINTS, None])),
        capacity=capacity,
        load=draw(st.integers(0, 3)),
        one_to_one=draw(st.booleans()),
        slots=subset(draw, SLOTS),
        languages=subset(draw, LANGUAGES),
        active=draw(st.booleans() | st.just(True)),
        honorability_valid_until=draw(st.sampled_from((None, date(2026, 1, 1), date(2027, 6, 1)))),
        skills=subset(draw, SKILLS),
        age_min=age_min,
        age_max=draw(st.sampled_from((None, 5, 17))),
    )


@st.composite
def families(draw) -> Family:
    return family(
        request_id=f"req-{draw(st.integers(0, 10**6))}",
        needs=subset(draw, NEEDS, 1),
        departement=draw(st.sampled_from(("44", "49"))),
        location=draw(st.sampled_from([*POINTS, None])),
        age_bands=subset(draw, BANDS),
        slots=subset(draw, SLOTS),
        languages=subset(draw, LANGUAGES),
        urgency=draw(st.sampled_from(("low", "medium", "critical"))),
        consent=draw(st.booleans() | st.just(True)),
        waiting_since=NOW - timedelta(days=draw(st.integers(0, 90))),
        known_associations=subset(draw, ASSOCIATIONS),
    )


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    fams=st.lists(families(), min_size=1, max_size=6),
    pool=st.lists(supports(), min_size=1, max_size=25),
    top_k=st.sampled_from((None, 1, 2, 3, 5)),
    declined_draw=st.data(),
)
def test_ranked_at_once_as_pair_by_pair(fams, pool, top_k, declined_draw) -> None:
    keys = [s.key for s in pool]
    declined = {
        f.request_id: frozenset(declined_draw.draw(st.sets(st.sampled_from(keys), max_size=3)))
        for f in fams
    }
    expected = pairwise(fams, pool, declined=declined, top_k=top_k)
    assert at_once(fams, pool, declined=declined, top_k=top_k) == expected


@pytest.mark.parametrize("top_k", [None, 20, 25])
def test_ranked_at_once_as_pair_by_pair_on_national_data(top_k) -> None:
    """The benchmark's generated France: 300 families among 20,000 volunteers."""
    rng = random.Random(5)
    towns = data.towns(rng)
    fams = data.families(rng, 300, towns, NOW)
    pool = data.volunteers(rng, 20_000, towns, NOW.date())
    edges, blocked, explained = at_once(fams, pool, top_k=top_k)
    assert (edges, blocked, explained) == pairwise(fams, pool, top_k=top_k)
    assert len(edges) > 300
    assert blocked


def test_ties_keep_the_order_pair_by_pair_meets_them() -> None:
    """Twelve identical volunteers: the same three kept, in the same order."""
    twins = [volunteer(key=f"volunteer:v{i}") for i in range(12)]
    edges, _, _ = at_once([family()], twins, top_k=3)
    assert [e.support for e in edges] == [
        e.support for e in pairwise([family()], twins, top_k=3)[0]
    ]
    assert len({e.score.fit for e in edges}) == 1


def test_a_changed_load_is_seen_once_the_index_is_told() -> None:
    pool = [volunteer(key=f"volunteer:v{i}", capacity=1) for i in range(3)]
    index = assign.SupportIndex(pool)
    pool[1] = replace(pool[1], load=1)  # taken, as the pool's `adjust` does
    index.update(1)
    edges, _ = assign.candidates([family()], index, now=NOW)
    assert sorted(e.support for e in edges) == [0, 2]


def test_the_waitlist_reason_is_the_rule_that_stopped_most_the_first_met_on_a_tie() -> None:
    far = volunteer(key="volunteer:far", location=(47.42, -1.554))  # 22 km: past 15
    busy = volunteer(key="volunteer:busy", capacity=1, load=1)
    for pool, reason in (
        ([far, busy], Unfit.DISTANCE),
        ([busy, far], Unfit.CAPACITY),
        ([far, busy, busy], Unfit.CAPACITY),
    ):
        index = assign.SupportIndex(pool)
        kept, why = rank(
            family(), index.near_rows(family()), pool, index.columns, NOW.date().toordinal(),
            refused=frozenset(), keep=None, min_fit=assign.MIN_FIT,
        )  # fmt: skip
        assert (kept, why) == ([], reason)
        assert at_once([family()], pool) == pairwise([family()], pool) == ([], {0: reason}, [])


def test_more_languages_than_a_mask_holds_fall_back_to_pair_by_pair() -> None:
    many = [volunteer(key=f"volunteer:v{i}", languages=frozenset({f"l{i}"})) for i in range(70)]
    index = assign.SupportIndex(many)
    assert not index.columns.usable
    edges, _ = assign.candidates([family()], index, now=NOW, top_k=5)
    assert len(edges) == 5


def test_the_array_rounding_is_pythons_round_or_says_it_is_on_a_half() -> None:
    rng = random.Random(3)
    values = [rng.random() for _ in range(20_000)]
    values += [n / 100_000 for n in range(0, 100_001, 5)]  # every 5th decimal place: halves
    values += [0.12345, 0.00005, 0.99995, 0.5, 0.875, 1.0, 0.0]
    border = np.zeros(len(values), np.bool_)
    rounded = _round(np.array(values), border)
    for x, r, on_half in zip(values, rounded.tolist(), border.tolist(), strict=True):
        assert on_half or r == round(x, 4), x
    assert border[-7:-4].all()
    assert not border[-4:].any()
