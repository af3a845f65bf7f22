"""What a candidate pair costs in memory: the scheduler's round holds every pair of its
largest region at once (25 a family: 6,900 families and 170,000 pairs for Paris with
Seine-Saint-Denis at 20,000 waiting), so a pair's score is a few numbers and references,
its explanation worked out only when proposed."""

import random
import tracemalloc
from datetime import UTC, datetime

from entraide.matching.domain import assign
from tests.benchmarks import matching_data as data

BYTES_A_PAIR = 350  # 502 when each score kept its own dict and a bound explanation (242 since)


def test_a_candidate_pair_costs_a_few_hundred_bytes() -> None:
    rng = random.Random(1)
    now = datetime(2026, 11, 28, 12, tzinfo=UTC)
    towns = data.towns(rng, 40)
    families = data.families(rng, 1500, towns, now)
    supports = data.volunteers(rng, 1500, towns, now.date(), busy=0.3)
    index = assign.SupportIndex(supports)
    assign.candidates(families, index, now=now, top_k=25)  # the places' rows, cached
    tracemalloc.start()
    try:
        edges, _ = assign.candidates(families, index, now=now, top_k=25)
        held = tracemalloc.get_traced_memory()[0]
    finally:
        tracemalloc.stop()

    assert len(edges) > 10_000
    assert held / len(edges) < BYTES_A_PAIR
    edge = edges[0]  # still explained on demand, once
    assert edge.score.reasons is edge.score.reasons
    assert set(edge.score.breakdown()) >= {"distance", "fit", "priority"}
