"""The officer's rectification cases flagged on a family's request while it waited at the
door, once staff decided it. Confirmed, or joined to a family known: the flags follow it
onto that family's record, corrected there with its form, whose save tells privacy (the
record's outbox). Refused: its identity is made unreadable, so nothing is left to correct;
privacy hears the data was erased instead (`RectificationCompleted`, outcome `erased`,
through the request's own outbox) and closes the case so, rather than wait for ever.

The decision's own write notes what its flags are owed (`owing`): a flag lands only on a
request still waiting, so once decided they are all there. `door_owed.settle` delivers it
(`deliver`) and clears the note in one write guarded by it, with the events: a crash
between leaves the note for the next pass. A refusal's flags are answered `erased` only
once her key is gone (after her message, if one is owed: `door_refusals`)."""

from dataclasses import replace
from typing import Any

from entraide.contracts import CloudEvent, new_event
from entraide.contracts.events import RectificationCompleted
from entraide.intake.domain.self_requests import SelfRequest
from entraide.intake.usecases import recording
from entraide.intake.usecases.ports import Families

CARRY = "carry"  # onto the record `owed_to`
ERASED = "erased"  # privacy told the data to correct was erased instead


def owing(request: SelfRequest, owed: str, to: str | None = None) -> SelfRequest:
    """The decision with what its flags are owed, stored in its write."""
    return replace(request, owed=owed, owed_to=to)


async def deliver(families: Families, decided: SelfRequest) -> list[CloudEvent[Any]]:
    """What the decided request's flags are owed: each carried onto its record (a flag
    there already, or its case done, stays as it is), or the `erased` answers to queue
    with the note's clearing, case and reference only, dated as decided."""
    if decided.owed == CARRY and decided.owed_to:
        for case_id in decided.rectifications:
            await families.flag_rectification(decided.owed_to, case_id)
    if decided.owed != ERASED or decided.decided_at is None:
        return []
    return [
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
