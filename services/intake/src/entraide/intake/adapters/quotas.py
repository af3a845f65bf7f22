"""Partner quotas shared by intake's replicas: one token bucket per partner, in the store.

The buckets are the kit's (`kit/buckets.py`: GCRA, one document `{"_id": key, "tat": ...}`
a bucket, admitted by one guarded single-document update whichever replica serves the
request). What is the partner door's own: the buckets live in `partner_quotas`, one per
partner, its id the partner's key id (an organisation's, not a person's: nothing to hash),
never swept (one document per partner, never more); each partner is admitted at its own
`Quota` (`domain/partners.py`: `interval_s`, `tolerance_s`); a refusal is counted by the
partner's source.

Why a bucket and not a counter per (partner, window) with `$inc`: a partner sending
steadily at its quota is never refused (with fixed windows, the jitter of a steady sender
puts one request more in a window now and then, and a window short enough to bound bursts
leaves no slack), `burst` means what it says, and there is nothing to expire.

What it costs: one store round trip per admitted request (two when this replica guessed
the bucket's state wrong: it guesses from the last `tat` it saw). `tat` only grows, so a
replica that saw a partner past its tolerance refuses it locally until then
(`known_over`, at the door's gate): a flooding partner costs the store one read per
replica per Retry-After, not one per request. A store that does not answer raises
pymongo's `ConnectionFailure`, which every route answers with 503 `store-unavailable` and
`Retry-After`, as for any other store call.
"""

import time
from collections.abc import Callable, Mapping
from typing import Any

from prometheus_client import Counter
from pymongo.asynchronous.database import AsyncDatabase

from entraide.intake.domain.partners import Partner
from entraide.kit.buckets import Buckets, whole_seconds

COLLECTION = "partner_quotas"


class PartnerQuotas:
    """The partners' buckets in intake's database, each at its partner's quota."""

    def __init__(
        self,
        db: AsyncDatabase[dict[str, Any]],
        partners: Mapping[str, Partner],
        refusals: Counter | None = None,
        *,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.buckets = Buckets(db[COLLECTION], clock=clock)
        self.partners = partners
        self.refusals = refusals
        self.clock = clock

    async def retry_after(self, key: str, partner: Partner) -> int | None:
        """None if the partner's request is admitted (and counted), else the whole seconds
        to wait before the next one fits (at least 1)."""
        quota = partner.quota
        wait = await self.buckets.admit(
            key, self.clock(), interval=quota.interval_s, tolerance=quota.tolerance_s
        )
        return None if wait is None else self._refused(partner, wait)

    def known_over(self, key: str) -> float | None:
        """The seconds to wait (exactly) if this replica already knows the partner `key` is
        past its quota, counted as a refusal, with no store call; else None: the request
        goes the whole way."""
        partner = self.partners.get(key)
        if partner is None:
            return None
        wait = self.buckets.known_wait(key, self.clock(), tolerance=partner.quota.tolerance_s)
        if wait is not None:
            self._refused(partner, wait)
        return wait

    def _refused(self, partner: Partner, wait: float) -> int:
        if self.refusals is not None:
            self.refusals.labels(source=partner.source).inc()
        return whole_seconds(wait)
