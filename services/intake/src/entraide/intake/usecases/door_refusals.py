"""The message a refusal owes the parent (out of the network's reach, or not reached:
`TOLD_REFUSALS`), told even if intake stops in the middle, and her details destroyed after.

Her address is only in the request's sealed copy, readable while its key exists: so the
key cannot go before the notifier has recorded the message (it keeps its own sealed copy
to send it, retried, and sends a key once). The decision's own write notes the message
owed (`telling_until`, in the note of what the decision owes: `door_owed`) and keeps the
sealed copy; `door_owed.settle` tells her (`told`), destroys the key, then clears the note
with the copy in one write guarded by it. A crash, or a notifier failing, anywhere between
leaves the note, and the next pass settles it: telling again sends nothing twice, and a
key already gone means she was told. The bound: a day after the decision (`TELL_WITHIN`)
the key is destroyed told or not, so nothing readable is kept longer for a message that
cannot go."""

import logging
from collections.abc import Awaitable, Callable
from dataclasses import replace
from datetime import datetime, timedelta

from entraide.intake.domain.self_requests import SelfRequest

log = logging.getLogger(__name__)
TELL_WITHIN = timedelta(days=1)  # then her details go untold: tried each minute until then

Tell = Callable[[SelfRequest], Awaitable[bool]]


def owing(request: SelfRequest, now: datetime) -> SelfRequest:
    """The refusal decided `now` with its message owed, stored in the decision's write."""
    return replace(request, telling_until=now + TELL_WITHIN)


async def told(request: SelfRequest, now: datetime, tell: Tell) -> bool:
    """Tell the parent her request was refused, within the bound; whether her key may go
    now (the notifier has the message, or the bound is past). A failure to tell leaves it
    owed (logged by the request's id and the error's kind: never the address it may name)."""
    if request.telling_until is None:
        return True
    if now >= request.telling_until:
        log.warning(
            "refusal message never recorded: details destroyed", extra={"self_id": request.id}
        )
        return True
    try:
        await tell(request)  # recorded by the notifier, keyed: once however often
    except Exception as error:  # the notifier's store, its template: the next pass tries
        log.warning(
            "refusal message not recorded: owed to the next pass",
            extra={"self_id": request.id, "error": type(error).__name__},
        )
        return False
    return True
