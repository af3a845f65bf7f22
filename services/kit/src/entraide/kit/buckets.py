"""Rate limits shared by a service's replicas: one bucket per (door, client address), in the
store, so two replicas admit what one would, not twice as much.

The rule is GCRA, as intake's partner quotas (`intake/adapters/quotas.py`) keep it: a limit
of N per period is a bucket of N tokens, one more every period/N; a bucket is one document
holding its "theoretical arrival time" (`tat`, seconds since the epoch). Admitting a post is
one guarded, atomic single-document update, whichever replica serves it: `$set` a full
bucket (`tat` in the past, an upsert for a first post) to now + one interval, or `$inc` a
bucket in use by one interval while it stays within the tolerance; neither matches: the
post is refused with how long to wait. (mongo-java-server, the development and test store,
refuses update pipelines and the `limits` library's MongoDB storage is built on them.)

The cheap first gate: a replica remembers the last `tat` it saw of each bucket (it only
grows), so an address it knows is past its limit is refused without a store call until its
wait is over: a script flooding a form costs the store one read per replica per
Retry-After. Addresses are not stored: a bucket's id is a keyed hash of the door and the
address (the services' session secret). A bucket whose `tat` has passed is as good as
absent: each replica deletes those now and then (mongo-java-server never honours a TTL).
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


class SharedBuckets:
    """`limit` (`limits` notation: "30/minute") per door and client, counted in `buckets`."""

    def __init__(
        self,
        buckets: AsyncCollection[dict[str, Any]],
        limit: str | RateLimitItem,
        *,
        secret: bytes,
        clock: Callable[[], float] = time.time,
    ) -> None:
        item = parse(limit) if isinstance(limit, str) else limit
        period = float(item.get_expiry())
        self.interval = period / item.amount
        self.tolerance = period - self.interval  # `amount` at once, the post itself included
        self.buckets = buckets
        self.secret = secret
        self.clock = clock
        self._seen: dict[str, float] = {}  # bucket id -> a `tat` read from the store (a floor)
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
            await self.buckets.delete_many({"tat": {"$lt": now}})
        wait = await self._admit(self.key(door, client), now)
        return None if wait is None else max(1, math.ceil(wait))

    def _wait(self, tat: float, now: float) -> float | None:
        late = tat - self.tolerance - now
        return late if late > 0 else None

    async def _admit(self, key: str, now: float) -> float | None:
        seen = self._seen.get(key, 0.0)
        wait = self._wait(seen, now)
        if wait is not None:
            return wait  # the cheap gate: this replica already knows
        for _ in range(ATTEMPTS):
            if seen < now and await self._restart(key, now + self.interval, now):
                self._saw(key, now + self.interval)
                return None
            taken = await self.buckets.find_one_and_update(
                {"_id": key, "tat": {"$gte": now, "$lte": now + self.tolerance}},
                {"$inc": {"tat": self.interval}},
                projection={"tat": True},
                return_document=ReturnDocument.AFTER,
            )
            if taken is not None:
                self._saw(key, taken["tat"])
                return None
            current = await self.buckets.find_one({"_id": key}, {"tat": True})
            seen = current["tat"] if current else 0.0
            self._saw(key, seen)
            wait = self._wait(seen, now)
            if wait is not None:
                return wait
        return self.interval  # the bucket kept changing under us: a rare, short wait

    async def _restart(self, key: str, tat: float, now: float) -> bool:
        """Start a full bucket over at `now` (or create it); False if it is in use."""
        try:
            await self.buckets.update_one(
                {"_id": key, "tat": {"$lt": now}}, {"$set": {"tat": tat}}, upsert=True
            )
        except DuplicateKeyError:  # the document exists and its bucket is in use
            return False
        return True

    def _saw(self, key: str, tat: float) -> None:
        self._seen[key] = max(self._seen.pop(key, 0.0), tat)  # now the most recent
        if len(self._seen) > REMEMBERED:
            del self._seen[next(iter(self._seen))]
