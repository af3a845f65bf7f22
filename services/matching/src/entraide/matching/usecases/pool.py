"""The supports matching can propose, in memory: volunteers and offers from the read
models, indexed by need and place, with the places they give. Built once, then kept up to
date one support at a time, and its loads from the store's places at each batch (other
replicas take and give back places too); the store's places stay the truth on capacity.
"""

import logging
import time
from dataclasses import replace

from entraide.matching.domain.assign import SupportIndex
from entraide.matching.domain.model import Support
from entraide.matching.usecases.ports import Matches, Supports

log = logging.getLogger(__name__)


class SupportPool:
    """Volunteers and offers, with their places left, indexed for candidate search."""

    def __init__(self, source: Supports, store: Matches) -> None:
        self.source = source
        self.store = store
        self.supports: list[Support] = []
        self.by_key: dict[str, Support] = {}
        self.position: dict[str, int] = {}
        self.index = SupportIndex([])
        self._dirty = True

    def invalidate(self) -> None:
        self._dirty = True

    def adjust(self, key: str, taken: int) -> None:
        """Keep the in-memory load in step with a reservation (+1) or a release (-1)."""
        support = self.by_key.get(key)
        if support is None:
            return
        updated = replace(support, load=max(0, support.load + taken))
        self.by_key[key] = updated
        self.supports[self.position[key]] = updated
        self.index.update(self.position[key])  # the ranking's columns too

    def full(self, key: str) -> None:
        """The store refused a place: the support is full (another replica filled it)."""
        support = self.by_key.get(key)
        if support is not None and support.capacity is not None:
            self.adjust(key, support.capacity - support.load)

    def settle(self, taken: dict[str, int]) -> None:
        """Take the loads of the supports with a capacity from the store's count."""
        for key, support in self.by_key.items():
            if support.capacity is not None and support.load != taken.get(key, 0):
                self.adjust(key, taken.get(key, 0) - support.load)

    async def current(self) -> "SupportPool":
        if self._dirty:
            await self.rebuild()
        return self

    async def rebuild(self) -> None:
        started = time.perf_counter()
        self._dirty = False
        supports = await self.source.every(await self.store.held())
        self.supports = supports
        self.by_key = {s.key: s for s in supports}
        self.position = {s.key: i for i, s in enumerate(supports)}
        self.index = SupportIndex(supports)
        log.info(
            "support pool rebuilt",
            extra={"supports": len(supports), "ms": round((time.perf_counter() - started) * 1000)},
        )

    async def refresh(self, key: str) -> None:
        """Reload one support after its event (a new, changed, paused or gone support)."""
        if self._dirty:
            return  # the next use rebuilds everything anyway
        load = self.by_key[key].load if key in self.by_key else 0
        support = await self.source.one(key, load)
        if support is None and key in self.by_key:  # gone: never proposed again
            support = replace(self.by_key[key], active=False)
        if support is None:
            return
        if key in self.position:
            self.supports[self.position[key]] = support
        else:
            self.position[key] = len(self.supports)
            self.supports.append(support)
        self.by_key[key] = support
        self.index.add(self.position[key])  # stale cells only cost a rule check
