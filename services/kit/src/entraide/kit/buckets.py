"""GCRA token buckets in the store, shared by a service's replicas: the public forms' rate
limits (`SharedBuckets`: one bucket per door and client address, in `rate_buckets`) and
intake's partner quotas (`intake/adapters/quotas.py`: one bucket per partner, in its own
collection, each partner at its own quota) both count with `Buckets`, so two replicas
admit what one would, not twice as much.

The rule: a limit of N per period is a bucket of N tokens, one more every period/N (the
`interval`); a bucket may run ahead of the clock by the `tolerance` (N - 1 intervals: N at
once, the post itself included). A bucket is one document, `{"_id": key, "tat": ...}`, its
"theoretical arrival time" (seconds since the epoch). Admitting a post is one guarded,
atomic single-document update, whichever replica serves it: `$set` a full bucket (`tat` in
the past, an upsert for a first post) to now + one interval, or `$inc` a bucket in use by
one interval while it stays within the tolerance; neither matches: the post is refused
with how long to wait. (mongo-java-server, the development and test store, refuses update
pipelines and the `limits` library's MongoDB storage is built on them.)

The cheap first gate: a replica remembers the last `tat` it saw of each bucket (it only
grows), so a key it knows is past its limit is refused without a store call until its
wait is over: a script flooding a form costs the store one read per replica per
Retry-After. Replicas compare `tat` with their own clocks: they are assumed
NTP-synchronised. Addresses are not stored: a public bucket's id is a keyed hash of the
door and the address (the services' session secret). A bucket whose `tat` has passed is as
good as absent: each replica deletes the public ones now and then (mongo-java-server never
honours a TTL).
"""

import hashlib
import hmac
import math
import time
from collections.abc import Callable
from typing import Any

from limits import RateLimitItem, parse
from pymongo import ReturnDocument
from pymongo.asynchronous.collection import AsyncCollection
from pymongo.errors import DuplicateKeyError

COLLECTION = "rate_buckets"
ATTEMPTS = 3  # each attempt can only fail on a bucket that changed state meanwhile
SWEEP_EVERY_S = 600.0
REMEMBERED = 10_000  # buckets a replica remembers (its cheap gate), oldest forgotten first


def late(tat: float, now: float, tolerance: float) -> float | None:
    """GCRA's test: None if a post at `now` fits a bucket whose theoretical arrival time
    is `tat`, else the seconds until one does."""
    wait = tat - tolerance - now
    return wait if wait > 0 else None


def whole_seconds(wait: float) -> int:
    """A wait as Retry-After says it: whole seconds, rounded up, at least 1."""
    return max(1, math.ceil(wait))


class Buckets:
    """GCRA buckets in `collection`, by key, each admitted at the `interval` and `tolerance`
    its caller gives; and what this replica last saw of them."""

    def __init__(
        self, collection: AsyncCollection[dict[str, Any]], *, clock: Callable[[], float] = time.time
    ) -> None:
        self.collection = collection
        self.clock = clock
        self._seen: dict[str, float] = {}  # bucket id -> a `tat` read from the store (a floor)

    def known_wait(self, key: str, now: float, *, tolerance: float) -> float | None:
        """The seconds to wait if this replica already knows bucket `key` is past its
        tolerance (no store call), else None."""
        return late(self._seen.get(key, 0.0), now, tolerance)

    async def admit(
        self, key: str, now: float, *, interval: float, tolerance: float
    ) -> float | None:
        """None if a post at `now` is admitted (and counted), else the seconds to wait."""
        seen = self._seen.get(key, 0.0)
        wait = late(seen, now, tolerance)
        if wait is not None:
            return wait  # the cheap gate: this replica already knows
        for _ in range(ATTEMPTS):
            if seen < now and await self._restart(key, now + interval, now):
                self._saw(key, now + interval)
                return None
            taken = await self.collection.find_one_and_update(
                {"_id": key, "tat": {"$gte": now, "$lte": now + tolerance}},
                {"$inc": {"tat": interval}},
                projection={"tat": True},
                return_document=ReturnDocument.AFTER,
            )
            if taken is not None:
                self._saw(key, taken["tat"])
                return None
            current = await self.collection.find_one({"_id": key}, {"tat": True})
            seen = current["tat"] if current else 0.0
            self._saw(key, seen)
            wait = late(seen, now, tolerance)
            if wait is not None:
                return wait
        return interval  # the bucket kept changing under us: a rare, short wait

    async def sweep(self, now: float) -> None:
        """Delete the buckets full again at `now` (as good as absent)."""
        await self.collection.delete_many({"tat": {"$lt": now}})

    async def _restart(self, key: str, tat: float, now: float) -> bool:
        """Start a full bucket over at `now` (or create it); False if it is in use."""
        try:
            await self.collection.update_one(
                {"_id": key, "tat": {"$lt": now}}, {"$set": {"tat": tat}}, upsert=True
            )
        except DuplicateKeyError:  # the document exists and its bucket is in use
            return False
        return True

    def _saw(self, key: str, tat: float) -> None:
        self._seen[key] = max(self._seen.pop(key, 0.0), tat)  # now the most recent
        if len(self._seen) > REMEMBERED:
            del self._seen[next(iter(self._seen))]


class SharedBuckets(Buckets):
    """`limit` (`limits` notation: "30/minute") per door and client, counted in `buckets`."""

    def __init__(
        self,
        buckets: AsyncCollection[dict[str, Any]],
        limit: str | RateLimitItem,
        *,
        secret: bytes,
        clock: Callable[[], float] = time.time,
    ) -> None:
        super().__init__(buckets, clock=clock)
        item = parse(limit) if isinstance(limit, str) else limit
        period = float(item.get_expiry())
        self.interval = period / item.amount
        self.tolerance = period - self.interval  # `amount` at once, the post itself included
        self.secret = secret
        self._swept = clock()

    def key(self, door: str, client: str) -> str:
        digest = hmac.new(self.secret, f"{door}\n{client}".encode(), hashlib.sha256)
        return digest.hexdigest()[:32]

    async def retry_after(self, door: str, client: str) -> int | None:
        """None if this post is admitted (and counted), else the whole seconds until one
        fits (at least 1)."""
        now = self.clock()
        if now - self._swept > SWEEP_EVERY_S:
            self._swept = now
            await self.sweep(now)
        key = self.key(door, client)
        wait = await self.admit(key, now, interval=self.interval, tolerance=self.tolerance)
        return None if wait is None else whole_seconds(wait)
