"""The partners' HTTP door: who signed a request, and whether it fits the partner's quota.

Every signed request counts against its partner's quota (`ports.QuotaBook`, shared by the
replicas through the store), whatever address it comes from: two partners behind one NAT
keep their own.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from entraide.intake.domain.partners import Partner, Quota, signature_problem
from entraide.intake.usecases.ports import QuotaBook

QUOTA_EXCEEDED = "quota-exceeded"


@dataclass(frozen=True)
class Refused:
    """Why the door refuses a request: a signature problem (`missing-signature`,
    `unknown-partner`, `bad-timestamp`, `stale-timestamp`, `bad-signature`), or
    `quota-exceeded` with the seconds to wait and the partner's quota."""

    code: str
    retry_after: int | None = None
    quota: Quota | None = None


@dataclass(frozen=True)
class PartnerDoor:
    """The registered partners, their quotas, and how far a signature's clock may drift."""

    partners: Mapping[str, Partner]
    quotas: QuotaBook
    tolerance_s: float

    async def admit(
        self, key: str, timestamp: str | None, given: str | None, body: bytes, *, now: datetime
    ) -> Partner | Refused:
        """The signing partner, its request counted against its quota; or why not."""
        partner = self.partners.get(key)
        problem = signature_problem(
            partner, timestamp, given, body, now=now, tolerance_s=self.tolerance_s
        )
        if problem or partner is None:
            return Refused(problem or "unknown-partner")
        wait = await self.quotas.retry_after(key, partner)
        if wait is not None:
            return Refused(QUOTA_EXCEEDED, retry_after=wait, quota=partner.quota)
        return partner
