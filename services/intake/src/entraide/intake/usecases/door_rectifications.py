"""The officer's rectification cases flagged on a family's request while it waited at the
door, once staff decided it. Confirmed, or joined to a family known: the flags follow it
onto that family's record, corrected there with its form, whose save tells privacy (the
record's outbox). Refused: its identity is made unreadable, so nothing is left to correct;
privacy hears the data was erased instead (`RectificationCompleted`, outcome `erased`,
through the request's own outbox) and closes the case so, rather than wait for ever."""

from datetime import datetime

from entraide.contracts import new_event
from entraide.contracts.events import RectificationCompleted
from entraide.intake.domain.self_requests import SelfRequest
from entraide.intake.usecases import recording
from entraide.intake.usecases.ports import Families
from entraide.intake.usecases.self_requests import SelfRequests


async def carry(
    queue: SelfRequests, families: Families, request: SelfRequest, ref: str, carried: list[str]
) -> None:
    """The cases flagged on the request, read again once it is decided (none lands after),
    onto the record `ref`, but those its first write `carried`."""
    for case_id in sorted(set(await _flags(queue, request)) - set(carried)):
        await families.flag_rectification(ref, case_id)


async def erased(queue: SelfRequests, request: SelfRequest, now: datetime) -> int:
    """The request refused: each case flagged on it answered `erased`, case and reference
    only (one write); how many."""
    events = [
        new_event(
            RectificationCompleted(
                case_id=case_id,
                subject_ref=request.family_ref,
                service="intake",
                completed_at=now,
                outcome="erased",
            ),
            source=recording.SOURCE,
            subject=request.family_ref,
        )
        for case_id in await _flags(queue, request)
    ]
    await queue.announce(request.id, events)
    return len(events)


async def _flags(queue: SelfRequests, request: SelfRequest) -> list[str]:
    decided = await queue.get(request.id)
    return list(decided.rectifications) if decided else []
