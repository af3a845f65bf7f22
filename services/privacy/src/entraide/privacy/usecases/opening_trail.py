"""The « case-opened » entry of a case's audit trail, under an id of its own (the case's
and the action's): written as the case opens, written again where a stop after the case's
insert left it unwritten (the person's code typed again, the pass once the code expired),
and never twice, the trail keeping one entry an id."""

from collections.abc import Sequence

from entraide.privacy.domain.cases import Case
from entraide.privacy.usecases.ports import AuditLog, Row

OPENED = "case-opened"


def entry_id(case_id: str, action: str) -> str:
    """The id of the case's one entry of `action`."""
    return f"{case_id}:{action}"


def opened(case: Case, *, actor: str) -> Row:
    """The case's « case-opened » entry: when, by whom, its kind and reason (no subject)."""
    return {
        "_id": entry_id(case.case_id, OPENED),
        "at": case.opened_at,
        "case_id": case.case_id,
        "action": OPENED,
        "actor": actor,
        "kind": case.kind.value,
        "reason": case.reason.value,
    }


async def restore(audit: AuditLog, case: Case, trail: Sequence[Row], *, actor: str) -> None:
    """Write the case's « case-opened » entry if its trail lacks it (a stop before it)."""
    if not any(e["action"] == OPENED for e in trail):
        await audit.record_many([opened(case, actor=actor)])
