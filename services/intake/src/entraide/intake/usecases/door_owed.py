"""What a door decision still owes once written, delivered even if intake stops between
its writes: one note on the request, one pass.

Staff's decision (confirm, join, refuse) is one guarded write; what follows it cannot be
in it: a refusal's message to the parent (`door_refusals`: the notifier's own store), her
key destroyed (the vault), her request's rectification flags carried onto a record or
answered `erased` (`door_rectifications`: the families' store, then the request's outbox).
So the decision's write notes what is owed (`owed`: carry or erased, `owed_to`, and
`telling_until`, the bound of a refusal's message), `settle` delivers it in its order
(her message, then her key, then the flags) and clears the whole note in one write guarded
by it, with the events for privacy and the emptying of a sealed copy kept for her message.
Each step may run again (the notifier and the flags keep a key, the key goes once), so a
crash anywhere leaves the note and the next pass (`settle_owed`, intake's scheduler: at
start and every minute) settles it, once, however many passes or replicas. The pass reads
the requests owing by their own unique marker (`SelfRequests.owing`), never the queue."""

from dataclasses import dataclass
from datetime import datetime

from entraide.intake.domain.self_requests import Stage
from entraide.intake.usecases import door_rectifications, door_refusals
from entraide.intake.usecases.door_refusals import Tell
from entraide.intake.usecases.ports import Families, FamilyKeys
from entraide.intake.usecases.self_requests import SelfRequests


@dataclass(frozen=True)
class OwedWork:
    """Where a door decision's owed work goes: the queue, the key vault, the families."""

    queue: SelfRequests
    keys: FamilyKeys
    families: Families

    async def settle(self, self_id: str, now: datetime, tell: Tell) -> bool:
        """Deliver what the decided request still owes, if it does: a refusal's message
        told (or its bound past), her key destroyed, the flags carried or answered; then
        clear the note; whether this call cleared it (a message not told yet: not yet)."""
        decided = await self.queue.get(self_id)  # fresh: with a flag landed meanwhile
        if decided is None or decided.owed is None:
            return False
        if not await door_refusals.told(decided, now, tell):
            return False
        if decided.stage == Stage.REFUSED:  # nothing readable kept, before « erased » is said
            await self.keys.destroy(decided.family_id)
        events = await door_rectifications.deliver(self.families, decided)
        kept = decided.telling_until is not None  # her sealed copy, kept for her message
        return await self.queue.settle(decided.id, events, forget_details=kept)

    async def settle_owed(self, now: datetime, tell: Tell) -> set[str]:
        """Settle the decisions still owing something; which this pass settled."""
        return {r.id for r in await self.queue.owing() if await self.settle(r.id, now, tell)}
