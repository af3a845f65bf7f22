"""The routed cases a subject's erasure leaves waiting: a rectification flagged on a record
(or an objection) whose owner no longer holds anything of the person, the erasure having
closed (the person's request, the retention sweep). Privacy closes them itself, with the
decision `subject-erased`, so the person is told (`droits-reponse`) instead of waiting for
ever. Each close is the store's conditional update (only a live case closes): two replicas,
or the erasure's closing and the watchdog's pass after a crash, close and journal it once.
"""

from collections.abc import Sequence
from datetime import datetime

from entraide.privacy.domain import cases as rules
from entraide.privacy.domain.cases import Case
from entraide.privacy.usecases.ports import AuditLog, Cases


async def close_left_by_erasure(
    cases: Cases, audit: AuditLog, subject_ref: str, *, at: datetime
) -> list[str]:
    """Close the subject's live routed cases once its erasure closed; the ids closed here."""
    closed = []
    for case in rules.left_by_erasure(await cases.of_subject(subject_ref)):
        if await cases.close(case.case_id, at=at, decision=rules.SUBJECT_ERASED):
            decided = rules.SUBJECT_ERASED
            await audit.record(case.case_id, "case-resolved", actor="privacy", decision=decided)
            closed.append(case.case_id)
    return closed


async def still_waiting(
    cases: Cases, audit: AuditLog, due: Sequence[Case], *, at: datetime
) -> list[Case]:
    """The watchdog's cases, those an erasure left waiting closed first (its closing may
    have stopped short of them: a crash, a store's error): the others, to resend."""
    gone: set[str] = set()
    for ref in dict.fromkeys(c.subject_ref for c in due if c.kind in rules.ROUTED):
        gone.update(await close_left_by_erasure(cases, audit, ref, at=at))
    return [c for c in due if c.case_id not in gone]
