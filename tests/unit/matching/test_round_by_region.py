"""The scheduler's round optimises one region at a time (families linked by the supports
they could share), holding a region's families instead of every waiting one (5 KB each:
100 MiB at 20,000 waiting, and the country has 1.7 million single-parent families), and
proposes what one flow over the whole country would: random instances in the five
territories, a few families elsewhere, and offers covering two départements far apart
(regions are the candidate graph's components, not départements)."""

import random
from collections import defaultdict
from datetime import timedelta
from typing import Any

import pytest

from entraide.contracts.events import Slot
from entraide.contracts.geography import locate
from entraide.matching.domain import assign
from entraide.matching.domain.model import Family, Support
from entraide.matching.domain.views import family_of
from entraide.matching.usecases import engine as batch
from entraide.matching.usecases.pool import SupportPool
from tests.unit.matching.factories import NOW, offer, volunteer
from tests.unit.matching.test_engine_use_cases import World, submitted

TERRITORIES = {  # département: postal codes
    "75": ("75011", "75018", "75020"),
    "93": ("93000", "93100", "93200", "93300"),
    "44": ("44000", "44400", "44600"),
    "59": ("59000", "59100", "59200", "59140", "59300"),
    "58": ("58000", "58200", "58400"),
}
ELSEWHERE = {"13": ("13001",), "69": ("69001",), "33": ("33000",), "35": ("35000",)}
NEEDS = ("parrainage-de-proximite", "accompagnement-scolaire", "ecoute")
DAYS = ("mo", "tu", "we", "sa")
PARTS = ("morning", "afternoon")
URGENCIES = ("low", "medium", "high", "critical")


def instance(seed: int, days: float = 50, families: int = 160, volunteers: int = 45) -> World:
    """Families and volunteers around the five territories and a few elsewhere, scarce
    places (some families wait), and two actions spanning distant départements (Nantes
    and Nevers, Lyon and Marseille: one region each); families waiting up to `days`."""
    rng = random.Random(seed)
    places = {**TERRITORIES, **ELSEWHERE}
    weights = [6 if dep in TERRITORIES else 2 for dep in places]
    supports: list[Support] = []
    for i in range(volunteers):
        dep = rng.choices(list(places), weights)[0]
        point = locate(rng.choice(places[dep]))
        assert point is not None
        lat, lon = point
        supports.append(
            volunteer(
                key=f"volunteer:vol-{seed:03d}-{i:04d}",
                needs=frozenset(rng.sample(NEEDS, rng.choice((1, 2)))),
                departements=frozenset({dep}),
                location=(lat + rng.gauss(0, 0.03), lon + rng.gauss(0, 0.04)),
                capacity=rng.choice((1, 1, 2)),
                slots=frozenset((rng.choice(DAYS), rng.choice(PARTS)) for _ in range(3)),
            )
        )
    for n, deps in enumerate((frozenset({"44", "58"}), frozenset({"69", "13"}))):
        supports.append(  # an action whose place is not known: the same areas only
            offer(
                key=f"offer:action-{seed:03d}-{n}",
                needs=frozenset({"accompagnement-scolaire"}),
                departements=deps,
                location=None,
                capacity=3,
                age_min=None,
                age_max=None,
            )
        )
    world = World(*supports)
    for _ in range(families):
        dep = rng.choices(list(places), weights)[0]
        world.arrives(
            submitted(
                request_id=f"{rng.getrandbits(128):032x}",
                family_ref=f"{rng.getrandbits(128):032x}"[:22],
                departement=dep,
                postal_code=rng.choice(places[dep]),
                needs=rng.sample(NEEDS, rng.choice((1, 1, 2))),
                availability=[Slot(day=rng.choice(DAYS), part=rng.choice(PARTS)) for _ in range(2)],
                urgency=rng.choices(URGENCIES, (4, 4, 2, 1))[0],
                submitted_at=NOW - timedelta(minutes=rng.uniform(0, days * 24 * 60)),
            )
        )
    return world


async def one_flow(world: World) -> tuple[list[Family], list[Support], list[assign.Edge]]:
    """The round as one flow over every waiting family would see it."""
    pool = await SupportPool(world.supports, world.matches).current()
    families = [family_of(world.requests.views[r]) for r in sorted(world.requests.views)]
    edges, _ = assign.candidates(families, pool.index, now=NOW, top_k=batch.TOP_K)
    return families, pool.supports, edges


def components(
    families: list[Family], supports: list[Support], edges: list[assign.Edge]
) -> dict[str, int]:
    """Each family's region: the connected components of the candidate graph (a walk)."""
    linked: dict[Any, set[Any]] = defaultdict(set)
    for e in edges:
        family, support = families[e.family].request_id, supports[e.support].key
        linked[family].add(support)
        linked[support].add(family)
    region: dict[str, int] = {}
    for start in linked:
        if start in region:
            continue
        number, stack = len(region), [start]
        while stack:
            node = stack.pop()
            region.setdefault(node, number)
            stack.extend(linked[node] - region.keys())
    families_of = {f.request_id for f in families}
    return {r: n for r, n in region.items() if r in families_of}


def served(
    proposals: dict[str, str],
    families: list[Family],
    supports: list[Support],
    edges: list[assign.Edge],
) -> dict[int, int]:
    """Each region's objective in these proposals (request -> support): families in
    crisis served, then the weighted total, in the flow's integer costs."""
    position = {f.request_id: n for n, f in enumerate(families)}
    edge = {(e.family, supports[e.support].key): e for e in edges}
    regions = components(families, supports, edges)
    total: dict[int, int] = defaultdict(int)
    for request_id, key in proposals.items():
        e = edge[(position[request_id], key)]
        total[regions[request_id]] += e.first * 10**12 + assign._cost(e)
    return dict(total)


@pytest.mark.parametrize("seed", range(8))
async def test_the_round_region_by_region_proposes_what_one_flow_over_the_country_would(
    seed: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Families waiting under 60 days: their priorities differ, so the best assignment is
    one (see the next test for equal families)."""
    monkeypatch.setattr(batch, "REGION_PACK", 25)  # small regions together, big ones alone
    monkeypatch.setattr(batch, "READ_CHUNK", 40)  # the first pass in several chunks
    world = instance(seed)
    families, supports, edges = await one_flow(world)
    chosen = assign.optimise(families, supports, edges)
    expected = {families[f].request_id: supports[e.support].key for f, e in chosen.items()}
    regions = components(families, supports, edges)
    assert len(set(regions.values())) >= 4, "several regions"
    assert 0 < len(expected) < len(regions), "some families wait for a place"

    proposed = await world.engine().rebalance()

    made = {m.request_id: m.support_key for m in world.matches._open()}
    assert made == expected
    assert proposed == len(expected)
    assert set(world.matches.waitlist) == set(world.requests.views) - set(expected)


@pytest.mark.parametrize("seed", range(8))
async def test_equal_families_aside_each_region_is_served_as_one_flow_would_serve_it(
    seed: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Waiting up to 90 days, many families reach the priority's cap (x3 after 60 days):
    two of them alike in place, needs and slots are equal for the flow, which serves
    either, in one flow as in regions. Each region still serves as many families in
    crisis, then the same weighted total, to the flow's unit."""
    monkeypatch.setattr(batch, "REGION_PACK", 25)
    world = instance(seed, days=90)
    families, supports, edges = await one_flow(world)
    chosen = assign.optimise(families, supports, edges)
    expected = {families[f].request_id: supports[e.support].key for f, e in chosen.items()}

    await world.engine().rebalance()

    made = {m.request_id: m.support_key for m in world.matches._open()}
    assert served(made, families, supports, edges) == served(expected, families, supports, edges)


async def test_the_flow_is_handed_one_region_at_a_time(monkeypatch: pytest.MonkeyPatch) -> None:
    """The memory bound: the optimiser (and the candidates' search of the second pass) is
    never handed more than one region's families, every family of that region at once."""
    monkeypatch.setattr(batch, "REGION_PACK", 1)  # every region alone
    world = instance(seed=11)
    families, supports, edges = await one_flow(world)
    regions = components(families, supports, edges)
    handed: list[set[str]] = []
    optimise = assign.optimise

    def spied(families: list[Family], *args: Any) -> dict[int, assign.Edge]:
        handed.append({f.request_id for f in families})
        return optimise(families, *args)

    monkeypatch.setattr(assign, "optimise", spied)
    await world.engine().rebalance()

    by_region: dict[int, set[str]] = defaultdict(set)
    for request_id, n in regions.items():
        by_region[n].add(request_id)
    assert len(by_region) >= 5
    assert sorted(map(sorted, handed)) == sorted(map(sorted, by_region.values()))
    assert max(map(len, handed)) < len(world.requests.views) / 2


async def test_small_regions_share_one_flow_and_one_read(monkeypatch: pytest.MonkeyPatch) -> None:
    """Regions are packed up to `REGION_PACK` families: a few store reads and flows a
    round, not one of each per region (most regions are a few families)."""
    world = instance(seed=3)
    families, supports, edges = await one_flow(world)
    assert len(set(components(families, supports, edges).values())) >= 4
    assert len(families) < batch.REGION_PACK
    flows, reads = [0], [0]
    optimise, many = assign.optimise, world.requests.many

    def counted(*args: Any) -> dict[int, assign.Edge]:
        flows[0] += 1
        return optimise(*args)

    async def read(request_ids: list[str]) -> dict[str, Any]:
        reads[0] += 1
        return await many(request_ids)

    monkeypatch.setattr(assign, "optimise", counted)
    monkeypatch.setattr(world.requests, "many", read)
    await world.engine().rebalance()

    assert flows[0] == 1
    # the first pass's read, the regions' together, then the proposed ones' (still open?)
    assert reads[0] == 3
