"""Search cards kept in each process's memory, current across replicas: `ports.Cards`.

A search in Paris reads about 12,000 cards from some forty cell collections; reading and
decoding them every time cost most of its 400 ms (p99, 100,000 offers). So each process
keeps the cards it read, per collection, prepared for ranking (`search.prepare`), in a
least-recently-used map of `cells` collections, and asks the store at every search how
many times each collection it needs has changed (`card_versions`, one query by `_id`),
reading again only those whose count moved. Memory: about 1.3 KiB a cached card (all
100,000 offers of the benchmark: 130 MiB more RSS), bounded by `cells`.

Why the order of the writes makes this safe: a writer writes a card, then increments its
collection's count (`OfferStore._put`); a search reads the counts, then the cards of the
collections whose count it has not cached. Whatever a search caches under count `v`
therefore holds every write counted up to `v` (each was written before its increment, and
the search's card read came after its count read). A write it missed is counted after `v`,
so the next search sees the count move and reads the collection again; a search that read
a card whose increment had not yet happened caches the newer card under the older count,
which only costs one read more. Two replicas, or two searches in one process, interleave
the same way: an entry is never replaced by one of an older count.

What the counts cannot tell: a writer that died between its card and its increment (or a
replica of an older version, which does not count), and counts that went back (their
collection dropped and re-created). `max_age_seconds` bounds how long such a change can
stay unseen: an entry older than that is read again whatever its count.
"""

import time
from collections import OrderedDict
from dataclasses import dataclass

from prometheus_client import CollectorRegistry, Counter

from entraide.directory.adapters.offers.store import OfferStore, search_collections
from entraide.directory.domain.offers import search

CELLS_READ = "entraide_directory_search_cells_total"


@dataclass(frozen=True, slots=True)
class _Entry:
    version: int
    read_at: float  # time.monotonic() before its count was read
    cards: list[search.Prepared]


class CardCache:
    """`ports.Cards` over `OfferStore`'s cell and département collections, cached."""

    def __init__(
        self,
        store: OfferStore,
        *,
        cells: int,
        max_age_seconds: float,
        registry: CollectorRegistry | None = None,
    ) -> None:
        self.store, self.size, self.max_age = store, cells, max_age_seconds
        self._entries: OrderedDict[str, _Entry] = OrderedDict()
        self._read = Counter(
            CELLS_READ.removesuffix("_total"),
            "Collections of search cards a search took from this process's cache (hit) "
            "or read from the store (miss): a cell or a département",
            ["result"],
            registry=registry,
        )

    async def near(self, query: search.Query) -> list[search.Prepared]:
        """The prepared cards of the cells and département within the query's reach."""
        names = search_collections(
            query.latitude, query.longitude, query.radius_km, query.departement
        )
        started = time.monotonic()
        versions = await self.store.versions(names)  # before the cards: see the module
        found: dict[str, list[search.Prepared]] = {}
        for name in names:
            entry = self._entries.get(name)
            if (
                entry is not None
                and entry.version == versions.get(name, 0)
                and started - entry.read_at < self.max_age
            ):
                self._entries.move_to_end(name)
                found[name] = entry.cards
        stale = [name for name in names if name not in found]
        self._read.labels("hit").inc(len(found))
        self._read.labels("miss").inc(len(stale))
        if stale:
            read = await self.store.cards_by_collection(stale)
            for name in stale:
                cards = [search.prepare(c) for c in read[name]]
                self._keep(name, _Entry(versions.get(name, 0), started, cards))
                found[name] = cards
        return [card for name in names for card in found[name]]

    def _keep(self, name: str, entry: _Entry) -> None:
        held = self._entries.get(name)
        if held is None or held.version <= entry.version:  # a newer count's cards stay
            self._entries[name] = entry
            self._entries.move_to_end(name)
        while len(self._entries) > self.size:
            self._entries.popitem(last=False)

    def __len__(self) -> int:
        """How many collections are cached."""
        return len(self._entries)
