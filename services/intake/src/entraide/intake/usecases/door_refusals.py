"""The message a refusal owes the parent (out of the network's reach, or not reached:
`TOLD_REFUSALS`), told even if intake stops in the middle, and her details destroyed after.

Her address is only in the request's sealed copy, readable while its key exists: so the
key cannot go before the notifier has recorded the message (it keeps its own sealed copy
to send it, retried, and sends a key once). The decision's own write notes the message
owed (`telling_until`) and keeps the sealed copy; `settle` tells her, destroys the key,
then clears the note with the copy in one write guarded by it. A crash, or a notifier
failing, anywhere between leaves the note, and the next pass (`settle_owed`: intake's
scheduler, every minute) settles it: telling again sends nothing twice, and a key already
gone means she was told. The bound: a day after the decision (`TELL_WITHIN`) the key is
destroyed told or not, so nothing readable is kept longer for a message that cannot go."""

import logging
from collections.abc import Awaitable, Callable
from dataclasses import replace
from datetime import datetime, timedelta
from typing import Protocol

from entraide.intake.domain.self_requests import SelfRequest
from entraide.intake.usecases.ports import FamilyKeys

log = logging.getLogger(__name__)
TELL_WITHIN = timedelta(days=1)  # then her details go untold: tried each minute until then

Tell = Callable[[SelfRequest], Awaitable[bool]]


class UntoldRefusals(Protocol):
    """The door's queue as this pass reads and clears it (`adapters.self_requests`)."""

    async def untold(self) -> list[SelfRequest]:
        """The refused requests whose message is still owed."""
        ...

    async def told(self, self_id: str) -> bool:
        """Clear the message owed and the sealed copy in one write guarded by the note;
        whether this call did."""
        ...


def owing(request: SelfRequest, now: datetime) -> SelfRequest:
    """The refusal decided `now` with its message owed, stored in the decision's write."""
    return replace(request, telling_until=now + TELL_WITHIN)


async def settle(
    queue: UntoldRefusals, keys: FamilyKeys, request: SelfRequest, now: datetime, tell: Tell
) -> bool:
    """Tell the parent her request was refused (within the bound), then destroy her key and
    clear the note; whether this call cleared it. A failure to tell leaves it owed (logged
    by the request's id and the error's kind: never the address the error may name)."""
    if request.telling_until is None:
        return False
    if now < request.telling_until:
        try:
            await tell(request)  # recorded by the notifier, keyed: once however often
        except Exception as error:  # the notifier's store, its template: the next pass tries
            log.warning(
                "refusal message not recorded: owed to the next pass",
                extra={"self_id": request.id, "error": type(error).__name__},
            )
            return False
    else:
        log.warning(
            "refusal message never recorded: details destroyed", extra={"self_id": request.id}
        )
    await keys.destroy(request.family_id)
    return await queue.told(request.id)


async def settle_owed(
    queue: UntoldRefusals, keys: FamilyKeys, now: datetime, tell: Tell
) -> set[str]:
    """Settle the refusals still owing their message; which this pass settled."""
    return {r.id for r in await queue.untold() if await settle(queue, keys, r, now, tell)}
