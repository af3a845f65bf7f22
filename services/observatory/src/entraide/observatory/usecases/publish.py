"""Publishing: the archive's cubes, protected, cached for the pages.

`refresh` moves the pending facts into the archive, computes every indicator's cube per
year with the archive's engine, protects it (domain.protection) and swaps the cache in
one go, so a page never sees half a refresh. Pages then read the cache only.
"""

import asyncio
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from entraide.observatory.domain.facts import month_of
from entraide.observatory.domain.indicators import (
    BY_KEY,
    COVERAGE,
    INDICATORS,
    Dimension,
    Indicator,
    Measure,
)
from entraide.observatory.domain.protection import (
    TOTAL,
    Key,
    kept_territories,
    protect,
    suppressed,
)
from entraide.observatory.usecases.ports import Archive, CubeRow, PendingFacts
from entraide.observatory.usecases.tables import HIDDEN, Cell, Published, Table, table_of

FLUSH_BATCH = 50_000
CacheKey = tuple[str, str, Dimension | None]


@dataclass(frozen=True)
class Protection:
    threshold: int = 5  # every published count describes at least this many families
    territory_minimum: int = 30  # requests in a year for a département to show on its own


class Observatory:
    """The indicators as published: protected, cached, refreshed on demand or on schedule."""

    def __init__(
        self,
        archive: Archive,
        pending: PendingFacts,
        protection: Protection,
        clock: Callable[[], datetime],
    ) -> None:
        self.archive, self.pending, self.protection, self.clock = (
            archive,
            pending,
            protection,
            clock,
        )
        self.cache: dict[CacheKey, Published] = {}
        self.refreshed_at: datetime | None = None
        self._lock = asyncio.Lock()

    async def flush(self) -> int:
        """Move the pending facts into the archive; how many were moved."""
        moved = 0
        while True:
            facts, token = await self.pending.take(FLUSH_BATCH)
            if not facts:
                if moved:
                    await asyncio.to_thread(self.archive.compact)
                return moved
            moved += await asyncio.to_thread(self.archive.append, facts)
            await self.pending.forget(token)

    async def refresh(self) -> int:
        """Flush, recompute and swap the cache; the number of published cubes."""
        async with self._lock:
            await self.flush()
            cache = await asyncio.to_thread(self.compute)
            self.cache, self.refreshed_at = cache, self.clock()
            return len(cache)

    def compute(self) -> dict[CacheKey, Published]:
        """Every indicator's protected cubes, for every year in the archive."""
        with self.archive.loaded():
            return self._compute()

    def _compute(self) -> dict[CacheKey, Published]:
        cache: dict[CacheKey, Published] = {}
        for year in self.archive.years():
            families = self.archive.families_by_departement(year)
            kept = kept_territories(families, self.protection.territory_minimum)
            for indicator in INDICATORS:
                if indicator.measure is Measure.RATIO:
                    continue  # derived below from the protected tables
                cubes = {
                    by: self.archive.cube(indicator, year, by, kept)
                    for by in (None, *indicator.filters)
                }
                for by, cells in self._protect_all(indicator, cubes).items():
                    cache[(indicator.key, year, by)] = Published(indicator, year, by, cells)
            cache[(COVERAGE[0], year, None)] = coverage(cache, year)
        return cache

    def _protect_all(
        self, indicator: Indicator, cubes: dict[Dimension | None, list[CubeRow]]
    ) -> dict[Dimension | None, dict[Key, Cell]]:
        """The unfiltered cube first, then each filtered one agreeing with it; a cell the
        filtered ones need hidden in the unfiltered cube is hidden there and all redone."""
        force: frozenset[Key] = frozenset()
        while True:
            base = self._protect(indicator, cubes[None], force=force)
            done: dict[Dimension | None, dict[Key, Cell]] = {None: base}
            wanted: set[Key] = set()
            for by, rows in cubes.items():
                if by is not None:
                    done[by], needs = self._protect_filtered(indicator, rows, base)
                    wanted |= needs
            if not wanted - force:
                return done
            force |= wanted

    def _protect(
        self, indicator: Indicator, rows: list[CubeRow], *, force: frozenset[Key] = frozenset()
    ) -> dict[Key, Cell]:
        k = self.protection.threshold
        if indicator.measure is Measure.PLACES:  # associations' places: public, not a family
            return {r.key: Cell(r.count, r.places) for r in rows}
        if indicator.measure is Measure.DURATION:
            return {r.key: _duration(r) if r.count >= k else HIDDEN for r in rows}
        counts = {r.key: r.count for r in rows}
        hidden = suppressed(counts, k, force=force)
        return {key: HIDDEN if key in hidden else Cell(n) for key, n in counts.items()}

    def _protect_filtered(
        self, indicator: Indicator, rows: list[CubeRow], base: dict[Key, Cell]
    ) -> tuple[dict[Key, Cell], frozenset[Key]]:
        if indicator.measure is not Measure.COUNT:
            return self._protect(indicator, rows), frozenset()
        counts = {r.key: r.count for r in rows}
        fixed = {key: cell.hidden for key, cell in base.items() if key in counts}
        hidden, wanted = protect(counts, self.protection.threshold, fixed=fixed)
        return {key: HIDDEN if key in hidden else Cell(n) for key, n in counts.items()}, wanted

    def years(self) -> list[str]:
        return sorted({year for _, year, _ in self.cache}, reverse=True)

    def table(
        self,
        indicator: Indicator,
        year: str,
        month: str = TOTAL,
        by: Dimension | None = None,
        value: str = TOTAL,
    ) -> Table | None:
        """One view of an indicator, None if the archive has nothing for that year."""
        if by is not None and by not in indicator.filters:
            by, value = None, TOTAL
        published = self.cache.get((indicator.key, year, by))
        if published is None:
            return None
        in_progress = month_of(self.clock())
        return table_of(published, month, value if by is not None else TOTAL, in_progress)

    def published(self, indicator: Indicator, year: str, by: Dimension | None) -> Published | None:
        return self.cache.get((indicator.key, year, by))


def coverage(cache: dict[CacheKey, Published], year: str) -> Published:
    """Places offered plus volunteers available, per request, where all three figures are
    published (a ratio over a hidden count would give the count away)."""
    key, places, volunteers, demand = COVERAGE
    offered, active, asked = (cache[(k, year, None)].cells for k in (places, volunteers, demand))
    cells: dict[Key, Cell] = {}
    for where, requests in asked.items():
        people = active.get(where, Cell(0))
        if requests.hidden or people.hidden or not requests.count:
            cells[where] = HIDDEN if requests.hidden or people.hidden else Cell(0)
            continue
        supply = (offered.get(where, Cell(0, 0)).places or 0) + (people.count or 0)
        cells[where] = Cell(requests.count, supply, ratio=supply / requests.count)
    return Published(BY_KEY[key], year, None, cells)


def _duration(row: CubeRow) -> Cell:
    return Cell(row.count, None, row.median, row.p90)
