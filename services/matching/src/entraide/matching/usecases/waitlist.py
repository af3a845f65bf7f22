"""The waitlist as a coordinator works it: for each waiting family, the supports of their
association that fit it, best first, with their score; a proposal by hand goes to the
engine (`placing.propose_by_hand`), which checks the rules again."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from entraide.contracts.paris import paris_day
from entraide.matching.domain import rules, score
from entraide.matching.domain.views import family_of
from entraide.matching.usecases.pool import SupportPool
from entraide.matching.usecases.ports import Requests

Doc = dict[str, Any]
Choice = tuple[str, float, str]  # support key, score (2 decimals), reasons
CHOICES = 10  # supports offered per waiting family


def _now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class Waitlist:
    requests: Requests
    pool: SupportPool
    clock: Callable[[], datetime] = _now

    async def choices(self, association_id: str, waiting: list[Doc]) -> dict[str, list[Choice]]:
        """By waiting request id: the association's supports that fit the family, best
        first (at most CHOICES)."""
        pool = await self.pool.current()
        mine = [s for s in pool.supports if s.association_id == association_id]
        views = await self.requests.many([w["_id"] for w in waiting])
        now = self.clock()
        options: dict[str, list[Choice]] = {}
        for w in waiting:
            view = views.get(w["_id"])
            if view is None:
                continue
            family = family_of(view)
            fits = [
                (s, score.score(family, s, now=now))
                for s in mine
                if rules.unfit(family, s, today=paris_day(now)) is None
            ]
            options[w["_id"]] = [
                (s.key, round(f.weighted, 2), ", ".join(f.reasons))
                for s, f in sorted(fits, key=lambda x: -x[1].weighted)[:CHOICES]
            ]
        return options

    async def association_of(self, support_key: str) -> str | None:
        """The association of a support matching may propose (None: no such support)."""
        support = (await self.pool.current()).by_key.get(support_key)
        return None if support is None else support.association_id
