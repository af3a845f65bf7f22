"""Partner quotas shared by intake's replicas: one token bucket per partner, in the store.

Each partner has one document in `partner_quotas`: its bucket as GCRA keeps it, a single
"theoretical arrival time" (`tat`, seconds since the epoch; `Quota.wait_s` and
`Quota.after` in `domain/partners.py` are the rule). Admitting a request is one guarded,
atomic single-document update, whichever replica serves it:

- the bucket is full (`tat` in the past): `$set` it to now + one interval, guarded by
  `tat < now` (an upsert: a partner's first request creates its document);
- the bucket is in use (`now <= tat <= now + tolerance`): `$inc` it by one interval,
  guarded by that range;
- neither matches: `tat` is past the tolerance, the request is refused with how long to
  wait.

Why a bucket and not a counter per (partner, window) with `$inc`: a partner sending
steadily at its quota is never refused (with fixed windows, the jitter of a steady sender
puts one request more in a window now and then, and a window short enough to bound bursts
leaves no slack), `burst` means what it says, and there is one document per partner,
never more: nothing to expire (mongo-java-server, the development and test store, accepts
TTL indexes but never deletes). MongoDB would take the whole rule as one update with an
aggregation pipeline; mongo-java-server refuses pipelines, hence the two guarded forms.

What it costs: one store round trip per admitted request (two when this replica guessed
the bucket's state wrong: it guesses from the last `tat` it saw). `tat` only grows, so a
replica that saw a partner past its tolerance refuses it locally until then: a flooding
partner costs the store one read per replica per Retry-After, not one per request.
Replicas compare `tat` with their own clocks: they are assumed NTP-synchronised (a skew
of a few milliseconds moves a bucket by as much). A store that does not answer raises
pymongo's `ConnectionFailure`, which every route answers with 503 `store-unavailable`
and `Retry-After`, as for any other store call.
"""

import math
import time
from collections.abc import Callable, Mapping
from typing import Any

from prometheus_client import Counter
from pymongo import ReturnDocument
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import DuplicateKeyError

from entraide.intake.domain.partners import Partner

COLLECTION = "partner_quotas"
ATTEMPTS = 3  # each attempt can only fail on a bucket that changed state meanwhile


class PartnerQuotas:
    """The partners' buckets in intake's database, and what this replica last saw of them."""

    def __init__(
        self,
        db: AsyncDatabase[dict[str, Any]],
        partners: Mapping[str, Partner],
        refusals: Counter | None = None,
        *,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.buckets = db[COLLECTION]
        self.partners = partners
        self.refusals = refusals
        self.clock = clock
        self._seen: dict[str, float] = {}  # key id -> a `tat` read from the store (a floor)

    async def retry_after(self, key: str, partner: Partner) -> int | None:
        """None if the partner's request is admitted (and counted), else the whole seconds
        to wait before the next one fits (at least 1)."""
        wait = await self._admit(key, partner)
        return None if wait is None else self._refused(partner, wait)

    def known_over(self, key: str) -> float | None:
        """The seconds to wait (exactly) if this replica already knows the partner `key` is
        past its quota, counted as a refusal, with no store call; else None: the request
        goes the whole way."""
        partner = self.partners.get(key)
        seen = self._seen.get(key)
        if partner is None or seen is None:
            return None
        wait = partner.quota.wait_s(seen, self.clock())
        if wait is not None:
            self._refused(partner, wait)
        return wait

    def _refused(self, partner: Partner, wait: float) -> int:
        if self.refusals is not None:
            self.refusals.labels(source=partner.source).inc()
        return max(1, math.ceil(wait))

    async def _admit(self, key: str, partner: Partner) -> float | None:
        quota, now = partner.quota, self.clock()
        seen = self._seen.get(key, 0.0)
        wait = quota.wait_s(seen, now)
        if wait is not None:
            return wait  # the bucket only fills up: still past its tolerance
        for _ in range(ATTEMPTS):
            if seen < now and await self._restart(key, now, now + quota.interval_s):
                self._saw(key, now + quota.interval_s)
                return None
            taken = await self.buckets.find_one_and_update(
                {"_id": key, "tat": {"$gte": now, "$lte": now + quota.tolerance_s}},
                {"$inc": {"tat": quota.interval_s}},
                projection={"tat": True},
                return_document=ReturnDocument.AFTER,
            )
            if taken is not None:
                self._saw(key, taken["tat"])
                return None
            current = await self.buckets.find_one({"_id": key}, {"tat": True})
            seen = current["tat"] if current else 0.0
            self._saw(key, seen)
            wait = quota.wait_s(seen, now)
            if wait is not None:
                return wait
        return quota.interval_s  # the bucket kept changing under us: a rare, short wait

    async def _restart(self, key: str, now: float, tat: float) -> bool:
        """Start a full bucket over at `now` (or create it); False if it is in use."""
        try:
            await self.buckets.update_one(
                {"_id": key, "tat": {"$lt": now}}, {"$set": {"tat": tat}}, upsert=True
            )
        except DuplicateKeyError:  # the document exists and its bucket is in use
            return False
        return True

    def _saw(self, key: str, tat: float) -> None:
        self._seen[key] = max(self._seen.get(key, 0.0), tat)
