"""Who gets which support: the online choice for one new request, and the batch that
re-optimises every waiting request at once under the supports' capacities.

The batch is a min-cost flow (OR-Tools): source -> family (1) -> support (1 per pair) ->
sink (its free places); a family may also stay unassigned at no cost. Costs are
-(priority x fit), minus, for a family in crisis (`policy.first`), a bonus larger than the
whole weighted total can be: the flow serves as many families in crisis as the places
allow, then maximises the urgency-weighted total fit, exactly (lexicographic), on the
candidate graph it is given. Candidates come from a grid of cells per need, so a family
is compared only with supports near enough to be allowed.
"""

import heapq
import math
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime

import numpy as np
from ortools.graph.python import min_cost_flow

from entraide.contracts.paris import paris_day
from entraide.matching.domain import policy, ranking
from entraide.matching.domain.columns import Ints, SupportColumns
from entraide.matching.domain.model import Family, Support
from entraide.matching.domain.rules import (
    DEFAULT_MAX_KM,
    MAX_KM,
    Unfit,
)
from entraide.matching.domain.score import Score, scored

CELL_DEG = 0.25  # about 28 km north-south; a family looks in the cells around its own
KM_PER_DEG_LAT = 111.0
COST_SCALE = 10_000
MIN_FIT = 0.25  # below this a proposal would not help anyone: waitlist instead
PLACES_KEPT = 20_000  # places whose candidates the index keeps (a few MB)


@dataclass(frozen=True, slots=True)  # hundreds of thousands in a batch
class Edge:
    family: int
    support: int
    score: Score
    first: bool = False  # the family is served first (`policy.first`)


class SupportIndex:
    """Supports by need and grid cell (by need and département when the place is unknown)."""

    def __init__(self, supports: Sequence[Support]) -> None:
        self.supports = supports
        self.cells: dict[tuple[str, object], list[int]] = defaultdict(list)
        self.columns = SupportColumns()  # the rules' and the fit's fields, as arrays
        self._rows: dict[tuple[object, ...], Ints] = {}  # `near`, by place
        for i in range(len(supports)):
            self.add(i)

    def update(self, i: int) -> None:
        """The support at position `i` changed, not its needs or place (its load)."""
        self.columns.set(i, self.supports[i])

    def add(self, i: int) -> None:
        """Index the support at position `i` (again, after it changed)."""
        s = self.supports[i]
        self.columns.set(i, s)
        for need in s.needs:
            cells: list[tuple[str, object]]
            if s.location is None:
                cells = [(need, ("dep", dep)) for dep in s.departements]
            else:
                cells = [(need, _cell(s.location))]
            for cell in cells:
                if i not in self.cells[cell][-1:]:
                    self.cells[cell].append(i)
                    self._rows.clear()  # the places' candidates change

    def near_rows(self, family: Family) -> Ints:
        """`near`, as an array in the set's order, kept for the next family of that place."""
        place = (family.needs, family.departement, family.location)
        rows = self._rows.get(place)
        if rows is None:
            if len(self._rows) >= PLACES_KEPT:
                self._rows.clear()
            found = self.near(family)
            rows = self._rows[place] = np.fromiter(found, np.int64, len(found))
        return rows

    def near(self, family: Family) -> set[int]:
        """Supports sharing a need whose cell may lie within the allowed distance."""
        found: set[int] = set()
        for need in family.needs:
            found.update(self.cells.get((need, ("dep", family.departement)), ()))
            if family.location is None:
                continue
            reach = MAX_KM.get(need, DEFAULT_MAX_KM)
            lat = family.location[0]
            d_lat = math.ceil(reach / (KM_PER_DEG_LAT * CELL_DEG))
            km_per_deg_lon = KM_PER_DEG_LAT * max(0.2, math.cos(math.radians(lat)))
            d_lon = math.ceil(reach / (km_per_deg_lon * CELL_DEG))
            c_lat, c_lon = _cell(family.location)
            for i in range(c_lat - d_lat, c_lat + d_lat + 1):
                for j in range(c_lon - d_lon, c_lon + d_lon + 1):
                    found.update(self.cells.get((need, (i, j)), ()))
        return found


def candidates(
    families: Sequence[Family],
    index: SupportIndex,
    *,
    now: datetime,
    declined: dict[str, frozenset[str]] | None = None,
    top_k: int | None = None,
    crises_too: bool = False,
) -> tuple[list[Edge], dict[int, Unfit]]:
    """Eligible pairs with their scores (the best `top_k` per family; all of them for a
    family served first, so none of its places is missed, unless `crises_too`: the caller
    asks for the rest itself when those are full), and for each family with none, why
    (its waitlist reason).

    The rules about a support alone are checked once per support, the pair rules then
    only on supports that could take someone; a family left with nobody is told the rule
    that stopped most of its candidates (as `unfit` says it, counted on the way).
    """
    edges: list[Edge] = []
    blocked: dict[int, Unfit] = {}
    for f, best in ranked(families, index, now, declined or {}, top_k, crises_too, blocked):
        family, crisis = families[f], policy.first(families[f])
        prio = policy.priority(family, now)
        edges.extend(  # explained (parts, reasons) only if proposed
            Edge(f, s, scored(family, index.supports[s], pair_fit, prio, km, now), crisis)
            for pair_fit, s, km in best
        )
    return edges, blocked


def ranked(
    families: Sequence[Family],
    index: SupportIndex,
    now: datetime,
    declined: dict[str, frozenset[str]],
    top_k: int | None,
    crises_too: bool,
    blocked: dict[int, Unfit],
) -> Iterator[tuple[int, list[ranking.Fit]]]:
    """Each family's kept candidates (fit, support, km), best first (`candidates`); why,
    into `blocked`, for each family with none."""
    today = paris_day(now)  # a check is valid through its day in Paris
    cols = index.columns
    open_: dict[int, Unfit | None] = {}  # the support rules, once per support met
    near: dict[tuple[object, ...], set[int]] = {}  # families of one place and needs: once
    for f, family in enumerate(families):
        if not family.consent:
            blocked[f] = Unfit.NO_CONSENT
            continue
        refused = declined.get(family.request_id, frozenset())
        keep = None if (policy.first(family) and not crises_too) or not top_k else top_k
        if cols.usable:  # every candidate at once
            rows = index.near_rows(family)
            fits, why = ranking.rank(
                family, rows, index.supports, cols, today.toordinal(),
                refused=refused, keep=keep, min_fit=MIN_FIT,
            )  # fmt: skip
        else:  # pair by pair (a vocabulary too large for the columns' masks)
            place = (family.needs, family.departement, family.location)
            if place not in near:
                near[place] = index.near(family)
            fits, why = ranking.pair_by_pair(
                family, near[place], index.supports, open_, today, refused, MIN_FIT
            )
        if not fits:
            blocked[f] = why or Unfit.DISTANCE
            continue
        yield f, heapq.nlargest(keep or len(fits), fits, key=lambda c: c[0])  # stable on ties


def optimise(
    families: Sequence[Family], supports: Sequence[Support], edges: Iterable[Edge]
) -> dict[int, Edge]:
    """The assignment under capacities serving the most families in crisis, then
    maximising sum(priority x fit): family -> its edge."""
    edges = list(edges)
    if not edges:
        return {}
    best: dict[int, int] = {}  # each family's best weighted cost: their sum bounds any total
    for e in edges:
        best[e.family] = max(best.get(e.family, 0), _cost(e))
    crisis = sum(best.values()) + 1  # one more family in crisis outweighs every fit
    flow = min_cost_flow.SimpleMinCostFlow()
    n_f, n_s = len(families), len(supports)
    source, sink = n_f + n_s, n_f + n_s + 1
    used_families = sorted({e.family for e in edges})
    used_supports = sorted({e.support for e in edges})
    for f in used_families:
        flow.add_arc_with_capacity_and_unit_cost(source, f, 1, 0)
        flow.add_arc_with_capacity_and_unit_cost(f, sink, 1, 0)  # may stay unassigned
    arcs = {}
    for e in edges:
        cost = -_cost(e) - (crisis if e.first else 0)
        arcs[flow.add_arc_with_capacity_and_unit_cost(e.family, n_f + e.support, 1, cost)] = e
    for s in used_supports:
        free = supports[s].free
        flow.add_arc_with_capacity_and_unit_cost(
            n_f + s, sink, free if free is not None else n_f, 0
        )
    flow.set_node_supply(source, len(used_families))
    flow.set_node_supply(sink, -len(used_families))
    if flow.solve() != flow.OPTIMAL:
        raise RuntimeError("the assignment found no optimal flow")
    return {e.family: e for arc, e in arcs.items() if flow.flow(arc) > 0}


def greedy_first_come(
    families: Sequence[Family], supports: Sequence[Support], edges: Iterable[Edge]
) -> dict[int, Edge]:
    """The baseline: families in arrival order, each takes its best support still free."""
    by_family: dict[int, list[Edge]] = defaultdict(list)
    for e in edges:
        by_family[e.family].append(e)
    free = _places(families, supports)
    chosen: dict[int, Edge] = {}
    for f in sorted(by_family, key=lambda f: families[f].waiting_since):
        for e in sorted(by_family[f], key=lambda e: e.score.fit, reverse=True):
            if free[e.support] > 0:
                free[e.support] -= 1
                chosen[f] = e
                break
    return chosen


def greedy_by_weight(
    families: Sequence[Family], supports: Sequence[Support], edges: Iterable[Edge]
) -> dict[int, Edge]:
    """A baseline: the pairs by priority x fit, best first, each taken while both are free."""
    free = _places(families, supports)
    chosen: dict[int, Edge] = {}
    for e in sorted(edges, key=lambda e: e.score.weighted, reverse=True):
        if e.family not in chosen and free[e.support] > 0:
            free[e.support] -= 1
            chosen[e.family] = e
    return chosen


def serving_order(families: Sequence[Family]) -> list[int]:
    """The order in which a batch of new requests is placed one by one: families in crisis
    first, the others as they came (a stable sort)."""
    return sorted(range(len(families)), key=lambda f: not policy.first(families[f]))


def objective(chosen: dict[int, Edge]) -> float:
    """The weighted part of what the batch maximises: the sum of priority x fit."""
    return sum(e.score.weighted for e in chosen.values())


def lexicographic(chosen: dict[int, Edge]) -> tuple[int, float]:
    """What the batch maximises, in order: families in crisis served, then `objective`."""
    return sum(e.first for e in chosen.values()), objective(chosen)


def crises_passed_over(
    families: Sequence[Family],
    supports: Sequence[Support],
    edges: Iterable[Edge],
    chosen: dict[int, Edge],
) -> list[tuple[int, int]]:
    """The policy's check: (family in crisis left unmatched, support it could take) where
    that support still has a place, or gives one to a family not in crisis."""
    free = _places(families, supports)
    held_by_others: set[int] = set()
    for e in chosen.values():
        free[e.support] -= 1
        if not e.first:
            held_by_others.add(e.support)
    return [
        (e.family, e.support)
        for e in edges
        if e.first
        and e.family not in chosen
        and (free[e.support] > 0 or e.support in held_by_others)
    ]


def _cost(e: Edge) -> int:
    return round(e.score.weighted * COST_SCALE)


def _places(families: Sequence[Family], supports: Sequence[Support]) -> dict[int, int]:
    """Each support's free places (as many as there are families when unlimited)."""
    return {
        s: support.free if support.free is not None else len(families)
        for s, support in enumerate(supports)
    }


def _cell(point: tuple[float, float]) -> tuple[int, int]:
    return (math.floor(point[0] / CELL_DEG), math.floor(point[1] / CELL_DEG))
