"""Follow-ups' use cases: each active match's due items (the one- and three-month
follow-ups, the six-weeks-without-contact alert) computed when something happens to it and
stored, so the coordinators' pages read them and never compute them.

What moves them: a contact staff logged in intake (`family.contact-logged`, on the
requests topic), a match accepted, started, checked in or ended (the engine says so), and
the scheduler's round, which recomputes every active match and forgets ended ones (it
catches what a failed write or an older replica missed).
"""

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime

from entraide.contracts.paris import paris_day
from entraide.matching.domain import followups as rules
from entraide.matching.domain.followups import Followed, Schedule
from entraide.matching.usecases.ports import FollowUps as Store

log = logging.getLogger(__name__)
Clock = Callable[[], datetime]
ROUND_CHUNK = 500  # matches a round reads at once


@dataclass
class FollowUps:
    store: Store
    clock: Clock = lambda: datetime.now(UTC)

    def today(self) -> date:
        """Today, in Paris: the day coordinators' queues are about."""
        return paris_day(self.clock())

    async def contacts_logged(self, logged: dict[str, datetime]) -> int:
        """Contacts logged with these families (latest per family_ref): their active
        matches' rupture clocks start again. Returns how many schedules were stored."""
        if not logged:
            return 0
        await self.store.note_contacts(logged)
        return await self._store(await self.store.followed(family_refs=sorted(logged)))

    async def match_changed(self, match_id: str) -> None:
        """A match moved or was checked in: its schedule now (a failure is left to the
        scheduler's next round, the coordinator's action stands)."""
        try:
            followed = await self.store.followed(match_ids=[match_id])
            if followed:
                await self._store(followed)
            else:
                await self.store.drop([match_id])
        except Exception as exc:
            log.warning(
                "follow-ups not updated",
                extra={"match_id": match_id, "error": type(exc).__name__},
            )

    async def refresh(self, chunk: int = ROUND_CHUNK) -> int:
        """The scheduler's round: every active match's schedule computed, the changed ones
        stored, the ended ones forgotten, `chunk` matches at a time (the country's are
        never all in memory). Returns how many were stored."""
        changed = 0
        async for followed in self.store.each_active(chunk):
            stored = await self.store.schedules_of([f.match_id for f in followed])
            logged = await self.store.contacts(sorted({f.family_ref for f in followed}))
            fresh = [rules.schedule(f, logged.get(f.family_ref)) for f in followed]
            moved = [s for s in fresh if stored.get(s.followed.match_id) != s]
            if moved:
                await self.store.save(moved)
            changed += len(moved)
        async for scheduled in self.store.each_scheduled(chunk):
            ended = sorted(set(scheduled) - await self.store.still_followed(scheduled))
            if ended:
                await self.store.drop(ended)
        return changed

    async def _store(self, followed: list[Followed]) -> int:
        logged = await self.store.contacts(sorted({f.family_ref for f in followed}))
        schedules: list[Schedule] = [rules.schedule(f, logged.get(f.family_ref)) for f in followed]
        if schedules:
            await self.store.save(schedules)
        return len(schedules)
