"""The officer's rectification cases flagged on a family's request while it waited at the
door, once staff decided it. Confirmed, or joined to a family known: the flags follow it
onto that family's record, corrected there with its form, whose save tells privacy (the
record's outbox). Refused: its identity is made unreadable, so nothing is left to correct;
privacy hears the data was erased instead (`RectificationCompleted`, outcome `erased`,
through the request's own outbox) and closes the case so, rather than wait for ever.

The decision's own write notes what its flags are owed (`owing`): a flag lands only on a
request still waiting, so once decided they are all there. `settle` then delivers it and
clears the note in one write guarded by it: a crash between the two writes leaves the note,
and the next pass (`settle_owed`: intake's scheduler) settles it, once. A refusal whose
message the parent is still owed keeps her details readable (`door_refusals`): its flags
are answered `erased` only once they are."""

from dataclasses import replace

from entraide.contracts import new_event
from entraide.contracts.events import RectificationCompleted
from entraide.intake.domain.self_requests import SelfRequest
from entraide.intake.usecases import recording
from entraide.intake.usecases.ports import Families
from entraide.intake.usecases.self_requests import SelfRequests

CARRY = "carry"  # onto the record `owed_to`
ERASED = "erased"  # privacy told the data to correct was erased instead


def owing(request: SelfRequest, owed: str, to: str | None = None) -> SelfRequest:
    """The decision with what its flags are owed, stored in its write."""
    return replace(request, owed=owed, owed_to=to)


async def settle(queue: SelfRequests, families: Families, self_id: str) -> bool:
    """Deliver what the decided request's flags are owed, if it still is: each carried
    onto its record (a flag there already, or its case done, stays as it is), or answered
    `erased`, case and reference only, dated as decided; whether this call settled it."""
    decided = await queue.get(self_id)
    if decided is None or decided.owed is None:
        return False
    if decided.owed == ERASED and decided.telling_until is not None:  # not erased yet
        return False
    events = []
    if decided.owed == CARRY and decided.owed_to:
        for case_id in decided.rectifications:
            await families.flag_rectification(decided.owed_to, case_id)
    elif decided.owed == ERASED and decided.decided_at is not None:
        events = [
            new_event(
                RectificationCompleted(
                    case_id=case_id,
                    subject_ref=decided.family_ref,
                    service="intake",
                    completed_at=decided.decided_at,
                    outcome="erased",
                ),
                source=recording.SOURCE,
                subject=decided.family_ref,
            )
            for case_id in decided.rectifications
        ]
    return await queue.settle(self_id, events)


async def settle_owed(queue: SelfRequests, families: Families) -> set[str]:
    """Settle the decisions a crash left owing; which this pass settled."""
    return {r.id for r in await queue.owing() if await settle(queue, families, r.id)}
