"""Families and supports that change: a request withdrawn or its consent gone ends its
open match, an open one is placed (one, or a batch as consumed); a support no longer
available has its open matches re-routed, except a paused volunteer's accepted and started
ones: a pause stops new proposals, it does not end a support agreed with a family (that
goes through the association)."""

import time

from entraide.contracts.vocab import MatchOutcome
from entraide.matching.domain.lifecycle import State
from entraide.matching.domain.views import placeable
from entraide.matching.usecases.decisions import Decisions
from entraide.matching.usecases.proposals import Doc


class Changes(Decisions):
    async def request_changed(self, view: Doc, first_seen: bool = False) -> None:
        """Withdrawn or consent gone: end its open match; still open: make sure it is placed.
        `view` is the read model's new state; `first_seen`, that it was just inserted."""
        if not placeable(view):
            await self._request_gone(view)
            return
        started = time.perf_counter()
        # the requests' consumer: a withdrawal after this read comes next, in order, and
        # ends what this proposes (no second read, unlike `_place_again`)
        await self.place(view["_id"], view=view, first_seen=first_seen)
        if self.metrics:
            self.metrics.placement.observe(time.perf_counter() - started)

    async def requests_changed(self, changes: list[tuple[Doc, bool]]) -> None:
        """`request_changed` for a batch (one change per request, in the order consumed):
        the open ones placed together (`place_many`), the others' matches ended."""
        started = time.perf_counter()
        placing = []
        for view, first_seen in changes:
            if placeable(view):
                placing.append((view, first_seen))
            elif not first_seen:  # one seen first closed has no match nor waitlist entry
                await self.request_changed(view)
        if placing:
            await self.place_many(placing)
            if self.metrics:
                elapsed = time.perf_counter() - started  # what each of them waited
                for _ in placing:
                    self.metrics.placement.observe(elapsed)

    async def support_changed(
        self, key: str, capacity: int | None, available: bool, *, paused: bool = False
    ) -> None:
        """A volunteer paused, left or changed capacity (an offer likewise): re-route its
        open matches when it is no longer available; `paused` (a volunteer inactive but not
        gone), only its proposals not yet accepted. (Capacity: the places beyond a new,
        lower capacity stay with their matches; new ones are refused until below it.)"""
        await self.pool.refresh(key)
        if available:
            return
        for match in await self.store.open_for_support(key):
            if paused and match.state != State.PROPOSED:
                continue  # the family keeps her volunteer
            await self._close(match, MatchOutcome.VOLUNTEER_UNAVAILABLE)
            await self._place_again(match.request_id)
